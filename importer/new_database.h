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

#include <memory>
#include <string>

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

}  // namespace carefinder::importer
