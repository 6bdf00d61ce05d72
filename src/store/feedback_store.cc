// The feedback file: its schema and its three queries. See feedback_store.h.
#include "store/feedback_store.h"

#include <ctime>
#include <filesystem>

#include "core/text.h"
#include "db/database.h"

namespace carefinder::store {

namespace {

// user_version 1001 is the feedback file's first version: far from the
// listings schema's numbers, so neither file ever opens as the other.
//
// Invariants: rows are only ever inserted (maintainers read them with
// `carefinder feedback`); created_at is UTC to the minute; nothing in a row
// identifies the person who sent it.
constexpr const char* kFeedbackSchemaSql = R"sql(
PRAGMA user_version = 1001;
PRAGMA journal_mode = WAL;
CREATE TABLE feedback (
  id           INTEGER PRIMARY KEY,
  created_at   TEXT NOT NULL,
  listing_id   TEXT NOT NULL,
  listing_name TEXT NOT NULL,
  source       TEXT,
  field        TEXT NOT NULL CHECK (field IN ('closed', 'name', 'address', 'phone', 'website',
                                               'hours', 'services', 'payment', 'other')),
  correction   TEXT,
  note         TEXT
);
)sql";
constexpr int kFeedbackSchemaVersion = 1001;

constexpr const char* kInsertSql =
    "INSERT INTO feedback(created_at, listing_id, listing_name, source, field, correction, note) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr const char* kCountSql = "SELECT count(*) FROM feedback";
constexpr const char* kListSql =
    "SELECT id, created_at, listing_id, listing_name, source, field, correction, note "
    "FROM feedback ORDER BY id";

std::string UtcMinute() { return text::FormatUtc(std::time(nullptr), "%Y-%m-%dT%H:%MZ"); }

}  // namespace

std::string DefaultFeedbackPath(std::string_view listings_db) {
  return std::string(listings_db) + ".feedback.db";
}

FeedbackStore::FeedbackStore(std::unique_ptr<db::Database> db) : db_(std::move(db)) {}
FeedbackStore::~FeedbackStore() = default;

Result<std::unique_ptr<FeedbackStore>> FeedbackStore::Open(const std::string& path) {
  auto db = db::Database::Open(path, db::OpenMode::kCreate,
                               {kFeedbackSchemaSql, kFeedbackSchemaVersion});
  if (!db) return Fail(db.error());
  return std::unique_ptr<FeedbackStore>(new FeedbackStore(std::move(*db)));
}

Result<std::unique_ptr<FeedbackStore>> FeedbackStore::OpenExisting(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return Fail(Error::NotFound("no feedback file at " + path + " (no report has been sent yet)"));
  }
  auto db = db::Database::Open(path, db::OpenMode::kReadOnly,
                               {kFeedbackSchemaSql, kFeedbackSchemaVersion});
  if (!db) return Fail(db.error());
  return std::unique_ptr<FeedbackStore>(new FeedbackStore(std::move(*db)));
}

Result<int64_t> FeedbackStore::Add(const FeedbackReport& r) {
  std::lock_guard lock(mutex_);
  auto stmt = db_->Prepare(kInsertSql);
  if (!stmt) return Fail(stmt.error());
  stmt->Bind(1, UtcMinute()).Bind(2, r.listing_id).Bind(3, r.listing_name);
  stmt->BindOptional(4, r.source).Bind(5, r.field).BindOptional(6, r.correction);
  if (auto s = stmt->BindOptional(7, r.note).Run(); !s) return Fail(s.error());
  return db_->LastInsertRowId();
}

Result<int64_t> FeedbackStore::Count() {
  std::lock_guard lock(mutex_);
  auto stmt = db_->Prepare(kCountSql);
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  return stmt->ColumnInt(0);
}

Result<std::vector<StoredFeedback>> FeedbackStore::List() {
  std::lock_guard lock(mutex_);
  auto stmt = db_->Prepare(kListSql);
  if (!stmt) return Fail(stmt.error());
  std::vector<StoredFeedback> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    out.push_back({stmt->ColumnInt(0), stmt->ColumnString(1),
                   {stmt->ColumnString(2), stmt->ColumnString(3), stmt->ColumnString(4),
                    stmt->ColumnString(5), stmt->ColumnString(6), stmt->ColumnString(7)}});
  }
  return out;
}

}  // namespace carefinder::store
