// STUB: replaced by the importer work.
#include "importer/cli.h"
namespace carefinder::importer {
int RunImportCommand(const std::vector<std::string>&, bool) { return 70; }
int RunHistoryCommand(const std::vector<std::string>&) { return 70; }
}  // namespace carefinder::importer
