// The import pipeline: read, then one transaction for everything. See import.h.
#include "importer/import.h"

#include <algorithm>
#include <ctime>

#include <nlohmann/json.hpp>

#include "importer/sources/curated_csv.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

namespace {

// Moves records that cannot be placed into the rejections of their file.
void GeocodeAll(ImportPlan& plan, const Gazetteer& gazetteer) {
  for (ReadResult& file : plan.files) {
    std::erase_if(file.records, [&](ListingRecord& rec) {
      auto placed = Geocode(rec, gazetteer);
      if (placed) return false;
      file.rejections.push_back({rec.file, rec.line, placed.error().param, placed.error().message});
      ++file.rejected_rows;
      return true;
    });
    std::stable_sort(file.rejections.begin(), file.rejections.end(),
                     [](const Rejection& a, const Rejection& b) { return a.line < b.line; });
  }
}

void SummariseFiles(const ImportPlan& plan, ImportReport& report) {
  report.files.clear();
  report.rejections.clear();
  report.rejected = 0;
  for (const ReadResult& f : plan.files) {
    report.files.push_back({f.file, f.format, f.rows, static_cast<int>(f.records.size()),
                            f.rejected_rows});
    report.rejected += f.rejected_rows;
    report.rejections.insert(report.rejections.end(), f.rejections.begin(), f.rejections.end());
  }
}

Status RecordRun(db::Database& db, ImportReport& report) {
  nlohmann::json files = nlohmann::json::array();
  for (const FileReport& f : report.files) files.push_back(f.file);
  auto stmt = db.Prepare(
      "INSERT INTO import_run(started_at, finished_at, files, added, changed, unchanged, "
      "inactivated, rejected, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)");
  if (!stmt) return Fail(stmt.error());
  stmt->Bind(1, report.started_at).Bind(2, report.finished_at).Bind(3, files.dump());
  stmt->Bind(4, report.counts.added).Bind(5, report.counts.changed);
  stmt->Bind(6, report.counts.unchanged).Bind(7, report.rejected);
  if (auto r = stmt->Bind(8, RenderJson(report)).Run(); !r) return r;
  report.import_run = db.LastInsertRowId();
  return {};
}

// Everything that happens inside the transaction, up to (not including) commit.
Status LoadAll(db::Database& db, ImportPlan& plan, const ImportOptions& options,
               ImportReport& report) {
  const Taxonomy& taxonomy = Taxonomy::Embedded();
  if (auto s = SeedTaxonomy(db, taxonomy); !s) return s;
  if (plan.gazetteer) {
    if (auto s = plan.gazetteer->Write(db); !s) return s;
  } else {
    auto stored = Gazetteer::LoadDb(db);
    if (!stored) return Fail(stored.error());
    plan.gazetteer = std::move(*stored);
  }
  if (options.geocode) GeocodeAll(plan, *plan.gazetteer);
  SummariseFiles(plan, report);
  auto suspended = SuspendIndexesIfEmpty(db);
  if (!suspended) return Fail(suspended.error());
  auto loader = Loader::Create(db, taxonomy, report.started_at);
  if (!loader) return Fail(loader.error());
  for (const ReadResult& file : plan.files) {
    for (const ListingRecord& rec : file.records) {
      if (auto s = (*loader)->Load(rec); !s) {
        return Fail(Error::Database(rec.file + ":" + std::to_string(rec.line) + ": " +
                                    s.error().message));
      }
    }
  }
  if (auto s = RestoreIndexes(db, *suspended); !s) return s;
  report.counts = (*loader)->counts();
  // The full text is derived from fields the content hash covers, so when
  // every record is unchanged the index already says what a rebuild would.
  if (report.counts.added + report.counts.changed > 0) {
    if (auto s = (*loader)->RebuildFullText(); !s) return s;
  }
  report.finished_at = UtcNow();
  return RecordRun(db, report);
}

}  // namespace

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ImportPlan ReadInputs(const std::vector<ImportInput>& inputs) {
  ImportPlan plan;
  SeenKeys seen;
  for (const ImportInput& input : inputs) {
    auto read = ReadCuratedCsv(*input.in, input.name, Taxonomy::Embedded(), seen);
    if (read) plan.files.push_back(std::move(*read));
    else plan.errors.push_back(read.error().message);
  }
  return plan;
}

ImportReport ReportFileErrors(const ImportPlan& plan, const ImportOptions& options) {
  ImportReport report;
  report.command = options.command;
  report.dry_run = options.dry_run;
  report.strict = options.strict;
  report.started_at = report.finished_at = options.now.empty() ? UtcNow() : options.now;
  SummariseFiles(plan, report);
  report.errors = plan.errors;
  report.outcome = plan.errors.empty() ? Outcome::kCommitted : Outcome::kFileError;
  return report;
}

ImportReport RunImport(db::Database& db, ImportPlan plan, const ImportOptions& options) {
  ImportReport report = ReportFileErrors(plan, options);
  if (!plan.errors.empty()) return report;
  // Import-time settings. A page cache (up to 2 GB) big enough that the one
  // transaction of a 1e5-1e6 row import does not spill to the WAL mid-way
  // (measured: 256 MB made 1e5 rows 30% slower). Foreign keys off: the loader
  // writes parents before children by construction, and the checks cost 40%
  // of the load on 2e4 rows. synchronous NORMAL: in WAL mode a commit is still
  // all or nothing (a killed import leaves the database as it was); only the
  // last commit may be lost on power failure. Connection-local; the CLI
  // closes it afterwards.
  (void)db.Exec("PRAGMA cache_size = -2097152; PRAGMA temp_store = MEMORY; "
                "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL;");
  auto tx = db::Transaction::Begin(db, db::Transaction::Kind::kImmediate);
  Status loaded = tx ? LoadAll(db, plan, options, report) : Status(Fail(tx.error()));
  if (!loaded) {
    report.errors.push_back(loaded.error().message);
    report.outcome = Outcome::kFailed;
    report.import_run = 0;
    return report;  // ~Transaction rolls back
  }
  if (options.command == "check") {
    report.outcome = Outcome::kChecked;
  } else if (options.dry_run) {
    report.outcome = Outcome::kDryRun;
  } else if (options.strict && report.rejected > 0) {
    report.outcome = Outcome::kStrictRolledBack;
  } else if (auto c = tx->Commit(); !c) {
    report.errors.push_back(c.error().message);
    report.outcome = Outcome::kFailed;
  } else {
    report.outcome = Outcome::kCommitted;
  }
  if (report.outcome != Outcome::kCommitted) report.import_run = 0;
  return report;
}

}  // namespace carefinder::importer
