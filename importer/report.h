// The import report: what `carefinder import|check` prints (text or JSON),
// what import_run.report stores, and the exit code it implies.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "importer/load.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {

struct FileReport {
  std::string file, format;
  int rows = 0;      // data rows read
  int accepted = 0;  // rows that passed every check (loaded unless rolled back)
  int rejected = 0;
};

enum class Outcome {
  kCommitted,         // written, import_run recorded
  kDryRun,            // --dry-run: everything done, then rolled back
  kChecked,           // `check`: done against an empty in-memory database
  kStrictRolledBack,  // --strict and some row rejected: rolled back
  kFileError,         // an input could not be read as a whole: nothing done
  kFailed,            // database or internal error: rolled back
};

struct ImportReport {
  std::string command = "import";  // import | check
  bool dry_run = false, strict = false;
  std::string started_at, finished_at;
  std::vector<FileReport> files;
  LoadCounts counts;
  int rejected = 0;                   // rows
  std::vector<Rejection> rejections;  // every reason, by file then line
  std::vector<std::string> errors;    // file-level, database or internal errors
  Outcome outcome = Outcome::kCommitted;
  int64_t import_run = 0;             // import_run.id when committed

  // 0 every row loaded; 1 rows rejected; 2 an input file unreadable or with a
  // bad header; 70 database or internal error.
  int ExitCode() const;
};

// Text, one fact a line (tests assert it word for word):
//   listings.csv: curated-csv, 3 rows, 2 accepted, 1 rejected
//   total: 2 added, 0 changed, 0 unchanged, 1 rejected
//   rejected:
//     listings.csv:14: field 'zip': "9237x" is not a 5-digit ZIP code
//   error: <message>                      (file, database or internal errors)
//   result: committed as import run 3      (or: dry run, rolled back: nothing written; ...)
std::string RenderText(const ImportReport& report);
std::string RenderJson(const ImportReport& report);

}  // namespace carefinder::importer
