// Where the rows of a JSON document are, for readers whose messages say
// `file:line`: nlohmann's parser knows no lines, so one scan beside it finds
// the line where each element of the document's row array starts, and every
// string that is not UTF-8 with its row, key and line (the parser would only
// fail the whole file on it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace carefinder::importer {

struct BadText {
  int row;            // index in the row array; -1 = outside every row
  std::string field;  // the row's top-level key holding it; "" when it is a key itself
  int line;
  std::string reason;  // "invalid UTF-8 at byte 4 (0xE9): save the file as UTF-8"
};

struct RowPlaces {
  std::vector<int> lines;  // line of each element of the row array, in order
  std::vector<BadText> bad_utf8;
};

// The row array is the top-level array, or the array under the top-level key
// `rows_key` (the last one, as the parser keeps the last of a repeated key).
// On text that is not JSON the answer is meaningless; parse it first or after
// and trust this only when the parse succeeds and the counts agree.
RowPlaces ScanRows(std::string_view text, std::string_view rows_key);

// `text` with every byte of an invalid UTF-8 sequence replaced by '?', so a
// parser reads the rest; the rows holding them are rejected by the caller.
std::string WithoutInvalidUtf8(std::string text);

// The 1-based line of byte `offset` of `text`.
int LineAt(std::string_view text, size_t offset);

}  // namespace carefinder::importer
