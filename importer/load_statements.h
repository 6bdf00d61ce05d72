// The loader's SQL and prepared statements, shared by the files of the
// loader (load.cc, load_statements.cc) and by no one else (bench/import_floor.cc
// reuses the full-text ones to load the same text): every statement is
// prepared once per import and reused for every listing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "core/stable_id_maker.h"
#include "db/database.h"
#include "importer/listing_doc.h"
#include "importer/load.h"
#include "importer/sorted_rows.h"

namespace carefinder::importer {

// Indexes into kLoaderSql.
enum LoaderSql : size_t {
  kFindHash, kSource, kDeleteChildren, kDeleteAddress = kDeleteChildren + 5, kListingParts, kListingExists, kOldDoc,
  kSourcesOfListing, kRowsOfSource, kMarkServiceInactive, kMarkListingInactive, kForgetHashes,
  kAnyListing, kInsertFullText, kStatementCount
};

extern const char* const kLoaderSql[kStatementCount];

extern const BulkSql kBulkOrganization, kBulkService, kBulkLocation, kBulkAddress,
    kBulkServiceAtLocation, kBulkPhone, kBulkSchedule, kBulkAttribute, kBulkLanguage,
    kBulkSourceAttribute, kBulkProvenance, kBulkTouchProvenance, kBulkListing;

// What pass 1 (Loader::LookUp) found for a record that has a provenance row.
struct Stored {
  std::string hash;
  bool own = false;  // the row points at the record's own stable listing id
  std::string listing;  // the listing it points at, when not its own
};

// A listing Load decided to write; Flush writes them all, table by table.
struct Pending {
  const ListingGroup* group = nullptr;
  RecordIds ids;
  std::string doc, hash;  // doc as stored (imported_at stamped)
  // Added or changed: every table is written. Unchanged: only the
  // provenance rows are touched and the listing row (its doc's imported_at).
  bool entities = false;
  std::vector<std::string> left;  // listings members pointed at before, other than this one
  std::vector<uint16_t> terms;    // PreparedListing::terms
  std::string terms_string;       // PreparedListing::terms_string
};

struct Loader::Statements {
  std::vector<db::Statement> s;
  StableIdMaker id;
  // Every taxonomy term with its id, in id order (attribute rows' order),
  // and a code's place there.
  struct TermRow {
    std::string id;
    const Term* term;
  };
  std::vector<TermRow> terms;
  std::unordered_map<std::string_view, uint16_t> term_index;
  std::unordered_map<std::string, std::string> source_ids;  // name -> id, row written
  std::unordered_map<const ListingRecord*, Stored> stored;  // pass 1
  std::unordered_set<std::string> claimed;  // listing ids whose creator is in this run
  std::unordered_set<std::string> adopted;  // listing ids taken over from an absent creator
  std::unordered_set<std::string> loaded;   // listing ids written (track_loaded)
  bool any_listing = false;                 // the tables held listings before this run
  std::vector<Pending> pending;             // Load -> Flush
  bool full_text_written = false;           // Flush filled listing_fts (first import)
  db::Statement& operator[](size_t i) { return s[i]; }
};

// A listing's doc as stored (imported_at `now`) and its content hash.
void RenderDoc(const ListingRecord& rec, const RecordIds& ids, const Taxonomy& taxonomy,
               std::string_view now, std::string& doc, std::string& hash);

// The derived full-text columns of a listing: the labels of its ' code '
// terms, and "city state zip".
std::string FullTextLabels(const Taxonomy& taxonomy, std::string_view terms);
std::string FullTextPlace(std::string_view city, std::string_view state, std::string_view zip);

// Runs a one-row query with `id` bound; nullopt when it returns no row.
Result<std::optional<std::vector<std::string>>> QueryRow(db::Statement& s, std::string_view id,
                                                          int columns);

// Marks a listing inactive (service, listing and its doc) and forgets its
// provenance hashes, so that a record coming back is a change; false when it
// already was inactive.
Result<bool> MarkInactive(db::Database& db, Loader::Statements& st, const std::string& listing,
                          std::string_view now);

}  // namespace carefinder::importer
