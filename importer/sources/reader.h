// What every reader returns: the normalised records of one input file, the
// rows it rejected (each with `file:line: field 'x': reason`), and the counts
// the report shows. Shared by every source format.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/csv.h"
#include "core/error.h"
#include "core/model.h"

namespace carefinder::importer {

struct Rejection {
  std::string file;
  int line = 0;
  std::string field;   // "" when the reason concerns the whole row
  std::string reason;  // "\"9237x\" is not a 5-digit ZIP code"

  // "listings.csv:14: field 'zip': \"9237x\" is not a 5-digit ZIP code"
  std::string Message() const;
};

// Who published a file, given by the caller (`--source`, a sidecar or the
// format's defaults); readers copy it into every record they produce and use
// a date of their own only where the data carries one per record.
struct SourceInfo {
  std::string name;         // "samhsa-locator-2024"
  std::string url;          // where the source publishes it
  std::string license;      // "Public domain (US federal government work)"
  std::string attribution;  // the credit its licence asks for, "" when none
  std::string as_of;        // YYYY-MM-DD: the source's own date for the file
  // The national list this file is an edition of ("samhsa-national-su"): of the
  // sources of one run that name the same list, the one with the newest
  // as_of is current, and a listing only older editions give is not
  // presented as current (editions.h). "" = not an edition of anything.
  std::string edition_of;
  // The IANA zone of the file's times when its meetings have no place to
  // take one from (an online-only feed); "" = none given.
  std::string timezone;
};

struct ReadResult {
  std::string file;
  std::string format;  // "curated-csv"
  int rows = 0;        // data rows seen
  int rejected_rows = 0;
  std::vector<ListingRecord> records;
  std::vector<Rejection> rejections;  // one or more per rejected row
  // Problems that do not reject a row (a dangling HSDS foreign key, an unknown
  // source code kept as a source attribute, a duplicate slug), same shape.
  std::vector<Rejection> warnings;
};

// One input row's rejections, all at its line: the base of every reader's
// row type, which adds how that format's values are read.
class RowRejections {
 public:
  RowRejections(std::string_view file, int line, std::vector<Rejection>& out)
      : file_(file), line_(line), out_(out) {}

  void Reject(std::string_view field, std::string reason) {
    out_.push_back({file_, line_, std::string(field), std::move(reason)});
    failed_.emplace_back(field);
  }
  // The value when `r` holds one, else records the reason and returns T{}.
  template <typename T>
  T Take(std::string_view field, Result<T> r) {
    if (r) return std::move(*r);
    Reject(field, r.error().message);
    return T{};
  }
  bool bad() const { return !failed_.empty(); }
  bool Failed(std::string_view field) const { return std::ranges::find(failed_, field) != failed_.end(); }
  int line() const { return line_; }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  int line_;
  std::vector<Rejection>& out_;
  std::vector<std::string> failed_;  // the fields rejected so far
};

// The most bytes a reader that takes a whole file at once (the JSON formats,
// the xlsx workbook) reads: twice the shipped national set exported as one
// HSDS JSON file (262 MB), about 370 times the largest shipped feed. A
// bigger file is refused before it is parsed (before it is read at all when
// the stream can tell its size).
inline constexpr size_t kMaxWholeFileBytes = 512u << 20;

// All of `in`, at most `limit` bytes; else "FILE: larger than 536870912
// bytes (2147483648): split it, or import its records in a format read row
// by row (CSV)" (the size is "more" when the stream cannot tell it).
Result<std::string> ReadWholeFile(std::istream& in, std::string_view file,
                                  size_t limit = kMaxWholeFileBytes);

// Where `rec` came from: the row's file and line, and the source's name, URL,
// licence and as-of date (a reader whose records carry their own date sets
// as_of again afterwards).
void StampProvenance(ListingRecord& rec, const RowRejections& row, const SourceInfo& source);

// Appends `phone` unless the same number with the same extension is there
// already (sources repeat the main number as the intake number).
void AddPhoneOnce(std::vector<Phone>& phones, Phone phone);

// A CSV row has as many cells as the header and every cell is UTF-8 (a
// Latin-1 export garbles names silently otherwise); rejects it otherwise.
bool CheckCsvCells(const CsvTable& table, RowRejections& row);
// The same for `cells`, a row read by table.Next(cells).
bool CheckCsvCells(const CsvTable& table, const std::vector<std::string>& cells,
                   RowRejections& row);

// The (source, source_key) pairs claimed so far, each with the file and line
// that claimed it; shared by the readers of one import so a key repeated in
// a second file is caught too.
//
// One flat table, not a map of strings: at 1e6 rows a std::unordered_map of
// "source\x1fkey" -> "file:line" made three allocations a row (about 190 MB
// first touched, under the curated CSV's merge turn); here a claim copies the
// key into one arena and adds 24 bytes.
class SeenKeys {
 public:
  // Claims (source, key) for file:line. Empty when nobody had it; else
  // "file:line" of the row that claimed it first (and this one has not).
  std::optional<std::string> Claim(std::string_view source, std::string_view key,
                                   std::string_view file, int line);
  void reserve(size_t keys);
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    size_t key_at;  // in keys_: source, '\x1f', key
    uint32_t key_size, file;  // file: index into files_
    int line;
  };
  std::string_view KeyOf(const Entry& e) const { return std::string_view(keys_).substr(e.key_at, e.key_size); }
  void Rehash(size_t slots);

  std::vector<uint32_t> slots_;  // entry index + 1 (0: empty), open addressing, a power of two
  std::vector<uint64_t> hashes_;  // by entry
  std::vector<Entry> entries_;
  std::string keys_;
  std::vector<std::string> files_;
  size_t last_file_ = 0;  // into files_: the file of the last claim
  std::string scratch_;
};

// The fate of a good row of a source without ids, by its source_key; true =
// keep it. `first_line` > 0: an earlier row of this file has the key, and
// `differ` names the columns in which the two differ ("" = identical: skipped
// with a warning; else rejected, the first row kept). Otherwise the key is
// claimed in `seen`, and a key another file of the source took is rejected.
bool ClaimSourceKey(RowRejections& row, const ListingRecord& rec, int first_line,
                    std::string_view differ, SeenKeys& seen, std::vector<Rejection>& warnings);

}  // namespace carefinder::importer
