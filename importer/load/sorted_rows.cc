// A table's rows packed, sorted by key and written in batches: see
// sorted_rows.h.
#include "importer/load/sorted_rows.h"

#include <algorithm>
#include <cstring>
#include <new>

#include <sys/mman.h>

namespace carefinder::importer {

namespace {

// Rows per multi-row INSERT: 64 rows of up to 15 columns stay far below
// SQLite's 32,766 parameters (1e5 first import: 3.76 s against 3.86 s with 16).
constexpr size_t kBatch = 64;

// Borrowed text up to this many bytes is copied into the arena.
constexpr size_t kCopiedUpTo = 256;

enum Tag : char { kNull, kText, kBorrowed, kReal, kInt, kBlob };

// A chunk of rows: 32 MB, or an entry's size when it is bigger. Mapped
// directly and offered transparent huge pages, so filling it takes a page
// fault per 2 MB rather than per 4 KB (the import's rows are GBs at 1e6).
constexpr size_t kChunk = size_t{32} << 20;

template <class T>
T Get(const char*& at) {
  T v;
  std::memcpy(&v, at, sizeof v);
  at += sizeof v;
  return v;
}

}  // namespace

std::string BulkInsertSql(const BulkSql& sql, size_t rows) {
  std::string out = sql.head;
  int n = 0;
  for (size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    for (int c = 0; c < sql.columns; ++c) out += (c ? ", ?" : "?") + std::to_string(++n);
    out += ")";
  }
  return out + sql.tail;
}

void SortedRows::Unmap::operator()(char* chunk) const { munmap(chunk, size); }

char* SortedRows::Room(size_t n) {
  if (static_cast<size_t>(limit_ - at_) >= n) return at_;
  const char* from = open_ ? entries_.back().key : at_;
  size_t carried = static_cast<size_t>(at_ - from);
  size_t size = std::max(kChunk, carried + n);
  void* mapped = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  madvise(mapped, size, MADV_HUGEPAGE);  // advice only: without it, 4 KB pages
  char* chunk = static_cast<char*>(mapped);
  chunks_.emplace_back(chunk, Unmap{size});
  std::memcpy(chunk, from, carried);
  if (open_) {
    Entry& e = entries_.back();
    e.values = chunk + (e.values - e.key);
    e.key = chunk;
  }
  at_ = chunk + carried;
  limit_ = chunk + size;
  return at_;
}

template <class T>
void SortedRows::Put(const T& v) {
  std::memcpy(Room(sizeof v), &v, sizeof v);
  at_ += sizeof v;
}

void SortedRows::Put(const char* data, size_t size) {
  if (size == 0) return;
  std::memcpy(Room(size), data, size);
  at_ += size;
}

void SortedRows::Add(std::string_view key, uint32_t owner) {
  if (open_) entries_.back().end = at_;
  open_ = false;
  char* at = Room(key.size());
  Put(key.data(), key.size());
  entries_.push_back({KeyPrefix(key), at, at_, at_, static_cast<uint32_t>(key.size()), owner});
  open_ = true;
}

SortedRows& SortedRows::Copied(char tag, std::string_view v) {
  Room(1 + sizeof(uint32_t) + v.size());
  Put(tag);
  Put(static_cast<uint32_t>(v.size()));
  Put(v.data(), v.size());
  return *this;
}
SortedRows& SortedRows::Text(std::string_view v) { return Copied(kText, v); }
SortedRows& SortedRows::Blob(std::string_view v) { return Copied(kBlob, v); }
SortedRows& SortedRows::Borrowed(std::string_view v) {
  // Short text is copied all the same: the rows are added in the order the
  // records lie in memory but written in key order, and reading a dozen
  // scattered short strings per row then missed the cache each time (1e6
  // listings: most of the time of the smaller tables). A long value is one
  // read either way.
  if (v.size() <= kCopiedUpTo) return Text(v);
  Room(1 + sizeof(const char*) + sizeof(uint32_t));
  Put(kBorrowed);
  Put(v.data());
  Put(static_cast<uint32_t>(v.size()));
  return *this;
}
SortedRows& SortedRows::Real(std::optional<double> v) {
  if (!v) return Null();
  Put(kReal);
  Put(*v);
  return *this;
}
SortedRows& SortedRows::Int(int64_t v) {
  Put(kInt);
  Put(v);
  return *this;
}
SortedRows& SortedRows::Null() {
  Put(kNull);
  return *this;
}

const char* SortedRows::Decode(const char* at, BatchInsert::Value* out) const {
  for (int c = 0; c < columns_; ++c) {
    switch (*at++) {
      case kNull: out[c] = BatchInsert::Null(); break;
      case kText: {
        auto size = Get<uint32_t>(at);
        out[c] = BatchInsert::Text({at, size});
        at += size;
        break;
      }
      case kBlob: {
        auto size = Get<uint32_t>(at);
        out[c] = BatchInsert::Blob({at, size});
        at += size;
        break;
      }
      case kBorrowed: {
        auto data = Get<const char*>(at);
        out[c] = BatchInsert::Text({data, Get<uint32_t>(at)});
        break;
      }
      case kReal: out[c] = BatchInsert::Real(Get<double>(at)); break;
      case kInt: out[c] = BatchInsert::Int(Get<int64_t>(at)); break;
    }
  }
  return at;
}

Status SortedRows::Write(db::Database& db, const BulkSql& sql, uint32_t* failed) {
  if (open_) entries_.back().end = at_;
  open_ = false;
  // Stable: equal keys keep the order they were added in (the chunks'
  // addresses need not rise).
  std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return std::string_view(a.key, a.key_size) < std::string_view(b.key, b.key_size);
  });
  auto insert = BatchInsert::Prepare(db, sql);
  if (!insert) return Fail(insert.error());
  std::vector<BatchInsert::Value> row(static_cast<size_t>(columns_));
  for (const Entry& entry : entries_) {
    for (const char* at = entry.values; at < entry.end;) {
      at = Decode(at, row.data());
      if (auto s = insert->Add(entry.owner, row.data()); !s) {
        *failed = insert->failed();
        return s;
      }
    }
  }
  Status sent = insert->Finish();
  if (!sent) *failed = insert->failed();
  entries_ = {};
  chunks_.clear();
  at_ = limit_ = nullptr;
  return sent;
}

Result<BatchInsert> BatchInsert::Prepare(db::Database& db, const BulkSql& sql) {
  auto one = db.Prepare(BulkInsertSql(sql, 1));
  if (!one) return Fail(one.error());
  auto many = db.Prepare(BulkInsertSql(sql, kBatch));
  if (!many) return Fail(many.error());
  BatchInsert out(sql.columns, std::move(*one), std::move(*many));
  out.values_.reserve(kBatch * static_cast<size_t>(sql.columns));
  return out;
}

Status BatchInsert::Add(uint32_t owner, std::initializer_list<Value> row) { return Add(owner, row.begin()); }

Status BatchInsert::Add(uint32_t owner, const Value* row) {
  values_.insert(values_.end(), row, row + columns_);
  owners_.push_back(owner);
  return owners_.size() == kBatch ? Send() : Status{};
}

Status BatchInsert::Finish() { return Send(); }

void BatchInsert::Bind(db::Statement& s, size_t row, int first) const {
  for (int c = 0; c < columns_; ++c) {
    const Value& v = values_[row * static_cast<size_t>(columns_) + static_cast<size_t>(c)];
    switch (v.kind) {
      case Value::kNull: s.BindNull(first + c); break;
      case Value::kText: s.BindBorrowed(first + c, v.text); break;
      case Value::kBlob: s.BindBlobBorrowed(first + c, v.text); break;
      case Value::kReal: s.Bind(first + c, v.real); break;
      case Value::kInt: s.Bind(first + c, v.integer); break;
    }
  }
}

namespace {

bool IsUniquenessError(const Error& e) {
  return e.message.starts_with("UNIQUE constraint failed");
}

}  // namespace

Status BatchInsert::Send() {
  size_t rows = owners_.size();
  if (rows == kBatch) {
    for (size_t r = 0; r < rows; ++r) Bind(many_, r, static_cast<int>(r) * columns_ + 1);
    Status sent = many_.Run();
    if (sent) {
      values_.clear();
      owners_.clear();
      kept_.clear();
      return {};
    }
    many_.Reset();
    // Which row failed: the rows are sent again one at a time. Without a
    // rollback journal (a new file, new_database.h) the rows before the
    // failing one stay written, and sending them again fails as a repeated
    // key, so such a failure does not stop the search; the failing row is
    // the first that fails otherwise, or else the last that repeated a key.
    std::optional<size_t> repeated;
    for (size_t r = 0; r < rows; ++r) {
      Bind(one_, r, 1);
      Status s = one_.Run();
      if (s) continue;
      one_.Reset();
      if (!IsUniquenessError(s.error())) {
        failed_ = owners_[r];
        return s;
      }
      repeated = r;
    }
    failed_ = owners_[repeated.value_or(0)];
    return sent;
  }
  for (size_t r = 0; r < rows; ++r) {
    Bind(one_, r, 1);
    if (auto s = one_.Run(); !s) {
      one_.Reset();
      failed_ = owners_[r];
      return s;
    }
  }
  values_.clear();
  owners_.clear();
  kept_.clear();
  return {};
}

}  // namespace carefinder::importer
