// The import_run table, the one file with its SQL: a committed import's row
// (written inside the import's transaction, import.cc), the history
// `carefinder history` lists, and the newest run `carefinder publish` names.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "importer/report.h"

namespace carefinder::importer {

// The id the next import_run row gets (provenance rows name their import
// by it before the row is written, at the end of the same transaction).
Result<int64_t> NextImportRunId(db::Database& db);

// Writes the run's row with id `id` from its report (the report itself is
// stored as JSON) and sets report.import_run to it.
Status RecordImportRun(db::Database& db, ImportReport& report, int64_t id);

// One past import, as `carefinder history` shows it.
struct ImportRunSummary {
  int64_t id = 0;
  std::string started_at;
  std::vector<std::string> files;
  int64_t added = 0, changed = 0, unchanged = 0, merged = 0, inactivated = 0, rejected = 0;
};

// Every import run of `db`, oldest first.
Result<std::vector<ImportRunSummary>> ImportRuns(db::Database& db);

// The id of the newest import run; 0 when there is none.
Result<int64_t> NewestImportRun(db::Database& db);

}  // namespace carefinder::importer
