// The import report: what `carefinder import|check` prints (text or JSON),
// what import_run.report stores, and the exit code it implies.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "importer/dedup.h"
#include "importer/editions.h"
#include "importer/load/load_result.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {

struct FileReport {
  std::string file, format;
  std::string format_from;  // "auto" (sniffed), "sidecar" or "option" (--format)
  std::string source;       // its source (given, or the reader's default); "" for curated CSV
  int rows = 0;             // data rows read
  int accepted = 0;         // rows that passed every check (loaded unless rolled back)
  int rejected = 0;
  int warnings = 0;
  // Listings whose first record (dedup.h precedence) is in this file, and
  // records of this file folded into a listing led by another record.
  int added = 0, changed = 0, unchanged = 0, merged = 0;
  int restated = 0;  // only the source's as-of date changed (LoadCounts::restated)
};

// A changed listing: its first record, and which fields changed (load.h).
struct Change {
  std::string file;
  int line = 0;
  std::string id;
  std::vector<std::string> fields;
};

// Source codes kept without a term (source_attribute), per source.
struct SourceAttributeCount {
  int listings = 0;                   // records carrying at least one
  std::map<std::string, int> values;  // value -> records carrying it
};

enum class Outcome {
  kCommitted,         // written, import_run recorded
  kDryRun,            // --dry-run: everything done, then rolled back
  kChecked,           // `check`: done against an empty in-memory database
  kStrictRolledBack,  // --strict and some row rejected: rolled back
  kFileError,         // an input could not be read as a whole: nothing done
  kLocked,            // another import holds the database: nothing done
  kFailed,            // database or internal error: rolled back
  kRefused,           // would strip merged listings (subset_guard.h): nothing done
};

struct ImportReport {
  std::string command = "import";  // import | check
  bool dry_run = false, strict = false, prune = false;
  std::string started_at, finished_at;
  double seconds = 0;  // wall time of the load (JSON only: tests compare text)
  std::vector<FileReport> files;
  LoadCounts counts;
  int merged = 0;                     // records folded into another record's listing
  int rejected = 0;                   // rows
  std::vector<Rejection> rejections;  // every reason, by file then line
  std::vector<Rejection> warnings;    // from the readers: nothing rejected
  std::vector<Change> changes;
  std::vector<MergeNote> merges;
  std::vector<std::string> retired;      // listings folded into another, now inactive
  std::vector<Inactivated> inactivated;  // --prune
  std::vector<std::string> not_pruned;   // why a source of the run was not pruned
  std::vector<EditionSummary> editions;  // per edition family (editions.h)
  std::map<std::string, SourceAttributeCount> source_attributes;
  std::vector<std::string> errors;  // file-level, database or internal errors
  // Said on stderr only, not part of the report: "warning: PATH-wal could
  // not be emptied ..." (import.cc).
  std::vector<std::string> notices;
  Outcome outcome = Outcome::kCommitted;
  int64_t import_run = 0;  // import_run.id when committed

  // 0 every row loaded; 1 rows rejected; 2 an input file unreadable or of
  // unknown format; 65 refused: the run would strip merged listings of what
  // sources it does not import gave them; 70 database or internal error; 75
  // database locked by another import.
  int ExitCode() const;
};

// Text, one fact a line (tests assert it word for word):
//   listings.csv: curated-csv (auto), 3 rows, 2 accepted, 1 rejected
//   total: 1 added, 1 changed, 0 unchanged, 0 merged, 0 marked inactive, 1 rejected
//   rejected:
//     listings.csv:14: field 'zip': "9237x" is not a 5-digit ZIP code
//   changed:
//     listings.csv:2: phones, address.line1
//   merged:  /  marked inactive:  /  not pruned:  /  warnings:  /
//   source attributes (codes and labels kept as the source gave them):
//   error: <message>                      (file, database or internal errors)
//   result: committed as import run 3      (or: dry run, rolled back: nothing written; ...)
// Sections appear only when they have lines; changed, merged, marked inactive
// and warnings show their first kTextListLimit lines (the JSON has them all).
inline constexpr size_t kTextListLimit = 50;
std::string RenderText(const ImportReport& report);
std::string RenderJson(const ImportReport& report);

}  // namespace carefinder::importer
