// The SQLite bulk-load floor of bench/import_floor.h: reads an imported
// database's full-text rows back, then times loading them into a new file.
#include "bench/import_floor.h"

#include <chrono>

#include "db/database.h"
#include "importer/load/load_statements.h"

namespace carefinder::bench {
namespace fs = std::filesystem;

namespace {

// The importer's own text query (Loader::RebuildFullText), in rowid order.
constexpr const char* kSelectIndexed =
    "SELECT l.name, l.organization, s.description, l.city, l.state, l.postal_code "
    "FROM listing l LEFT JOIN service_at_location sal ON sal.rowid = l.rowid "
    "LEFT JOIN service s ON s.rowid = sal.service ORDER BY l.rowid";
constexpr const char* kFloorTable =
    "CREATE TABLE listing (rowid INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "organization TEXT NOT NULL, description TEXT, place TEXT);";
constexpr const char* kInsertRow =
    "INSERT INTO listing (rowid, name, organization, description, place) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

// The first column of the first row of `sql` on `db`, as text.
Result<std::string> OneValue(db::Database& db, const char* sql) {
  auto st = db.Prepare(sql);
  if (!st) return Fail(st.error());
  auto row = st->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::Database(std::string("no row for ") + sql));
  return st->ColumnString(0);
}

void RemoveFiles(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
}

// Binds one row to both statements and runs them; rowid k + 1.
Status InsertRow(db::Statement& row, db::Statement& text, size_t k, const IndexedText& t) {
  for (db::Statement* st : {&row, &text}) {
    st->Bind(1, static_cast<int64_t>(k + 1)).BindBorrowed(2, t.name);
    st->BindBorrowed(3, t.organization).BindBorrowed(4, t.description);
    st->BindBorrowed(5, t.place);
    if (auto s = st->Run(); !s) return s;
  }
  return {};
}

}  // namespace

Result<FloorInput> ReadFloorInput(const fs::path& imported_db) {
  auto db = db::Database::Open(imported_db.string(), db::OpenMode::kReadOnly);
  if (!db) return Fail(db.error());
  FloorInput in;
  auto fts = OneValue(**db, "SELECT sql FROM sqlite_master WHERE name = 'listing_fts'");
  auto page = OneValue(**db, "PRAGMA page_size");
  if (!fts) return Fail(fts.error());
  if (!page) return Fail(page.error());
  // page_size must come first: the first write fixes it (as in schema.sql).
  in.fts_sql = "PRAGMA page_size = " + *page + "; " + kFloorTable + *fts +
               "; PRAGMA user_version = 1;";
  auto st = (*db)->Prepare(kSelectIndexed);
  if (!st) return Fail(st.error());
  while (true) {
    auto row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    in.rows.push_back({st->ColumnString(0), st->ColumnString(1), st->ColumnString(2),
                       importer::FullTextPlace(st->ColumnText(3), st->ColumnText(4),
                                               st->ColumnText(5))});
  }
  return in;
}

Result<double> TimeFloorLoad(const FloorInput& input, const fs::path& path) {
  RemoveFiles(path);
  auto t0 = std::chrono::steady_clock::now();
  {
    auto db = db::Database::Open(path.string(), db::OpenMode::kCreate, {input.fts_sql.c_str(), 1});
    if (!db) return Fail(db.error());
    // The settings a first import runs with (importer/import.cc, new file).
    if (auto s = (*db)->Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                             "PRAGMA cache_size = -65536;");
        !s) {
      return Fail(s.error());
    }
    auto tx = db::Transaction::Begin(**db, db::Transaction::Kind::kImmediate);
    if (!tx) return Fail(tx.error());
    // The importer builds the index with FTS5's pending-terms hash at 64 MB
    // (importer/load/full_text_aside.cc): so does the floor.
    if (auto s = (*db)->Exec("INSERT INTO listing_fts(listing_fts, rank) VALUES('hashsize', 67108864)"); !s)
      return Fail(s.error());
    auto row = (*db)->Prepare(kInsertRow);
    auto text = (*db)->Prepare(importer::kInsertFullTextSql);
    if (!row) return Fail(row.error());
    if (!text) return Fail(text.error());
    for (size_t k = 0; k < input.rows.size(); ++k) {
      if (auto s = InsertRow(*row, *text, k, input.rows[k]); !s) return Fail(s.error());
    }
    if (auto s = tx->Commit(); !s) return Fail(s.error());
  }  // closed: the timed work ends when the file is written and closed, as an import's does
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RemoveFiles(path);
  return secs;
}

Result<std::vector<TableFloor>> TimeTableFloor(const fs::path& imported_db, const fs::path& path) {
  std::string page, tables_sql, index_sql;
  std::vector<std::string> tables;
  {
    auto src = db::Database::Open(imported_db.string(), db::OpenMode::kReadOnly);
    if (!src) return Fail(src.error());
    auto p = OneValue(**src, "PRAGMA page_size");
    if (!p) return Fail(p.error());
    page = *p;
    // In creation order (rowid), tables before the views that read them.
    auto st = (*src)->Prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE "
        "'listing_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY rowid");
    if (!st) return Fail(st.error());
    while (true) {
      auto row = st->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      std::string type = st->ColumnString(0), sql = st->ColumnString(2);
      if (type == "index") {
        index_sql += sql + ";\n";
      } else {
        tables_sql += sql + ";\n";
        if (type == "table") tables.push_back(st->ColumnString(1));
      }
    }
  }
  RemoveFiles(path);
  std::vector<TableFloor> out;
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&] {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - t0).count();
    t0 = now;
    return s;
  };
  {
    std::string schema = "PRAGMA page_size = " + page + ";\n" + tables_sql + "PRAGMA user_version = 1;";
    auto db = db::Database::Open(path.string(), db::OpenMode::kCreate, {schema.c_str(), 1});
    if (!db) return Fail(db.error());
    // A first import's settings (importer/import.cc RunImport): foreign keys
    // off, as the loader writes parents first.
    if (auto s = (*db)->Exec("PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY; "
                             "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                             "PRAGMA cache_size = -65536;");
        !s) {
      return Fail(s.error());
    }
    auto attach = (*db)->Prepare("ATTACH ?1 AS src");
    if (!attach) return Fail(attach.error());
    if (auto s = attach->Bind(1, imported_db.string()).Run(); !s) return Fail(s.error());
    auto tx = db::Transaction::Begin(**db, db::Transaction::Kind::kImmediate);
    if (!tx) return Fail(tx.error());
    lap();
    for (const std::string& t : tables) {
      if (auto s = (*db)->Exec("INSERT INTO main.\"" + t + "\" SELECT * FROM src.\"" + t + "\" WHERE 1");
          !s) {
        return Fail(s.error());
      }
      out.push_back({t, lap(), (*db)->Changes()});
    }
    if (auto s = (*db)->Exec(index_sql); !s) return Fail(s.error());
    out.push_back({"indexes", lap(), 0});
    if (auto s = tx->Commit(); !s) return Fail(s.error());
    lap();
  }
  out.push_back({"commit, close", lap(), 0});
  RemoveFiles(path);
  return out;
}

}  // namespace carefinder::bench
