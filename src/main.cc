// carefinder: the one program. Dispatches subcommands to their layers
// (DESIGN §1): import/check/history -> importer, serve -> server,
// search, export -> api.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "api/export.h"
#include "api/feedback_cli.h"
#include "api/search_cli.h"
#include "importer/cli.h"
#include "importer/publish.h"
#include "server/serve.h"

namespace {

constexpr const char* kUsage =
    "usage: carefinder <command> [options]\n"
    "\n"
    "commands:\n"
    "  import [--db PATH] [--dry-run] [--prune] FILE...    load listing files of any format\n"
    "                                                      (CSV, SAMHSA, Meeting Guide, HSDS)\n"
    "  check FILE...                                       validate without writing\n"
    "  history [--db PATH]                                 past imports\n"
    "  publish [--db PATH] NEWFILE                         put a new database in place, under\n"
    "                                                      a running server too\n"
    "  serve [--db PATH] [--port 8080] [--web DIR]         HTTP API and web page\n"
    "  search [--db PATH] near=92374 care=detox ...        the search API from a terminal\n"
    "  feedback [--db PATH] [--feedback PATH]              problem reports sent from the page\n"
    "           [--gather FILE... | --prune ...]           (gather replicas' files, empty handled ones)\n"
    "  export --format F [--db PATH] DIR                   the database as hsds-csv, hsds-json,\n"
    "                                                      meeting-guide or csv files\n"
    "\n"
    "'carefinder <command> --help' describes each command.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 64;
  }
  std::string_view command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  using namespace carefinder;
  if (command == "import") return importer::RunImportCommand(args, /*check_only=*/false);
  if (command == "check") return importer::RunImportCommand(args, /*check_only=*/true);
  if (command == "history") return importer::RunHistoryCommand(args);
  if (command == "publish") return importer::RunPublishCommand(args);
  if (command == "serve") return server::RunServeCommand(args);
  if (command == "search") return api::RunSearchCommand(args);
  if (command == "feedback") return api::RunFeedbackCommand(args);
  if (command == "export") return api::RunExportCommand(args);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "carefinder: unknown command '%s'\n\n%s", argv[1], kUsage);
  return 64;
}
