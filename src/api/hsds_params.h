// Parsing and validating the HSDS API's query parameters (standards.md §2.2,
// docs/API.md "HSDS 3.0 API") into a store::HsdsFilter and page request.
// Each list reads the parameters HSDS defines for it and ignores others; a
// malformed value is a 400 that names the parameter and the value given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/problem.h"
#include "api/request.h"
#include "store/hsds_store.h"

namespace carefinder::api {

inline constexpr int64_t kHsdsDefaultPerPage = 50;  // the ORUK guidance's default
inline constexpr int64_t kHsdsMaxPerPage = 1000;
inline constexpr int64_t kHsdsMaxPage = 1000000;
inline constexpr double kHsdsMaxProximityMetres = 800000;
inline constexpr size_t kHsdsMaxSearchChars = 200;

struct HsdsListParams {
  store::HsdsFilter filter;
  store::HsdsPageRequest page;
  bool ndjson = false;        // format=ndjson: every item, one a line, no envelope
  bool full = false;          // fully nested items
  bool minimal = false;       // services: id, name, status, last_modified
  bool full_service = false;  // organizations: services fully nested
  // postcode + proximity: the centre is the postcode's centroid, which the
  // handler resolves through the gazetteer.
  std::string postcode_centre;
};

ApiResult<HsdsListParams> ParseHsdsListParams(const Request& req, store::HsdsList list);

// A boolean parameter: true, false, 1, 0, or empty (= true); absent = false.
ApiResult<bool> ParseHsdsFlag(const Request& req, const char* name);

// `modified_after` as RFC 3339 (or a bare date, or a date-time without an
// offset, taken as UTC), normalised to 'YYYY-MM-DDTHH:MM:SSZ' UTC; nullopt
// when it is not one.
std::optional<std::string> NormaliseDateTime(std::string_view text);

}  // namespace carefinder::api
