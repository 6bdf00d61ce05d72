// The import, whole (DESIGN §5), and the one place that says what it leaves
// behind: read every input with the reader of its format (nothing touched
// yet), open the database (`check`: a throwaway one in memory; a database
// that does not exist yet: a new file built beside its path,
// new_database.h; an existing one: integrity-checked first), then in ONE
// transaction seed the taxonomy, store the gazetteer, geocode,
// de-duplicate (dedup.h: the same facility in several records becomes one
// listing keeping every record as a source; dedup.h says which fields a
// merged listing takes from which record), load (load/load.h), mark
// inactive what --prune finds missing, rebuild full text (skipped when no
// listing was added or changed; a first import builds it on another core
// while loading) and record the import_run (import_run.h); commit, or roll
// back for --dry-run, `check`, a --strict import with rejections, or any
// error; last, empty an existing file's log, or rename the new file into
// place (removed instead when nothing was committed). A failed or killed
// import leaves the database exactly as before.
#pragma once

#include <chrono>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "importer/gazetteer.h"
#include "importer/import_run.h"
#include "importer/report.h"
#include "importer/sources/hsds.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {

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
  // ImportInto sets it.
  bool new_file = false;
  // The process ends after this import (the CLI): the records read are left
  // for the system to take back with the process, not freed one by one
  // (1e6 listings: about 1 s of CPU after the file is published).
  bool ends_process = false;
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

// The whole import of `plan` into the database at `path` (see the top of
// this file): a plan with file errors touches nothing. Error (exit 70, no
// report): the database cannot be opened, or an existing one failed its
// integrity check; nothing was imported. Every later failure is in the
// report, as RunImport's.
Result<ImportReport> ImportInto(const std::string& path, ImportPlan plan, ImportOptions options);

// The transaction of an import into an open database, which must have the
// schema (OpenMode::kCreate): committed, or rolled back as the options and
// the outcome say. Never throws; every failure is in the report (outcome
// kFailed, exit 70; kLocked, exit 75, when another import holds the write
// lock past the busy timeout). `plan` is read and changed (geocoding,
// the gazetteer); the caller frees it.
ImportReport RunImport(db::Database& db, ImportPlan& plan, const ImportOptions& options);

// The import runs of the database at `path` (opened read-only), oldest first.
Result<std::vector<ImportRunSummary>> ImportHistory(const std::string& path);

// "2026-11-22T05:00:00Z" for now.
std::string UtcNow();

}  // namespace carefinder::importer
