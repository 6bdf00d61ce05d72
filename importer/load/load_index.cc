// The derived search tables and the index shortcut of a first import: see
// load.h (SuspendIndexesIfEmpty, RestoreIndexes, Loader::RebuildFullText).
#include <string>
#include <vector>

#include "core/listing_document.h"
#include "importer/load/full_text_aside.h"
#include "importer/load/load.h"
#include "importer/load/load_statements.h"
#include "importer/load/pending.h"

namespace carefinder::importer {

namespace {

// The secondary indexes of the tables the loader fills (not the PRIMARY KEY /
// UNIQUE ones, which upserts need: a first import in pending order drops
// the UNIQUE id indexes itself, load_flush.cc).
constexpr const char* kSecondaryIndexesSql =
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name "
    "IN ('service', 'address', 'service_at_location', 'phone', 'schedule', "
    "'provenance', 'listing') AND sql NOT LIKE 'CREATE UNIQUE %' ORDER BY name";

}  // namespace

Result<std::vector<std::string>> SuspendIndexesIfEmpty(db::Database& db) {
  auto count = db.Prepare("SELECT (SELECT count(*) FROM listing) + (SELECT count(*) FROM provenance)");
  if (!count) return Fail(count.error());
  auto row = count->Step();
  if (!row) return Fail(row.error());
  bool empty = *row && count->ColumnInt(0) == 0;
  count->Reset();  // DROP INDEX fails while any statement is running
  if (!empty) return std::vector<std::string>{};
  return DropIndexes(db, kSecondaryIndexesSql);
}

Result<std::vector<std::string>> DropIndexes(db::Database& db, const char* select_sql) {
  auto list = db.Prepare(select_sql);
  if (!list) return Fail(list.error());
  std::vector<std::string> names, sqls;
  while (true) {
    auto next = list->Step();
    if (!next) return Fail(next.error());
    if (!*next) break;
    names.push_back(list->ColumnString(0));
    sqls.push_back(list->ColumnString(1));
  }
  list->Reset();  // DROP INDEX fails while any statement is running
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

// SQLite sorts an index in one piece while its keys fit the page cache, or
// whenever temporary files live in memory (temp_store = MEMORY, which
// imports set): at 1e6 listings a merge sort of 45 MB of keys that misses
// the CPU cache at every step. With a small cache the keys are sorted in
// runs of 4 MB (SQLite's least: 250 pages), each within the CPU cache,
// written to temporary files (deleted when closed; they seldom leave the
// OS page cache) and merged; a helper thread sorts one run while the next
// is read. sqlite3 shell, the four id indexes of a 1e6 file: 3.7-4.5 s
// before, 1.3-1.6 s (1.9 s with no helper thread); in a 1e6 import the
// main thread spent 1.2-2.5 s on them instead of 3.7-4.5 s, and the
// provenance index took 0.27-0.35 s instead of 0.54-0.79 s in the shell
// (docs/PERFORMANCE.md, "Goal 4, ninth pass"). A smaller cache in a WAL
// database only moves the writing of dirty pages earlier: they go to the
// WAL during the build instead of at the commit.
Status BuildIndexesInRuns(db::Database& db, const std::vector<std::string>& create_sqls) {
  auto cache_size = db.PragmaInt("cache_size");
  auto temp_store = db.PragmaInt("temp_store");
  auto threads = db.PragmaInt("threads");
  for (const auto* s : {&cache_size, &temp_store, &threads}) {
    if (!*s) return Fail(s->error());
  }
  struct PutBack {
    db::Database& db;
    std::string sql;
    ~PutBack() { (void)db.Exec(sql); }
  } put_back{db, "PRAGMA cache_size = " + std::to_string(*cache_size) +
                     "; PRAGMA threads = " + std::to_string(*threads) +
                     "; PRAGMA temp_store = " + std::to_string(*temp_store)};
  // temp_store last (a failed statement ends the rest): SQLite refuses to
  // change it inside a transaction once the connection has temporary
  // tables; the indexes are then sorted in one piece, as before, rather than
  // the import failing.
  (void)db.Exec("PRAGMA cache_size = -4096; PRAGMA threads = 1; PRAGMA temp_store = FILE");
  return RestoreIndexes(db, create_sqls);
}

std::string FullTextPlace(std::string_view city, std::string_view state, std::string_view zip) {
  return listing_document::FullTextPlace(city, state, zip);
}

Result<std::unique_ptr<FullTextAside>> StartFullText(
    db::Database& db, size_t rows, std::function<const ListingRecord&(size_t)> listing) {
  return FullTextAside::Start(db, rows, [listing = std::move(listing)](size_t k, FullTextColumns& c) {
    const ListingRecord& rec = listing(k);
    c.name = rec.name, c.organization = rec.organization, c.description = rec.description;
    listing_document::FullTextPlaceInto(c.place, rec.address.city, rec.address.state, rec.address.postal_code);
  });
}

Status Loader::RebuildFullText() {
  if (full_text_) {  // a first import's, built aside since Flush
    Status copied = full_text_->Finish(db_);
    full_text_.reset();
    ForgetPending();
    return copied;
  }
  if (auto s = db_.Exec("INSERT INTO listing_fts(listing_fts) VALUES('delete-all')"); !s) return s;
  auto select = db_.Prepare(
      "SELECT l.rowid, l.name, l.organization, s.description, l.city, l.state, "
      "l.postal_code FROM listing l LEFT JOIN service_at_location sal ON sal.rowid = l.rowid "
      "LEFT JOIN service s ON s.rowid = sal.service");
  if (!select) return Fail(select.error());
  auto& insert = statements_->insert_full_text;
  while (true) {
    auto row = select->Step();
    if (!row) return Fail(row.error());
    if (!*row) return {};
    insert.Bind(1, select->ColumnInt(0)).BindBorrowed(2, select->ColumnText(1));
    insert.BindBorrowed(3, select->ColumnText(2)).BindBorrowed(4, select->ColumnText(3));
    insert.Bind(5, FullTextPlace(select->ColumnText(4), select->ColumnText(5), select->ColumnText(6)));
    if (auto r = insert.Run(); !r) return r;
  }
}

}  // namespace carefinder::importer
