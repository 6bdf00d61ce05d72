// `carefinder export`: see export.h. The command line, the JSON formats and
// the file writing; the CSV formats are in export_hsds_csv.cc and
// export_curated_csv.cc.
#include "api/export.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "api/hsds_render.h"
#include "api/meetings_feed.h"
#include "core/args.h"
#include "core/exit_code.h"
#include "store/hsds_store.h"
#include "store/read_session.h"

namespace carefinder::api {

namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: carefinder export --format FORMAT [--db PATH] DIR\n"
    "  writes the whole database into DIR (created when missing):\n"
    "    hsds-csv       datapackage.json + one CSV per HSDS 3.0 table\n"
    "    hsds-json      services.json, taxonomies.json, taxonomy_terms.json (HSDS 3.0 JSON)\n"
    "    meeting-guide  meetings.json (the /meetings.json feed)\n"
    "    csv            listings.csv in the curated format (carefinder import reads it)\n"
    "exit codes: 0 written, 64 bad usage, 66 cannot open the database, 73 cannot write DIR\n";

constexpr std::chrono::minutes kExportBudget{30};  // the whole database, one transaction
constexpr size_t kBatch = 500;                      // services nested per round of queries

struct ExportArgs {
  std::string format, db = "carefinder.db", dir;
};

constexpr const char* kFormats[] = {"hsds-csv", "hsds-json", "meeting-guide", "csv"};

bool IsFormat(std::string_view format) {
  return std::find(std::begin(kFormats), std::end(kFormats), format) != std::end(kFormats);
}

// Returns the exit code to stop with, or nullopt to carry on.
std::optional<int> ParseArgs(const std::vector<std::string>& args, ExportArgs& out) {
  std::vector<std::string> dirs;
  args::Parser parser("export", kUsage);
  parser.Value("--format", out.format, IsFormat, "hsds-csv, hsds-json, meeting-guide or csv")
      .Value("--db", out.db)
      .Positional(dirs, 1);
  if (auto code = parser.Parse(args)) return code;
  if (out.format.empty()) return parser.UsageError("--format must be hsds-csv, hsds-json, meeting-guide or csv");
  if (dirs.empty()) return parser.UsageError("DIR is missing");
  out.dir = dirs[0];
  return std::nullopt;
}

// A JSON array of `rows`, one object a line, nested `kBatch` at a time.
template <class Nest>
Result<std::string> JsonArray(const std::vector<store::HsdsRecord>& rows, Nest&& nest) {
  std::string out = "[";
  for (size_t start = 0; start < rows.size(); start += kBatch) {
    std::vector<store::HsdsRecord> batch(rows.begin() + start,
                                         rows.begin() + std::min(rows.size(), start + kBatch));
    Result<std::vector<HsdsJson>> items = nest(batch);
    if (!items) return Fail(items.error());
    for (const auto& item : *items) out += (out.size() > 1 ? ",\n" : "\n") + HsdsText(item);
  }
  return out + "\n]\n";
}

Status ExportHsdsJson(store::Connection& c, const fs::path& dir) {
  HsdsNester nester(c);
  struct File {
    const char* name;
    store::HsdsList list;
  };
  for (File f : {File{"services.json", store::HsdsList::kServices},
                 File{"taxonomies.json", store::HsdsList::kTaxonomies},
                 File{"taxonomy_terms.json", store::HsdsList::kTaxonomyTerms}}) {
    auto rows = store::ListHsds(c, f.list, {}, {.all = true});
    if (!rows) return Fail(rows.error());
    auto text = JsonArray(rows->rows, [&](const std::vector<store::HsdsRecord>& batch) {
      return f.list == store::HsdsList::kServices
                 ? nester.Services(batch, ServiceShape::kFull)
                 : Result<std::vector<HsdsJson>>(HsdsNester::Plain(batch));
    });
    if (!text) return Fail(text.error());
    if (auto s = WriteTextFile(dir / f.name, *text); !s) return s;
    std::printf("%s: %zu objects\n", (dir / f.name).c_str(), rows->rows.size());
  }
  return {};
}

Status ExportMeetingGuide(store::Connection& c, const fs::path& dir) {
  auto feed = RenderMeetingsFeed(c, "");
  if (!feed) return Fail(feed.error());
  if (auto s = WriteTextFile(dir / "meetings.json", *feed + "\n"); !s) return s;
  std::printf("%s: written\n", (dir / "meetings.json").c_str());
  return {};
}

}  // namespace

void AppendCsvField(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
    return;
  }
  out.push_back('"');
  for (char ch : value) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

Status WriteTextFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return Fail(Error::Io("cannot write " + path.string()));
  return {};
}

int RunExportCommand(const std::vector<std::string>& args) {
  ExportArgs opts;
  if (auto code = ParseArgs(args, opts)) return *code;
  auto store = store::ListingStore::Open(
      opts.db, {.query_budget = kExportBudget, .refresh_interval = std::chrono::milliseconds(0)});
  if (!store) {
    std::fprintf(stderr, "carefinder export: %s\n", store.error().message.c_str());
    return exit_code::kNoInput;
  }
  std::error_code ec;
  fs::create_directories(opts.dir, ec);
  if (ec) {
    std::fprintf(stderr, "carefinder export: cannot create %s: %s\n", opts.dir.c_str(),
                 ec.message().c_str());
    return exit_code::kCantCreate;
  }
  fs::path dir(opts.dir);
  store::ReadSession session(**store);
  auto status = session.Read([&](store::Connection& c) -> Status {
    if (opts.format == "hsds-csv") return ExportHsdsCsv(c, dir);
    if (opts.format == "hsds-json") return ExportHsdsJson(c, dir);
    if (opts.format == "meeting-guide") return ExportMeetingGuide(c, dir);
    return ExportCuratedCsv(c, dir);
  });
  if (!status) {
    std::fprintf(stderr, "carefinder export: %s\n", status.error().message.c_str());
    return status.error().code == ErrorCode::kIo ? exit_code::kCantCreate : exit_code::kNoInput;
  }
  return exit_code::kOk;
}

}  // namespace carefinder::api
