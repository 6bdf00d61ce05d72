// The only writer of the listing tables: upserts validated, geocoded listing
// groups (dedup.h) into the HSDS tables with provenance and change detection,
// maintains the derived `listing` rows, marks listings inactive (--prune, and
// listings folded into another by a merge) and rebuilds `listing_fts`. Runs
// inside the caller's import transaction (import.h), so a failure anywhere
// rolls everything back.
//
// Ids: a listing keeps the id it already has. Its id is that of the member
// record whose provenance already points at its own stable id (it created
// the listing); else, when a member was merged into a listing whose creator
// is absent from this run, that listing's; else the first member's stable id.
// A change is detected by comparing the content hash of the listing's
// normalised form with the one every member's provenance row stores; which
// fields changed is found only for changed listings, by comparing the stored
// `listing.doc` with the new one (ChangedFields), so unchanged and new
// listings cost nothing extra.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "core/stable_id_maker.h"
#include "db/database.h"
#include "importer/dedup.h"
#include "importer/listing_doc.h"
#include "importer/load/load_result.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

// The loader's own parts (this folder's private headers).
struct LoaderStatements;  // load_statements.h
class StoredRecords;      // stored_records.h: pass 1
class TermTable;          // pending.h
struct Pending;           // pending.h: Load -> Flush
class FullTextAside;      // full_text_aside.h: Flush -> RebuildFullText

struct LoaderOptions {
  std::string now;  // ISO 8601 UTC import time
  // source name -> the credit its licence asks for (source.attribution)
  std::unordered_map<std::string, std::string> attributions;
  bool track_loaded = false;  // needed by Prune
  // The id this import's import_run row gets (provenance.first_import,
  // last_import); the caller writes that row with it (RecordImportRun).
  int64_t run = 0;
  // The process ends after the import: the pending listings are kept, not
  // freed, once written (keep_until_exit.h).
  bool ends_process = false;
};

class Loader {
 public:
  // Prepares every statement once.
  static Result<std::unique_ptr<Loader>> Create(db::Database& db, const Taxonomy& taxonomy,
                                                LoaderOptions options);
  ~Loader();

  // Pass 1: reads what the database holds for every member of every group,
  // so that pass 2 knows which listings exist and who created them.
  Status LookUp(const std::vector<ListingGroup>& groups);
  // Makes a pending listing of every group: the ids it gets when new, its
  // terms, and unless this is a first import its doc and content hash, each
  // made with its own ids, on every core (pure work, the database is not
  // touched); Load keeps what still holds. `groups` must outlive Flush.
  // A first import's full-text index starts to be built on another thread
  // here too (RebuildFullText).
  void Prepare(const std::vector<ListingGroup>& groups);
  // Pass 2: decides what one group is (added, changed, unchanged; after
  // LookUp of all of them), in the order given to Prepare. A changed
  // listing's old contact points and terms are deleted here; every row is
  // written by Flush.
  Result<Loaded> Load(const ListingGroup& group);
  // After every Load: writes the listings (load_flush.cc): a first import's
  // in the order Load saw them, its k-th listing keyed k, and any other one
  // table at a time in the order of its key; on a first import also their
  // full-text rows.
  // Returns the listings that were separate until this run merged them into
  // another: each is marked inactive once no provenance row points at it.
  // The groups passed to Load must still be alive.
  Result<std::vector<std::string>> Flush();
  // After every Load: marks inactive each listing with a provenance row of
  // one of `sources` that no record of this run loaded, when every source it
  // has is among `sources` (a listing another source still lists stays).
  // Needs track_loaded.
  Result<std::vector<Inactivated>> Prune(const std::vector<std::string>& sources);

  // Clears listing_fts and fills it from every listing (name, organisation,
  // description, term labels, "city state zip"). After a first import's
  // Flush: copies in the index built aside meanwhile (waiting for it), which
  // is last so the index has the time of everything before.
  Status RebuildFullText();
  const LoadCounts& counts() const { return counts_; }

 private:
  Loader(db::Database& db, const Taxonomy& taxonomy, LoaderOptions options);
  // Which listing a group is: its ids, and whether it exists (load.cc).
  struct Identity;
  Result<Identity> Identify(const ListingGroup& group, const RecordIds& own);

  db::Database& db_;
  const Taxonomy& taxonomy_;
  LoaderOptions options_;
  std::unique_ptr<LoaderStatements> statements_;
  std::unique_ptr<TermTable> terms_;
  std::unique_ptr<StoredRecords> stored_;  // LookUp
  std::vector<Pending> pending_;           // Prepare -> Load -> Flush
  size_t loaded_count_ = 0;                // of pending_, decided by Load
  std::unordered_set<std::string> loaded_;  // listing ids written (track_loaded)
  // A first import's full text, built on another thread from Prepare on
  // (it reads the groups given to Prepare, each row from the group's
  // listing), copied in by RebuildFullText. `full_text_of_`: the first of
  // those groups; Flush keeps the index only when its listings are those,
  // in that order.
  std::unique_ptr<FullTextAside> full_text_;
  const ListingGroup* full_text_of_ = nullptr;
  void ForgetPending();  // after Flush, and the full-text thread if any
  StableIdMaker make_id_;
  LoadCounts counts_;
};

// A first import into empty listing tables builds the secondary indexes once
// at the end (a sorted build) instead of updating them row by row. Drops them
// (inside the caller's transaction) and returns their CREATE statements;
// returns nothing when the tables hold listings, since a changed record's
// delete-by-service needs them.
Result<std::vector<std::string>> SuspendIndexesIfEmpty(db::Database& db);
// Drops the indexes a `SELECT name, sql FROM sqlite_master ...` lists
// (inside the caller's transaction) and returns their CREATE statements.
Result<std::vector<std::string>> DropIndexes(db::Database& db, const char* select_sql);
Status RestoreIndexes(db::Database& db, const std::vector<std::string>& create_sqls);
// RestoreIndexes for indexes of many rows (a first import's id indexes,
// and the secondary ones SuspendIndexesIfEmpty dropped): SQLite sorts each
// one's keys in runs of 4 MB, in temporary files on disk, with one helper
// thread. The connection's cache_size, temp_store and threads are put back
// however it ends.
Status BuildIndexesInRuns(db::Database& db, const std::vector<std::string>& create_sqls);

}  // namespace carefinder::importer
