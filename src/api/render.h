// JSON bodies of the API, written directly into a string (DESIGN §4: 16 µs
// for a 20-result page against 120 µs through nlohmann). listing.doc is
// already JSON; we only splice fields into it (core/listing_document.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/term_labels.h"
#include "store/listing_store.h"

namespace carefinder::api {

// A finite number with at most `decimals` decimals, trailing zeros dropped.
void AppendNumber(std::string& out, double value, int decimals);

struct SearchView {
  const store::Place* place = nullptr;  // null: no place given
  double radius_miles = 0;
  const store::SearchResult* result = nullptr;
  std::optional<std::string> next_cursor;
};

std::string RenderSearch(const SearchView& v);
std::string RenderListing(const store::ListingDetail& d, const store::Taxonomy& tax);
// `labels` (null: the database's English) replaces term and group labels and
// explanations it has; codes and structure never change.
std::string RenderTaxonomy(const store::Taxonomy& tax, const TermLabels* labels = nullptr);
std::string RenderPlaces(const std::vector<store::Place>& places);
// "status": "ok", or "degraded" with "problems" (plain sentences) when any.
std::string RenderHealth(const store::Health& h, const std::vector<std::string>& problems = {});

}  // namespace carefinder::api
