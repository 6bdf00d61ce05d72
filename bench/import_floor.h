// The floor a first import approaches: a plain SQLite bulk load of the same
// rows (the text the importer indexes) into a minimal table with an FTS5
// index. Import speed is quoted as a ratio to it, measured in the same run,
// because absolute rows/s differ 2x between two machines of the same kind.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"

namespace carefinder::bench {

// One listing's full-text columns, exactly as the importer filled listing_fts.
struct IndexedText {
  std::string name, organization, description, place;
};

// The rows of an imported database, with its listing_fts definition, read
// back the way the importer builds them (importer/load/load_index.cc), so the
// floor loads the same text into the same FTS5 table.
struct FloorInput {
  std::string fts_sql;  // CREATE VIRTUAL TABLE listing_fts ... from the imported file
  std::vector<IndexedText> rows;
};
Result<FloorInput> ReadFloorInput(const std::filesystem::path& imported_db);

// Seconds to create `db` (removed first and after) and load every row in one
// transaction with prepared INSERTs into `listing` and `listing_fts`, with the
// file settings a first import uses (no journal, no syncs, 64 MB cache).
Result<double> TimeFloorLoad(const FloorInput& input, const std::filesystem::path& db);

// The floor of the whole file: every table of `imported_db` but the
// full-text index (measured by TimeFloorLoad) written into a new file
// `db` with plain SQLite, each table by one `INSERT INTO t SELECT * FROM
// src.t WHERE 1` in key order (the WHERE keeps SQLite from copying the
// records whole: each row is decoded, checked and inserted, as an import's
// are), the UNIQUE indexes kept during the load as an import's upserts need
// them, the secondary ones built after; first-import settings (foreign
// keys off, no journal, 64 MB cache); one core.
struct TableFloor {
  std::string table;  // or "indexes", "close"
  double seconds = 0;
  int64_t rows = 0;
};
Result<std::vector<TableFloor>> TimeTableFloor(const std::filesystem::path& imported_db,
                                               const std::filesystem::path& db);

}  // namespace carefinder::bench
