// The loader's SQL text and the small helpers its files share: see
// load_statements.h.
#include "importer/load_statements.h"

#include <iterator>

namespace carefinder::importer {

const char* const kLoaderSql[] = {
    // 0 kFindHash
    "SELECT content_hash, service_at_location_id FROM provenance "
    "WHERE source_id = ?1 AND source_key = ?2",
    // 1 kSource: the first record of a source in an import names its URL and licence
    "INSERT INTO source(id, name, url, license, attribution) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(id) DO UPDATE SET url = coalesce(excluded.url, url), "
    "license = coalesce(excluded.license, license), "
    "attribution = coalesce(excluded.attribution, attribution)",
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
    // 5 kAddress. OR REPLACE (here and for phone, schedule): a listing that
    // was folded into another keeps its rows, and may come back under its id.
    "INSERT OR REPLACE INTO address(id, location_id, address_1, address_2, city, "
    "state_province, postal_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    // 6 kServiceAtLocation
    "INSERT INTO service_at_location(id, service_id, location_id) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(id) DO UPDATE SET service_id = excluded.service_id, "
    "location_id = excluded.location_id",
    // 7 kPhone
    "INSERT OR REPLACE INTO phone(id, service_id, number, e164, extension, type, description, "
    "position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    // 8 kSchedule
    "INSERT OR REPLACE INTO schedule(id, service_id, byday, opens_at, closes_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)",
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
    // (?15 rowid: NULL = the next one, or the one FullTextAside gave it)
    "INSERT INTO listing(rowid, id, service_id, kind, status, name, organization, city, state, "
    "postal_code, latitude, longitude, terms, schedule, doc) VALUES (?15, ?1, ?2, ?3, ?4, ?5, ?6, "
    "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT(id) DO UPDATE SET service_id = "
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
    // 21 kListingParts: the service and location of a listing created by an absent record
    "SELECT service_id, location_id FROM service_at_location WHERE id = ?1",
    // 22 kListingExists
    "SELECT 1 FROM service_at_location WHERE id = ?1",
    // 23 kOldDoc
    "SELECT doc FROM listing WHERE id = ?1",
    // 24 kSourcesOfListing
    "SELECT source_id FROM provenance WHERE service_at_location_id = ?1",
    // 25 kRowsOfSource
    "SELECT service_at_location_id, source_key, coalesce(file, ''), coalesce(line, 0) "
    "FROM provenance WHERE source_id = ?1",
    // 26 kMarkServiceInactive
    "UPDATE service SET status = 'inactive', last_modified = ?2 WHERE id = "
    "(SELECT service_id FROM service_at_location WHERE id = ?1) AND status <> 'inactive'",
    // 27 kMarkListingInactive
    "UPDATE listing SET status = 'inactive', doc = json_set(doc, '$.status', 'inactive') "
    "WHERE id = ?1",
    // 28 kForgetHashes: a record coming back after --prune is a change (it reactivates)
    "UPDATE provenance SET content_hash = '' WHERE service_at_location_id = ?1",
    // 29 kAnyListing
    "SELECT EXISTS (SELECT 1 FROM service_at_location)",
    // 30 kInsertFullText
    "INSERT INTO listing_fts(rowid, name, organization, description, terms, place) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};
static_assert(std::size(kLoaderSql) == kStatementCount);

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

Result<bool> MarkInactive(db::Database& db, Loader::Statements& st, const std::string& listing,
                          std::string_view now) {
  if (auto r = st[kMarkServiceInactive].Bind(1, listing).Bind(2, now).Run(); !r) return Fail(r.error());
  if (db.Changes() == 0) return false;
  if (auto r = st[kMarkListingInactive].Bind(1, listing).Run(); !r) return Fail(r.error());
  if (auto r = st[kForgetHashes].Bind(1, listing).Run(); !r) return Fail(r.error());
  return true;
}

}  // namespace carefinder::importer
