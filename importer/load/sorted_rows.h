// SortedRows: one table's rows for a bulk write, packed, then written in
// the order of their primary key, several rows per INSERT.
//
// Why (issue 2, 1e6 listings): rows written listing by listing land at
// random places of a dozen UUID-keyed B-trees, and binding them from the
// records reads a dozen heap strings per row in random order; at 1e6 both
// miss every cache. Here a table's rows are first copied, in the order the
// records lie in memory, into one arena; sorting then moves only small
// entries, each B-tree grows at its right edge, and a multi-row INSERT
// binds 64 rows per statement step.
#pragma once

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "db/database.h"

namespace carefinder::importer {

// The first 8 bytes of `key`, big-endian, as a number that orders as the
// bytes do: sorts of UUID keys compare it first and rarely read the keys.
inline uint64_t KeyPrefix(std::string_view key) {
  uint64_t out = 0;
  for (size_t i = 0; i < 8; ++i)
    out = out << 8 | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0);
  return out;
}

// `INSERT ... (columns) VALUES ` + one "(?, ...)" per row + `tail` (an
// ON CONFLICT clause, may be empty).
struct BulkSql {
  const char* head;
  int columns;
  const char* tail;
};
// That statement for `rows` rows, its parameters numbered ?1, ?2, ...
std::string BulkInsertSql(const BulkSql& sql, size_t rows);

// Rows sent 64 per INSERT. When one fails, its rows are sent again one at a
// time to find the row that failed (sorted_rows.cc says how, with and
// without a rollback journal).
class BatchInsert {
 public:
  struct Value {
    enum Kind : uint8_t { kNull, kText, kReal, kInt, kBlob } kind = kNull;
    std::string_view text;  // text or blob bytes, not copied: valid until sent (Finish at the latest)
    double real = 0;
    int64_t integer = 0;
  };
  static Value Text(std::string_view v) { return {Value::kText, v}; }
  static Value TextOrNull(std::string_view v) { return v.empty() ? Value{} : Text(v); }
  static Value Blob(std::string_view v) { return {Value::kBlob, v}; }
  static Value Null() { return {}; }
  static Value Real(std::optional<double> v) { return v ? Value{Value::kReal, {}, *v} : Value{}; }
  static Value Int(int64_t v) { return {Value::kInt, {}, 0, v}; }

  // Text made for one row (a JSON array, a joined list): kept by the batch
  // until it is sent.
  Value Kept(std::string v) { return Text(kept_.emplace_back(std::move(v))); }
  Value KeptOrNull(std::string v) { return v.empty() ? Null() : Kept(std::move(v)); }

  static Result<BatchInsert> Prepare(db::Database& db, const BulkSql& sql);
  // Queues a row of sql.columns values; sends the batch when it is full.
  // `owner` is what failed() says when this row fails.
  Status Add(uint32_t owner, std::initializer_list<Value> row);
  Status Add(uint32_t owner, const Value* row);
  Status Finish();  // sends what is queued
  uint32_t failed() const { return failed_; }

 private:
  BatchInsert(int columns, db::Statement one, db::Statement many)
      : columns_(columns), one_(std::move(one)), many_(std::move(many)) {}
  Status Send();
  void Bind(db::Statement& s, size_t row, int first) const;

  int columns_;
  db::Statement one_, many_;
  std::vector<Value> values_;
  std::vector<uint32_t> owners_;
  std::deque<std::string> kept_;  // Kept text of the queued rows (a deque: its strings never move)
  uint32_t failed_ = 0;
};

class SortedRows {
 public:
  explicit SortedRows(int columns) : columns_(columns) {}

  // Starts an entry: the rows whose values follow (a row is `columns`
  // values), up to the next Add, go where `key` puts them (bytes; equal keys
  // keep the order entries were added in), in the order they were added.
  // `owner` is returned with a failed row's error.
  void Add(std::string_view key, uint32_t owner);
  // Values, one per column in order. Text is copied; Borrowed text longer
  // than 256 bytes is not (it must outlive Write); empty text is NULL when
  // it says OrNull.
  SortedRows& Text(std::string_view v);
  SortedRows& TextOrNull(std::string_view v) { return v.empty() ? Null() : Text(v); }
  SortedRows& Borrowed(std::string_view v);
  SortedRows& BorrowedOrNull(std::string_view v) { return v.empty() ? Null() : Borrowed(v); }
  SortedRows& Blob(std::string_view v);  // bytes, copied
  SortedRows& Real(std::optional<double> v);
  SortedRows& Int(int64_t v);
  SortedRows& Null();


  // Writes every row in key order, then frees them (Write is called once).
  // On a failure, the failing row is found by writing its statement's rows
  // one at a time, and `*failed` is its owner.
  Status Write(db::Database& db, const BulkSql& sql, uint32_t* failed);

 private:
  struct Entry {
    uint64_t prefix;  // the key's first 8 bytes, big-endian: most comparisons end here
    const char* key;  // in a chunk: its key, then its rows' values up to `end`
    const char* values;
    const char* end;
    uint32_t key_size, owner;
  };
  struct Unmap {
    size_t size;
    void operator()(char* chunk) const;
  };
  using Chunk = std::unique_ptr<char[], Unmap>;
  // Room for `n` more bytes of the open entry: an entry never spans two
  // chunks, so a full chunk hands its open entry on to a new one.
  char* Room(size_t n);
  template <class T>
  void Put(const T& v);
  void Put(const char* data, size_t size);
  SortedRows& Copied(char tag, std::string_view v);  // a tagged value, its bytes in the chunk
  // Decodes the row at `row` into `out` (columns_ values); returns where the
  // next row starts.
  const char* Decode(const char* row, BatchInsert::Value* out) const;

  int columns_;
  // Keys and values, in chunks that are never moved (a growing string
  // copied every byte again at each doubling, and faulted its pages in
  // again: at 1e6 the most copied memory of the import).
  std::vector<Chunk> chunks_;
  char* at_ = nullptr;     // where the next byte goes
  char* limit_ = nullptr;  // the end of the last chunk
  bool open_ = false;      // entries_.back() is still being added to
  std::vector<Entry> entries_;
};

}  // namespace carefinder::importer
