// Connection pool and per-connection statement cache: see connection.h.
#include "store/connection.h"

#include <chrono>

namespace carefinder::store {

namespace {

// How long a request of a replaced file's generation waits for one of its
// connections (each request holds one at a time, briefly): past it, 503.
constexpr auto kWaitForOwn = std::chrono::seconds(5);

}  // namespace

Result<db::Statement*> Connection::Get(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    auto stmt = db_->Prepare(sql);
    if (!stmt) return Fail(stmt.error());
    it = statements_.emplace(sql, std::move(*stmt)).first;
  }
  it->second.Reset();
  return &it->second;
}

void Connection::ResetAll() {
  for (auto& [sql, stmt] : statements_) stmt.Reset();
}

ConnectionPool::Lease::~Lease() {
  if (!connection_ || !pool_) return;
  connection_->ResetAll();
  pool_->Release(std::move(connection_));
}

void ConnectionPool::Release(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(c));
  }
  returned_.notify_one();
}

bool ConnectionPool::StillOurs() const {
  return !identity_ || IdentityOfPath(path_) == identity_;
}

// Checked before and after the open: a rename between the two shows in the
// second check, and the connection is dropped.
Result<std::unique_ptr<Connection>> ConnectionPool::OpenOwn() {
  if (!StillOurs()) return nullptr;
  auto db = db::Database::Open(path_, mode_);
  if (!db) return Fail(db.error());
  if (!StillOurs()) return nullptr;
  return std::make_unique<Connection>(std::move(*db));
}

Status ConnectionPool::Warm() {
  auto c = OpenOwn();
  if (!c) return Fail(c.error());
  if (!*c) return Fail(Error::Io(path_ + " was replaced while it was being opened"));
  std::lock_guard lock(mutex_);
  ++open_;
  free_.push_back(std::move(*c));
  return {};
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  ++leases_given_;
  std::unique_lock lock(mutex_);
  if (free_.empty()) {
    lock.unlock();
    auto c = OpenOwn();
    if (!c) return Fail(c.error());
    lock.lock();
    if (*c) {
      ++open_;
      return Lease(this, std::move(*c));
    }
    if (open_ == 0) return Fail(Error::Io(path_ + " now names another file"));
    if (!returned_.wait_for(lock, kWaitForOwn, [&] { return !free_.empty(); })) {
      return Fail(Error::Timeout("no free connection to the replaced file " + path_));
    }
  }
  auto c = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(c));
}

}  // namespace carefinder::store
