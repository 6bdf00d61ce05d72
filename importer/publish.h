// `carefinder publish --db PATH NEWFILE`: the supported way to put a new
// database in place, under a running server or not. NEWFILE is checked
// (opens, schema version, quick_check), made self-contained (its log
// checkpointed, rollback-journal mode, so no -wal belongs to it), synced,
// and renamed over PATH in one step (copied into PATH's directory first when
// it is on another file system). PATH's old -wal, -shm and -journal are
// removed first: they belong to the old file and would be applied to the new
// one. A running `carefinder serve --db PATH` switches to it (OPERATIONS.md).
#pragma once

#include <string>
#include <vector>

namespace carefinder::importer {

// Exit codes: 0 published, 64 usage, 65 NEWFILE refused (PATH untouched),
// 70 an I/O error around the rename, 75 NEWFILE is in use by another program.
int RunPublishCommand(const std::vector<std::string>& args);

}  // namespace carefinder::importer
