// The offline gazetteer: Census ZCTA centroids, GeoNames US places and our
// aliases. Read from `--gazetteer DIR`, from a database that already holds
// them, or from the copy of data/gazetteer/ built into the program; written
// into zip_centroid / place / place_alias; and used for the geocode fallback
// of records that carry no coordinates.
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
  int64_t population = 0;    // GeoNames figure, 0 when unknown
  std::string feature_code;  // GeoNames feature code ("PPLA2"), "" when unknown
};

struct GazetteerAlias {
  std::string alias, name, state;  // "NYC" names the place "New York City", NY
};

class Gazetteer {
 public:
  // DIR/zcta_centroids.csv (zcta,latitude,longitude), DIR/places.csv
  // (name,state,county_or_municipio,latitude,longitude[,population,feature_code])
  // and, when present, DIR/aliases.csv (alias,name,state).
  static Result<Gazetteer> LoadDir(const std::string& dir);
  // What an earlier import stored in zip_centroid / place / place_alias.
  static Result<Gazetteer> LoadDb(db::Database& db);
  // data/gazetteer/*.csv as built into the program (gazetteer_data.cc.in).
  static Result<Gazetteer> Embedded();

  void AddZip(std::string zip, geo::Point p);
  void AddPlace(GazetteerPlace place);  // the first place of a name in a state wins lookups

  const geo::Point* Zip(std::string_view zip) const;
  const geo::Point* City(std::string_view city, std::string_view state) const;
  size_t zip_count() const { return zips_.size(); }
  size_t place_count() const { return places_.size(); }
  void AddAlias(GazetteerAlias alias) { aliases_.push_back(std::move(alias)); }
  size_t alias_count() const { return aliases_.size(); }

  // Replaces the contents of zip_centroid, place and place_alias (inside the
  // caller's transaction).
  Status Write(db::Database& db) const;

 private:
  std::unordered_map<std::string, geo::Point> zips_;
  std::vector<GazetteerPlace> places_;
  std::vector<GazetteerAlias> aliases_;
  std::unordered_map<std::string, size_t> by_key_;  // FoldPlaceName(name) + '|' + state
};

// The gazetteer stored in `db`, or, when it holds none, the built-in one,
// written into `db` (inside the caller's transaction) so the server has it.
Result<Gazetteer> LoadDbOrEmbedded(db::Database& db);

// Fills in coordinates for a record that has none: ZIP centroid, else city
// centroid, recording the precision. Online-only records stay unplaced. Returns a rejection reason for field 'latitude'
// when the record can be placed nowhere.
Status Geocode(ListingRecord& rec, const Gazetteer& gazetteer);

}  // namespace carefinder::importer
