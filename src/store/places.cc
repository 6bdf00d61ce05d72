// Place resolution and suggestions: see places.h.
#include "store/places.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/place_name.h"
#include "core/text.h"
#include "db/database.h"
#include "store/connection.h"

namespace carefinder::store {

namespace {

constexpr const char* kAllPlacesSql = "SELECT name, state, latitude, longitude FROM place";
constexpr const char* kZipSql = "SELECT latitude, longitude FROM zip_centroid WHERE zip = ?";
constexpr const char* kPlaceSql =
    "SELECT name, state, latitude, longitude FROM place WHERE name_key = ? AND state = ? "
    "ORDER BY id LIMIT 1";
constexpr const char* kPlaceAnyStateSql =
    "SELECT name, state, latitude, longitude FROM place WHERE name_key = ? ORDER BY state, id "
    "LIMIT 20";
constexpr const char* kZipPrefixSql =
    "SELECT zip, latitude, longitude FROM zip_centroid WHERE zip >= ? AND zip < ? "
    "ORDER BY zip LIMIT ?";
constexpr const char* kCityPrefixSql =
    "SELECT name, state, latitude, longitude FROM place WHERE name_key >= ? AND name_key < ? "
    "ORDER BY name_key, state, id LIMIT 200";

constexpr const char* kPlaceHint = " (try a 5-digit ZIP code, \"City, ST\" or \"lat,lon\")";

bool IsZip(std::string_view s) {
  return s.size() == 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string FormatPoint(geo::Point p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5g, %.5g", p.lat, p.lon);
  return buf;
}

// The smallest string greater than every string that starts with `prefix`.
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

Place CityPlace(std::string_view query, const db::Statement& s) {
  return {std::string(query), "city", s.ColumnString(0) + ", " + s.ColumnString(1),
          {s.ColumnDouble(2), s.ColumnDouble(3)}};
}

Result<Place> ResolveZip(Connection& c, const PlaceIndex& places, std::string_view zip) {
  auto stmt = c.Get(kZipSql);
  if (!stmt) return Fail(stmt.error());
  (*stmt)->Bind(1, zip);
  auto row = (*stmt)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound("no ZIP code " + std::string(zip) + " in our gazetteer", "near"));
  }
  Place p{std::string(zip), "zip", std::string(zip),
          {(*stmt)->ColumnDouble(0), (*stmt)->ColumnDouble(1)}};
  if (auto town = places.NearestLabel(p.point, kZipLabelMiles)) p.label += " (" + *town + ")";
  return p;
}

Result<Place> ResolveCity(Connection& c, std::string_view near, std::string_view city,
                          std::optional<std::string_view> state_text) {
  auto unknown = [&] {
    return Fail(Error::NotFound("no place named \"" + std::string(near) + "\" in our gazetteer" +
                                    kPlaceHint, "near"));
  };
  std::string key = FoldPlaceName(city);
  if (key.empty()) return unknown();
  if (state_text) {
    auto state = NormalizeState(*state_text);
    if (!state) return unknown();
    auto stmt = c.Get(kPlaceSql);
    if (!stmt) return Fail(stmt.error());
    (*stmt)->Bind(1, key).Bind(2, *state);
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return unknown();
    return CityPlace(near, **stmt);
  }
  // No state: accept the name only when it names a place in one state.
  auto stmt = c.Get(kPlaceAnyStateSql);
  if (!stmt) return Fail(stmt.error());
  (*stmt)->Bind(1, key);
  std::optional<Place> found;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    Place p = CityPlace(near, **stmt);
    if (found && found->label != p.label) {
      return Fail(Error::NotFound("\"" + std::string(near) +
                                      "\" names places in more than one state; add the state, "
                                      "as in \"" + std::string(city) + ", ST\"", "near"));
    }
    if (!found) found = std::move(p);
  }
  if (!found) return unknown();
  return *found;
}

}  // namespace

Result<PlaceIndex> PlaceIndex::Build(db::Database& db) {
  auto stmt = db.Prepare(kAllPlacesSql);
  if (!stmt) return Fail(stmt.error());
  PlaceIndex index;
  while (true) {
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    index.entries_.push_back({stmt->ColumnDouble(2), stmt->ColumnDouble(3),
                              stmt->ColumnString(0) + ", " + stmt->ColumnString(1)});
  }
  std::sort(index.entries_.begin(), index.entries_.end(),
            [](const Entry& a, const Entry& b) { return a.lat < b.lat; });
  return index;
}

std::optional<std::string> PlaceIndex::NearestLabel(geo::Point p, double max_miles) const {
  double dlat = max_miles / 69.0 + 0.01;  // a degree of latitude is ~69 miles
  auto it = std::lower_bound(entries_.begin(), entries_.end(), p.lat - dlat,
                             [](const Entry& e, double lat) { return e.lat < lat; });
  const Entry* best = nullptr;
  double best_d = max_miles;
  for (; it != entries_.end() && it->lat <= p.lat + dlat; ++it) {
    double d = geo::DistanceMiles(p, {it->lat, it->lon});
    if (d <= best_d) best = &*it, best_d = d;
  }
  if (!best) return std::nullopt;
  return best->label;
}

Result<Place> ResolvePlace(Connection& c, const PlaceIndex& places, std::string_view near) {
  near = text::Trim(near);
  if (near.empty()) return Fail(Error::Invalid("near must not be empty", "near"));
  if (IsZip(near)) return ResolveZip(c, places, near);
  size_t comma = near.rfind(',');
  if (comma != std::string_view::npos) {
    auto lat = text::ParseDouble(text::Trim(near.substr(0, comma)));
    auto lon = text::ParseDouble(text::Trim(near.substr(comma + 1)));
    if (lat && lon) {
      geo::Point p{*lat, *lon};
      if (!geo::IsValid(p)) {
        return Fail(Error::Invalid("near must be a latitude between -90 and 90 and a longitude "
                                   "between -180 and 180, got " + std::string(near), "near"));
      }
      return Place{std::string(near), "point", FormatPoint(p), p};
    }
    return ResolveCity(c, near, text::Trim(near.substr(0, comma)),
                       text::Trim(near.substr(comma + 1)));
  }
  if (std::all_of(near.begin(), near.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return Fail(Error::Invalid("near must be a 5-digit ZIP code, got " + std::string(near), "near"));
  }
  return ResolveCity(c, near, near, std::nullopt);
}

namespace {

Result<std::vector<Place>> SuggestZips(Connection& c, const PlaceIndex& places,
                                       std::string_view prefix, size_t limit) {
  auto stmt = c.Get(kZipPrefixSql);
  if (!stmt) return Fail(stmt.error());
  (*stmt)->Bind(1, prefix).Bind(2, PrefixEnd(std::string(prefix))).Bind(3, int64_t(limit));
  std::vector<Place> out;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    Place p{(*stmt)->ColumnString(0), "zip", (*stmt)->ColumnString(0),
            {(*stmt)->ColumnDouble(1), (*stmt)->ColumnDouble(2)}};
    if (auto town = places.NearestLabel(p.point, kZipLabelMiles)) p.label += " (" + *town + ")";
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<Place>> SuggestCities(Connection& c, std::string_view city,
                                         std::string_view state_prefix, size_t limit) {
  std::string key = FoldPlaceName(city);
  if (key.empty()) return std::vector<Place>{};
  std::string state = NormalizeState(state_prefix).value_or(text::ToLower(state_prefix));
  auto stmt = c.Get(kCityPrefixSql);
  if (!stmt) return Fail(stmt.error());
  (*stmt)->Bind(1, key).Bind(2, PrefixEnd(key));
  std::vector<Place> out;
  while (out.size() < limit) {
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    Place p = CityPlace(city, **stmt);
    std::string st = text::ToLower((*stmt)->ColumnText(1));
    if (!text::StartsWith(st, text::ToLower(state))) continue;
    bool seen = std::any_of(out.begin(), out.end(), [&](const Place& o) { return o.label == p.label; });
    if (!seen) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<std::vector<Place>> SuggestPlaces(Connection& c, const PlaceIndex& places,
                                         std::string_view q, size_t limit) {
  q = text::Trim(q);
  if (q.empty()) return std::vector<Place>{};
  if (std::isdigit(static_cast<unsigned char>(q.front()))) {
    return SuggestZips(c, places, q.substr(0, std::min<size_t>(q.size(), 5)), limit);
  }
  size_t comma = q.find(',');
  if (comma == std::string_view::npos) return SuggestCities(c, q, "", limit);
  return SuggestCities(c, text::Trim(q.substr(0, comma)), text::Trim(q.substr(comma + 1)), limit);
}

}  // namespace carefinder::store
