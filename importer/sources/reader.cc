// Rejection messages shared by every reader: see reader.h.
#include "importer/sources/reader.h"

#include "importer/normalise.h"

namespace carefinder::importer {

std::string Rejection::Message() const {
  std::string m = file + ":" + std::to_string(line) + ": ";
  if (!field.empty()) m += "field '" + field + "': ";
  return m + reason;
}

void StampProvenance(ListingRecord& rec, const RowRejections& row, const SourceInfo& source) {
  rec.file = row.file();
  rec.line = row.line();
  rec.source = source.name;
  rec.source_url = source.url;
  rec.source_license = source.license;
  rec.as_of = source.as_of;
}

void AddPhoneOnce(std::vector<Phone>& phones, Phone phone) {
  bool repeated = std::ranges::any_of(phones, [&](const Phone& p) {
    return p.display == phone.display && p.extension == phone.extension;
  });
  if (!repeated) phones.push_back(std::move(phone));
}

bool CheckCsvCells(const CsvTable& table, RowRejections& row) {
  return CheckCsvCells(table, table.row(), row);
}

bool CheckCsvCells(const CsvTable& table, const std::vector<std::string>& cells,
                   RowRejections& row) {
  if (cells.size() != table.header().size()) {
    row.Reject("", "row has " + std::to_string(cells.size()) + " fields, the header has " +
                       std::to_string(table.header().size()));
    return false;
  }
  for (size_t i = 0; i < cells.size(); ++i) {
    if (auto s = CheckUtf8(cells[i]); !s) row.Reject(table.header()[i], s.error().message);
  }
  return !row.bad();
}

}  // namespace carefinder::importer
