// Read-only connections for request threads: a small pool, each connection
// with its own cache of prepared statements (prepared once per connection,
// DESIGN §4). A Lease returns its connection to the pool when it goes away.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
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
  explicit ConnectionPool(std::string path) : path_(std::move(path)) {}

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

  // A free connection, or a new one (read-only) when all are in use.
  Result<Lease> Acquire();

 private:
  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> free_;
};

}  // namespace carefinder::store
