// The only place that calls sqlite3_*: RAII Database, Statement and
// Transaction, plus the per-query deadline. Every value is bound, never
// spliced into SQL text.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace carefinder::db {

class Database;
class DocPack;
class TermCodes;

// A prepared statement. Bind indexes start at 1 (SQLite's convention).
class Statement {
 public:
  Statement() = default;
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();
  explicit operator bool() const { return stmt_ != nullptr; }  // prepared

  Statement& Bind(int index, std::string_view text);   // text (copied)
  // Text not copied: it must stay alive and unchanged until Run() or
  // Reset(). For bulk writes of strings that outlive the statement's step.
  Statement& BindBorrowed(int index, std::string_view text);
  Statement& BindOptionalBorrowed(int index, std::string_view text);
  // Binds column `col` of `from`'s current row as it is (any type, a BLOB
  // too): copying rows between databases.
  Statement& BindValueOf(int index, const Statement& from, int col);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& BindNull(int index);
  // Bytes as a BLOB: copied, or (Borrowed) kept alive by the caller as above.
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindBlobBorrowed(int index, std::string_view bytes);
  // Binds NULL for an empty string: "absent" is NULL in the database.
  Statement& BindOptional(int index, std::string_view text);
  Statement& BindOptional(int index, const std::optional<double>& value);

  // Steps once. true = a row is ready, false = done. A failed Bind above
  // (a wrong index, a value too big) is reported here, before any step.
  [[nodiscard]] Result<bool> Step();
  // Steps to completion (for statements that return no rows).
  [[nodiscard]] Status Run();
  void Reset();  // reset and clear bindings, ready to bind again

  int ColumnCount() const;
  int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  bool ColumnIsNull(int col) const;
  std::string_view ColumnText(int col) const;  // valid until the next Step/Reset
  std::string ColumnString(int col) const { return std::string(ColumnText(col)); }

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, Database* db) : stmt_(stmt), db_(db) {}
  // Remembers the first failed bind. Inline: the importer binds some 50
  // million values at 1e6 listings, and all but a failed one return here.
  Statement& Note(int rc, int index) {
    if (rc != 0) NoteFailure(rc, index);  // 0: SQLITE_OK
    return *this;
  }
  void NoteFailure(int rc, int index);
  sqlite3_stmt* stmt_ = nullptr;
  Database* db_ = nullptr;
  std::string bind_error_;  // "" = every bind so far succeeded
};

// kImmutable: read-only and promising SQLite the file never changes
// (`immutable=1`): no locks, no -wal or -shm, so it works on a read-only
// mount. A file changed under it reads wrong: only for published, fixed files.
enum class OpenMode { kReadOnly, kReadWrite, kCreate, kImmutable };

class Database {
 public:
  // Opens `path`. kCreate creates the file and applies schema.sql when it is
  // new; every mode checks PRAGMA user_version against the schema's version.
  [[nodiscard]] static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                              OpenMode mode);
  // The same for a file with another schema (the feedback file,
  // src/store/feedback_store.cc): `sql` must set PRAGMA user_version = version.
  struct Schema {
    const char* sql;
    int version;
  };
  [[nodiscard]] static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                              OpenMode mode, Schema schema);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Errors: kBusy when another connection holds the lock, kTimeout past the
  // deadline, else kDatabase.
  [[nodiscard]] Status Exec(std::string_view sql);  // for fixed SQL only: no values inside
  [[nodiscard]] Result<Statement> Prepare(std::string_view sql);
  // Exec for a constant the caller runs again and again (BEGIN, ROLLBACK):
  // prepared once per connection and kept, keyed by the pointer.
  [[nodiscard]] Status ExecKept(const char* sql);
  int64_t LastInsertRowId() const;
  int Changes() const;

  // Every statement stepped after this call fails with kTimeout once the
  // deadline passes (checked by SQLite's progress handler). Clear with
  // ClearDeadline(); Deadline below does both.
  void SetDeadline(std::chrono::steady_clock::time_point when);
  void ClearDeadline();
  bool deadline_expired() const { return deadline_expired_; }

  // Bumps whenever another connection commits (PRAGMA data_version).
  [[nodiscard]] Result<int64_t> DataVersion() { return PragmaInt("data_version"); }
  // The integer a `PRAGMA name` answers (cache_size, temp_store, ...); `name`
  // is the caller's constant, never input.
  [[nodiscard]] Result<int64_t> PragmaInt(std::string_view name);

  // Listing documents as stored (doc_pack.h). The file's dictionaries are
  // read when first needed, and again when a document names one added since
  // (by another connection, or by ForgetDocs after StoreDocDictionary).
  [[nodiscard]] Result<std::shared_ptr<const DocPack>> Docs();
  [[nodiscard]] Result<std::string> UnpackDoc(std::string_view stored);
  [[nodiscard]] Result<std::string> PackDoc(std::string_view text);  // with the newest dictionary
  [[nodiscard]] Status UnpackDocAppend(std::string_view stored, std::string& out);
  void ForgetDocs() { docs_.reset(); }

  // listing.terms as stored (term_pack.h) -> ' code code '; text is returned
  // as it is. The file's terms are read when first needed, and again when a
  // key is not among them (a term added since).
  [[nodiscard]] Result<std::string> UnpackTerms(std::string_view stored);
  [[nodiscard]] Result<std::string> PackTerms(std::string_view text);

  std::string ErrorMessage() const;
  sqlite3* raw() { return db_; }  // for the db layer's own helpers only

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  static int ProgressHandler(void* self);
  Status StepError(int rc);  // kBusy, kTimeout or kDatabase for a failed step
  template <typename Use>
  auto WithTermCodes(Use use) -> decltype(use(std::declval<const TermCodes&>()));
  sqlite3* db_;
  std::vector<std::pair<const char*, sqlite3_stmt*>> kept_;  // ExecKept's statements
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  bool deadline_expired_ = false;
  std::shared_ptr<const DocPack> docs_;  // Docs(): null until first needed
  std::shared_ptr<const TermCodes> terms_;  // UnpackTerms, PackTerms: null until first needed
  friend class Statement;
};

// Sets a deadline for the scope: `Deadline d(db, 200ms);`
class Deadline {
 public:
  Deadline(Database& db, std::chrono::milliseconds budget) : db_(db) {
    db_.SetDeadline(std::chrono::steady_clock::now() + budget);
  }
  ~Deadline() { db_.ClearDeadline(); }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

 private:
  Database& db_;
};

// BEGIN on construction (IMMEDIATE for writers), ROLLBACK on destruction
// unless Commit() succeeded: an early return or error leaves no half-write.
class Transaction {
 public:
  enum class Kind { kDeferred, kImmediate };
  [[nodiscard]] static Result<Transaction> Begin(Database& db, Kind kind = Kind::kDeferred);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  [[nodiscard]] Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

// SQLite library settings that must be made before any connection opens
// (SQLITE_CONFIG_MEMSTATUS=0: measured free win, DESIGN §4). Idempotent.
void ConfigureLibrary();

}  // namespace carefinder::db
