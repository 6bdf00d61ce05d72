// The National Directory's facility sheet and code sheet as plain rows of
// text, whether the file is the .xlsx workbook or the facility sheet as CSV.
// Used by samhsa_directory.cc only.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "importer/sources/reader.h"
#include "importer/sources/xlsx.h"

namespace carefinder::importer {

struct DirectoryInput {
  bool csv = false;
  int header_line = 1;
  std::vector<std::string> header;  // the facility sheet's first row, as written
  std::vector<XlsxRow> rows;        // its data rows; `number` = CSV line or sheet row
  // The code sheet: service code -> service name; empty for a CSV.
  std::unordered_map<std::string, std::string> code_names;
};

// Reads `bytes` (a whole file): a workbook when it starts with the zip magic,
// else CSV. A CSV row that cannot be read (an unterminated quote swallows the
// rest) is counted and rejected in `result`.
Result<DirectoryInput> LoadDirectoryInput(const std::string& bytes, std::string_view file,
                                          ReadResult& result);

}  // namespace carefinder::importer
