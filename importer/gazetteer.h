// The offline gazetteer: Census ZCTA centroids and GeoNames US places. Read
// from `--gazetteer DIR` (zcta_centroids.csv, places.csv) or from a database
// that already holds them; written into zip_centroid / place; and used for the
// geocode fallback of records that carry no coordinates.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/geo.h"
#include "core/model.h"
#include "db/database.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {

struct GazetteerPlace {
  std::string name, state, county;
  geo::Point point;
};

class Gazetteer {
 public:
  // DIR/zcta_centroids.csv (zcta,latitude,longitude) and DIR/places.csv
  // (name,state,state_name,county_fips3,county_or_municipio,latitude,longitude,country).
  static Result<Gazetteer> LoadDir(const std::string& dir);
  // What an earlier import stored in zip_centroid / place.
  static Result<Gazetteer> LoadDb(db::Database& db);

  void AddZip(std::string zip, geo::Point p);
  void AddPlace(GazetteerPlace place);  // the first place of a name in a state wins lookups

  const geo::Point* Zip(std::string_view zip) const;
  const geo::Point* City(std::string_view city, std::string_view state) const;
  size_t zip_count() const { return zips_.size(); }
  size_t place_count() const { return places_.size(); }

  // Replaces the contents of zip_centroid and place (inside the caller's transaction).
  Status Write(db::Database& db) const;

 private:
  std::unordered_map<std::string, geo::Point> zips_;
  std::vector<GazetteerPlace> places_;
  std::unordered_map<std::string, size_t> by_key_;  // FoldPlaceName(name) + '|' + state
};

// Fills in coordinates for a record that has none: ZIP centroid, else city
// centroid, recording the precision. Online-only records stay unplaced. Returns a rejection reason for field 'latitude'
// when the record can be placed nowhere.
Status Geocode(ListingRecord& rec, const Gazetteer& gazetteer);

}  // namespace carefinder::importer
