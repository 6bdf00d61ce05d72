// Connection pool and per-connection statement cache: see connection.h.
#include "store/connection.h"

namespace carefinder::store {

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
  std::lock_guard lock(pool_->mutex_);
  pool_->free_.push_back(std::move(connection_));
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!free_.empty()) {
      auto c = std::move(free_.back());
      free_.pop_back();
      return Lease(this, std::move(c));
    }
  }
  auto db = db::Database::Open(path_, db::OpenMode::kReadOnly);
  if (!db) return Fail(db.error());
  return Lease(this, std::make_unique<Connection>(std::move(*db)));
}

}  // namespace carefinder::store
