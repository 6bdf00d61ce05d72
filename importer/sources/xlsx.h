// A minimal, bounded .xlsx (Office Open XML workbook) reader: the sheet names
// and every sheet's cells as text, from bytes in memory (libzip + expat). Only
// what a data export needs: shared and inline strings, numbers kept as the
// text the file stores, cell references placing each cell in its column.
//
// Bounds: a part (one file inside the zip) larger than kMaxXlsxPart bytes
// decompressed is refused, as are column letters past XFD and row numbers
// past 1,048,576 (Excel's limits), so a hostile file cannot exhaust memory.
// Malformed zip or XML is an error naming the part, never a crash.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace carefinder::importer {

inline constexpr size_t kMaxXlsxPart = 256u << 20;  // 256 MB decompressed

// One sheet row: its 1-based row number in the sheet and its cells by column
// (A = 0), empty cells as "", trailing empty cells not stored.
struct XlsxRow {
  int number = 0;
  std::vector<std::string> cells;
};

struct XlsxSheet {
  std::string name;  // as the workbook names it: "Facilities List"
  std::vector<XlsxRow> rows;  // rows with at least one cell, in sheet order
};

// True when `bytes` start like a zip archive ("PK\x03\x04").
bool LooksLikeZip(std::string_view bytes);

// Every sheet of the workbook in `bytes`, in workbook order. Errors read
// "<file>: not an .xlsx workbook: ..." or "<file>: xl/worksheets/sheet1.xml:
// ...", naming what is wrong.
Result<std::vector<XlsxSheet>> ReadXlsx(std::string_view bytes, std::string_view file);

}  // namespace carefinder::importer
