// The loader's SQL and prepared statements, each by name, shared by the
// files of the loader (load.cc, load_flush.cc, load_index.cc,
// stored_records.cc) and by no one else (bench/import_floor.cc reuses the
// full-text ones to load the same text): every statement is prepared once
// per import and reused for every listing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "db/database.h"
#include "importer/load/sorted_rows.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

// One row of listing_fts (Loader::RebuildFullText, FullTextAside's copy).
extern const char* const kInsertFullTextSql;

extern const BulkSql kBulkOrganization, kBulkService, kBulkLocation, kBulkAddress,
    kBulkServiceAtLocation, kBulkPhone, kBulkSchedule,
    kBulkSourceAttribute, kBulkProvenance, kBulkTouchProvenance, kBulkListing;

// The loader's one-row statements, prepared once (load_statements.cc has
// their SQL, each beside its name).
struct LoaderStatements {
  static Result<LoaderStatements> Prepare(db::Database& db);

  db::Statement find_hash;  // ?1 source id, ?2 source key -> content hash, listing id
  db::Statement source;     // ?1..?5 id, name, url, license, attribution: upsert
  // A changed listing's contact points and source codes, by ?1 service id,
  // and its address by ?1 location id: Flush writes them again (its terms
  // are in its service row, which Flush rewrites).
  db::Statement delete_phones, delete_schedules, delete_source_attributes, delete_address;
  db::Statement listing_parts;       // ?1 listing id -> service id, location id
  db::Statement listing_exists;      // ?1 listing id -> 1
  db::Statement old_doc;             // ?1 listing id -> listing.doc
  // ?1 id -> the row's integer key (rowid), which other rows name it by
  db::Statement organization_key, service_key, location_key, listing_key;
  db::Statement term_keys;           // -> taxonomy_term.rowid, code of every term
  db::Statement source_key;          // ?1 source id -> source.rowid (source_code.source)
  db::Statement sources_of_listing;  // ?1 listing id -> source id of each provenance row
  db::Statement rows_of_source;      // ?1 source id -> listing id, source key, file, line
  db::Statement mark_service_inactive, mark_listing_inactive, forget_hashes;  // ?1 listing id
  db::Statement any_listing;         // -> 1 when service_at_location has a row
  db::Statement insert_full_text;    // kInsertFullTextSql

  // Deletes the rows of a changed listing that Flush writes again.
  Status DeleteChildren(std::string_view service_id, std::string_view location_id);
  // Marks a listing inactive (service, listing and its doc) and forgets its
  // provenance hashes, so that a record coming back is a change; false when
  // it already was inactive.
  Result<bool> MarkInactive(db::Database& db, const std::string& listing, int64_t run);
};

// The derived full-text column of a listing's place: "city state zip".
std::string FullTextPlace(std::string_view city, std::string_view state, std::string_view zip);

// Whether the service and location rows of `rec` pass the schema's CHECK
// constraints (schema.sql): service.status and kind are among their values,
// the coordinates in range, and both given or neither. The other checked
// values are the loader's own: location_type is 'physical' or 'virtual',
// geo_precision a GeoPrecisionName, service.terms a JSON array of integer
// keys (TermKeysJson). Never looser than SQLite: a NaN coordinate fails here
// (bound, it would be NULL).
bool PassesSchemaChecks(const ListingRecord& rec);

// Runs a one-row query with `id` bound; nullopt when it returns no row.
Result<std::optional<std::vector<std::string>>> QueryRow(db::Statement& s, std::string_view id,
                                                          int columns);

}  // namespace carefinder::importer
