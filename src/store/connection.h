// Read-only connections for request threads: a small pool, each connection
// with its own cache of prepared statements (prepared once per connection,
// DESIGN §4). A Lease returns its connection to the pool when it goes away.
// A pool belongs to one database file (one generation, generation.h): it
// opens a connection only while its path still names that file, so a file
// renamed over the path is never read through an old generation's pool.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/file_digest.h"
#include "db/database.h"

namespace carefinder::store {

class Connection {
 public:
  explicit Connection(std::unique_ptr<db::Database> db) : db_(std::move(db)) {}
  db::Database& db() { return *db_; }
  // The statement for `sql` (a constant of the calling module), reset and
  // ready to bind. Keyed by the pointer: every caller passes a constant.
  Result<db::Statement*> Get(const char* sql);
  // Resets every statement, so no half-read SELECT keeps a read snapshot
  // open (which would hide new imports and block WAL checkpoints).
  void ResetAll();

 private:
  std::unique_ptr<db::Database> db_;
  std::unordered_map<const char*, db::Statement> statements_;
};

class ConnectionPool {
 public:
  // Connections to what `path` names; with `identity`, only while the path
  // still names that file.
  explicit ConnectionPool(std::string path, db::OpenMode mode = db::OpenMode::kReadOnly,
                          std::optional<FileIdentity> identity = std::nullopt)
      : path_(std::move(path)), mode_(mode), identity_(identity) {}

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> c)
        : pool_(pool), connection_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // A free connection, or a new one (read-only) when all are in use. When
  // the path names another file now, waits for one of the pool's own.
  Result<Lease> Acquire();
  // Opens one connection now (a generation starts with one, so a request
  // that must wait always has one to wait for).
  Status Warm();
  // Acquire calls so far (tests hold a request to one).
  size_t leases_given() const { return leases_given_.load(); }

 private:
  bool StillOurs() const;
  // A new connection to our file; nullptr when the path names another now.
  Result<std::unique_ptr<Connection>> OpenOwn();
  void Release(std::unique_ptr<Connection> c);

  std::string path_;
  db::OpenMode mode_;
  std::optional<FileIdentity> identity_;
  std::mutex mutex_;
  std::condition_variable returned_;
  size_t open_ = 0;  // connections this pool made (free or leased)
  std::atomic<size_t> leases_given_ = 0;
  std::vector<std::unique_ptr<Connection>> free_;
};

}  // namespace carefinder::store
