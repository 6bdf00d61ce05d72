// A first import's full-text index built on another thread: see
// full_text_aside.h.
#include "importer/load/full_text_aside.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

#include "importer/load/sorted_rows.h"
#include "importer/phase_mark.h"

namespace carefinder::importer {

namespace {

constexpr const char* kShadowTables[] = {"listing_fts_data", "listing_fts_idx",
                                         "listing_fts_docsize", "listing_fts_config"};

// FTS5 keeps the terms of pending rows in memory up to 'hashsize' bytes
// (1 MB by default), then writes them as a new segment and merges segments
// as they pile up. With 64 MB the 1e6 index is built from 64 times fewer
// segments: alone, 10.4-12.1 s against 17.2-17.9 s (bench --floor, 2
// alternated pairs), the same size to 0.2%. An FTS5 setting stored in
// listing_fts_config: Finish leaves it out of the database's copy.
constexpr const char* kSetHashSize =
    "INSERT INTO listing_fts(listing_fts, rank) VALUES('hashsize', 67108864)";

// The database's own CREATE VIRTUAL TABLE, so both indexes are made alike.
Result<std::string> FullTextSql(db::Database& db) {
  auto sql = db.Prepare("SELECT sql FROM sqlite_master WHERE name = 'listing_fts'");
  if (!sql) return Fail(sql.error());
  auto row = sql->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::Internal("the database has no listing_fts table"));
  return sql->ColumnString(0);
}

// The index is wanted only when it is copied (Finish), after the tables,
// their indexes and the secondary ones. Until then the calling thread
// writes the tables and another packs the docs, and on two cores the three
// would share them alike. At a lower priority this thread runs more in the
// time the other two leave; too low, and the copy waits for it while a core
// idles. Nice 1 since the id indexes are sorted in runs: 7 alternated rounds
// at 1e6 gave nice 1 a median of 20.05 s with 2.3-2.9 core-seconds idle a
// run, nice 3 21.46 s with 4.6-5.7 (docs/PERFORMANCE.md, "Goal 4, ninth
// pass", with the earlier passes' values). The documents thread stays at
// nice 0: lowered too, the loader waited for the documents instead. Linux
// gives each thread its own nice value; where it cannot be set, nothing
// changes.
void YieldToTheTables() {
  constexpr int kNice = 1;
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNice);
}

}  // namespace

Result<std::unique_ptr<FullTextAside>> FullTextAside::Start(db::Database& db, size_t count, Row row) {
  auto create = FullTextSql(db);
  if (!create) return Fail(create.error());
  std::string schema = *create + "; PRAGMA user_version = 1;";
  // "": a private temporary database, kept in memory up to its cache size
  // and deleted when closed.
  auto aside = db::Database::Open("", db::OpenMode::kCreate, {schema.c_str(), 1});
  if (!aside) return Fail(aside.error());
  std::unique_ptr<FullTextAside> out(new FullTextAside);
  out->aside_ = std::move(*aside);
  out->rows_ = count;
  FullTextAside* self = out.get();
  out->thread_ = std::thread([self, count, row = std::move(row)] {
    YieldToTheTables();
    self->Build(count, row);
    ThreadMark("full text");
  });
  return out;
}

FullTextAside::~FullTextAside() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void FullTextAside::Build(size_t count, const Row& row) {
  db::Database& db = *aside_;
  built_ = db.Exec(std::string("PRAGMA cache_size = -1048576; PRAGMA synchronous = OFF; BEGIN; ") +
                   kSetHashSize);
  if (!built_) return;
  auto insert = db.Prepare(
      "INSERT INTO listing_fts(rowid, name, organization, description, place) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert) {
    built_ = Fail(insert.error());
    return;
  }
  FullTextColumns c;
  for (size_t k = 0; k < count && !stop_; ++k) {
    row(k, c);
    insert->Bind(1, static_cast<int64_t>(k + 1)).BindBorrowed(2, c.name);
    insert->BindBorrowed(3, c.organization).BindBorrowed(4, c.description);
    insert->BindBorrowed(5, c.place);
    if (built_ = insert->Run(); !built_) return;
  }
  built_ = db.Exec("COMMIT");
}

Status FullTextAside::Finish(db::Database& db) {
  thread_.join();
  if (!built_) return Fail(Error::Database("building the full-text index: " + built_.error().message));
  // Rows go in kRowsAStatement at a time: with one statement run a row, its
  // start and end (a cursor opened, a seek, a halt) cost more than the row.
  // At 1e6 (1e6 docsize rows, 72,614 blocks), with the other core idle:
  // 0.52-0.78 s of this thread against 0.77-1.32 s, 8 alternated rounds.
  // The last rows, fewer, take a statement of their own.
  constexpr int64_t kRowsAStatement = 64;
  for (const char* table : kShadowTables) {
    // Names are the constants above, never input.
    if (auto s = db.Exec(std::string("DELETE FROM ") + table); !s) return s;
    std::string only = std::string_view(table) == "listing_fts_config" ? " WHERE k <> 'hashsize'" : "";
    auto count = aside_->Prepare(std::string("SELECT count(*) FROM ") + table + only);
    if (!count) return Fail(count.error());
    auto counted = count->Step();
    if (!counted) return Fail(counted.error());
    const int64_t rows = *counted ? count->ColumnInt(0) : 0;
    auto select = aside_->Prepare(std::string("SELECT * FROM ") + table + only);
    if (!select) return Fail(select.error());
    const int columns = select->ColumnCount();
    const int64_t in_full = rows - rows % kRowsAStatement;  // the rows that fill whole statements
    const std::string head = std::string("INSERT INTO ") + table + " VALUES ";
    const BulkSql sql{head.c_str(), columns, ""};
    auto full = db.Prepare(BulkInsertSql(sql, kRowsAStatement));
    if (!full) return Fail(full.error());
    auto last = db.Prepare(BulkInsertSql(sql, static_cast<size_t>(std::max<int64_t>(rows - in_full, 1))));
    if (!last) return Fail(last.error());
    for (int64_t k = 0; k < rows; ++k) {
      auto row = select->Step();
      if (!row) return Fail(row.error());
      if (!*row) return Fail(Error::Internal(std::string(table) + ": fewer rows than counted"));
      const bool in_last = k >= in_full;
      db::Statement& insert = in_last ? *last : *full;
      const int64_t slot = in_last ? k - in_full : k % kRowsAStatement;  // the row's place in it
      for (int c = 0; c < columns; ++c) insert.BindValueOf(static_cast<int>(slot * columns) + c + 1, *select, c);
      if (in_last ? k == rows - 1 : slot == kRowsAStatement - 1) {
        if (auto r = insert.Run(); !r) return r;
      }
    }
  }
  aside_.reset();
  return {};
}

}  // namespace carefinder::importer
