// The import pipeline (DESIGN §5): read every input with the reader of its
// format, then in ONE transaction seed the taxonomy, store the gazetteer,
// geocode, de-duplicate (dedup.h: the same facility in several records
// becomes one listing keeping every record as a source; dedup.h says which
// fields a merged listing takes from which record), load (load.h), mark
// inactive what --prune finds missing, rebuild full text (skipped when no
// listing was added or changed; a first import builds it on another core
// while loading) and record the import_run; commit, or roll back for
// --dry-run, `check`, a --strict import with rejections, or any error. A
// failed or killed import leaves the database exactly as before (a new
// database is built beside its path and renamed on commit: new_database.h).
#pragma once

#include <chrono>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "importer/gazetteer.h"
#include "importer/report.h"
#include "importer/sources/hsds.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {

// With CAREFINDER_TIMINGS set in the environment, prints to stderr how long
// the import spent since the previous mark ("timing: read 1.104 s"): how
// docs/PERFORMANCE.md splits an import into phases. Silent otherwise.
void PhaseMark(const char* what);

struct ImportInput {
  std::string name;  // as it appears in messages: "listings.csv"
  std::istream* in;  // the caller keeps it open
  // A name from Formats() (formats.h), or "auto": recognised from `name` and
  // the first 4 KB of `in` (which must then be seekable).
  std::string format = "auto";
  std::string format_from = "option";  // who gave `format`: "option" or "sidecar"
  // Who published the file (--source etc., else the sidecar); an empty name
  // lets the reader use its format's defaults.
  SourceInfo source;
  OpenTable open_table;  // hsds-datapackage: the package's other tables
};

struct ImportOptions {
  std::string command = "import";  // "check" rolls back and says so
  bool dry_run = false;
  bool strict = false;
  // Listings of the run's sources that no record of the run loaded are
  // marked inactive (never deleted): load.h Loader::Prune. A source with a
  // rejected row is not pruned (the run is not a full import of it); the
  // report says so.
  bool prune = false;
  std::string now;  // ISO 8601 UTC import time; "" = the clock (tests pin it)
  // Off only for `check` without --gazetteer: with no gazetteer at all every
  // record without coordinates would be rejected, which says nothing.
  bool geocode = true;
  // `db` is a new file nobody else can see (new_database.h): the rollback
  // journal stays in memory and nothing is synced until it is published.
  bool new_file = false;
};

// How a file was read, parallel to ImportPlan::files.
struct FileOrigin {
  std::string format_from;  // "auto", "sidecar" or "option"
  SourceInfo source;        // as given to the reader
};

// Everything read before the database is touched, so a bad file or
// gazetteer costs nothing (and creates no database file).
struct ImportPlan {
  std::vector<ReadResult> files;
  std::vector<FileOrigin> origins;
  std::optional<Gazetteer> gazetteer;  // from --gazetteer; else the database's
  std::vector<std::string> errors;     // inputs unreadable as a whole (exit 2)
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// Reads every input with the reader of its format.
ImportPlan ReadInputs(const std::vector<ImportInput>& inputs);

// A report for a plan that stops before the database (file errors).
ImportReport ReportFileErrors(const ImportPlan& plan, const ImportOptions& options);

// Runs the load. `db` must have the schema (OpenMode::kCreate). Never throws;
// every failure is in the report (outcome kFailed, exit 70; kLocked, exit 75,
// when another import holds the write lock past the busy timeout).
ImportReport RunImport(db::Database& db, ImportPlan plan, const ImportOptions& options);

// "2026-11-22T05:00:00Z" for now.
std::string UtcNow();

}  // namespace carefinder::importer
