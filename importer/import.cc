// The import, whole: read, then one transaction for everything, into a new
// file, an existing one or memory, and what a failure leaves. See import.h.
#include "importer/import.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <thread>

#include "core/time_zone.h"
#include "core/text.h"
#include "importer/dedup.h"
#include "importer/editions.h"
#include "importer/field_limits.h"
#include "importer/formats.h"
#include "importer/import_run.h"
#include "importer/keep_until_exit.h"
#include "importer/load/load.h"
#include "importer/new_database.h"
#include "importer/phase_mark.h"
#include "importer/subset_guard.h"
#include "importer/sources/curated_csv.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

namespace {

// A meeting whose reader found no zone (a curated CSV row) takes its
// state's, once it has coordinates: its times are said in that zone.
void KeepMeetingZone(ListingRecord& rec) {
  if (rec.kind != "meeting" || !rec.timezone.empty() || rec.hours.empty()) return;
  rec.timezone = tz::ZoneOfPlace(rec.address.state, rec.latitude, rec.longitude);
}

// Moves records that cannot be placed into the rejections of their file.
void GeocodeAll(ImportPlan& plan, const Gazetteer& gazetteer) {
  for (ReadResult& file : plan.files) {
    std::erase_if(file.records, [&](ListingRecord& rec) {
      auto placed = Geocode(rec, gazetteer);
      if (placed) {
        KeepMeetingZone(rec);
        return false;
      }
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
  report.warnings.clear();
  report.source_attributes.clear();
  report.rejected = 0;
  for (size_t i = 0; i < plan.files.size(); ++i) {
    const ReadResult& f = plan.files[i];
    const FileOrigin& origin = plan.origins[i];
    // A reader's default source shows on its records; a curated CSV's rows name their own.
    std::string source = origin.source.name;
    if (source.empty() && f.format != kCuratedCsvFormat && !f.records.empty()) source = f.records[0].source;
    FileReport line{f.file, f.format, origin.format_from, source, f.rows,
                    static_cast<int>(f.records.size()), f.rejected_rows,
                    static_cast<int>(f.warnings.size())};
    report.files.push_back(line);
    report.rejected += f.rejected_rows;
    report.rejections.insert(report.rejections.end(), f.rejections.begin(), f.rejections.end());
    report.warnings.insert(report.warnings.end(), f.warnings.begin(), f.warnings.end());
    for (const ListingRecord& rec : f.records) {
      if (rec.source_attributes.empty()) continue;
      SourceAttributeCount& count = report.source_attributes[rec.source];
      ++count.listings;
      for (const auto& value : rec.source_attributes) ++count.values[value];
    }
  }
}

// The sources a --prune run may mark listings of: every source of the run,
// except those with a rejected row (their import is not complete).
std::vector<std::string> PrunableSources(const ImportPlan& plan, ImportReport& report) {
  std::set<std::string> all, incomplete;
  for (size_t i = 0; i < plan.files.size(); ++i) {
    std::set<std::string> of_file;
    if (!plan.origins[i].source.name.empty()) of_file.insert(plan.origins[i].source.name);
    for (const ListingRecord& rec : plan.files[i].records) of_file.insert(rec.source);
    all.insert(of_file.begin(), of_file.end());
    if (plan.files[i].rejected_rows > 0) incomplete.insert(of_file.begin(), of_file.end());
  }
  std::vector<std::string> out;
  for (const std::string& source : all) {
    if (!incomplete.contains(source)) {
      out.push_back(source);
      continue;
    }
    report.not_pruned.push_back("source '" + source +
                                "': some of its rows were rejected, so this is not a full "
                                "import of it");
  }
  return out;
}

// Who published each file of the run, for ApplyEditions.
std::vector<SourceInfo> RunSources(const ImportPlan& plan) {
  std::vector<SourceInfo> out;
  for (const FileOrigin& origin : plan.origins) out.push_back(origin.source);
  return out;
}

// The report of the input a record was read from (a record's own `file` may
// name a datapackage's table instead).
FileReport& FileOf(const ImportPlan& plan, ImportReport& report, const ListingRecord* rec) {
  std::less<const ListingRecord*> before;
  for (size_t i = 0; i < plan.files.size(); ++i) {
    const auto& records = plan.files[i].records;
    if (!records.empty() && !before(rec, &records.front()) && !before(&records.back(), rec))
      return report.files[i];
  }
  return report.files.back();  // unreachable: every record is in a file
}

// Loads every group and fills the report's counts and lists.
Status LoadGroups(Loader& loader, const ImportPlan& plan, const std::vector<ListingGroup>& groups,
                  ImportReport& report) {
  if (auto s = loader.LookUp(groups); !s) return s;
  loader.Prepare(groups);
  PhaseMark("prepare");
  for (size_t i = 0; i < groups.size(); ++i) {
    const ListingGroup& group = groups[i];
    const ListingRecord& first = *group.members[0];
    auto loaded = loader.Load(group);
    if (!loaded) {
      return Fail(Error::Database(first.file + ":" + std::to_string(first.line) + ": " +
                                  loaded.error().message));
    }
    FileReport& file = FileOf(plan, report, &first);
    switch (loaded->kind) {
      case Loaded::Kind::kAdded: ++file.added; break;
      case Loaded::Kind::kUnchanged: ++file.unchanged; break;
      case Loaded::Kind::kRestated: ++file.restated; break;
      case Loaded::Kind::kChanged:
        ++file.changed;
        report.changes.push_back({first.file, first.line, loaded->id, std::move(loaded->changed_fields)});
        break;
    }
    for (size_t i = 1; i < group.members.size(); ++i) ++FileOf(plan, report, group.members[i]).merged;
    for (MergeNote& note : MergeNotes(group)) report.merges.push_back(std::move(note));
  }
  auto retired = loader.Flush();
  if (!retired) return Fail(retired.error());
  report.retired = std::move(*retired);
  report.merged = static_cast<int>(report.merges.size());
  report.counts = loader.counts();
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
    auto stored = LoadDbOrEmbedded(db);
    if (!stored) return Fail(stored.error());
    plan.gazetteer = std::move(*stored);
  }
  PhaseMark("gazetteer");
  auto placed = PlaceByAddress(plan.files);
  if (options.geocode) GeocodeAll(plan, *plan.gazetteer);
  PhaseMark("geocode");
  SummariseFiles(plan, report);
  std::vector<ListingGroup> groups = GroupDuplicates(plan.files);
  report.editions = ApplyEditions(RunSources(plan), groups, placed);
  PhaseMark("dedup");
  auto stripped = StrippedSources(db, groups);
  if (!stripped) return Fail(stripped.error());
  if (!stripped->empty()) {
    report.outcome = Outcome::kRefused;
    return Fail(Error::Invalid(std::move(*stripped)));
  }
  auto suspended = SuspendIndexesIfEmpty(db);
  if (!suspended) return Fail(suspended.error());
  auto run = NextImportRunId(db);
  if (!run) return Fail(run.error());
  LoaderOptions loader_options{report.started_at, {}, options.prune, *run, options.ends_process};
  for (const FileOrigin& origin : plan.origins) {
    if (!origin.source.attribution.empty())
      loader_options.attributions.emplace(origin.source.name, origin.source.attribution);
  }
  auto loader = Loader::Create(db, taxonomy, std::move(loader_options));
  if (!loader) return Fail(loader.error());
  if (auto s = LoadGroups(**loader, plan, groups, report); !s) return s;
  if (auto s = BuildIndexesInRuns(db, *suspended); !s) return s;
  PhaseMark("indexes");
  if (options.prune) {
    auto inactivated = (*loader)->Prune(PrunableSources(plan, report));
    if (!inactivated) return Fail(inactivated.error());
    report.inactivated = std::move(*inactivated);
  }
  // The full text is derived from fields the content hash covers, so when
  // every listing is unchanged the index already says what a rebuild would.
  if (report.counts.added + report.counts.changed > 0) {
    if (auto s = (*loader)->RebuildFullText(); !s) return s;
  }
  PhaseMark("full text");
  if (options.ends_process) KeepUntilExit(std::move(groups));  // a million, each with its vectors
  report.finished_at = UtcNow();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - plan.started).count();
  return RecordImportRun(db, report, *run);
}

// The first 4 KB of `in`, which is then rewound.
std::string Head(std::istream& in) {
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  in.clear();
  in.seekg(0);
  return head;
}

bool IsLockError(const Error& e) { return e.code == ErrorCode::kBusy; }

// A report for a plan that stops before the database (file errors).
ImportReport ReportFileErrors(const ImportPlan& plan, const ImportOptions& options) {
  ImportReport report;
  report.command = options.command;
  report.dry_run = options.dry_run;
  report.strict = options.strict;
  report.prune = options.prune;
  report.started_at = report.finished_at = options.now.empty() ? UtcNow() : options.now;
  SummariseFiles(plan, report);
  report.errors = plan.errors;
  report.outcome = plan.errors.empty() ? Outcome::kCommitted : Outcome::kFileError;
  return report;
}

// An import into a database with a damaged b-tree went unnoticed (exit 0)
// and wrote on top of the damage: an existing file is checked first.
Status QuickCheck(db::Database& db, const std::string& path) {
  auto check = db.Prepare("PRAGMA quick_check(1)");
  if (!check) return Fail(check.error());
  auto row = check->Step();
  if (!row) return Fail(row.error());
  std::string verdict = *row ? check->ColumnString(0) : "no answer";
  if (verdict == "ok") return {};
  std::replace(verdict.begin(), verdict.end(), '\n', ' ');  // one line in the report
  return Fail(Error::Database(path + ": the database failed its integrity check (" + verdict +
                              "); nothing was imported. Rebuild it from its sources"));
}

// An import into an existing file leaves its pages in PATH-wal until a
// checkpoint; a server's read-only connections never make one, and a file
// later renamed over PATH would get those frames (issue 15). So the log is
// checkpointed and truncated to nothing before the import ends, retried
// while readers hold it (each waits up to the busy timeout). Returns the
// warning to give when it could not be.
constexpr int kCheckpointTries = 20;
constexpr const char* kCheckpointSql = "PRAGMA wal_checkpoint(TRUNCATE)";

std::optional<std::string> EmptyTheLog(db::Database& db, const std::string& path) {
  std::string outcome = "no answer";
  for (int attempt = 0; attempt < kCheckpointTries; ++attempt) {
    auto stmt = db.Prepare(kCheckpointSql);
    if (!stmt) return std::nullopt;
    auto row = stmt->Step();
    if (!row) {
      outcome = row.error().message;
      continue;
    }
    if (*row && stmt->ColumnInt(0) == 0) return std::nullopt;  // busy = 0: done
    outcome = "readers kept it busy";
  }
  return "warning: " + path + "-wal could not be emptied (" + outcome + "); it is applied on the "
         "next open of " + path + ". Publish a new file over it only with `carefinder publish`";
}

}  // namespace

std::string UtcNow() { return text::FormatUtc(std::time(nullptr)); }

ImportPlan ReadInputs(const std::vector<ImportInput>& inputs) {
  ImportPlan plan;
  SeenKeys seen;
  for (const ImportInput& input : inputs) {
    FileOrigin origin{input.format_from, input.source};
    std::string format = input.format;
    if (format == "auto") {
      format = DetectFormat(input.name, Head(*input.in));
      origin.format_from = "auto";
      if (format.empty()) {
        plan.errors.push_back(input.name + ": cannot tell its format (formats: " + FormatList() +
                              "); pass --format or a " + input.name + ".source.json sidecar");
        continue;
      }
    }
    auto read = ReadAs(format, *input.in, input.name, input.source, input.open_table,
                       Taxonomy::Embedded(), seen);
    if (!read) {
      plan.errors.push_back(read.error().message);
      continue;
    }
    EnforceFieldLimits(*read);
    if (format == kCuratedCsvFormat && !input.source.name.empty()) {
      read->warnings.push_back({input.name, 1, "", "a curated CSV names its source in each row; "
                                                   "the source '" + input.source.name +
                                                   "' given for it is not used"});
    }
    plan.files.push_back(std::move(*read));
    plan.origins.push_back(std::move(origin));
  }
  return plan;
}


ImportReport RunImport(db::Database& db, ImportPlan& plan, const ImportOptions& options) {
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
  Status tuned = db.Exec("PRAGMA cache_size = -2097152; PRAGMA temp_store = MEMORY; "
                         "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL;");
  // A new file (new_database.h): no rollback journal, no syncs, and a small
  // cache. A new file that is not committed is deleted, never rolled back,
  // so nothing needs the journal (without it a 1e6 first import took 45-47 s
  // instead of 48 s: no page copies for statement rollback). The loader
  // writes every table in key order (load_flush.cc), so a page, once full,
  // is not needed again: writing it out early costs nothing more, where 2 GB
  // of cache cost page faults to fill and a 4 s commit at 1e6 listings
  // (measured: 48 s with 2 GB, 43 s with 64 MB).
  if (tuned && options.new_file) {
    tuned = db.Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                    "PRAGMA cache_size = -65536;");
  }
  if (!tuned) {  // a lock held by another import is kBusy: said as "locked" below
    report.errors.push_back(tuned.error().message +
                            (IsLockError(tuned.error()) ? ": another import is writing it" : ""));
    report.outcome = IsLockError(tuned.error()) ? Outcome::kLocked : Outcome::kFailed;
    return report;
  }
  auto tx = db::Transaction::Begin(db, db::Transaction::Kind::kImmediate);
  if (!tx && IsLockError(tx.error())) {
    report.errors.push_back(tx.error().message + ": another import is writing it");
    report.outcome = Outcome::kLocked;
    return report;
  }
  Status loaded = tx ? LoadAll(db, plan, options, report) : Status(Fail(tx.error()));
  PhaseMark("import_run");
  if (!loaded) {
    report.errors.push_back(loaded.error().message);
    if (report.outcome != Outcome::kRefused) report.outcome = Outcome::kFailed;
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
    PhaseMark("commit");
  }
  if (report.outcome != Outcome::kCommitted) report.import_run = 0;
  return report;
}

Result<ImportReport> ImportInto(const std::string& path, ImportPlan plan, ImportOptions options) {
  // A bad file or gazetteer costs nothing, and creates no database file.
  if (!plan.errors.empty()) return ReportFileErrors(plan, options);
  // `check` loads into a throwaway in-memory database: every SQL constraint
  // is exercised, nothing is written anywhere.
  const bool check = options.command == "check";
  // A database that does not exist yet is built beside its path and renamed
  // into place on commit, or removed (new_database.h).
  std::optional<NewDatabase> fresh;
  std::error_code ec;
  if (!check && !options.dry_run && !std::filesystem::exists(path, ec) && !ec) {
    fresh = NewDatabase::Begin(path);
    options.new_file = true;
  }
  auto db = db::Database::Open(check ? ":memory:" : fresh ? fresh->building() : path,
                               db::OpenMode::kCreate);
  if (!db) {
    if (fresh) fresh->Discard(nullptr);
    return Fail(db.error());
  }
  if (auto ok = fresh || check ? Status{} : QuickCheck(**db, path); !ok) return Fail(ok.error());
  std::optional<EarlyWriteback> writeback;
  if (fresh) writeback.emplace(fresh->building());
  // An existing file: one transaction, committed or rolled back (RunImport).
  ImportReport report = RunImport(**db, plan, options);
  writeback.reset();
  // The plan holds every record read (about 2 GB at 1e6, 1 s to free): left
  // to the process's end when that comes next, else freed on another core
  // while the new file is published (an fsync).
  std::jthread free_plan;
  if (options.ends_process) {
    KeepUntilExit(std::move(plan));
  } else {
    free_plan = std::jthread([gone = std::move(plan)]() mutable { ImportPlan freed = std::move(gone); });
  }
  if (!fresh && !check) {
    if (auto warning = EmptyTheLog(**db, path)) report.notices.push_back(std::move(*warning));
  }
  if (fresh && report.outcome != Outcome::kCommitted) {
    fresh->Discard(std::move(*db));
  } else if (fresh) {
    if (auto s = fresh->Publish(std::move(*db)); !s) {
      report.errors.push_back(s.error().message);
      report.outcome = Outcome::kFailed;
      report.import_run = 0;
    }
  }
  PhaseMark("close");
  return report;
}

Result<std::vector<ImportRunSummary>> ImportHistory(const std::string& path) {
  auto db = db::Database::Open(path, db::OpenMode::kReadOnly);
  if (!db) return Fail(db.error());
  return ImportRuns(**db);
}

}  // namespace carefinder::importer
