// RAII wrappers over the SQLite C API: see database.h.
#include "db/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "db/doc_pack.h"
#include "db/schema.h"
#include "db/term_pack.h"

namespace carefinder::db {

namespace {

// SQLITE_BUSY and SQLITE_LOCKED (extended codes included) are a lock held by
// another connection, which a caller may wait out; everything else is kDatabase.
Error SqliteError(int rc, std::string message) {
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Error::Busy(std::move(message));
  return Error::Database(std::move(message));
}

// "file:PATH?immutable=1" with PATH escaped as a URI path (RFC 3986).
std::string ImmutableUri(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (unsigned char c : path) {
    bool plain = std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~';
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri + "?immutable=1";
}

// SQL's view of the packed columns: listing_doc(doc) is the JSON text and
// listing_doc_pack(text) the stored form (doc_pack.h); listing_terms(terms)
// is ' code code ' and listing_terms_pack(text) the stored form
// (term_pack.h). NULL stays NULL; text stored as it is (a file edited by
// hand) is read as it is.
template <Result<std::string> (Database::*Unpack)(std::string_view)>
void UnpackFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  if (sqlite3_value_type(argv[0]) == SQLITE_TEXT) return sqlite3_result_value(ctx, argv[0]);
  auto* db = static_cast<Database*>(sqlite3_user_data(ctx));
  std::string_view stored(static_cast<const char*>(sqlite3_value_blob(argv[0])),
                          static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  auto text = (db->*Unpack)(stored);
  if (!text) return sqlite3_result_error(ctx, text.error().message.c_str(), -1);
  sqlite3_result_text64(ctx, text->data(), text->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

template <Result<std::string> (Database::*Pack)(std::string_view)>
void PackFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  auto* db = static_cast<Database*>(sqlite3_user_data(ctx));
  std::string_view text(reinterpret_cast<const char*>(sqlite3_value_text(argv[0])),
                        static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  auto packed = (db->*Pack)(text);
  if (!packed) return sqlite3_result_error(ctx, packed.error().message.c_str(), -1);
  sqlite3_result_blob64(ctx, packed->data(), packed->size(), SQLITE_TRANSIENT);
}

}  // namespace

// ---- Statement -------------------------------------------------------------

Statement::Statement(Statement&& o) noexcept : stmt_(o.stmt_), db_(o.db_) { o.stmt_ = nullptr; }

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    stmt_ = o.stmt_;
    db_ = o.db_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

// Keeps the first failed bind (a wrong index, a value too big): Step and Run
// report it instead of running the statement with a parameter left NULL.
void Statement::NoteFailure(int rc, int index) {
  if (bind_error_.empty()) {
    bind_error_ = "cannot bind parameter " + std::to_string(index) + ": " + sqlite3_errstr(rc);
  }
}

Statement& Statement::Bind(int index, std::string_view text) {
  return Note(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                  SQLITE_UTF8),
              index);
}
Statement& Statement::BindBorrowed(int index, std::string_view text) {
  return Note(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8),
      index);
}
Statement& Statement::BindOptionalBorrowed(int index, std::string_view text) {
  return text.empty() ? BindNull(index) : BindBorrowed(index, text);
}
Statement& Statement::BindValueOf(int index, const Statement& from, int col) {
  return Note(sqlite3_bind_value(stmt_, index, sqlite3_column_value(from.stmt_, col)), index);
}
Statement& Statement::Bind(int index, int64_t value) {
  return Note(sqlite3_bind_int64(stmt_, index, value), index);
}
Statement& Statement::Bind(int index, double value) {
  return Note(sqlite3_bind_double(stmt_, index, value), index);
}
Statement& Statement::BindBlob(int index, std::string_view bytes) {
  return Note(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT), index);
}
Statement& Statement::BindBlobBorrowed(int index, std::string_view bytes) {
  return Note(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC), index);
}
Statement& Statement::BindNull(int index) {
  return Note(sqlite3_bind_null(stmt_, index), index);
}
Statement& Statement::BindOptional(int index, std::string_view text) {
  return text.empty() ? BindNull(index) : Bind(index, text);
}
Statement& Statement::BindOptional(int index, const std::optional<double>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Result<bool> Statement::Step() {
  if (!bind_error_.empty()) return Fail(Error::Database(bind_error_));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  if (rc == SQLITE_INTERRUPT && db_ && db_->deadline_expired()) {
    return Fail(Error::Timeout("query ran past its deadline"));
  }
  return Fail(SqliteError(rc, db_ ? db_->ErrorMessage() : sqlite3_errstr(rc)));
}

Status Statement::Run() {
  while (true) {
    auto r = Step();
    if (!r) return Fail(r.error());
    if (!*r) break;
  }
  Reset();
  return {};
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_.clear();
}

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }
int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }
bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::string_view Statement::ColumnText(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

// ---- Database --------------------------------------------------------------

void ConfigureLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
  });
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, OpenMode mode) {
  return Open(path, mode, {kSchemaSql, kSchemaVersion});
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, OpenMode mode,
                                                 Schema schema) {
  ConfigureLibrary();
  int flags = SQLITE_OPEN_NOMUTEX;  // one connection per thread
  switch (mode) {
    case OpenMode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case OpenMode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case OpenMode::kCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case OpenMode::kImmutable: flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI; break;
  }
  std::string name = mode == OpenMode::kImmutable ? ImmutableUri(path) : path;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Database> db(new Database(raw));
  if (rc != SQLITE_OK) {
    return Fail(Error::Io("cannot open database " + path + ": " +
                          (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))));
  }
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_progress_handler(raw, 1000, &Database::ProgressHandler, db.get());
  sqlite3_create_function_v2(raw, "listing_doc", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, db.get(),
                             &UnpackFunction<&Database::UnpackDoc>, nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(raw, "listing_doc_pack", 1, SQLITE_UTF8, db.get(),
                             &PackFunction<&Database::PackDoc>, nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(raw, "listing_terms", 1, SQLITE_UTF8, db.get(),
                             &UnpackFunction<&Database::UnpackTerms>, nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(raw, "listing_terms_pack", 1, SQLITE_UTF8, db.get(),
                             &PackFunction<&Database::PackTerms>, nullptr, nullptr, nullptr);

  auto version = db->Prepare("PRAGMA user_version");
  if (!version) return Fail(version.error());
  auto has_row = version->Step();
  if (!has_row) return Fail(has_row.error());
  int64_t found = version->ColumnInt(0);
  version->Reset();

  if (found == 0 && mode == OpenMode::kCreate) {
    if (auto s = db->Exec(schema.sql); !s) return Fail(s.error());
    found = schema.version;
  }
  if (found != schema.version) {
    return Fail(Error::Database(path + " has schema version " + std::to_string(found) +
                                ", this program needs " + std::to_string(schema.version) +
                                (found == 0 ? " (not a Carefinder database, or empty)" : "")));
  }
  if (mode == OpenMode::kReadWrite || mode == OpenMode::kCreate) {
    if (auto s = db->Exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"); !s)
      return Fail(s.error());
  }
  return db;
}

Database::~Database() {
  for (auto& [sql, stmt] : kept_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Status Database::ExecKept(const char* sql) {
  auto it = std::find_if(kept_.begin(), kept_.end(), [&](const auto& k) { return k.first == sql; });
  if (it == kept_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return Fail(SqliteError(sqlite3_errcode(db_), ErrorMessage() + " in: " + sql));
    }
    it = kept_.insert(kept_.end(), {sql, stmt});
  }
  int rc = sqlite3_step(it->second);
  sqlite3_reset(it->second);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return {};
  return StepError(rc);
}

Status Database::StepError(int rc) {
  if (deadline_expired_) return Fail(Error::Timeout("query ran past its deadline"));
  return Fail(SqliteError(rc, ErrorMessage()));
}

Status Database::Exec(std::string_view sql) {
  std::string owned(sql);
  char* err = nullptr;
  if (int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string message = err ? err : ErrorMessage();
    sqlite3_free(err);
    if (deadline_expired_) return Fail(Error::Timeout("query ran past its deadline"));
    return Fail(SqliteError(rc, message));
  }
  return {};
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return Fail(SqliteError(rc, ErrorMessage() + " in: " + std::string(sql.substr(0, 120))));
  }
  return Statement(stmt, this);
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }
std::string Database::ErrorMessage() const { return sqlite3_errmsg(db_); }

void Database::SetDeadline(std::chrono::steady_clock::time_point when) {
  deadline_ = when;
  deadline_expired_ = false;
}
void Database::ClearDeadline() {
  deadline_.reset();
  deadline_expired_ = false;
}

int Database::ProgressHandler(void* self) {
  auto* db = static_cast<Database*>(self);
  if (db->deadline_ && std::chrono::steady_clock::now() > *db->deadline_) {
    db->deadline_expired_ = true;
    return 1;  // interrupt
  }
  return 0;
}

Result<int64_t> Database::PragmaInt(std::string_view name) {
  auto stmt = Prepare("PRAGMA " + std::string(name));
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::Internal("PRAGMA " + std::string(name) + " gave no value"));
  return stmt->ColumnInt(0);
}

Result<std::shared_ptr<const DocPack>> Database::Docs() {
  if (!docs_) {
    auto loaded = DocPack::Load(*this);
    if (!loaded) return Fail(loaded.error());
    docs_ = std::move(*loaded);
  }
  return docs_;
}

Status Database::UnpackDocAppend(std::string_view stored, std::string& out) {
  auto docs = Docs();
  if (!docs) return Fail(docs.error());
  if (!(*docs)->Knows(stored)) {  // a dictionary added since they were read
    ForgetDocs();
    docs = Docs();
    if (!docs) return Fail(docs.error());
  }
  return (*docs)->UnpackAppend(stored, out);
}

// Runs `use` on the file's terms, read when first needed; when it fails on
// terms read before, they are read again once (a term added since).
template <typename Use>
auto Database::WithTermCodes(Use use) -> decltype(use(std::declval<const TermCodes&>())) {
  bool fresh = false;
  auto load = [this, &fresh]() -> Status {
    auto loaded = TermCodes::Load(*this);
    if (!loaded) return Fail(loaded.error());
    terms_ = std::make_shared<const TermCodes>(std::move(*loaded));
    fresh = true;
    return {};
  };
  if (!terms_) {
    if (auto s = load(); !s) return Fail(s.error());
  }
  auto out = use(*terms_);
  if (out || fresh) return out;
  if (auto s = load(); !s) return Fail(s.error());
  return use(*terms_);
}

Result<std::string> Database::UnpackTerms(std::string_view stored) {
  return WithTermCodes([stored](const TermCodes& t) { return t.Unpack(stored); });
}

Result<std::string> Database::PackTerms(std::string_view text) {
  return WithTermCodes([text](const TermCodes& t) { return t.Pack(text); });
}

Result<std::string> Database::PackDoc(std::string_view text) {
  auto docs = Docs();
  if (!docs) return Fail(docs.error());
  return (*docs)->Pack(text);
}

Result<std::string> Database::UnpackDoc(std::string_view stored) {
  std::string out;
  if (auto s = UnpackDocAppend(stored, out); !s) return Fail(s.error());
  return out;
}

// ---- Transaction -----------------------------------------------------------

namespace {
constexpr const char* kBeginSql = "BEGIN";
constexpr const char* kBeginImmediateSql = "BEGIN IMMEDIATE";
constexpr const char* kRollbackSql = "ROLLBACK";
}  // namespace

Result<Transaction> Transaction::Begin(Database& db, Kind kind) {
  auto s = db.ExecKept(kind == Kind::kImmediate ? kBeginImmediateSql : kBeginSql);
  if (!s) return Fail(s.error());
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->ExecKept(kRollbackSql);
}

Status Transaction::Commit() {
  auto s = db_->Exec("COMMIT");
  if (s) db_ = nullptr;
  return s;
}

}  // namespace carefinder::db
