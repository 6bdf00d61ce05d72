// The length limits of every text field an import keeps, in one table, and
// their enforcement on what every reader returns (the one place all formats
// pass: import.cc ReadInputs), so a 100 MB description is refused, not served.
// Limits are counted in characters (UTF-8 code points) and chosen from the
// longest value of the shipped data (data/feeds, data/listings) with ample
// room; docs/OPERATIONS.md lists them. A record over any limit is rejected
// as a whole (`file:line: field 'description': longer than 8000 characters
// (104857600)`), the rest of the file imports.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "importer/sources/reader.h"

namespace carefinder::importer {

struct FieldLimit {
  std::string_view field;  // as rejections name it (the curated CSV's column)
  size_t max;              // characters, or entries for a list
  size_t shipped_max;      // the longest in the shipped data, for the docs
};

// name, organization, description, location_name, address1, address2, city,
// state, zip, website, email, hours, conference_url, conference_phone,
// source_key, phone extensions, other_services (each), and the number of
// phones, opening times and other services.
std::span<const FieldLimit> FieldLimits();

// Moves every record of `result` with a field over its limit to its
// rejections (one per field over), keeping them in line order.
void EnforceFieldLimits(ReadResult& result);

}  // namespace carefinder::importer
