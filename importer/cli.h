// The importer's command-line entry points (`carefinder import|check|history`).
#pragma once

#include <string>
#include <vector>

namespace carefinder::importer {

// `import` (check_only = false) and `check` (true). Returns the exit code.
int RunImportCommand(const std::vector<std::string>& args, bool check_only);
int RunHistoryCommand(const std::vector<std::string>& args);

}  // namespace carefinder::importer
