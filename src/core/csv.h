// CsvReader: RFC 4180 records from a stream, with the physical line each
// record starts on (quoted fields may span lines), so every importer message
// can say `file:line`. Reads the header row and gives fields by name.
#pragma once

#include <istream>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace carefinder {

class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}

  // Reads one record into `fields` (its strings are reused). Returns false
  // at end of input; an error for an unterminated quote. `line()` is the line the record started on.
  Result<bool> Next(std::vector<std::string>& fields);
  int line() const { return record_line_; }

 private:
  std::istream& in_;
  int next_line_ = 1;
  int record_line_ = 0;
};

// A CSV file with a header row: columns by name. Has, header() and
// Get(row, column) only read the header, so other threads may call them while
// this one reads on with Next(row).
class CsvTable {
 public:
  explicit CsvTable(std::istream& in) : reader_(in) {}

  // Reads the header. Column names are trimmed; a UTF-8 BOM is dropped.
  Status ReadHeader();
  Result<bool> Next();  // next data row into row(); blank lines are skipped
  // The same into `row` (its strings are reused), for a caller that keeps
  // several rows while it reads on.
  Result<bool> Next(std::vector<std::string>& row);
  int line() const { return reader_.line(); }

  bool Has(std::string_view column) const;
  // The trimmed value of `column` in the current row ("" when absent).
  std::string_view Get(std::string_view column) const { return Get(row_, column); }
  // The same in `row`, a row read by Next(row).
  std::string_view Get(const std::vector<std::string>& row, std::string_view column) const;
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::string>& row() const { return row_; }

 private:
  CsvReader reader_;
  std::vector<std::string> header_;
  // Looked up by string_view without making a string (C++20 transparent lookup).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> index_;
  std::vector<std::string> row_;
};

}  // namespace carefinder
