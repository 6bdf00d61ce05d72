// A database that does not exist yet is built in a file beside it and
// renamed into place when the import commits.
//
// Why: a first import writes every page once. Into the final path, the
// pages would go through the write-ahead log first and be copied into the
// database at the checkpoint, doubling the writes (1e6 listings: 4.8 GB
// twice). A file nobody else can see needs no log on disk: the import runs
// with its rollback journal in memory (so --strict and errors still roll
// back) and without syncs, then the file is synced once, switched to WAL
// and renamed. A killed import leaves no database, only its building file,
// which the next import removes (`<db>.building-<pid>`, pid no longer
// running). The rename never replaces a database that appeared meanwhile.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.h"
#include "db/database.h"

namespace carefinder::importer {

class NewDatabase {
 public:
  // Removes the building files of imports that are no longer running, and
  // names this one's; nothing is created yet.
  static NewDatabase Begin(const std::string& target);
  const std::string& building() const { return building_; }

  // Switches `db` (open on building()) to WAL, closes it, syncs it and
  // renames it to the target.
  Status Publish(std::unique_ptr<db::Database> db);
  // Closes `db` and removes the building file.
  void Discard(std::unique_ptr<db::Database> db);

 private:
  NewDatabase(std::string target, std::string building)
      : target_(std::move(target)), building_(std::move(building)) {}
  std::string target_, building_;
};

// While it lives, has the kernel start writing a building file's dirty
// pages to disk every quarter of a second (sync_file_range: it starts the
// writes and waits for none), so the fsync that publishes the file finds
// little left. A 1e6 first import leaves about 1.3 GB dirty at its end,
// and that fsync took about 1 s with both cores idle. It changes nothing
// SQLite sees, and nothing of durability: Publish still syncs.
class EarlyWriteback {
 public:
  explicit EarlyWriteback(const std::string& path);
  ~EarlyWriteback();
  EarlyWriteback(const EarlyWriteback&) = delete;
  EarlyWriteback& operator=(const EarlyWriteback&) = delete;

 private:
  int fd_ = -1;
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace carefinder::importer
