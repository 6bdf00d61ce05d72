// `carefinder search [--db PATH] key=value ...`: the search API from a
// terminal. Same parser, handler and JSON as GET /api/v1/search.
#include "api/search_cli.h"

#include <cstdio>

#include "api/handlers.h"
#include "core/args.h"
#include "core/exit_code.h"
#include "store/read_session.h"

namespace carefinder::api {

namespace {

constexpr int kHttpOk = 200;
constexpr const char* kDefaultDb = "carefinder.db";
constexpr const char* kUsage =
    "usage: carefinder search [--db PATH] key=value ...\n"
    "  the parameters of GET /api/v1/search (docs/API.md), e.g.\n"
    "  carefinder search --db build/carefinder.db near=92374 care=detox payment=medicaid\n"
    "prints the same JSON as the API; exit 0 on success, 1 when the search is refused\n";

}  // namespace

int RunSearchCommand(const std::vector<std::string>& args) {
  std::string db = kDefaultDb;
  std::vector<std::string> pairs;
  args::Parser parser("search", kUsage);
  parser.Value("--db", db).Positional(pairs);
  if (auto code = parser.Parse(args)) return *code;
  Request req{"/api/v1/search", {}, {}};
  for (const std::string& pair : pairs) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return parser.UsageError("expected key=value, got '" + pair + "'");
    }
    req.query.emplace(pair.substr(0, eq), pair.substr(eq + 1));
  }
  auto store = store::ListingStore::Open(db, {.refresh_interval = std::chrono::milliseconds(0)});
  if (!store) {
    std::fprintf(stderr, "carefinder search: %s\n", store.error().message.c_str());
    return exit_code::kNoInput;
  }
  store::ReadSession session(**store);
  Response r = HandleSearch(session, req);
  std::fwrite(r.body.data(), 1, r.body.size(), stdout);
  std::fputc('\n', stdout);
  return r.status == kHttpOk ? exit_code::kOk : exit_code::kRejected;
}

}  // namespace carefinder::api
