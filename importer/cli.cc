// `carefinder import|check|history`: argument parsing, opening the input
// files (and their source sidecars), printing the report, and the documented
// exit codes. What happens to the database is import.h's (ImportInto).
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

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/args.h"
#include "core/date.h"
#include "core/exit_code.h"
#include "importer/formats.h"
#include "importer/import.h"
#include "importer/normalise.h"
#include "importer/phase_mark.h"

namespace carefinder::importer {

namespace {

namespace fs = std::filesystem;

constexpr int kDatabaseError = exit_code::kSoftware;

// glibc's malloc offers its heap transparent huge pages with hugetlb=1
// (glibc 2.35 and later; ignored by older ones). A heap grown 128 KB at a
// time (the default top_pad) seldom holds a whole aligned 2 MB page, so it
// grows 64 MB at a time, a thread's whole heap at once: at 1e6, 37-43 s ->
// 28-31 s (docs/PERFORMANCE.md, "Goal 4, fifth pass").
constexpr const char* kHugePageTunable = "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864";

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
  for (const std::string& n : report.notices) std::fprintf(stderr, "carefinder: %s\n", n.c_str());
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

// cli.h says what; why (issue 12 goal 4): an import at 1e6 holds about 5 GB
// of records, ids and docs in the heap, over a million page faults with
// 4 KB pages (1e5: 0.85 s of CPU less with huge pages, docs/PERFORMANCE.md).
// glibc reads its tunables only when a process starts, hence the exec. When
// /proc/self cannot be read or exec fails, the import goes on as is.
void RerunWithHugePages() {
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  for (std::string arg; std::getline(in, arg, '\0');) args.push_back(arg);
  if (args.empty()) return;
  std::vector<char*> exec_args;
  for (std::string& arg : args) exec_args.push_back(arg.data());
  exec_args.push_back(nullptr);
  if (setenv("GLIBC_TUNABLES", kHugePageTunable, 1) != 0) return;
  execv("/proc/self/exe", exec_args.data());
  unsetenv("GLIBC_TUNABLES");  // exec failed: go on without
}

int RunImportCommand(const std::vector<std::string>& argv, bool check_only, bool ends_process) {
  const char* usage = check_only ? kCheckUsage : kImportUsage;
  auto args = ParseArgs(argv, check_only ? "check" : "import");
  if (!args) return args.error();
  ImportOptions options;
  options.command = check_only ? "check" : "import";
  options.dry_run = args->dry_run;
  options.strict = args->strict;
  options.prune = args->prune;
  options.geocode = !check_only || !args->gazetteer.empty();
  options.ends_process = ends_process;
  PhaseMark("start");
  auto plan = Plan(*args);
  PhaseMark("read");
  if (!plan) return UsageError(plan.error(), usage);
  auto report = ImportInto(args->db, std::move(*plan), options);
  if (!report) {
    std::fprintf(stderr, "carefinder: %s\n", report.error().message.c_str());
    return kDatabaseError;
  }
  return Print(*report, args->report);
}

int RunHistoryCommand(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, "history");
  if (!args) return args.error();
  auto history = ImportHistory(args->db);
  if (!history) {
    std::fprintf(stderr, "carefinder: %s\n", history.error().message.c_str());
    return kDatabaseError;
  }
  nlohmann::json runs = nlohmann::json::array();
  for (const ImportRunSummary& r : *history) {
    std::string line = "run " + std::to_string(r.id) + "  " + r.started_at;
    nlohmann::json run = {{"id", r.id}, {"started_at", r.started_at}, {"files", r.files}};
    const std::pair<const char*, int64_t> counts[] = {
        {"added", r.added}, {"changed", r.changed}, {"unchanged", r.unchanged},
        {"merged", r.merged}, {"inactivated", r.inactivated}, {"rejected", r.rejected}};
    for (const auto& [name, count] : counts) {
      line += "  " + std::to_string(count) + " " + name;
      run[name] = count;
    }
    for (const std::string& f : r.files) line += "  " + f;
    if (args->report == "json") runs.push_back(std::move(run));
    else std::printf("%s\n", line.c_str());
  }
  if (args->report == "json") std::printf("%s\n", runs.dump(2).c_str());
  return exit_code::kOk;
}

}  // namespace carefinder::importer
