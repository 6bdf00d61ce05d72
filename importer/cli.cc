// `carefinder import|check|history`: argument parsing, opening files and the
// database, printing the report, and the documented exit codes.
#include "importer/cli.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "db/database.h"
#include "importer/import.h"

namespace carefinder::importer {

namespace {

constexpr int kUsageError = 64, kDatabaseError = 70;

constexpr const char* kExitCodes =
    "\n"
    "exit codes:\n"
    "  0   every row loaded (or, for check, valid)\n"
    "  1   some rows rejected: the good rows were loaded, or nothing was loaded\n"
    "      (--strict), or check found errors; each rejection is printed as\n"
    "      file:line: field 'name': reason\n"
    "  2   an input file cannot be read or has a bad header: nothing was loaded\n"
    "  64  usage error\n"
    "  70  database or internal error: nothing was loaded\n";

constexpr const char* kImportUsage =
    "usage: carefinder import [--db PATH] [--gazetteer DIR] [--dry-run] [--strict]\n"
    "                         [--report text|json] FILE...\n"
    "\n"
    "Reads curated listing CSV files (data/README.md), validates and normalises\n"
    "every row, geocodes rows without coordinates (ZIP centroid, then city), and\n"
    "loads them into the database in one transaction.\n"
    "\n"
    "  --db PATH         the database (default carefinder.db; created when missing)\n"
    "  --gazetteer DIR   load DIR/zcta_centroids.csv and DIR/places.csv, replacing the\n"
    "                    stored gazetteer (otherwise the stored one geocodes)\n"
    "  --dry-run         do everything, then roll back: counts are real, nothing is written\n"
    "  --strict          load nothing when any row is rejected\n"
    "  --report FORMAT   text (default) or json, to stdout; rejections also go to stderr\n";

constexpr const char* kCheckUsage =
    "usage: carefinder check [--gazetteer DIR] [--report text|json] FILE...\n"
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
  bool dry_run = false, strict = false, help = false;
  std::vector<std::string> files;
};

// Parses `args`; the allowed options depend on the command. Error = usage message.
std::expected<Args, std::string> ParseArgs(const std::vector<std::string>& args,
                                           std::string_view command) {
  Args out;
  bool takes_db = command != "check", takes_files = command != "history";
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i], value;
    bool has_value = false;
    if (size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      value = arg.substr(eq + 1), arg = arg.substr(0, eq), has_value = true;
    }
    auto next = [&]() -> std::optional<std::string> {
      if (has_value) return value;
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    if (arg == "--help" || arg == "-h") {
      out.help = true;
    } else if ((arg == "--db" && takes_db) || (arg == "--gazetteer" && command != "history") ||
               arg == "--report") {
      auto v = next();
      if (!v) return std::unexpected("option " + arg + " needs a value");
      (arg == "--db" ? out.db : arg == "--gazetteer" ? out.gazetteer : out.report) = *v;
    } else if ((arg == "--dry-run" || arg == "--strict") && command == "import") {
      (arg == "--dry-run" ? out.dry_run : out.strict) = true;
    } else if (arg.starts_with("-") && arg != "-") {
      return std::unexpected("unknown option '" + arg + "'");
    } else if (takes_files) {
      out.files.push_back(arg);
    } else {
      return std::unexpected("unexpected argument '" + arg + "'");
    }
  }
  if (out.report != "text" && out.report != "json")
    return std::unexpected("--report must be text or json, got '" + out.report + "'");
  if (!out.help && takes_files && out.files.empty()) return std::unexpected("no input FILE given");
  return out;
}

int UsageError(const std::string& message, const char* usage) {
  std::fprintf(stderr, "carefinder: %s\n\n%s%s", message.c_str(), usage, kExitCodes);
  return kUsageError;
}

int Print(const ImportReport& report, std::string_view format) {
  std::string out = format == "json" ? RenderJson(report) : RenderText(report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  for (const Rejection& r : report.rejections) std::fprintf(stderr, "%s\n", r.Message().c_str());
  for (const std::string& e : report.errors) std::fprintf(stderr, "carefinder: %s\n", e.c_str());
  return report.ExitCode();
}

// Opens and reads every file (and the gazetteer) before any database exists.
ImportPlan Plan(const Args& args) {
  std::vector<std::unique_ptr<std::ifstream>> streams;
  std::vector<ImportInput> inputs;
  std::vector<std::string> unreadable;
  for (const std::string& path : args.files) {
    auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*in) {
      unreadable.push_back("cannot read " + path + ": " + std::strerror(errno));
      continue;
    }
    inputs.push_back({path, in.get()});
    streams.push_back(std::move(in));
  }
  ImportPlan plan = ReadInputs(inputs);
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
  if (!args) return UsageError(args.error(), usage);
  if (args->help) {
    std::printf("%s%s", usage, kExitCodes);
    return 0;
  }
  ImportOptions options;
  options.command = check_only ? "check" : "import";
  options.dry_run = args->dry_run;
  options.strict = args->strict;
  options.geocode = !check_only || !args->gazetteer.empty();
  ImportPlan plan = Plan(*args);
  if (!plan.errors.empty()) return Print(ReportFileErrors(plan, options), args->report);
  // `check` loads into a throwaway in-memory database: every SQL constraint is
  // exercised, nothing is written anywhere.
  auto db = db::Database::Open(check_only ? ":memory:" : args->db, db::OpenMode::kCreate);
  if (!db) {
    std::fprintf(stderr, "carefinder: %s\n", db.error().message.c_str());
    return kDatabaseError;
  }
  return Print(RunImport(**db, std::move(plan), options), args->report);
}

int RunHistoryCommand(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, "history");
  if (!args) return UsageError(args.error(), kHistoryUsage);
  if (args->help) {
    std::printf("%s%s", kHistoryUsage, kExitCodes);
    return 0;
  }
  auto db = db::Database::Open(args->db, db::OpenMode::kReadOnly);
  if (!db) {
    std::fprintf(stderr, "carefinder: %s\n", db.error().message.c_str());
    return kDatabaseError;
  }
  auto stmt = (*db)->Prepare(
      "SELECT id, started_at, files, added, changed, unchanged, inactivated, rejected "
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
    const char* names[] = {"added", "changed", "unchanged", "inactivated", "rejected"};
    nlohmann::json run = {{"id", stmt->ColumnInt(0)}, {"started_at", stmt->ColumnString(1)},
                          {"files", nlohmann::json::parse(stmt->ColumnText(2), nullptr, false)}};
    for (int k = 0; k < 5; ++k) {
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
  return 0;
}

}  // namespace carefinder::importer
