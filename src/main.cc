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
#include "core/exit_code.h"
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

using Command = int (*)(const std::vector<std::string>&);

struct Entry {
  std::string_view name;
  Command run;
};

int Import(const std::vector<std::string>& args) {
  carefinder::importer::RerunWithHugePages();  // the heap of a big import (cli.h)
  return carefinder::importer::RunImportCommand(args, /*check_only=*/false, /*ends_process=*/true);
}
int Check(const std::vector<std::string>& args) {
  return carefinder::importer::RunImportCommand(args, /*check_only=*/true, /*ends_process=*/true);
}

// Each command and the layer's function that runs it.
constexpr Entry kCommands[] = {
    {"import", Import},
    {"check", Check},
    {"history", carefinder::importer::RunHistoryCommand},
    {"publish", carefinder::importer::RunPublishCommand},
    {"serve", carefinder::server::RunServeCommand},
    {"search", carefinder::api::RunSearchCommand},
    {"feedback", carefinder::api::RunFeedbackCommand},
    {"export", carefinder::api::RunExportCommand},
};

}  // namespace

int main(int argc, char** argv) {
  namespace exit_code = carefinder::exit_code;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return exit_code::kUsage;
  }
  std::string_view command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const Entry& entry : kCommands) {
    if (entry.name == command) return entry.run(args);
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return exit_code::kOk;
  }
  std::fprintf(stderr, "carefinder: unknown command '%s'\n\n%s", argv[1], kUsage);
  return exit_code::kUsage;
}
