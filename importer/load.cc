// The only writer of the listing tables: see load.h. Statements are prepared
// once and reused (1e6 rows in one transaction); an unchanged record touches
// only its provenance and listing rows.
#include "importer/load.h"

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/text.h"
#include "importer/listing_doc.h"

namespace carefinder::importer {

namespace {

constexpr const char* kSql[] = {
    // 0 kFindHash
    "SELECT content_hash FROM provenance WHERE source_id = ?1 AND source_key = ?2",
    // 1 kSource: the first row of a source in an import names its URL and licence
    "INSERT INTO source(id, name, url, license) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO "
    "UPDATE SET url = coalesce(excluded.url, url), license = coalesce(excluded.license, license)",
    // 2 kOrganization
    "INSERT INTO organization(id, name) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET "
    "name = excluded.name",
    // 3 kService
    "INSERT INTO service(id, organization_id, name, description, url, email, status, kind, "
    "hours_text, last_modified, assured_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
    "?11) ON CONFLICT(id) DO UPDATE SET organization_id = excluded.organization_id, "
    "name = excluded.name, description = excluded.description, url = excluded.url, "
    "email = excluded.email, status = excluded.status, kind = excluded.kind, "
    "hours_text = excluded.hours_text, last_modified = excluded.last_modified, "
    "assured_date = excluded.assured_date",
    // 4 kLocation
    "INSERT INTO location(id, organization_id, location_type, name, url, latitude, longitude, "
    "geo_precision) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET "
    "organization_id = excluded.organization_id, location_type = excluded.location_type, "
    "name = excluded.name, url = excluded.url, latitude = excluded.latitude, "
    "longitude = excluded.longitude, geo_precision = excluded.geo_precision",
    // 5 kAddress
    "INSERT INTO address(id, location_id, address_1, address_2, city, state_province, "
    "postal_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    // 6 kServiceAtLocation
    "INSERT INTO service_at_location(id, service_id, location_id) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(id) DO UPDATE SET service_id = excluded.service_id, "
    "location_id = excluded.location_id",
    // 7 kPhone
    "INSERT INTO phone(id, service_id, number, e164, extension, type, description, position) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    // 8 kSchedule
    "INSERT INTO schedule(id, service_id, byday, opens_at, closes_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    // 9 kAttribute
    "INSERT INTO attribute(link_id, taxonomy_term_id, link_type) VALUES (?1, ?2, ?3)",
    // 10 kLanguage
    "INSERT INTO language(service_id, code, name) VALUES (?1, ?2, ?3)",
    // 11 kSourceAttribute
    "INSERT OR IGNORE INTO source_attribute(service_id, source_id, value) VALUES (?1, ?2, ?3)",
    // 12 kProvenance: first_imported_at is kept on conflict
    "INSERT INTO provenance(service_at_location_id, source_id, source_key, record_url, as_of, "
    "assured_date, first_imported_at, imported_at, content_hash, file, line) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10) ON CONFLICT(source_id, source_key) DO UPDATE SET "
    "service_at_location_id = excluded.service_at_location_id, record_url = excluded.record_url, "
    "as_of = excluded.as_of, assured_date = excluded.assured_date, "
    "imported_at = excluded.imported_at, content_hash = excluded.content_hash, "
    "file = excluded.file, line = excluded.line",
    // 13 kListing: keeps the rowid (= listing_fts rowid) of a known id
    "INSERT INTO listing(id, service_id, kind, status, name, organization, city, state, "
    "postal_code, latitude, longitude, terms, schedule, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT(id) DO UPDATE SET service_id = "
    "excluded.service_id, kind = excluded.kind, status = excluded.status, name = excluded.name, "
    "organization = excluded.organization, city = excluded.city, state = excluded.state, "
    "postal_code = excluded.postal_code, latitude = excluded.latitude, longitude = "
    "excluded.longitude, terms = excluded.terms, schedule = excluded.schedule, doc = excluded.doc",
    // 14 kTouchProvenance
    "UPDATE provenance SET imported_at = ?3, file = ?4, line = ?5 "
    "WHERE source_id = ?1 AND source_key = ?2",
    // 15 kDeleteChildren: a changed record's contact points and terms are rewritten
    "DELETE FROM phone WHERE service_id = ?1",
    "DELETE FROM schedule WHERE service_id = ?1",
    "DELETE FROM attribute WHERE link_id = ?1",
    "DELETE FROM language WHERE service_id = ?1",
    "DELETE FROM source_attribute WHERE service_id = ?1",
    // 20 kDeleteAddress
    "DELETE FROM address WHERE location_id = ?1",
};
enum : size_t {
  kFindHash, kSource, kOrganization, kService, kLocation, kAddress, kServiceAtLocation, kPhone,
  kSchedule, kAttribute, kLanguage, kSourceAttribute, kProvenance, kListing, kTouchProvenance,
  kDeleteChildren, kDeleteAddress = kDeleteChildren + 5, kStatementCount
};
static_assert(std::size(kSql) == kStatementCount);

// The secondary indexes of the tables the loader fills (not the PRIMARY KEY /
// UNIQUE ones, which upserts need).
constexpr const char* kSecondaryIndexesSql =
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name "
    "IN ('service', 'address', 'service_at_location', 'phone', 'schedule', 'attribute', "
    "'language', 'provenance', 'listing') ORDER BY name";

const char* PhoneType(std::string_view role) {
  if (role == "fax") return "fax";
  if (role == "tty") return "textphone";
  if (role == "sms") return "text";
  return "voice";
}

}  // namespace

struct Loader::Statements {
  std::vector<db::Statement> s;
  std::unordered_set<std::string> sources_seen;
  StableIdMaker id;
  std::unordered_map<std::string, std::string> term_ids;  // code -> TermId(code)
  db::Statement& operator[](size_t i) { return s[i]; }
};

Loader::Loader(db::Database& db, const Taxonomy& taxonomy, std::string now)
    : db_(db), taxonomy_(taxonomy), now_(std::move(now)), st_(std::make_unique<Statements>()) {}
Loader::~Loader() = default;

Result<std::unique_ptr<Loader>> Loader::Create(db::Database& db, const Taxonomy& taxonomy,
                                               std::string now) {
  std::unique_ptr<Loader> loader(new Loader(db, taxonomy, std::move(now)));
  for (const char* sql : kSql) {
    auto stmt = db.Prepare(sql);
    if (!stmt) return Fail(stmt.error());
    loader->st_->s.push_back(std::move(*stmt));
  }
  for (const Term& t : taxonomy.terms()) loader->st_->term_ids.emplace(t.code, TermId(t.code));
  return loader;
}

namespace {

Status WriteContacts(Loader::Statements& st, const ListingRecord& rec, const RecordIds& ids,
                     const Taxonomy& taxonomy) {
  for (size_t i = 0; i < rec.phones.size(); ++i) {
    const Phone& p = rec.phones[i];
    auto& s = st[kPhone];
    s.Bind(1, st.id("phone", rec.source, rec.source_key + "#" + std::to_string(i)));
    s.Bind(2, ids.service).Bind(3, p.display).BindOptional(4, p.e164).BindOptional(5, p.extension);
    s.Bind(6, PhoneType(p.role)).Bind(7, p.role).Bind(8, static_cast<int64_t>(i));
    if (auto r = s.Run(); !r) return r;
  }
  // One row per run of days with the same times (HSDS byday is a list): 24/7
  // is one row, not seven.
  for (size_t i = 0, n = 0; i < rec.hours.size(); ++n) {
    const WeeklyTime& w = rec.hours[i];
    std::string byday = w.day;
    while (++i < rec.hours.size() && rec.hours[i].opens == w.opens && rec.hours[i].closes == w.closes)
      byday += "," + rec.hours[i].day;
    auto& s = st[kSchedule];
    s.Bind(1, st.id("schedule", rec.source, rec.source_key + "#" + std::to_string(n)));
    s.Bind(2, ids.service).Bind(3, byday).BindOptional(4, w.opens).BindOptional(5, w.closes);
    if (auto r = s.Run(); !r) return r;
  }
  for (const auto& code : rec.terms) {
    const Term* t = taxonomy.Find(code);
    auto& s = st[kAttribute];
    s.Bind(1, ids.service).Bind(2, st.term_ids.at(code)).Bind(3, t->group);
    if (auto r = s.Run(); !r) return r;
    if (t->group != "language") continue;
    auto& lang = st[kLanguage];
    lang.Bind(1, ids.service).Bind(2, code).Bind(3, t->label);
    if (auto r = lang.Run(); !r) return r;
  }
  for (const auto& value : rec.source_attributes) {
    auto& s = st[kSourceAttribute];
    if (auto r = s.Bind(1, ids.service).Bind(2, ids.source).Bind(3, value).Run(); !r) return r;
  }
  return {};
}

Status WriteEntities(Loader::Statements& st, const ListingRecord& rec, const RecordIds& ids,
                     std::string_view now) {
  if (auto r = st[kOrganization].Bind(1, ids.organization).Bind(2, rec.organization).Run(); !r)
    return r;
  auto& svc = st[kService];
  svc.Bind(1, ids.service).Bind(2, ids.organization).Bind(3, rec.name);
  svc.BindOptional(4, rec.description).BindOptional(5, rec.website).BindOptional(6, rec.email);
  svc.Bind(7, rec.status).Bind(8, rec.kind).BindOptional(9, rec.hours_text).Bind(10, now);
  if (auto r = svc.BindOptional(11, rec.last_verified).Run(); !r) return r;
  bool virtual_only = !rec.latitude && rec.address.postal_code.empty();
  auto& loc = st[kLocation];
  loc.Bind(1, ids.location).Bind(2, ids.organization);
  loc.Bind(3, virtual_only ? "virtual" : "physical").Bind(4, rec.organization);
  loc.BindOptional(5, rec.conference_url).BindOptional(6, rec.latitude);
  loc.BindOptional(7, rec.longitude);
  if (rec.latitude) loc.Bind(8, GeoPrecisionName(rec.precision));
  if (auto r = loc.Run(); !r) return r;
  if (!rec.address.postal_code.empty()) {
    auto& a = st[kAddress];
    a.Bind(1, ids.address).Bind(2, ids.location).BindOptional(3, rec.address.line1);
    a.BindOptional(4, rec.address.line2).Bind(5, rec.address.city).Bind(6, rec.address.state);
    if (auto r = a.Bind(7, rec.address.postal_code).Run(); !r) return r;
  }
  auto& sal = st[kServiceAtLocation];
  return sal.Bind(1, ids.service_at_location).Bind(2, ids.service).Bind(3, ids.location).Run();
}

Status WriteListing(Loader::Statements& st, const ListingRecord& rec, const RecordIds& ids,
                    std::string doc, const Taxonomy& taxonomy) {
  auto& s = st[kListing];
  s.Bind(1, ids.service_at_location).Bind(2, ids.service).Bind(3, rec.kind).Bind(4, rec.status);
  s.Bind(5, rec.name).Bind(6, rec.organization).BindOptional(7, rec.address.city);
  s.BindOptional(8, rec.address.state).BindOptional(9, rec.address.postal_code);
  s.BindOptional(10, rec.latitude).BindOptional(11, rec.longitude);
  s.Bind(12, TermsString(rec, taxonomy)).BindOptional(13, ScheduleString(rec));
  return s.Bind(14, doc).Run();
}

}  // namespace

Status Loader::Load(const ListingRecord& rec) {
  Statements& st = *st_;
  RecordIds ids = RecordIds::For(rec, st.id);
  if (st.sources_seen.insert(rec.source).second) {
    auto& s = st[kSource];
    s.Bind(1, ids.source).Bind(2, rec.source).BindOptional(3, rec.source_url);
    if (auto r = s.BindOptional(4, rec.source_license).Run(); !r) return r;
  }
  // The normalised record is its doc without imported_at: the hash ignores when.
  std::string doc = RenderListingDoc(rec, ids, taxonomy_, "");
  std::string hash = ContentHash(doc);
  auto& find = st[kFindHash];
  find.Bind(1, ids.source).Bind(2, rec.source_key);
  auto found = find.Step();
  if (!found) return Fail(found.error());
  std::optional<std::string> old_hash;
  if (*found) old_hash = find.ColumnString(0);
  find.Reset();

  if (old_hash == hash) {
    ++counts_.unchanged;
    auto& touch = st[kTouchProvenance];
    touch.Bind(1, ids.source).Bind(2, rec.source_key).Bind(3, now_).Bind(4, rec.file);
    if (auto r = touch.Bind(5, rec.line).Run(); !r) return r;
  } else {
    if (old_hash) {
      ++counts_.changed;
      for (size_t i = kDeleteChildren; i < kDeleteChildren + 5; ++i) {
        if (auto r = st[i].Bind(1, ids.service).Run(); !r) return r;
      }
      if (auto r = st[kDeleteAddress].Bind(1, ids.location).Run(); !r) return r;
    } else {
      ++counts_.added;
    }
    if (auto r = WriteEntities(st, rec, ids, now_); !r) return r;
    if (auto r = WriteContacts(st, rec, ids, taxonomy_); !r) return r;
    auto& prov = st[kProvenance];
    prov.Bind(1, ids.service_at_location).Bind(2, ids.source).Bind(3, rec.source_key);
    prov.BindOptional(4, rec.source_url).Bind(5, rec.as_of).BindOptional(6, rec.last_verified);
    prov.Bind(7, now_).Bind(8, hash).Bind(9, rec.file).Bind(10, rec.line);
    if (auto r = prov.Run(); !r) return r;
  }
  // `"imported_at":null` cannot occur inside a JSON string (its quotes would be
  // escaped), so the last one is the source's.
  static constexpr std::string_view kNullStamp = "\"imported_at\":null";
  std::string stamp;
  text::AppendJsonString(stamp, now_);
  doc.replace(doc.rfind(kNullStamp) + kNullStamp.size() - 4, 4, stamp);
  return WriteListing(st, rec, ids, std::move(doc), taxonomy_);
}

Result<std::vector<std::string>> SuspendIndexesIfEmpty(db::Database& db) {
  auto count = db.Prepare("SELECT (SELECT count(*) FROM listing) + (SELECT count(*) FROM provenance)");
  if (!count) return Fail(count.error());
  auto row = count->Step();
  if (!row) return Fail(row.error());
  bool empty = *row && count->ColumnInt(0) == 0;
  count->Reset();  // DROP INDEX fails while any statement is running
  std::vector<std::string> sqls;
  if (!empty) return sqls;
  auto list = db.Prepare(kSecondaryIndexesSql);
  if (!list) return Fail(list.error());
  std::vector<std::string> names;
  while (true) {
    auto next = list->Step();
    if (!next) return Fail(next.error());
    if (!*next) break;
    names.push_back(list->ColumnString(0));
    sqls.push_back(list->ColumnString(1));
  }
  list->Reset();
  for (const auto& name : names) {
    // Names come from sqlite_master, never from input.
    if (auto s = db.Exec("DROP INDEX \"" + name + "\""); !s) return Fail(s.error());
  }
  return sqls;
}

Status RestoreIndexes(db::Database& db, const std::vector<std::string>& create_sqls) {
  for (const auto& sql : create_sqls) {
    if (auto s = db.Exec(sql); !s) return s;
  }
  return {};
}

Status Loader::RebuildFullText() {
  if (auto s = db_.Exec("INSERT INTO listing_fts(listing_fts) VALUES('delete-all')"); !s) return s;
  auto select = db_.Prepare(
      "SELECT l.rowid, l.name, l.organization, s.description, l.terms, l.city, l.state, "
      "l.postal_code FROM listing l LEFT JOIN service s ON s.id = l.service_id");
  auto insert = db_.Prepare(
      "INSERT INTO listing_fts(rowid, name, organization, description, terms, place) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!select) return Fail(select.error());
  if (!insert) return Fail(insert.error());
  std::string labels, place;
  while (true) {
    auto row = select->Step();
    if (!row) return Fail(row.error());
    if (!*row) return {};
    labels.clear();
    for (const auto& code : text::SplitList(select->ColumnText(4), ' ')) {
      if (const Term* t = taxonomy_.Find(code)) labels += (labels.empty() ? "" : " ") + t->label;
    }
    place.clear();
    for (int col : {5, 6, 7}) {
      std::string_view part = select->ColumnText(col);
      if (!part.empty()) (place += place.empty() ? "" : " ") += part;
    }
    insert->Bind(1, select->ColumnInt(0)).Bind(2, select->ColumnText(1));
    insert->Bind(3, select->ColumnText(2)).Bind(4, select->ColumnText(3));
    if (auto r = insert->Bind(5, labels).Bind(6, place).Run(); !r) return r;
  }
}

}  // namespace carefinder::importer
