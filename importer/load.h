// The only writer of the listing tables: upserts validated, geocoded records
// into the HSDS tables with provenance and change detection, maintains the
// derived `listing` rows and rebuilds `listing_fts`. Runs inside the caller's
// import transaction (import.h), so a failure anywhere rolls everything back.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "db/database.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

struct LoadCounts {
  int added = 0;      // no provenance row for (source, source_key) before
  int changed = 0;    // content hash differs: every table rewritten
  int unchanged = 0;  // same hash: only provenance.imported_at and the doc's imported_at move
};

class Loader {
 public:
  // Prepares every statement once; `now` is the ISO 8601 UTC import time.
  static Result<std::unique_ptr<Loader>> Create(db::Database& db, const Taxonomy& taxonomy,
                                                std::string now);
  ~Loader();

  Status Load(const ListingRecord& rec);
  // Clears listing_fts and fills it from every listing (name, organisation,
  // description, term labels, "city state zip").
  Status RebuildFullText();
  const LoadCounts& counts() const { return counts_; }

  struct Statements;  // the prepared statements (load.cc)

 private:
  Loader(db::Database& db, const Taxonomy& taxonomy, std::string now);
  db::Database& db_;
  const Taxonomy& taxonomy_;
  std::string now_;
  std::unique_ptr<Statements> st_;
  LoadCounts counts_;
};

// A first import into empty listing tables builds the secondary indexes once at
// the end (a sorted build) instead of updating them row by row. Drops them (inside the caller's transaction) and returns
// their CREATE statements; returns nothing when the tables hold listings,
// since a changed record's delete-by-service needs them.
Result<std::vector<std::string>> SuspendIndexesIfEmpty(db::Database& db);
Status RestoreIndexes(db::Database& db, const std::vector<std::string>& create_sqls);

}  // namespace carefinder::importer
