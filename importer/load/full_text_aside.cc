// A first import's full-text index built on another thread: see
// full_text_aside.h.
#include "importer/load/full_text_aside.h"

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>

#include "importer/load/load.h"
#include "importer/phase_mark.h"

namespace carefinder::importer {

namespace {

constexpr const char* kShadowTables[] = {"listing_fts_data", "listing_fts_idx",
                                         "listing_fts_docsize", "listing_fts_config"};

// The name the database gives the aside while it copies from it.
constexpr const char* kAttachedAs = "full_text_aside";

// A name no other aside in this process has: SQLite's memdb VFS shares a
// database among the connections of one process that open the same name
// starting with "/", and frees it when the last one closes.
std::string SharedMemoryName() {
  static std::atomic<uint64_t> next{0};
  return "file:/carefinder-full-text-" + std::to_string(getpid()) + "-" + std::to_string(next++) +
         "?vfs=memdb";
}

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

Result<std::unique_ptr<FullTextAside>> FullTextAside::Start(db::Database& db, size_t count, int64_t memory,
                                                            Row row) {
  auto create = FullTextSql(db);
  if (!create) return Fail(create.error());
  std::string schema = *create + "; PRAGMA user_version = 1;";
  // In memory, shared with the database's connection (Finish attaches it).
  std::string name = SharedMemoryName();
  auto aside = db::Database::Open(name, db::OpenMode::kCreate, {schema.c_str(), 1});
  if (!aside) return Fail(aside.error());
  if (auto s = (*aside)->LimitSize(memory); !s) return Fail(s.error());
  std::unique_ptr<FullTextAside> out(new FullTextAside);
  out->aside_ = std::move(*aside);
  out->name_ = std::move(name);
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
  // The database is memory already: a page cache as large as it (1 GB, when
  // it was a temporary file) holds each page twice. 64 MB, 11 alternated
  // rounds at 1e6: 0.965 of the time, 100 MB less resident than with 1 GB.
  built_ = db.Exec(std::string("PRAGMA cache_size = -65536; PRAGMA synchronous = OFF; BEGIN; ") +
                   kSetHashSize);
  if (!built_) return;
  auto insert = db.Prepare(
      "INSERT INTO listing_fts(rowid, name, organization, description, terms, place) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert) {
    built_ = Fail(insert.error());
    return;
  }
  FullTextColumns c;
  for (size_t k = 0; k < count && !stop_; ++k) {
    row(k, c);
    insert->Bind(1, static_cast<int64_t>(k + 1)).BindBorrowed(2, c.name);
    insert->BindBorrowed(3, c.organization).BindBorrowed(4, c.description);
    insert->BindBorrowed(5, c.labels).BindBorrowed(6, c.place);
    if (built_ = insert->Run(); !built_) {
      outgrew_ = db.Full();
      return;
    }
  }
  built_ = db.Exec("COMMIT");
  if (!built_) outgrew_ = db.Full();
}

Status FullTextAside::Finish(db::Database& db) {
  thread_.join();
  if (!built_) return Fail(Error::Database("building the full-text index: " + built_.error().message));
  // ATTACH takes the URI from a parameter; names below are constants.
  // Attached, each table is one INSERT ... SELECT * that SQLite copies row
  // for row without decoding it (its transfer optimisation: the tables are
  // alike and the database's are emptied first), where a statement run per
  // row cost the calling thread 0.8-1.3 s at 1e6 with the other core idle.
  // SQLite attaches inside a transaction but detaches only after it:
  // DetachFullTextAside, when the import's transaction has ended.
  auto attach = db.Prepare(std::string("ATTACH DATABASE ?1 AS ") + kAttachedAs);
  if (!attach) return Fail(attach.error());
  attach->Bind(1, name_);
  if (auto s = attach->Run(); !s) return s;
  for (const char* table : kShadowTables) {
    if (auto s = db.Exec(std::string("DELETE FROM main.") + table); !s) return s;
    std::string only = std::string_view(table) == "listing_fts_config" ? " WHERE k <> 'hashsize'" : "";
    if (auto s = db.Exec(std::string("INSERT INTO main.") + table + " SELECT * FROM " + kAttachedAs + "." +
                         table + only);
        !s) {
      return s;
    }
  }
  aside_.reset();  // the database's connection still holds the memory
  return {};
}

Status DetachFullTextAside(db::Database& db) {
  auto attached = db.Prepare("SELECT 1 FROM pragma_database_list WHERE name = ?1");
  if (!attached) return Fail(attached.error());
  attached->Bind(1, std::string_view(kAttachedAs));
  auto row = attached->Step();
  if (!row) return Fail(row.error());
  if (!*row) return {};
  attached->Reset();
  return db.Exec(std::string("DETACH DATABASE ") + kAttachedAs);
}

}  // namespace carefinder::importer
