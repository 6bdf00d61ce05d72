// The loader's SQL text and the small helpers its files share: see
// load_statements.h.
#include "importer/load/load_statements.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace carefinder::importer {

const char* const kInsertFullTextSql =
    "INSERT INTO listing_fts(rowid, name, organization, description, place) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

namespace {

// Each statement's SQL, by the member of LoaderStatements it is prepared into.
struct NamedSql {
  db::Statement LoaderStatements::*statement;
  const char* sql;
};

const NamedSql kLoaderSql[] = {
    {&LoaderStatements::find_hash,
     "SELECT p.content_hash, sal.id FROM provenance p "
     "JOIN service_at_location sal ON sal.rowid = p.listing "
     "WHERE p.source = (SELECT rowid FROM source WHERE id = ?1) AND p.source_key = ?2"},
    // The first record of a source in an import names its URL and licence.
    {&LoaderStatements::source,
     "INSERT INTO source(id, name, url, license, attribution) VALUES (?1, ?2, ?3, ?4, ?5) "
     "ON CONFLICT(id) DO UPDATE SET url = coalesce(excluded.url, url), "
     "license = coalesce(excluded.license, license), "
     "attribution = coalesce(excluded.attribution, attribution)"},
    // A changed record's contact points and terms are rewritten.
    {&LoaderStatements::delete_phones,
     "DELETE FROM phone WHERE service = (SELECT rowid FROM service WHERE id = ?1)"},
    {&LoaderStatements::delete_schedules,
     "DELETE FROM schedule WHERE service = (SELECT rowid FROM service WHERE id = ?1)"},
    {&LoaderStatements::delete_source_attributes,
     "DELETE FROM source_code WHERE service = (SELECT rowid FROM service WHERE id = ?1)"},
    {&LoaderStatements::delete_address,
     "DELETE FROM address WHERE location = (SELECT rowid FROM location WHERE id = ?1)"},
    // The service and location of a listing created by an absent record.
    {&LoaderStatements::listing_parts,
     "SELECT s.id, l.id FROM service_at_location sal JOIN service s ON s.rowid = sal.service "
     "JOIN location l ON l.rowid = sal.location WHERE sal.id = ?1"},
    {&LoaderStatements::listing_exists, "SELECT 1 FROM service_at_location WHERE id = ?1"},
    {&LoaderStatements::old_doc,
     "SELECT listing_doc(doc) FROM listing "
     "WHERE rowid = (SELECT rowid FROM service_at_location WHERE id = ?1)"},
    {&LoaderStatements::organization_key, "SELECT rowid FROM organization WHERE id = ?1"},
    {&LoaderStatements::service_key, "SELECT rowid FROM service WHERE id = ?1"},
    {&LoaderStatements::location_key, "SELECT rowid FROM location WHERE id = ?1"},
    {&LoaderStatements::listing_key, "SELECT rowid FROM service_at_location WHERE id = ?1"},
    {&LoaderStatements::term_keys, "SELECT rowid, code FROM taxonomy_term"},
    {&LoaderStatements::source_key, "SELECT rowid FROM source WHERE id = ?1"},
    {&LoaderStatements::sources_of_listing,
     "SELECT s.id FROM provenance p JOIN source s ON s.rowid = p.source "
     "WHERE p.listing = (SELECT rowid FROM service_at_location WHERE id = ?1)"},
    {&LoaderStatements::rows_of_source,
     "SELECT sal.id, p.source_key, coalesce((SELECT path FROM import_file WHERE rowid = p.file), ''), "
     "coalesce(p.line, 0) "
     "FROM provenance p JOIN service_at_location sal ON sal.rowid = p.listing "
     "WHERE p.source = (SELECT rowid FROM source WHERE id = ?1)"},
    {&LoaderStatements::mark_service_inactive,
     "UPDATE service SET status = 'inactive', modified_in = ?2 WHERE rowid = "
     "(SELECT service FROM service_at_location WHERE id = ?1) AND status <> 'inactive'"},
    {&LoaderStatements::mark_listing_inactive,
     "UPDATE listing SET status = 'inactive', "
     "doc = listing_doc_pack(json_set(listing_doc(doc), '$.status', 'inactive')) "
     "WHERE rowid = (SELECT rowid FROM service_at_location WHERE id = ?1)"},
    // A record coming back after --prune is a change (it reactivates).
    {&LoaderStatements::forget_hashes,
     "UPDATE provenance SET content_hash = '' "
     "WHERE listing = (SELECT rowid FROM service_at_location WHERE id = ?1)"},
    {&LoaderStatements::any_listing, "SELECT EXISTS (SELECT 1 FROM service_at_location)"},
    {&LoaderStatements::insert_full_text, kInsertFullTextSql},
};

}  // namespace

Result<LoaderStatements> LoaderStatements::Prepare(db::Database& db) {
  LoaderStatements out;
  for (const NamedSql& named : kLoaderSql) {
    auto stmt = db.Prepare(named.sql);
    if (!stmt) return Fail(stmt.error());
    out.*named.statement = std::move(*stmt);
  }
  return out;
}

Status LoaderStatements::DeleteChildren(std::string_view service_id, std::string_view location_id) {
  for (db::Statement* by_service : {&delete_phones, &delete_schedules, &delete_source_attributes}) {
    if (auto r = by_service->Bind(1, service_id).Run(); !r) return Fail(r.error());
  }
  if (auto r = delete_address.Bind(1, location_id).Run(); !r) return Fail(r.error());
  return {};
}

// The loader's bulk inserts (SortedRows, load_flush.cc), one row's columns each.
const BulkSql kBulkOrganization{
    "INSERT INTO organization(id, name) VALUES ", 2,
    " ON CONFLICT(id) DO UPDATE SET name = excluded.name"};
const BulkSql kBulkService{
    "INSERT INTO service(id, organization, name, description, url, email, status, kind, "
    "hours_text, modified_in, assured_date, terms) VALUES ", 12,
    " ON CONFLICT(id) DO UPDATE SET organization = excluded.organization, "
    "name = excluded.name, description = excluded.description, url = excluded.url, "
    "email = excluded.email, status = excluded.status, kind = excluded.kind, "
    "hours_text = excluded.hours_text, modified_in = excluded.modified_in, "
    "assured_date = excluded.assured_date, terms = excluded.terms"};
const BulkSql kBulkLocation{
    "INSERT INTO location(id, organization, location_type, name, url, latitude, longitude, "
    "geo_precision) VALUES ", 8,
    " ON CONFLICT(id) DO UPDATE SET organization = excluded.organization, "
    "location_type = excluded.location_type, name = excluded.name, url = excluded.url, "
    "latitude = excluded.latitude, longitude = excluded.longitude, "
    "geo_precision = excluded.geo_precision"};
// OR REPLACE (address, phone, schedule): a listing that was folded into
// another keeps its rows, and may come back under its id.
const BulkSql kBulkAddress{
    "INSERT OR REPLACE INTO address(location, address_1, address_2, city, "
    "state_province, postal_code) VALUES ", 6, ""};
const BulkSql kBulkServiceAtLocation{
    "INSERT INTO service_at_location(id, service, location) VALUES ", 3,
    " ON CONFLICT(id) DO UPDATE SET service = excluded.service, location = excluded.location"};
const BulkSql kBulkPhone{
    "INSERT OR REPLACE INTO phone(service, position, number, e164, extension, type, "
    "description) VALUES ", 7, ""};
const BulkSql kBulkSchedule{
    "INSERT OR REPLACE INTO schedule(service, position, byday, opens_at, closes_at, "
    "timezone) VALUES ", 6, ""};
// By integer keys (the view `source_attribute` names them by UUID).
const BulkSql kBulkSourceAttribute{
    "INSERT OR IGNORE INTO source_code(service, source, value) VALUES ", 3, ""};
// first_import is kept on conflict.
const BulkSql kBulkProvenance{
    "INSERT INTO provenance(listing, source, source_key, record_url, as_of, "
    "assured_date, first_import, last_import, content_hash, file, line) VALUES ", 11,
    " ON CONFLICT(source, source_key) DO UPDATE SET "
    "listing = excluded.listing, record_url = excluded.record_url, "
    "as_of = excluded.as_of, assured_date = excluded.assured_date, "
    "last_import = excluded.last_import, content_hash = excluded.content_hash, "
    "file = excluded.file, line = excluded.line"};
// An unchanged listing's records: when and where they were last seen, and
// the content hash in this import's form (an older import's may differ).
const BulkSql kBulkTouchProvenance{
    "UPDATE provenance SET last_import = v.column3, file = v.column4, line = v.column5, "
    "content_hash = v.column6 FROM (VALUES ", 6,
    ") AS v WHERE provenance.source = v.column1 AND provenance.source_key = v.column2"};
// Keyed by its service_at_location's key (= listing_fts rowid).
const BulkSql kBulkListing{
    "INSERT INTO listing(rowid, kind, status, name, organization, city, state, "
    "postal_code, latitude, longitude, terms, schedule, services_stated, doc) VALUES ", 14,
    " ON CONFLICT(rowid) DO UPDATE SET kind = excluded.kind, "
    "status = excluded.status, name = excluded.name, organization = excluded.organization, "
    "city = excluded.city, state = excluded.state, postal_code = excluded.postal_code, "
    "latitude = excluded.latitude, longitude = excluded.longitude, terms = excluded.terms, "
    "schedule = excluded.schedule, services_stated = excluded.services_stated, doc = excluded.doc"};

Result<std::optional<std::vector<std::string>>> QueryRow(db::Statement& s, std::string_view id,
                                                          int columns) {
  s.Bind(1, id);
  auto row = s.Step();
  if (!row) return Fail(row.error());
  std::optional<std::vector<std::string>> out;
  if (*row) {
    out.emplace();
    for (int c = 0; c < columns; ++c) out->push_back(s.ColumnString(c));
  }
  s.Reset();
  return out;
}

Result<bool> LoaderStatements::MarkInactive(db::Database& db, const std::string& listing,
                                            int64_t run) {
  if (auto r = mark_service_inactive.Bind(1, listing).Bind(2, run).Run(); !r) return Fail(r.error());
  if (db.Changes() == 0) return false;
  if (auto r = mark_listing_inactive.Bind(1, listing).Run(); !r) return Fail(r.error());
  if (auto r = forget_hashes.Bind(1, listing).Run(); !r) return Fail(r.error());
  return true;
}

bool PassesSchemaChecks(const ListingRecord& rec) {
  auto among = [](std::string_view value, std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  };
  if (!among(rec.status, {"active", "inactive", "defunct", "temporarily closed"})) return false;
  if (!among(rec.kind, {"treatment", "meeting"})) return false;
  if (rec.latitude.has_value() != rec.longitude.has_value()) return false;
  if (rec.latitude && !(*rec.latitude >= -90 && *rec.latitude <= 90)) return false;
  return !rec.longitude || (*rec.longitude >= -180 && *rec.longitude <= 180);
}

}  // namespace carefinder::importer
