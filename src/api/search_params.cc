// Search parameter parsing and validation: see search_params.h.
#include "api/search_params.h"

#include <algorithm>
#include <cmath>

#include "api/time_params.h"
#include "core/text.h"
#include "store/fts_query.h"
#include "core/taxonomy.h"
#include "store/week_schedule.h"

namespace carefinder::api {

namespace {

using store::SortOrder;

// Every parameter of /api/v1/search besides the filter groups (docs/API.md).
constexpr std::string_view kSearchParams[] = {
    "near", "lat", "lon", "radius", "radius_km", "q", "status", "day", "time", "now", "open_now",
    "sort", "limit", "cursor"};

std::vector<std::string_view> KnownParams() {
  std::vector<std::string_view> known(std::begin(kSearchParams), std::end(kSearchParams));
  for (const auto& g : kTermGroups) known.push_back(g.name);
  return known;
}

// A parameter that may be given once; "" counts as absent.
ApiResult<std::optional<std::string>> Single(const Request& req, const std::string& key) {
  auto all = req.All(key);
  if (all.size() > 1) return std::unexpected(Problem::Invalid(key + " must be given once", key));
  if (all.empty() || text::Trim(all[0]).empty()) return std::optional<std::string>{};
  return std::optional<std::string>(std::string(text::Trim(all[0])));
}

ApiResult<double> Number(const std::string& key, const std::string& value, double lo, double hi,
                         const std::string& what) {
  auto v = text::ParseDouble(value);
  if (!v || *v < lo || *v > hi) {
    return std::unexpected(Problem::Invalid(key + " must be " + what + ", got " + value, key));
  }
  return *v;
}

ApiResult<void> ParsePlace(const Request& req, SearchParams& out) {
  auto near_r = Single(req, "near");
  auto lat_r = Single(req, "lat");
  auto lon_r = Single(req, "lon");
  for (auto* r : {&near_r, &lat_r, &lon_r}) {
    if (!*r) return std::unexpected(r->error());
  }
  const auto &near = *near_r, &lat = *lat_r, &lon = *lon_r;
  if (near && (lat || lon)) {
    return std::unexpected(Problem::Invalid("give near or lat and lon, not both", "near"));
  }
  if (lat || lon) {
    if (!lat || !lon) {
      return std::unexpected(Problem::Invalid("lat and lon must be given together",
                                              lat ? "lon" : "lat"));
    }
    auto la = Number("lat", *lat, -90, 90, "a latitude between -90 and 90");
    if (!la) return std::unexpected(la.error());
    auto lo = Number("lon", *lon, -180, 180, "a longitude between -180 and 180");
    if (!lo) return std::unexpected(lo.error());
    out.query.center = geo::Point{*la, *lo};
    out.point_text = *lat + "," + *lon;
  }
  out.near = near;
  out.has_place = near || out.query.center;
  return {};
}

ApiResult<void> ParseRadius(const Request& req, SearchParams& out) {
  auto miles = Single(req, "radius");
  auto km = Single(req, "radius_km");
  if (!miles) return std::unexpected(miles.error());
  if (!km) return std::unexpected(km.error());
  if (*miles && *km) {
    return std::unexpected(Problem::Invalid("give radius or radius_km, not both", "radius"));
  }
  if (*miles) {
    auto r = Number("radius", **miles, 0.1, 500, "between 0.1 and 500 miles");
    if (!r) return std::unexpected(r.error());
    out.query.radius_miles = *r;
  } else if (*km) {
    auto r = Number("radius_km", **km, 0.1, 800, "between 0.1 and 800 km");
    if (!r) return std::unexpected(r.error());
    out.query.radius_miles = *r / geo::kKmPerMile;
  }
  return {};
}

Problem UnknownTerm(const Taxonomy& tax, const std::string& group, const std::string& code) {
  std::string detail = "unknown " + group + " code \"" + code + "\"";
  if (const Term* t = tax.Find(code)) {
    detail += " (it is a " + t->group + " code)";
  } else {
    detail += " (see /api/v1/taxonomy)";
  }
  return {ProblemType::kUnknownTerm, detail, group};
}

ApiResult<void> ParseFilters(const Request& req, const Taxonomy& tax, SearchParams& out) {
  for (const auto& g : kTermGroups) {
    const std::string group(g.name);
    store::GroupFilter filter{group, {}, {}};
    for (const auto& value : req.All(group)) {
      for (auto& code : text::SplitList(value, ',')) {
        bool exclude = !code.empty() && code[0] == '-';
        std::string bare = exclude ? code.substr(1) : code;
        const Term* t = tax.Find(bare);
        if (!t || t->group != group) return std::unexpected(UnknownTerm(tax, group, bare));
        (exclude ? filter.exclude : filter.include).push_back(bare);
      }
    }
    if (!filter.include.empty() || !filter.exclude.empty()) {
      out.query.filters.push_back(std::move(filter));
    }
  }
  return {};
}

ApiResult<void> ParseText(const Request& req, SearchParams& out) {
  auto q = Single(req, "q");
  if (!q) return std::unexpected(q.error());
  if (!*q) return {};
  if ((*q)->size() > kMaxQueryChars) {
    return std::unexpected(Problem::Invalid("q must be at most " + std::to_string(kMaxQueryChars) +
                                                " characters, got " + std::to_string((*q)->size()),
                                            "q"));
  }
  out.query.text = **q;
  return {};
}

ApiResult<void> ParseStatus(const Request& req, SearchParams& out) {
  auto status = Single(req, "status");
  if (!status) return std::unexpected(status.error());
  if (!*status || **status == "active") return {};
  if (**status != "any") {
    return std::unexpected(
        Problem::Invalid("status must be active or any, got " + **status, "status"));
  }
  out.query.any_status = true;
  return {};
}

// day, time, now and open_now (api/time_params.h).
ApiResult<void> ParseWeekTime(const Request& req, SearchParams& out) {
  return ParseTimeParams(req, out.query, out.has_clock);
}

// Online meetings are reachable from anywhere: they need no place.
bool AsksOnline(const store::SearchQuery& q) {
  return std::ranges::any_of(q.filters, [](const store::GroupFilter& f) {
    return f.group == "attendance" && std::ranges::find(f.include, "online") != f.include.end();
  });
}

ApiResult<void> ParseSort(const Request& req, SearchParams& out) {
  auto sort = Single(req, "sort");
  if (!sort) return std::unexpected(sort.error());
  bool has_text = !out.query.text.empty();
  out.sort_given = sort->has_value();
  std::string s = sort->value_or(out.has_place ? "distance" : has_text ? "relevance" : "name");
  if (s == "distance") out.query.sort = SortOrder::kDistance;
  else if (s == "relevance") out.query.sort = SortOrder::kRelevance;
  else if (s == "name") out.query.sort = SortOrder::kName;
  else if (s == "next") out.query.sort = SortOrder::kNext;
  else {
    return std::unexpected(
        Problem::Invalid("sort must be distance, relevance, name or next, got " + s, "sort"));
  }
  if (s == "next" && !out.has_clock) {
    return std::unexpected(Problem::Invalid(
        "sort=next needs now (the searcher's local date-time) or day and time", "sort"));
  }
  if (s == "distance" && !out.has_place) {
    return std::unexpected(Problem::Invalid("sort=distance needs a place (near, or lat and lon)",
                                            "sort"));
  }
  if (s == "relevance" && !has_text) {
    return std::unexpected(Problem::Invalid("sort=relevance needs q", "sort"));
  }
  return {};
}

ApiResult<void> ParsePage(const Request& req, SearchParams& out) {
  auto limit = Single(req, "limit");
  auto cursor = Single(req, "cursor");
  if (!limit) return std::unexpected(limit.error());
  if (!cursor) return std::unexpected(cursor.error());
  if (*limit) {
    auto n = text::ParseInt(**limit);
    if (!n || *n < 1 || *n > 100) {
      return std::unexpected(Problem::Invalid(
          "limit must be a whole number between 1 and 100, got " + **limit, "limit"));
    }
    out.query.limit = static_cast<size_t>(*n);
  }
  if (*cursor) {
    auto offset = DecodeCursor(**cursor);
    if (!offset) {
      return std::unexpected(
          Problem::Invalid("cursor is not one this server gave out, got " + **cursor, "cursor"));
    }
    out.query.offset = *offset;
  }
  return {};
}

}  // namespace

ApiResult<SearchParams> ParseSearchParams(const Request& req, const Taxonomy& taxonomy) {
  static const std::vector<std::string_view> known = KnownParams();
  if (auto unknown = UnknownParameter(req, known)) return std::unexpected(std::move(*unknown));
  SearchParams out;
  for (auto step : {ParsePlace, ParseRadius, ParseText, ParseStatus, ParseWeekTime}) {
    if (auto r = step(req, out); !r) return std::unexpected(r.error());
  }
  if (auto r = ParseFilters(req, taxonomy, out); !r) return std::unexpected(r.error());
  out.query.include_unlocated = AsksOnline(out.query);
  if (!out.has_place && out.query.text.empty() && !out.query.include_unlocated) {
    return std::unexpected(Problem::Invalid(
        "near (or lat and lon) is required unless q or attendance=online is given", "near"));
  }
  if (!out.query.text.empty() && store::SplitWords(out.query.text).empty()) {
    return std::unexpected(Problem::Invalid(
        "q must contain a letter or digit, got \"" + out.query.text + "\"", "q"));
  }
  for (auto step : {ParseSort, ParsePage}) {
    if (auto r = step(req, out); !r) return std::unexpected(r.error());
  }
  return out;
}

std::string EncodeCursor(size_t offset) {
  return text::Base64UrlEncode("v1:" + std::to_string(offset));
}

std::optional<size_t> DecodeCursor(std::string_view cursor) {
  auto raw = text::Base64UrlDecode(cursor);
  if (!raw || !text::StartsWith(*raw, "v1:")) return std::nullopt;
  auto n = text::ParseInt(std::string_view(*raw).substr(3));
  if (!n || *n < 0 || static_cast<size_t>(*n) > kMaxOffset) return std::nullopt;
  return static_cast<size_t>(*n);
}

}  // namespace carefinder::api
