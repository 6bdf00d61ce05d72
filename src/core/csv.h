// CsvReader: RFC 4180 records from a stream, with the physical line each
// record starts on (quoted fields may span lines), so every importer message
// can say `file:line`. Reads the header row and gives fields by name.
// A record is bounded while it is read (kMaxCsvRecordBytes): a longer one is
// skipped to its end without being buffered, so a 100 MB one-line file costs
// no more memory than a 1 MB one.
#pragma once

#include <array>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/string_map.h"

namespace carefinder {

// The most bytes one record (all its physical lines) may have: about 350
// times the longest row of the shipped files (3,035 bytes), and the whole of
// any field the importer keeps (importer/field_limits.h) fits in it.
inline constexpr size_t kMaxCsvRecordBytes = 1u << 20;

class CsvReader {
 public:
  explicit CsvReader(std::istream& in, size_t max_record_bytes = kMaxCsvRecordBytes)
      : in_(in), max_record_bytes_(max_record_bytes) {}

  // Reads one record into `fields` (its strings are reused). Returns false
  // at end of input; an error for an unterminated quote, or for a record
  // longer than the bound: "record longer than 1048576 bytes (104857601)",
  // its param the index (from 0) of the field in which the bound was crossed.
  // After that error (and only that one) the record has been read past, so
  // reading may go on with the next. `line()` is the line the record started on.
  Result<bool> Next(std::vector<std::string>& fields);
  int line() const { return record_line_; }
  // True when the last Next() failed on a record too long, which was skipped.
  bool skipped() const { return skipped_; }

 private:
  // Reads to the end of the record, from its `read`th byte `c` (already
  // taken from the stream), buffering nothing; returns the record's length in
  // bytes. `in_quotes`: inside a quoted field; `fresh`: at a field's start.
  size_t SkipRest(size_t read, bool in_quotes, bool fresh, int c);

  static constexpr int kEof = std::char_traits<char>::eof();
  static constexpr size_t kBufferBytes = 1 << 16;
  // The next character (taken, or only looked at), or kEof.
  int Bump() {
    if (pos_ == end_ && !Refill()) return kEof;
    return static_cast<unsigned char>(buffer_[pos_++]);
  }
  int Peek() {
    if (pos_ == end_ && !Refill()) return kEof;
    return static_cast<unsigned char>(buffer_[pos_]);
  }
  bool Refill();  // the next block of the stream into buffer_; false at its end
  // How many characters from pos_ on, in the buffer, are not `stops`.
  size_t PlainRun(const std::array<bool, 256>& stops) const;

  std::istream& in_;
  // Read ahead of the stream's position by up to kBufferBytes: the reader
  // is the stream's only consumer.
  std::unique_ptr<char[]> buffer_;
  size_t pos_ = 0, end_ = 0;
  size_t max_record_bytes_;
  int next_line_ = 1;
  int record_line_ = 0;
  bool skipped_ = false;
};

// A CSV file with a header row: columns by name. Has, header() and
// Get(row, column) only read the header, so other threads may call them while
// this one reads on with Next(row).
class CsvTable {
 public:
  explicit CsvTable(std::istream& in, size_t max_record_bytes = kMaxCsvRecordBytes)
      : reader_(in, max_record_bytes) {}

  // Reads the header. Column names are trimmed; a UTF-8 BOM is dropped.
  Status ReadHeader();
  Result<bool> Next();  // next data row into row(); blank lines are skipped
  // The same into `row` (its strings are reused), for a caller that keeps
  // several rows while it reads on.
  // A record too long fails with its param set to the header name of the
  // field in which the bound was crossed; reading may go on (skipped()).
  Result<bool> Next(std::vector<std::string>& row);
  int line() const { return reader_.line(); }
  bool skipped() const { return reader_.skipped(); }

  bool Has(std::string_view column) const;
  // The trimmed value of `column` in the current row ("" when absent).
  std::string_view Get(std::string_view column) const { return Get(row_, column); }
  // The same in `row`, a row read by Next(row).
  std::string_view Get(const std::vector<std::string>& row, std::string_view column) const;
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::string>& row() const { return row_; }

 private:
  // The column of `name` in the header (the first, if repeated), or npos
  // (ShortKeyIndex::kNone).
  size_t Column(std::string_view name) const;
  auto NameOf() const {
    return [this](size_t i) -> std::string_view { return header_[i]; };
  }

  CsvReader reader_;
  std::vector<std::string> header_;
  // Columns by name. A reader looks up some 30 names a row: 30 million
  // lookups at 1e6 rows, 0.6 s of CPU through a std::unordered_map.
  ShortKeyIndex columns_;
  std::vector<std::string> row_;
};

}  // namespace carefinder
