// `carefinder search [--db PATH] key=value ...`: the search API from a
// terminal. Same parser, handler and JSON as GET /api/v1/search.
#include "api/search_cli.h"

#include <cstdio>

#include "api/handlers.h"
#include "store/read_session.h"

namespace carefinder::api {

namespace {

constexpr const char* kDefaultDb = "carefinder.db";
constexpr const char* kUsage =
    "usage: carefinder search [--db PATH] key=value ...\n"
    "  the parameters of GET /api/v1/search (docs/API.md), e.g.\n"
    "  carefinder search --db build/carefinder.db near=92374 care=detox payment=medicaid\n"
    "prints the same JSON as the API; exit 0 on success, 1 when the search is refused\n";

}  // namespace

int RunSearchCommand(const std::vector<std::string>& args) {
  std::string db = kDefaultDb;
  Request req{"/api/v1/search", {}, {}};
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--db" && i + 1 < args.size()) {
      db = args[++i];
      continue;
    }
    size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "carefinder search: expected key=value, got '%s'\n\n%s", a.c_str(),
                   kUsage);
      return 64;
    }
    req.query.emplace(a.substr(0, eq), a.substr(eq + 1));
  }
  auto store = store::ListingStore::Open(db, {.refresh_interval = std::chrono::milliseconds(0)});
  if (!store) {
    std::fprintf(stderr, "carefinder search: %s\n", store.error().message.c_str());
    return 66;
  }
  store::ReadSession session(**store);
  Response r = HandleSearch(session, req);
  std::fwrite(r.body.data(), 1, r.body.size(), stdout);
  std::fputc('\n', stdout);
  return r.status == 200 ? 0 : 1;
}

}  // namespace carefinder::api
