// The offline gazetteer: loading, storing and the geocode fallback. See gazetteer.h.
#include "importer/gazetteer.h"

#include <fstream>
#include <sstream>

#include "core/csv.h"
#include "core/place_name.h"
#include "core/text.h"
#include "importer/normalise.h"

namespace carefinder::importer {

// data/gazetteer/*.csv built into the program (gazetteer_data.cc.in).
std::string_view EmbeddedZctaCsv();
std::string_view EmbeddedPlacesCsv();
std::string_view EmbeddedAliasesCsv();

namespace {

std::string Key(std::string_view name, std::string_view state) {
  return FoldPlaceName(name) + '|' + std::string(state);
}

// Opens `in` as a CSV table with the given columns; `name` names it in errors.
Status OpenTable(const std::string& name, std::istream& in, CsvTable& table,
                 std::initializer_list<const char*> columns) {
  if (!in) return Fail(Error::Io("cannot read " + name));
  if (auto s = table.ReadHeader(); !s) return Fail(Error::Io(name + ": " + s.error().message));
  for (const char* c : columns) {
    if (!table.Has(c)) return Fail(Error::Io(name + ": missing column '" + c + "'"));
  }
  return {};
}

Result<geo::Point> ReadPoint(const CsvTable& table, const std::string& name) {
  auto lat = text::ParseDouble(table.Get("latitude"));
  auto lon = text::ParseDouble(table.Get("longitude"));
  if (!lat || !lon || !geo::IsValid({*lat, *lon})) {
    return Fail(Error::Io(name + ":" + std::to_string(table.line()) + ": bad coordinates"));
  }
  return geo::Point{*lat, *lon};
}

// Calls `row` for every data row of the table, after checking its columns.
template <typename RowFn>
Status EachRow(const std::string& name, std::istream& in,
               std::initializer_list<const char*> columns, RowFn row) {
  CsvTable table(in);
  if (auto s = OpenTable(name, in, table, columns); !s) return s;
  while (true) {
    auto more = table.Next();
    if (!more) return Fail(Error::Io(name + ": " + more.error().message));
    if (!*more) return {};
    if (auto s = row(table); !s) return s;
  }
}

Status LoadZips(const std::string& name, std::istream& in, Gazetteer& g) {
  return EachRow(name, in, {"zcta", "latitude", "longitude"}, [&](const CsvTable& t) -> Status {
    auto p = ReadPoint(t, name);
    if (!p) return Fail(p.error());
    g.AddZip(std::string(t.Get("zcta")), *p);
    return {};
  });
}

Status LoadPlaces(const std::string& name, std::istream& in, Gazetteer& g) {
  return EachRow(name, in, {"name", "state", "latitude", "longitude"},
                 [&](const CsvTable& t) -> Status {
                   auto p = ReadPoint(t, name);
                   if (!p) return Fail(p.error());
                   // population and feature_code are optional: older copies lack them.
                   g.AddPlace({std::string(t.Get("name")), std::string(t.Get("state")),
                               std::string(t.Get("county_or_municipio")), *p,
                               text::ParseInt(t.Get("population")).value_or(0),
                               std::string(t.Get("feature_code"))});
                   return {};
                 });
}

Status LoadAliases(const std::string& name, std::istream& in, Gazetteer& g) {
  return EachRow(name, in, {"alias", "name", "state"}, [&](const CsvTable& t) -> Status {
    g.AddAlias({std::string(t.Get("alias")), std::string(t.Get("name")),
                std::string(t.Get("state"))});
    return {};
  });
}

Status WriteAliases(db::Database& db, const std::vector<GazetteerAlias>& aliases) {
  // OR REPLACE: two spellings that fold alike ("LA", "L.A.") are one key.
  auto stmt = db.Prepare(
      "INSERT OR REPLACE INTO place_alias(alias_key, name, state) VALUES (?1, ?2, ?3)");
  if (!stmt) return Fail(stmt.error());
  for (const GazetteerAlias& a : aliases) {
    stmt->Bind(1, FoldPlaceName(a.alias)).Bind(2, a.name).Bind(3, a.state);
    if (auto r = stmt->Run(); !r) return r;
  }
  return {};
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
  std::string zips = dir + "/zcta_centroids.csv", places = dir + "/places.csv";
  std::ifstream zip_file(zips, std::ios::binary), place_file(places, std::ios::binary);
  if (auto s = LoadZips(zips, zip_file, g); !s) return Fail(s.error());
  if (auto s = LoadPlaces(places, place_file, g); !s) return Fail(s.error());
  std::string aliases = dir + "/aliases.csv";
  if (std::ifstream alias_file(aliases, std::ios::binary); alias_file) {
    if (auto s = LoadAliases(aliases, alias_file, g); !s) return Fail(s.error());
  }
  return g;
}

Result<Gazetteer> Gazetteer::Embedded() {
  Gazetteer g;
  std::istringstream zips{std::string(EmbeddedZctaCsv())};
  std::istringstream places{std::string(EmbeddedPlacesCsv())};
  std::istringstream aliases{std::string(EmbeddedAliasesCsv())};
  if (auto s = LoadZips("(built-in) zcta_centroids.csv", zips, g); !s) return Fail(s.error());
  if (auto s = LoadPlaces("(built-in) places.csv", places, g); !s) return Fail(s.error());
  if (auto s = LoadAliases("(built-in) aliases.csv", aliases, g); !s) return Fail(s.error());
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
  auto places = db.Prepare(
      "SELECT name, state, county, latitude, longitude, population, feature_code FROM place "
      "ORDER BY id");
  if (!places) return Fail(places.error());
  while (true) {
    auto row = places->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    g.AddPlace({places->ColumnString(0), places->ColumnString(1), places->ColumnString(2),
                {places->ColumnDouble(3), places->ColumnDouble(4)}, places->ColumnInt(5),
                places->ColumnString(6)});
  }
  auto aliases = db.Prepare("SELECT alias_key, name, state FROM place_alias");
  if (!aliases) return Fail(aliases.error());
  while (true) {
    auto row = aliases->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    g.AddAlias({aliases->ColumnString(0), aliases->ColumnString(1), aliases->ColumnString(2)});
  }
  return g;
}

Status Gazetteer::Write(db::Database& db) const {
  if (auto s = db.Exec("DELETE FROM zip_centroid; DELETE FROM place; DELETE FROM place_alias;");
      !s) {
    return s;
  }
  auto zip = db.Prepare("INSERT INTO zip_centroid(zip, latitude, longitude) VALUES (?1, ?2, ?3)");
  if (!zip) return Fail(zip.error());
  for (const auto& [code, p] : zips_) {
    if (auto r = zip->Bind(1, code).Bind(2, p.lat).Bind(3, p.lon).Run(); !r) return r;
  }
  auto place = db.Prepare(
      "INSERT INTO place(id, name, name_key, state, county, latitude, longitude, population, "
      "feature_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!place) return Fail(place.error());
  for (size_t i = 0; i < places_.size(); ++i) {
    const GazetteerPlace& p = places_[i];
    place->Bind(1, static_cast<int64_t>(i + 1)).Bind(2, p.name).Bind(3, FoldPlaceName(p.name));
    place->Bind(4, p.state).BindOptional(5, p.county).Bind(6, p.point.lat).Bind(7, p.point.lon);
    place->Bind(8, p.population).BindOptional(9, p.feature_code);
    if (auto r = place->Run(); !r) return r;
  }
  return WriteAliases(db, aliases_);
}

Result<Gazetteer> LoadDbOrEmbedded(db::Database& db) {
  auto stored = Gazetteer::LoadDb(db);
  if (!stored) return Fail(stored.error());
  if (stored->zip_count() > 0 || stored->place_count() > 0) return stored;
  auto built_in = Gazetteer::Embedded();
  if (!built_in) return Fail(built_in.error());
  if (auto s = built_in->Write(db); !s) return Fail(s.error());
  return built_in;
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
