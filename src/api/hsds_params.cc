// HSDS query parameters: see hsds_params.h.
#include "api/hsds_params.h"

#include <cctype>
#include <ctime>
#include <tuple>

#include "core/date.h"
#include "core/geo.h"
#include "core/text.h"
#include "core/uuid.h"

namespace carefinder::api {

namespace {

using store::HsdsList;

// The value of `name`, if given; a repeat is an error (which one would win?).
ApiResult<std::optional<std::string>> Single(const Request& req, const char* name) {
  auto all = req.All(name);
  if (all.size() > 1) {
    return std::unexpected(Problem::Invalid(std::string(name) + " must be given once", name));
  }
  if (all.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(all.front()));
}

ApiResult<int64_t> WholeNumber(const Request& req, const char* name, int64_t fallback,
                               int64_t max) {
  auto v = Single(req, name);
  if (!v) return std::unexpected(v.error());
  if (!*v) return fallback;
  auto n = text::ParseInt(text::Trim(**v));
  if (!n || *n < 1 || *n > max) {
    return std::unexpected(Problem::Invalid(std::string(name) + " must be a whole number between 1 and " +
                                                std::to_string(max) + ", got " + **v,
                                            name));
  }
  return *n;
}

}  // namespace

ApiResult<bool> ParseHsdsFlag(const Request& req, const char* name) {
  auto v = Single(req, name);
  if (!v) return std::unexpected(v.error());
  if (!*v) return false;
  std::string s = text::ToLower(text::Trim(**v));
  if (s.empty() || s == "true" || s == "1") return true;
  if (s == "false" || s == "0") return false;
  return std::unexpected(
      Problem::Invalid(std::string(name) + " must be true or false, got " + **v, name));
}

namespace {

ApiResult<std::string> UuidParam(const Request& req, const char* name) {
  auto v = Single(req, name);
  if (!v) return std::unexpected(v.error());
  if (!*v || text::Trim(**v).empty()) return std::string();
  std::string id = text::ToLower(text::Trim(**v));
  if (!IsUuid(id)) {
    return std::unexpected(Problem::Invalid(std::string(name) + " must be a UUID, got " + **v, name));
  }
  return id;
}

ApiResult<std::string> Search(const Request& req) {
  auto v = Single(req, "search");
  if (!v) return std::unexpected(v.error());
  std::string s(text::Trim(v->value_or("")));
  if (s.size() > kHsdsMaxSearchChars) {
    return std::unexpected(Problem::Invalid(
        "search must be at most 200 characters, got " + std::to_string(s.size()), "search"));
  }
  bool has_word = false;
  for (unsigned char c : s) has_word = has_word || std::isalnum(c) || c >= 0x80;
  if (!s.empty() && !has_word) {
    return std::unexpected(Problem::Invalid("search must contain a letter or digit", "search"));
  }
  return s;
}

ApiResult<std::optional<double>> Coordinate(const Request& req, const char* name, double limit) {
  auto v = Single(req, name);
  if (!v) return std::unexpected(v.error());
  if (!*v) return std::optional<double>();
  auto d = text::ParseDouble(text::Trim(**v));
  if (!d || *d < -limit || *d > limit) {
    return std::unexpected(Problem::Invalid(std::string(name) + " must be between " +
                                                std::to_string(int(-limit)) + " and " +
                                                std::to_string(int(limit)) + ", got " + **v,
                                            name));
  }
  return d;
}

// postcode: "" or 5 digits (the ZIP+4 and 3-digit forms are not postcodes here).
ApiResult<std::string> Postcode(const Request& req) {
  auto postcode = Single(req, "postcode");
  if (!postcode) return std::unexpected(postcode.error());
  std::string zip(text::Trim(postcode->value_or("")));
  bool ok = zip.empty() || zip.size() == 5;
  for (char c : zip) ok = ok && std::isdigit(static_cast<unsigned char>(c));
  if (!ok) {
    return std::unexpected(Problem::Invalid("postcode must be a 5-digit ZIP code, got " + zip, "postcode"));
  }
  return zip;
}

// postcode, proximity, lat, lon (service_at_locations).
ApiResult<void> ParsePlace(const Request& req, HsdsListParams& out) {
  auto zip = Postcode(req);
  auto proximity = Single(req, "proximity");
  auto lat = Coordinate(req, "lat", 90);
  auto lon = Coordinate(req, "lon", 180);
  if (!zip) return std::unexpected(zip.error());
  if (!proximity) return std::unexpected(proximity.error());
  if (!lat) return std::unexpected(lat.error());
  if (!lon) return std::unexpected(lon.error());
  if (lat->has_value() != lon->has_value()) {
    return std::unexpected(
        Problem::Invalid("lat and lon must be given together", lat->has_value() ? "lon" : "lat"));
  }
  if (!zip->empty() && lat->has_value()) {
    return std::unexpected(Problem::Invalid("give postcode or lat and lon, not both", "postcode"));
  }
  if (lat->has_value()) out.filter.center = geo::Point{**lat, **lon};
  if (!*proximity) {
    out.filter.postal_code = *zip;
    return {};
  }
  auto metres = text::ParseDouble(text::Trim(**proximity));
  if (!metres || *metres < 1 || *metres > kHsdsMaxProximityMetres) {
    return std::unexpected(Problem::Invalid(
        "proximity must be a number of metres between 1 and 800000, got " + **proximity, "proximity"));
  }
  if (zip->empty() && !lat->has_value()) {
    return std::unexpected(Problem::Invalid("proximity needs postcode or lat and lon", "proximity"));
  }
  out.filter.radius_metres = *metres;
  out.postcode_centre = *zip;  // the handler resolves it into filter.center
  return {};
}

bool Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

int Num(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

std::optional<std::string> NormaliseDateTime(std::string_view text) {
  std::string_view s = text::Trim(text);
  auto day = date::ParseIsoDate(s.substr(0, 10));
  if (!day) return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  size_t pos = 10;
  long offset_seconds = 0;
  if (pos < s.size()) {
    if ((s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') || !Digits(s, pos + 1, 2) ||
        pos + 3 >= s.size() || s[pos + 3] != ':' || !Digits(s, pos + 4, 2)) {
      return std::nullopt;
    }
    hour = Num(s, pos + 1, 2);
    minute = Num(s, pos + 4, 2);
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!Digits(s, pos + 1, 2)) return std::nullopt;
      second = Num(s, pos + 1, 2);
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        do ++pos; while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])));
      }
    }
    std::string_view zone = s.substr(pos);
    // A '+' in a query string arrives as a space.
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-' || zone[0] == ' ') &&
        Digits(zone, 1, 2) && zone[3] == ':' && Digits(zone, 4, 2)) {
      offset_seconds = (Num(zone, 1, 2) * 3600L + Num(zone, 4, 2) * 60L) * (zone[0] == '-' ? -1 : 1);
    } else if (!zone.empty() && zone != "Z" && zone != "z") {
      return std::nullopt;
    }
  }
  constexpr int kLeapSecond = 60;
  if (hour > 23 || minute > 59 || second > kLeapSecond) return std::nullopt;
  constexpr int64_t kSecondsPerDay = 86400;
  int64_t utc = date::DaysSinceEpoch(*day) * kSecondsPerDay + hour * 3600L + minute * 60L + second;
  return text::FormatUtc(static_cast<std::time_t>(utc - offset_seconds));
}

namespace {

// page, per_page, format, search: every list's.
ApiResult<void> ParsePaging(const Request& req, HsdsListParams& out) {
  auto page = WholeNumber(req, "page", 1, kHsdsMaxPage);
  if (!page) return std::unexpected(page.error());
  auto per_page = WholeNumber(req, "per_page", kHsdsDefaultPerPage, kHsdsMaxPerPage);
  if (!per_page) return std::unexpected(per_page.error());
  out.page = {*page, *per_page, false};
  auto format = Single(req, "format");
  if (!format) return std::unexpected(format.error());
  std::string f = text::ToLower(text::Trim(format->value_or("json")));
  if (f != "json" && f != "ndjson") {
    return std::unexpected(Problem::Invalid("format must be json or ndjson, got " + **format, "format"));
  }
  out.ndjson = out.page.all = f == "ndjson";
  auto search = Search(req);
  if (!search) return std::unexpected(search.error());
  out.filter.search = std::move(*search);
  return {};
}

ApiResult<void> ParseModifiedAfter(const Request& req, HsdsListParams& out) {
  auto after = Single(req, "modified_after");
  if (!after) return std::unexpected(after.error());
  if (!*after || text::Trim(**after).empty()) return {};
  auto normalised = NormaliseDateTime(**after);
  if (!normalised) {
    return std::unexpected(Problem::Invalid(
        "modified_after must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z, got " + **after,
        "modified_after"));
  }
  out.filter.modified_after = *normalised;
  return {};
}

// The id filters and the flags, each on the lists HSDS gives it to.
ApiResult<void> ParseIdsAndFlags(const Request& req, HsdsList list, HsdsListParams& out) {
  bool services = list == HsdsList::kServices, sal = list == HsdsList::kServiceAtLocations;
  bool organizations = list == HsdsList::kOrganizations, terms = list == HsdsList::kTaxonomyTerms;
  const std::tuple<const char*, std::string*, bool> ids[] = {
      {"taxonomy_term_id", &out.filter.taxonomy_term_id, services || sal || organizations},
      {"taxonomy_id", &out.filter.taxonomy_id, services || sal || organizations || terms},
      {"organization_id", &out.filter.organization_id, services || sal},
      {"parent_id", &out.filter.parent_id, terms}};
  for (const auto& [name, target, applies] : ids) {
    if (!applies) continue;
    auto id = UuidParam(req, name);
    if (!id) return std::unexpected(id.error());
    *target = std::move(*id);
  }
  const std::tuple<const char*, bool*, bool> flags[] = {
      {"full", &out.full, services || sal || organizations},
      {"minimal", &out.minimal, services},
      {"full_service", &out.full_service, organizations},
      {"top_only", &out.filter.top_only, terms}};
  for (const auto& [name, target, applies] : flags) {
    if (!applies) continue;
    auto v = ParseHsdsFlag(req, name);
    if (!v) return std::unexpected(v.error());
    *target = *v;
  }
  if (out.full && out.minimal) {
    return std::unexpected(Problem::Invalid("full and minimal cannot be combined", "minimal"));
  }
  return {};
}

}  // namespace

ApiResult<HsdsListParams> ParseHsdsListParams(const Request& req, HsdsList list) {
  HsdsListParams out;
  if (auto s = ParsePaging(req, out); !s) return std::unexpected(s.error());
  if (auto s = ParseIdsAndFlags(req, list, out); !s) return std::unexpected(s.error());
  bool sal = list == HsdsList::kServiceAtLocations;
  if (list == HsdsList::kServices || sal) {
    if (auto s = ParseModifiedAfter(req, out); !s) return std::unexpected(s.error());
  }
  if (sal) {
    if (auto s = ParsePlace(req, out); !s) return std::unexpected(s.error());
  }
  return out;
}

}  // namespace carefinder::api
