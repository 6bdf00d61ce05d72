// The offline gazetteer: loading, storing and the geocode fallback. See gazetteer.h.
#include "importer/gazetteer.h"

#include <fstream>

#include "core/csv.h"
#include "core/place_name.h"
#include "core/text.h"
#include "importer/normalise.h"

namespace carefinder::importer {

namespace {

std::string Key(std::string_view name, std::string_view state) {
  return FoldPlaceName(name) + '|' + std::string(state);
}

// Opens DIR/NAME as a CSV table with the given columns.
Status OpenTable(const std::string& path, std::ifstream& file, CsvTable& table,
                 std::initializer_list<const char*> columns) {
  if (!file) return Fail(Error::Io("cannot read " + path));
  if (auto s = table.ReadHeader(); !s) return Fail(Error::Io(path + ": " + s.error().message));
  for (const char* c : columns) {
    if (!table.Has(c)) return Fail(Error::Io(path + ": missing column '" + c + "'"));
  }
  return {};
}

Result<geo::Point> ReadPoint(const CsvTable& table, const std::string& path) {
  auto lat = text::ParseDouble(table.Get("latitude"));
  auto lon = text::ParseDouble(table.Get("longitude"));
  if (!lat || !lon || !geo::IsValid({*lat, *lon})) {
    return Fail(Error::Io(path + ":" + std::to_string(table.line()) + ": bad coordinates"));
  }
  return geo::Point{*lat, *lon};
}

Status LoadZips(const std::string& path, Gazetteer& g) {
  std::ifstream file(path, std::ios::binary);
  CsvTable table(file);
  if (auto s = OpenTable(path, file, table, {"zcta", "latitude", "longitude"}); !s) return s;
  while (true) {
    auto more = table.Next();
    if (!more) return Fail(Error::Io(path + ": " + more.error().message));
    if (!*more) return {};
    auto p = ReadPoint(table, path);
    if (!p) return Fail(p.error());
    g.AddZip(std::string(table.Get("zcta")), *p);
  }
}

Status LoadPlaces(const std::string& path, Gazetteer& g) {
  std::ifstream file(path, std::ios::binary);
  CsvTable table(file);
  if (auto s = OpenTable(path, file, table, {"name", "state", "latitude", "longitude"}); !s) return s;
  while (true) {
    auto more = table.Next();
    if (!more) return Fail(Error::Io(path + ": " + more.error().message));
    if (!*more) return {};
    auto p = ReadPoint(table, path);
    if (!p) return Fail(p.error());
    g.AddPlace({std::string(table.Get("name")), std::string(table.Get("state")),
                std::string(table.Get("county_or_municipio")), *p});
  }
}

}  // namespace

void Gazetteer::AddZip(std::string zip, geo::Point p) { zips_.emplace(std::move(zip), p); }

void Gazetteer::AddPlace(GazetteerPlace place) {
  by_key_.emplace(Key(place.name, place.state), places_.size());
  places_.push_back(std::move(place));
}

const geo::Point* Gazetteer::Zip(std::string_view zip) const {
  auto it = zips_.find(std::string(zip));
  return it == zips_.end() ? nullptr : &it->second;
}

const geo::Point* Gazetteer::City(std::string_view city, std::string_view state) const {
  auto it = by_key_.find(Key(city, state));
  return it == by_key_.end() ? nullptr : &places_[it->second].point;
}

Result<Gazetteer> Gazetteer::LoadDir(const std::string& dir) {
  Gazetteer g;
  if (auto s = LoadZips(dir + "/zcta_centroids.csv", g); !s) return Fail(s.error());
  if (auto s = LoadPlaces(dir + "/places.csv", g); !s) return Fail(s.error());
  return g;
}

Result<Gazetteer> Gazetteer::LoadDb(db::Database& db) {
  Gazetteer g;
  auto zips = db.Prepare("SELECT zip, latitude, longitude FROM zip_centroid");
  if (!zips) return Fail(zips.error());
  while (true) {
    auto row = zips->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    g.AddZip(zips->ColumnString(0), {zips->ColumnDouble(1), zips->ColumnDouble(2)});
  }
  auto places = db.Prepare("SELECT name, state, county, latitude, longitude FROM place ORDER BY id");
  if (!places) return Fail(places.error());
  while (true) {
    auto row = places->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    g.AddPlace({places->ColumnString(0), places->ColumnString(1), places->ColumnString(2),
                {places->ColumnDouble(3), places->ColumnDouble(4)}});
  }
  return g;
}

Status Gazetteer::Write(db::Database& db) const {
  if (auto s = db.Exec("DELETE FROM zip_centroid; DELETE FROM place;"); !s) return s;
  auto zip = db.Prepare("INSERT INTO zip_centroid(zip, latitude, longitude) VALUES (?1, ?2, ?3)");
  if (!zip) return Fail(zip.error());
  for (const auto& [code, p] : zips_) {
    if (auto r = zip->Bind(1, code).Bind(2, p.lat).Bind(3, p.lon).Run(); !r) return r;
  }
  auto place = db.Prepare(
      "INSERT INTO place(id, name, name_key, state, county, latitude, longitude) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!place) return Fail(place.error());
  for (size_t i = 0; i < places_.size(); ++i) {
    const GazetteerPlace& p = places_[i];
    place->Bind(1, static_cast<int64_t>(i + 1)).Bind(2, p.name).Bind(3, FoldPlaceName(p.name));
    place->Bind(4, p.state).BindOptional(5, p.county).Bind(6, p.point.lat).Bind(7, p.point.lon);
    if (auto r = place->Run(); !r) return r;
  }
  return {};
}

Status Geocode(ListingRecord& rec, const Gazetteer& gazetteer) {
  if (rec.latitude && rec.longitude) return {};
  if (IsOnlineOnly(rec)) return {};  // nowhere to be: found by `attendance=online`
  if (const geo::Point* p = gazetteer.Zip(rec.address.postal_code)) {
    rec.latitude = p->lat, rec.longitude = p->lon;
    rec.precision = GeoPrecision::kPostalCodeCentroid;
    return {};
  }
  if (const geo::Point* p = gazetteer.City(rec.address.city, rec.address.state)) {
    rec.latitude = p->lat, rec.longitude = p->lon;
    rec.precision = GeoPrecision::kCityCentroid;
    return {};
  }
  std::string where = rec.address.city + ", " + rec.address.state;
  if (!rec.address.postal_code.empty()) where += " " + rec.address.postal_code;
  return Fail(Error::Invalid("cannot place \"" + where + "\": no coordinates, ZIP or known city",
                             "latitude"));
}

}  // namespace carefinder::importer
