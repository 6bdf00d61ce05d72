// The import pipeline (DESIGN §5): read every input, then in ONE transaction
// seed the taxonomy, store the gazetteer, geocode, load, rebuild full text
// (skipped when no record was added or changed) and record the import_run;
// commit, or roll back for --dry-run, `check`, a --strict import with
// rejections, or any error.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "importer/gazetteer.h"
#include "importer/report.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {

struct ImportInput {
  std::string name;  // as it appears in messages: "listings.csv"
  std::istream* in;  // the caller keeps it open
};

struct ImportOptions {
  std::string command = "import";  // "check" rolls back and says so
  bool dry_run = false;
  bool strict = false;
  std::string now;  // ISO 8601 UTC import time; "" = the clock (tests pin it)
  // Off only for `check` without --gazetteer: with no gazetteer at all every
  // record without coordinates would be rejected, which says nothing.
  bool geocode = true;
};

// Everything read before the database is touched, so a bad file or
// gazetteer costs nothing (and creates no database file).
struct ImportPlan {
  std::vector<ReadResult> files;
  std::optional<Gazetteer> gazetteer;  // from --gazetteer; else the database's
  std::vector<std::string> errors;     // inputs unreadable as a whole (exit 2)
};

// Reads every input with the reader of its format (the curated CSV for now).
ImportPlan ReadInputs(const std::vector<ImportInput>& inputs);

// A report for a plan that stops before the database (file errors).
ImportReport ReportFileErrors(const ImportPlan& plan, const ImportOptions& options);

// Runs the load. `db` must have the schema (OpenMode::kCreate). Never throws;
// every failure is in the report (outcome kFailed, exit 70).
ImportReport RunImport(db::Database& db, ImportPlan plan, const ImportOptions& options);

// "2026-11-22T05:00:00Z" for now.
std::string UtcNow();

}  // namespace carefinder::importer
