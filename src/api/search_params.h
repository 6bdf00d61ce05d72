// Parsing and validating /api/v1/search parameters (docs/API.md) into a
// store::SearchQuery. Messages name the parameter and the value given
// ("radius must be between 0.1 and 500 miles, got 9000"); tests pin them.
#pragma once

#include <optional>
#include <string>

#include "api/problem.h"
#include "api/request.h"
#include "store/search.h"
#include "core/taxonomy.h"

namespace carefinder::api {

struct SearchParams {
  std::optional<std::string> near;  // to resolve through the store
  std::string point_text;           // "lat,lon" as given (trimmed), when they were
  store::SearchQuery query;         // center set from lat/lon; from near after resolving
  bool has_place = false;
  bool sort_given = false;
  bool has_clock = false;           // now, or day and time, given (sort=next needs them)
};

inline constexpr size_t kMaxQueryChars = 200;
inline constexpr size_t kMaxOffset = 10000;  // deeper pages: narrow the search instead

// Everything but resolving `near` (which needs the gazetteer).
ApiResult<SearchParams> ParseSearchParams(const Request& req, const Taxonomy& taxonomy);

// "v1:<offset>" base64url: opaque to clients, versioned for us.
std::string EncodeCursor(size_t offset);
std::optional<size_t> DecodeCursor(std::string_view cursor);

}  // namespace carefinder::api
