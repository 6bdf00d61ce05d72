// The full-text index of a first import, built on another core while the
// loader writes the other tables, then copied into the database.
//
// Why: filling listing_fts (tokenising name, organisation, description and
// place of every listing) is about a sixth of a first
// import, and SQLite writes one database from one thread. So a thread fills
// an identical FTS5 table in a private temporary database; when it is done,
// its shadow tables (listing_fts_data, _idx, _docsize, _config: the whole
// index, nothing else) are copied row for row into the database's, which
// must be empty (no listing yet). Rowid k + 1 is the k-th row given, and the
// loader gives the listing rows the same rowids.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "core/error.h"
#include "db/database.h"

namespace carefinder::importer {

struct FullTextColumns {
  std::string_view name, organization, description;
  std::string place;
};

class FullTextAside {
 public:
  // Fills `out` with row k; the same `out` for every row, so its strings
  // keep their room (a new place string a row, with the labels then: 0.2 s
  // of the thread at 1e6).
  using Row = std::function<void(size_t k, FullTextColumns& out)>;

  // Starts the thread; `row` is called from it for k = 0..count-1, so what
  // it reads must not change until Finish or destruction.
  static Result<std::unique_ptr<FullTextAside>> Start(db::Database& db, size_t count, Row row);
  // Stops the thread early if it still runs; the database is not touched.
  ~FullTextAside();

  // Waits for the thread and copies its index into `db`'s listing_fts.
  Status Finish(db::Database& db);
  size_t rows() const { return rows_; }  // as given to Start

 private:
  FullTextAside() = default;
  void Build(size_t count, const Row& row);

  std::unique_ptr<db::Database> aside_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  size_t rows_ = 0;
  Status built_;
};

}  // namespace carefinder::importer
