// Offline place resolution over the gazetteer tables (zip_centroid, place):
// `near` as a ZIP, "City, ST" / "City, State" or "lat,lon", and suggestions
// for the place box. Unknown places are kNotFound with a message that names
// what was typed; the API turns that into 400 unknown-place.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/geo.h"

namespace carefinder::db {
class Database;
}

namespace carefinder::store {

class Connection;

struct Place {
  std::string query;  // what was asked, trimmed
  std::string kind;   // "zip" | "city" | "point"
  std::string label;  // "92374 (Redlands, CA)", "Redlands, CA", "34.06, -117.18"
  geo::Point point;
};

// Every gazetteer place in memory, sorted by latitude, to name a ZIP's
// nearest town without a full scan of `place` (which has no geo index).
class PlaceIndex {
 public:
  static Result<PlaceIndex> Build(db::Database& db);
  // "Redlands, CA" for the nearest place within `max_miles`, if any.
  std::optional<std::string> NearestLabel(geo::Point p, double max_miles) const;

 private:
  struct Entry {
    double lat, lon;
    std::string label;
  };
  std::vector<Entry> entries_;
};

inline constexpr double kZipLabelMiles = 20;

Result<Place> ResolvePlace(Connection& c, const PlaceIndex& places, std::string_view near);

// Up to `limit` suggestions: ZIPs by prefix for digits, cities by folded name
// prefix for letters, narrowed by a state after a comma ("redl, ca").
Result<std::vector<Place>> SuggestPlaces(Connection& c, const PlaceIndex& places,
                                         std::string_view q, size_t limit);

}  // namespace carefinder::store
