// The importer's command-line entry points (`carefinder import|check|history`).
#pragma once

#include <string>
#include <vector>

namespace carefinder::importer {

// `import` (check_only = false) and `check` (true). Returns the exit code.
// `ends_process`: the program exits after it (main.cc), so the records read
// are not freed (ImportOptions::ends_process).
int RunImportCommand(const std::vector<std::string>& args, bool check_only, bool ends_process = false);
int RunHistoryCommand(const std::vector<std::string>& args);

// For the program's `import` (main.cc, before RunImportCommand): runs the
// same command line again, as the same process, with glibc's malloc told to
// use transparent huge pages, unless GLIBC_TUNABLES is set already (by the
// user, or by this). Returns only when it did not (then nothing changed).
// Never from inside another program (a test): it would run that again.
void RerunWithHugePages();

}  // namespace carefinder::importer
