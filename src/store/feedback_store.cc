// The feedback file: its schema, its upgrade from the first version, and its
// queries. See feedback_store.h.
#include "store/feedback_store.h"

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "core/random_id.h"
#include "core/text.h"
#include "db/database.h"

namespace carefinder::store {

namespace {

// user_version 1001 was the feedback file's first version, 1002 adds
// report_id: far from the listings schema's numbers, so neither file ever
// opens as the other. A 1001 file is upgraded in place when opened
// (kUpgradeFrom1001Sql), its reports given random report_ids.
//
// Invariants: rows are inserted by the server and by --gather, deleted only
// by `carefinder feedback --prune`; report_id is unique and the same in every
// file a report is gathered into; created_at is UTC to the minute; nothing in
// a row identifies the person who sent it.
constexpr const char* kFeedbackTableSql = R"sql(
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
constexpr const char* kReportIdSql = R"sql(
ALTER TABLE feedback ADD COLUMN report_id TEXT;
UPDATE feedback SET report_id = lower(hex(randomblob(16))) WHERE report_id IS NULL;
CREATE UNIQUE INDEX feedback_report_id ON feedback(report_id);
)sql";
const std::string kFeedbackSchemaSql = std::string("PRAGMA user_version = 1002;\n"
                                                   "PRAGMA journal_mode = WAL;\n") +
                                       kFeedbackTableSql + kReportIdSql;
const std::string kUpgradeFrom1001Sql =
    std::string("BEGIN IMMEDIATE;\n") + kReportIdSql + "PRAGMA user_version = 1002;\nCOMMIT;\n";
constexpr int kFeedbackSchemaVersion = 1002;
constexpr int kFirstFeedbackSchemaVersion = 1001;

// Every commit reaches the disk before the page hears "received".
constexpr const char* kDurableSql = "PRAGMA synchronous = FULL";

constexpr const char* kInsertSql =
    "INSERT INTO feedback(report_id, created_at, listing_id, listing_name, source, field, "
    "correction, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT(report_id) DO NOTHING";
constexpr const char* kIdOfReportSql = "SELECT id FROM feedback WHERE report_id = ?1";
constexpr const char* kCountSql = "SELECT count(*) FROM feedback";
constexpr const char* kListSql =
    "SELECT id, created_at, report_id, listing_id, listing_name, source, field, correction, note "
    "FROM feedback ORDER BY id";
constexpr const char* kDeleteBeforeSql = "DELETE FROM feedback WHERE created_at < ?1";
constexpr const char* kDeleteIdSql = "DELETE FROM feedback WHERE id = ?1";
constexpr const char* kDeleteReportSql = "DELETE FROM feedback WHERE report_id = ?1";
constexpr const char* kKeepNewestSql =
    "DELETE FROM feedback WHERE id NOT IN (SELECT id FROM feedback ORDER BY id DESC LIMIT ?1)";

std::string UtcMinute() { return text::FormatUtc(std::time(nullptr), "%Y-%m-%dT%H:%MZ"); }

bool IsLocalId(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A file of the first version gets report_ids; any other file is left to
// Open's own version check.
Status UpgradeIfFirstVersion(const std::string& path) {
  if (!std::filesystem::exists(path)) return {};
  auto old = db::Database::Open(path, db::OpenMode::kReadWrite,
                                {kFeedbackTableSql, kFirstFeedbackSchemaVersion});
  if (!old) return {};
  return (*old)->Exec(kUpgradeFrom1001Sql);
}

Result<std::unique_ptr<db::Database>> OpenFeedbackFile(const std::string& path, db::OpenMode mode) {
  if (auto s = UpgradeIfFirstVersion(path); !s) return Fail(s.error());
  auto db = db::Database::Open(path, mode, {kFeedbackSchemaSql.c_str(), kFeedbackSchemaVersion});
  if (!db) return Fail(db.error());
  if (mode != db::OpenMode::kReadOnly) {
    if (auto s = (*db)->Exec(kDurableSql); !s) return Fail(s.error());
  }
  return db;
}

// Runs `sql` once per value of `values`; adds the rows it deleted to `total`.
Status DeleteEach(db::Database& db, const char* sql, const std::vector<std::string>& values,
                  int64_t& total) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  for (const auto& v : values) {
    if (IsLocalId(v)) stmt->Bind(1, static_cast<int64_t>(std::stoll(v)));
    else stmt->Bind(1, v);
    if (auto s = stmt->Run(); !s) return s;
    total += db.Changes();
    stmt->Reset();
  }
  return {};
}

}  // namespace

std::string DefaultFeedbackPath(std::string_view listings_db) {
  return std::string(listings_db) + ".feedback.db";
}

FeedbackStore::FeedbackStore(std::unique_ptr<db::Database> db) : db_(std::move(db)) {}
FeedbackStore::~FeedbackStore() = default;

Result<std::unique_ptr<FeedbackStore>> FeedbackStore::Open(const std::string& path) {
  auto db = OpenFeedbackFile(path, db::OpenMode::kCreate);
  if (!db) return Fail(db.error());
  return std::unique_ptr<FeedbackStore>(new FeedbackStore(std::move(*db)));
}

Result<std::unique_ptr<FeedbackStore>> FeedbackStore::OpenExisting(const std::string& path,
                                                                   Access access) {
  if (!std::filesystem::exists(path)) {
    return Fail(Error::NotFound("no feedback file at " + path + " (no report has been sent yet)"));
  }
  auto db = OpenFeedbackFile(path, access == Access::kWrite ? db::OpenMode::kReadWrite
                                                           : db::OpenMode::kReadOnly);
  if (!db) return Fail(db.error());
  return std::unique_ptr<FeedbackStore>(new FeedbackStore(std::move(*db)));
}

Result<AddedFeedback> FeedbackStore::Add(const FeedbackReport& r) {
  std::lock_guard lock(mutex_);
  AddedFeedback out{0, r.report_id.empty() ? RandomHexId() : r.report_id, true};
  auto stmt = db_->Prepare(kInsertSql);
  if (!stmt) return Fail(stmt.error());
  stmt->Bind(1, out.report_id).Bind(2, UtcMinute()).Bind(3, r.listing_id).Bind(4, r.listing_name);
  stmt->BindOptional(5, r.source).Bind(6, r.field).BindOptional(7, r.correction);
  if (auto s = stmt->BindOptional(8, r.note).Run(); !s) return Fail(s.error());
  if (db_->Changes() == 1) {
    out.id = db_->LastInsertRowId();
    return out;
  }
  out.is_new = false;
  auto known = db_->Prepare(kIdOfReportSql);
  if (!known) return Fail(known.error());
  auto row = known->Bind(1, out.report_id).Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::Internal("report " + out.report_id + " neither stored nor found"));
  out.id = known->ColumnInt(0);
  return out;
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
                    stmt->ColumnString(5), stmt->ColumnString(6), stmt->ColumnString(7),
                    stmt->ColumnString(8)}});
  }
  return out;
}

Result<int64_t> FeedbackStore::Gather(const std::vector<StoredFeedback>& reports) {
  std::lock_guard lock(mutex_);
  auto tx = db::Transaction::Begin(*db_, db::Transaction::Kind::kImmediate);
  if (!tx) return Fail(tx.error());
  auto stmt = db_->Prepare(kInsertSql);
  if (!stmt) return Fail(stmt.error());
  int64_t added = 0;
  for (const auto& f : reports) {
    const FeedbackReport& r = f.report;
    if (!IsHexId(r.report_id)) {
      return Fail(Error::Invalid("report #" + std::to_string(f.id) + " has no report_id"));
    }
    stmt->Bind(1, r.report_id).Bind(2, f.created_at).Bind(3, r.listing_id).Bind(4, r.listing_name);
    stmt->BindOptional(5, r.source).Bind(6, r.field).BindOptional(7, r.correction);
    if (auto s = stmt->BindOptional(8, r.note).Run(); !s) return Fail(s.error());
    added += db_->Changes();
    stmt->Reset();
  }
  if (auto s = tx->Commit(); !s) return Fail(s.error());
  return added;
}

Result<int64_t> FeedbackStore::Prune(const PruneRule& rule) {
  std::lock_guard lock(mutex_);
  auto tx = db::Transaction::Begin(*db_, db::Transaction::Kind::kImmediate);
  if (!tx) return Fail(tx.error());
  int64_t deleted = 0;
  if (!rule.before.empty()) {
    if (auto s = DeleteEach(*db_, kDeleteBeforeSql, {rule.before}, deleted); !s) return Fail(s.error());
  }
  std::vector<std::string> local_ids, report_ids = rule.gathered;
  for (const auto& v : rule.done) (IsLocalId(v) ? local_ids : report_ids).push_back(v);
  if (auto s = DeleteEach(*db_, kDeleteIdSql, local_ids, deleted); !s) return Fail(s.error());
  if (auto s = DeleteEach(*db_, kDeleteReportSql, report_ids, deleted); !s) return Fail(s.error());
  if (rule.keep_newest >= 0) {
    auto stmt = db_->Prepare(kKeepNewestSql);
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->Bind(1, rule.keep_newest).Run(); !s) return Fail(s.error());
    deleted += db_->Changes();
  }
  if (auto s = tx->Commit(); !s) return Fail(s.error());
  return deleted;
}

}  // namespace carefinder::store
