// Loading the National Directory's sheets from .xlsx or CSV: see
// samhsa_directory_input.h.
#include "importer/sources/samhsa_directory_input.h"

#include <algorithm>
#include <sstream>

#include "core/csv.h"
#include "core/text.h"

namespace carefinder::importer {

namespace {

std::string Lower(std::string_view s) { return text::ToLower(text::Trim(s)); }

Result<DirectoryInput> LoadCsv(const std::string& bytes, std::string_view file,
                               ReadResult& result) {
  std::istringstream in(bytes);
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s)
    return Fail(Error::Invalid(std::string(file) + ":1: " + s.error().message));
  DirectoryInput out;
  out.csv = true;
  out.header = table.header();
  std::vector<std::string> cells;
  while (true) {
    auto more = table.Next(cells);
    if (!more) {
      result.rejections.push_back(
          {std::string(file), table.line(), more.error().param, more.error().message});
      ++result.rows;
      ++result.rejected_rows;
      if (table.skipped()) continue;  // a row too long, read past
      break;
    }
    if (!*more) break;
    out.rows.push_back({table.line(), cells});
  }
  return out;
}

// The code sheet's code -> name, from its header row's service_code and
// service_name columns (any case); empty when the sheet has neither.
std::unordered_map<std::string, std::string> CodeNames(const XlsxSheet& sheet) {
  std::unordered_map<std::string, std::string> out;
  if (sheet.rows.empty()) return out;
  const auto& header = sheet.rows.front().cells;
  auto column = [&](std::string_view name) {
    auto it = std::ranges::find_if(header, [&](const std::string& h) { return Lower(h) == name; });
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  int code = column("service_code"), name = column("service_name");
  if (code < 0 || name < 0) return out;
  for (size_t i = 1; i < sheet.rows.size(); ++i) {
    const auto& cells = sheet.rows[i].cells;
    if (static_cast<int>(cells.size()) <= std::max(code, name)) continue;
    std::string c(text::Trim(cells[code]));
    if (!c.empty()) out.try_emplace(c, text::CollapseSpace(text::Trim(cells[name])));
  }
  return out;
}

Result<DirectoryInput> LoadXlsx(const std::string& bytes, std::string_view file) {
  auto sheets = ReadXlsx(bytes, file);
  if (!sheets) return Fail(sheets.error());
  if (sheets->empty())
    return Fail(Error::Invalid(std::string(file) + ": the workbook has no sheet"));
  auto named = [&](auto pred) {
    return std::ranges::find_if(*sheets, [&](const XlsxSheet& s) { return pred(Lower(s.name)); });
  };
  auto facilities = named([](const std::string& n) { return n == "facilities list"; });
  if (facilities == sheets->end()) facilities = sheets->begin();
  auto codes = named([](const std::string& n) { return n.contains("code"); });
  if (codes == sheets->end() && sheets->size() > 1) codes = sheets->begin() + 1;
  DirectoryInput out;
  if (codes != sheets->end() && codes != facilities) out.code_names = CodeNames(*codes);
  if (facilities->rows.empty())
    return Fail(Error::Invalid(std::string(file) + ": sheet \"" + facilities->name +
                               "\" is empty: no header row"));
  out.header_line = facilities->rows.front().number;
  out.header = std::move(facilities->rows.front().cells);
  out.rows.assign(std::make_move_iterator(facilities->rows.begin() + 1),
                  std::make_move_iterator(facilities->rows.end()));
  return out;
}

}  // namespace

Result<DirectoryInput> LoadDirectoryInput(const std::string& bytes, std::string_view file,
                                          ReadResult& result) {
  if (LooksLikeZip(bytes)) return LoadXlsx(bytes, file);
  return LoadCsv(bytes, file, result);
}

}  // namespace carefinder::importer
