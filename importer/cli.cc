// `carefinder import|check|history`: argument parsing, opening files (and
// their source sidecars) and the database, printing the report, and the
// documented exit codes.
#include "importer/cli.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/args.h"
#include "core/date.h"
#include "core/exit_code.h"
#include "db/database.h"
#include "importer/formats.h"
#include "importer/import.h"
#include "importer/new_database.h"
#include "importer/normalise.h"

namespace carefinder::importer {

namespace {

namespace fs = std::filesystem;

constexpr int kDatabaseError = exit_code::kSoftware;

constexpr const char* kExitCodes =
    "\n"
    "exit codes:\n"
    "  0   every row loaded (or, for check, valid)\n"
    "  1   some rows rejected: the good rows were loaded, or nothing was loaded\n"
    "      (--strict), or check found errors; each rejection is printed as\n"
    "      file:line: field 'name': reason\n"
    "  2   an input file cannot be read, has a bad header or sidecar, or its\n"
    "      format cannot be told: nothing was loaded\n"
    "  64  usage error\n"
    "  65  refused: listings merged from several sources would lose what the\n"
    "      sources this run does not import gave them; import those with it\n"
    "      (the message names them): nothing was loaded\n"
    "  70  database or internal error: nothing was loaded\n"
    "  75  another import is writing the database (waited 5 s): nothing was\n"
    "      loaded; run again later\n";

constexpr const char* kImportUsage =
    "usage: carefinder import [--db PATH] [--gazetteer DIR] [--dry-run] [--strict] [--prune]\n"
    "                         [--format F|auto] [--source NAME] [--as-of DATE]\n"
    "                         [--license TEXT] [--source-url URL] [--report text|json] FILE...\n"
    "\n"
    "Reads listing files, validates and normalises every row, geocodes rows\n"
    "without coordinates (ZIP centroid, then city), merges records of the same\n"
    "facility (same name and address) into one listing, and loads them into the\n"
    "database in one transaction: a failed or interrupted import changes nothing.\n"
    "\n"
    "  --db PATH         the database (default carefinder.db; created when missing)\n"
    "  --gazetteer DIR   load DIR/zcta_centroids.csv and DIR/places.csv, replacing the\n"
    "                    stored gazetteer (otherwise the stored one geocodes)\n"
    "  --dry-run         do everything, then roll back: counts are real, nothing is written\n"
    "  --strict          load nothing when any row is rejected\n"
    "  --prune           mark inactive (never delete) the listings of this run's sources\n"
    "                    that no file of this run lists any more\n"
    "  --format F        the format of every FILE: auto (default: recognised from each\n"
    "                    file's first 4 KB and name), or one of\n"
    "                    hsds-datapackage (a directory or its datapackage.json),\n"
    "                    samhsa-directory (.xlsx or CSV), meeting-guide-json, samhsa-json,\n"
    "                    hsds-json, bmlt-json, samhsa-locator-csv, curated-csv\n"
    "  --source NAME     who published the files ([a-z0-9-]+); with --as-of DATE\n"
    "                    (YYYY-MM-DD), --license TEXT and --source-url URL. Each field\n"
    "                    comes from its option, else from FILE.source.json beside the\n"
    "                    file (data/README.md), else from the format's defaults\n"
    "  --report FORMAT   text (default) or json, to stdout; rejections also go to stderr\n";

constexpr const char* kCheckUsage =
    "usage: carefinder check [--gazetteer DIR] [--format F|auto] [--source NAME] [--as-of DATE]\n"
    "                        [--license TEXT] [--source-url URL] [--report text|json] FILE...\n"
    "\n"
    "Validates listing files without a database: the same report as\n"
    "'import --dry-run' against an empty database. Without --gazetteer, rows\n"
    "without coordinates are not checked for a known ZIP or city.\n";

constexpr const char* kHistoryUsage =
    "usage: carefinder history [--db PATH] [--report text|json]\n"
    "\n"
    "Lists past imports (import_run), oldest first.\n";

struct Args {
  std::string db = "carefinder.db";
  std::string gazetteer;
  std::string report = "text";
  std::string format = "auto";
  SourceInfo source;  // fields given on the command line
  bool dry_run = false, strict = false, prune = false;
  std::vector<std::string> files;
};

bool IsSourceName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsReportFormat(std::string_view s) { return s == "text" || s == "json"; }

bool IsFormatOption(std::string_view s) { return s == "auto" || IsKnownFormat(s); }

const char* UsageOf(std::string_view command) {
  return command == "import" ? kImportUsage : command == "check" ? kCheckUsage : kHistoryUsage;
}

// Parses `argv` for `command` (import, check or history: each takes its own
// options). Error = the exit code to stop with (after --help or a usage error).
std::expected<Args, int> ParseArgs(const std::vector<std::string>& argv, std::string_view command) {
  Args out;
  bool takes_db = command != "check", takes_files = command != "history";
  args::Parser parser(std::string(command), std::string(UsageOf(command)) + kExitCodes);
  parser.Value("--report", out.report, IsReportFormat, "text or json");
  if (takes_db) parser.Value("--db", out.db);
  if (takes_files) {
    parser.Value("--gazetteer", out.gazetteer)
        .Value("--format", out.format, IsFormatOption, "auto, " + FormatList())
        .Value("--source", out.source.name, IsSourceName, "a source name: [a-z0-9-]+")
        .Value("--as-of", out.source.as_of, date::IsIsoDate, "a day YYYY-MM-DD")
        .Value("--license", out.source.license)
        .Value("--source-url", out.source.url)
        .Positional(out.files);
  }
  if (command == "import") {
    parser.Flag("--dry-run", out.dry_run).Flag("--strict", out.strict).Flag("--prune", out.prune);
  }
  if (auto code = parser.Parse(argv)) return std::unexpected(*code);
  if (takes_files && out.files.empty()) return std::unexpected(parser.UsageError("no input FILE given"));
  return out;
}

int UsageError(const std::string& message, const char* usage) {
  std::fprintf(stderr, "carefinder: %s\n\n%s%s", message.c_str(), usage, kExitCodes);
  return exit_code::kUsage;
}

int Print(const ImportReport& report, std::string_view format) {
  std::string out = format == "json" ? RenderJson(report) : RenderText(report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  for (const Rejection& r : report.rejections) std::fprintf(stderr, "%s\n", r.Message().c_str());
  for (const std::string& e : report.errors) std::fprintf(stderr, "carefinder: %s\n", e.c_str());
  return report.ExitCode();
}

// Each empty field of `into` from `from`.
void FillMissing(SourceInfo& into, const SourceInfo& from) {
  for (auto field : {&SourceInfo::name, &SourceInfo::url, &SourceInfo::license,
                     &SourceInfo::attribution, &SourceInfo::as_of, &SourceInfo::edition_of,
                     &SourceInfo::timezone}) {
    if ((into.*field).empty()) into.*field = from.*field;
  }
}

constexpr std::string_view kSidecarSuffix = ".source.json";

bool IsSidecarOfAnother(const std::string& path, const std::vector<std::string>& files) {
  if (!path.ends_with(kSidecarSuffix)) return false;
  std::string input = path.substr(0, path.size() - kSidecarSuffix.size());
  return std::find(files.begin(), files.end(), input) != files.end();
}

// The files (streams, sidecars, datapackage directories) of one run.
class Inputs {
 public:
  // Opens `path`; false with `error` set when it cannot be read.
  bool Add(const std::string& path, const Args& args, std::string& error) {
    std::string file = path;
    fs::path package_dir;
    std::error_code ec;
    if (fs::is_directory(path, ec)) package_dir = path, file = (fs::path(path) / "datapackage.json").string();
    else if (path.ends_with("datapackage.json")) package_dir = fs::path(path).parent_path();
    auto in = std::make_unique<std::ifstream>(file, std::ios::binary);
    if (!*in) {
      error = "cannot read " + file + ": " + std::strerror(errno);
      return false;
    }
    ImportInput input{file, in.get(), args.format, "option", args.source, {}};
    if (!ApplySidecar(file, input, error)) return false;
    if (!package_dir.empty()) input.open_table = Opener(package_dir);
    streams_.push_back(std::move(in));
    inputs_.push_back(std::move(input));
    return true;
  }
  const std::vector<ImportInput>& inputs() const { return inputs_; }

 private:
  static bool ApplySidecar(const std::string& file, ImportInput& input, std::string& error) {
    std::string path = file + std::string(kSidecarSuffix);
    std::ifstream in(path, std::ios::binary);
    if (!in) return true;  // no sidecar
    constexpr size_t kMaxSidecarBytes = 1u << 20;  // a few keys: 1 MB is far more than enough
    auto text = ReadWholeFile(in, path, kMaxSidecarBytes);
    if (!text) {
      error = text.error().message;
      return false;
    }
    auto sidecar = ParseSidecar(*text, path);
    if (!sidecar) {
      error = sidecar.error().message;
      return false;
    }
    FillMissing(input.source, sidecar->source);
    if (input.format == "auto" && !sidecar->format.empty())
      input.format = sidecar->format, input.format_from = "sidecar";
    return true;
  }
  static OpenTable Opener(fs::path dir) {
    return [dir = std::move(dir)](std::string_view resource) -> std::unique_ptr<std::istream> {
      auto in = std::make_unique<std::ifstream>(dir / std::string(resource), std::ios::binary);
      if (!*in) return nullptr;
      return in;
    };
  }
  std::vector<std::unique_ptr<std::ifstream>> streams_;
  std::vector<ImportInput> inputs_;
};

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
// while readers hold it (each waits up to the busy timeout).
constexpr int kCheckpointTries = 20;
constexpr const char* kCheckpointSql = "PRAGMA wal_checkpoint(TRUNCATE)";

void EmptyTheLog(db::Database& db, const std::string& path) {
  std::string outcome = "no answer";
  for (int attempt = 0; attempt < kCheckpointTries; ++attempt) {
    auto stmt = db.Prepare(kCheckpointSql);
    if (!stmt) return;
    auto row = stmt->Step();
    if (!row) {
      outcome = row.error().message;
      continue;
    }
    if (*row && stmt->ColumnInt(0) == 0) return;  // busy = 0: done
    outcome = "readers kept it busy";
  }
  std::fprintf(stderr, "carefinder: warning: %s-wal could not be emptied (%s); it is applied "
               "on the next open of %s. Publish a new file over it only with `carefinder "
               "publish`\n", path.c_str(), outcome.c_str(), path.c_str());
}

// Opens and reads every file (and the gazetteer) before any database exists.
// A source option without a source name for some file is a usage error.
std::expected<ImportPlan, std::string> Plan(const Args& args) {
  Inputs inputs;
  std::vector<std::string> unreadable;
  for (const std::string& path : args.files) {
    // `feeds/*.json` also names each feed's sidecar, which is read with its feed.
    if (IsSidecarOfAnother(path, args.files)) continue;
    std::string error;
    if (!inputs.Add(path, args, error)) unreadable.push_back(error);
  }
  for (const ImportInput& input : inputs.inputs()) {
    const SourceInfo& s = input.source;
    if (s.name.empty() && (!s.as_of.empty() || !s.license.empty() || !s.url.empty()))
      return std::unexpected(input.name + ": --as-of, --license and --source-url need a source "
                                          "name: pass --source NAME (or a sidecar with \"name\")");
  }
  ImportPlan plan = ReadInputs(inputs.inputs());
  plan.errors.insert(plan.errors.begin(), unreadable.begin(), unreadable.end());
  if (!args.gazetteer.empty()) {
    auto g = Gazetteer::LoadDir(args.gazetteer);
    if (g) plan.gazetteer = std::move(*g);
    else plan.errors.push_back(g.error().message);
  }
  return plan;
}

}  // namespace

int RunImportCommand(const std::vector<std::string>& argv, bool check_only) {
  const char* usage = check_only ? kCheckUsage : kImportUsage;
  auto args = ParseArgs(argv, check_only ? "check" : "import");
  if (!args) return args.error();
  ImportOptions options;
  options.command = check_only ? "check" : "import";
  options.dry_run = args->dry_run;
  options.strict = args->strict;
  options.prune = args->prune;
  options.geocode = !check_only || !args->gazetteer.empty();
  PhaseMark("start");
  auto plan = Plan(*args);
  PhaseMark("read");
  if (!plan) return UsageError(plan.error(), usage);
  if (!plan->errors.empty()) return Print(ReportFileErrors(*plan, options), args->report);
  // `check` loads into a throwaway in-memory database: every SQL constraint is
  // exercised, nothing is written anywhere.
  // A database that does not exist yet is built beside its path and renamed
  // into place on commit (new_database.h).
  std::optional<NewDatabase> fresh;
  std::error_code ec;
  if (!check_only && !args->dry_run && !fs::exists(args->db, ec) && !ec) {
    fresh = NewDatabase::Begin(args->db);
    options.new_file = true;
  }
  auto db = db::Database::Open(check_only ? ":memory:" : fresh ? fresh->building() : args->db,
                               db::OpenMode::kCreate);
  if (!db) {
    if (fresh) fresh->Discard(nullptr);
    std::fprintf(stderr, "carefinder: %s\n", db.error().message.c_str());
    return kDatabaseError;
  }
  if (auto ok = fresh || check_only ? Status{} : QuickCheck(**db, args->db); !ok) {
    std::fprintf(stderr, "carefinder: %s\n", ok.error().message.c_str());
    return kDatabaseError;
  }
  ImportReport report = RunImport(**db, std::move(*plan), options);
  if (!fresh && !check_only) EmptyTheLog(**db, args->db);
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
  return Print(report, args->report);
}

int RunHistoryCommand(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, "history");
  if (!args) return args.error();
  auto db = db::Database::Open(args->db, db::OpenMode::kReadOnly);
  if (!db) {
    std::fprintf(stderr, "carefinder: %s\n", db.error().message.c_str());
    return kDatabaseError;
  }
  auto stmt = (*db)->Prepare(
      "SELECT id, started_at, files, added, changed, unchanged, "
      "coalesce(json_extract(report, '$.merged'), 0), inactivated, rejected "
      "FROM import_run ORDER BY id");
  if (!stmt) {
    std::fprintf(stderr, "carefinder: %s\n", stmt.error().message.c_str());
    return kDatabaseError;
  }
  nlohmann::json runs = nlohmann::json::array();
  while (true) {
    auto row = stmt->Step();
    if (!row) {
      std::fprintf(stderr, "carefinder: %s\n", row.error().message.c_str());
      return kDatabaseError;
    }
    if (!*row) break;
    std::string line = "run " + std::to_string(stmt->ColumnInt(0)) + "  " + stmt->ColumnString(1);
    const char* names[] = {"added", "changed", "unchanged", "merged", "inactivated", "rejected"};
    nlohmann::json run = {{"id", stmt->ColumnInt(0)}, {"started_at", stmt->ColumnString(1)},
                          {"files", nlohmann::json::parse(stmt->ColumnText(2), nullptr, false)}};
    for (int k = 0; k < 6; ++k) {
      line += "  " + std::to_string(stmt->ColumnInt(3 + k)) + " " + names[k];
      run[names[k]] = stmt->ColumnInt(3 + k);
    }
    if (run["files"].is_array()) {
      for (const auto& f : run["files"]) line += "  " + f.get<std::string>();
    }
    if (args->report == "json") runs.push_back(std::move(run));
    else std::printf("%s\n", line.c_str());
  }
  if (args->report == "json") std::printf("%s\n", runs.dump(2).c_str());
  return exit_code::kOk;
}

}  // namespace carefinder::importer
