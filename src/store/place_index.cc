// The gazetteer in memory: see place_index.h.
#include "store/place_index.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/fuzzy.h"
#include "core/place_name.h"
#include "db/database.h"

namespace carefinder::store {

namespace {

constexpr const char* kZipsSql = "SELECT zip, latitude, longitude FROM zip_centroid ORDER BY zip";
constexpr const char* kPlacesSql =
    "SELECT name, state, county, latitude, longitude, population FROM place ORDER BY id";
constexpr const char* kAliasesSql = "SELECT alias_key, name, state FROM place_alias";

// Runs `sql` and calls `row` with the statement for each row.
template <typename RowFn>
Status EachRow(db::Database& db, const char* sql, RowFn row) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  while (true) {
    auto more = stmt->Step();
    if (!more) return Fail(more.error());
    if (!*more) return {};
    row(*stmt);
  }
}

struct CountySum {
  double lat = 0, lon = 0, weight = 0;
  int64_t population = 0;
};

}  // namespace

Result<PlaceIndex> PlaceIndex::Build(db::Database& db) {
  PlaceIndex index;
  auto zips = EachRow(db, kZipsSql, [&](const db::Statement& s) {
    index.zips_.emplace_back(s.ColumnString(0), geo::Point{s.ColumnDouble(1), s.ColumnDouble(2)});
  });
  if (!zips) return Fail(zips.error());
  // A county's centre: its places' coordinates weighted by population.
  std::map<std::pair<std::string, std::string>, CountySum> counties;
  auto places = EachRow(db, kPlacesSql, [&](const db::Statement& s) {
    GazPlace p{s.ColumnString(0), s.ColumnString(1), FoldPlaceName(s.ColumnText(0)),
               s.ColumnInt(5), {s.ColumnDouble(3), s.ColumnDouble(4)}};
    if (std::string county = s.ColumnString(2); !county.empty()) {
      CountySum& c = counties[{county, p.state}];
      double w = static_cast<double>(std::max<int64_t>(p.population, 1));
      c.lat += p.point.lat * w, c.lon += p.point.lon * w, c.weight += w;
      c.population += p.population;
    }
    index.places_.push_back(std::move(p));
  });
  if (!places) return Fail(places.error());
  size_t towns = index.places_.size();
  for (const auto& [where, c] : counties) {
    index.places_.push_back({where.first, where.second, FoldPlaceName(where.first), c.population,
                             {c.lat / c.weight, c.lon / c.weight}, true});
  }
  index.Finish(towns);
  auto aliases = EachRow(db, kAliasesSql, [&](const db::Statement& s) {
    std::string state = s.ColumnString(2);
    for (uint32_t i : index.Named(FoldPlaceName(s.ColumnText(1)))) {
      if (index.places_[i].state == state) {
        index.aliases_.emplace(s.ColumnString(0), i);
        break;
      }
    }
  });
  if (!aliases) return Fail(aliases.error());
  index.zip_labels_.reserve(index.zips_.size());
  for (const auto& [zip, point] : index.zips_) {
    index.zip_labels_.push_back(index.NearestLabel(point, kZipLabelMiles).value_or(""));
  }
  return index;
}

void PlaceIndex::Finish(size_t towns) {
  std::vector<uint32_t> order(places_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  // By name, then most populous first: each name's places end up ranked.
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const GazPlace &x = places_[a], &y = places_[b];
    if (x.key != y.key) return x.key < y.key;
    if (x.population != y.population) return x.population > y.population;
    return a < b;
  });
  for (uint32_t i : order) {
    if (names_.empty() || names_.back().key != places_[i].key) names_.push_back({places_[i].key, {}});
    names_.back().places.push_back(i);
  }
  for (uint32_t n = 0; n < names_.size(); ++n) {
    name_of_key_.emplace(names_[n].key, n);
    names_[n].chars = LetterMask(names_[n].key);
  }
  for (uint32_t i = 0; i < towns; ++i) by_lat_.push_back(i);
  std::sort(by_lat_.begin(), by_lat_.end(),
            [&](uint32_t a, uint32_t b) { return places_[a].point.lat < places_[b].point.lat; });
}

std::optional<std::string> PlaceIndex::NearestLabel(geo::Point p, double max_miles) const {
  double dlat = max_miles / 69.0 + 0.01;  // a degree of latitude is ~69 miles
  auto it = std::lower_bound(by_lat_.begin(), by_lat_.end(), p.lat - dlat,
                             [&](uint32_t i, double lat) { return places_[i].point.lat < lat; });
  const GazPlace* best = nullptr;
  double best_d = max_miles;
  // A degree of longitude is cos(lat) of that: places outside the box need no trig.
  double dlon = dlat / std::max(0.05, std::cos(p.lat * M_PI / 180));
  for (; it != by_lat_.end() && places_[*it].point.lat <= p.lat + dlat; ++it) {
    if (std::abs(places_[*it].point.lon - p.lon) > dlon) continue;
    double d = geo::DistanceMiles(p, places_[*it].point);
    if (d <= best_d) best = &places_[*it], best_d = d;
  }
  if (!best) return std::nullopt;
  return best->Label();
}

const geo::Point* PlaceIndex::Zip(std::string_view zip) const {
  auto it = std::lower_bound(zips_.begin(), zips_.end(), zip,
                             [](const auto& z, std::string_view v) { return z.first < v; });
  return it != zips_.end() && it->first == zip ? &it->second : nullptr;
}

std::string_view PlaceIndex::ZipLabel(std::string_view zip) const {
  auto it = std::lower_bound(zips_.begin(), zips_.end(), zip,
                             [](const auto& z, std::string_view v) { return z.first < v; });
  if (it == zips_.end() || it->first != zip) return {};
  return zip_labels_[static_cast<size_t>(it - zips_.begin())];
}

std::vector<std::pair<std::string, geo::Point>> PlaceIndex::ZipsWithPrefix(std::string_view prefix,
                                                                           size_t limit) const {
  auto it = std::lower_bound(zips_.begin(), zips_.end(), prefix,
                             [](const auto& z, std::string_view v) { return z.first < v; });
  std::vector<std::pair<std::string, geo::Point>> out;
  for (; it != zips_.end() && out.size() < limit && it->first.starts_with(prefix); ++it) {
    out.push_back(*it);
  }
  return out;
}

std::span<const uint32_t> PlaceIndex::Named(std::string_view key) const {
  auto it = name_of_key_.find(std::string(key));
  if (it == name_of_key_.end()) return {};
  return names_[it->second].places;
}

std::vector<uint32_t> PlaceIndex::NamedWithPrefix(std::string_view prefix) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), prefix,
                             [](const NameEntry& n, std::string_view v) { return n.key < v; });
  std::vector<uint32_t> out;
  for (; it != names_.end() && it->key.starts_with(prefix); ++it) {
    out.insert(out.end(), it->places.begin(), it->places.end());
  }
  return out;
}

std::optional<uint32_t> PlaceIndex::Alias(std::string_view key) const {
  auto it = aliases_.find(std::string(key));
  if (it == aliases_.end()) return std::nullopt;
  return it->second;
}

}  // namespace carefinder::store
