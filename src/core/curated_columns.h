// The columns of the project's curated listing CSV (data/README.md), in the
// order `export --format csv` writes them; the reader (importer) takes them in
// any order and rejects any other. The term columns are named after the
// groups of core/taxonomy.h whose `curated_column` is set.
#pragma once

#include <array>
#include <string_view>

namespace carefinder {

inline constexpr std::array<std::string_view, 33> kCuratedColumns = {
    "source", "source_key", "source_url", "source_license", "as_of", "last_verified",
    "kind", "status", "organization", "name", "description", "address1", "address2",
    "city", "state", "zip", "latitude", "longitude", "phones", "website", "email",
    "care", "medication", "substance", "support", "payment", "population", "language",
    "attendance", "other_services", "hours", "conference_url", "conference_phone"};

}  // namespace carefinder
