// Rejection messages shared by every reader: see reader.h.
#include "importer/sources/reader.h"

#include "core/text.h"
#include "importer/normalise.h"

namespace carefinder::importer {

std::optional<std::string> SeenKeys::Claim(std::string_view source, std::string_view key,
                                           std::string_view file, int line) {
  scratch_.assign(source);
  scratch_ += '\x1f';
  scratch_ += key;
  const uint64_t hash = std::hash<std::string_view>()(scratch_);
  if (2 * (entries_.size() + 1) > slots_.size()) Rehash(std::max<size_t>(64, 2 * slots_.size()));
  const size_t mask = slots_.size() - 1;
  size_t at = hash & mask;
  for (; slots_[at] != 0; at = (at + 1) & mask) {
    const uint32_t e = slots_[at] - 1;
    if (hashes_[e] == hash && KeyOf(entries_[e]) == scratch_) {
      return files_[entries_[e].file] + ":" + std::to_string(entries_[e].line);
    }
  }
  if (last_file_ >= files_.size() || files_[last_file_] != file) {  // rows come a file at a time
    last_file_ = static_cast<size_t>(std::find(files_.begin(), files_.end(), file) - files_.begin());
    if (last_file_ == files_.size()) files_.emplace_back(file);
  }
  entries_.push_back({keys_.size(), static_cast<uint32_t>(scratch_.size()),
                      static_cast<uint32_t>(last_file_), line});
  hashes_.push_back(hash);
  keys_ += scratch_;
  slots_[at] = static_cast<uint32_t>(entries_.size());
  return std::nullopt;
}

void SeenKeys::reserve(size_t keys) {
  size_t slots = 64;
  while (slots < 2 * keys) slots *= 2;
  if (slots > slots_.size()) Rehash(slots);
  entries_.reserve(keys);
  hashes_.reserve(keys);
}

void SeenKeys::Rehash(size_t slots) {
  slots_.assign(slots, 0);
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    size_t at = hashes_[e] & (slots - 1);
    while (slots_[at] != 0) at = (at + 1) & (slots - 1);
    slots_[at] = e + 1;
  }
}

std::string Rejection::Message() const {
  std::string m = file + ":" + std::to_string(line) + ": ";
  if (!field.empty()) m += "field '" + field + "': ";
  return m + reason;
}

namespace {

Error TooBig(std::string_view file, size_t limit, std::string size) {
  return Error::Invalid(std::string(file) + ": larger than " + std::to_string(limit) + " bytes (" +
                        size + "): split it, or import its records in a format read row by " +
                        "row (CSV)");
}

}  // namespace

Result<std::string> ReadWholeFile(std::istream& in, std::string_view file, size_t limit) {
  std::streambuf& buf = *in.rdbuf();
  std::streamoff here = buf.pubseekoff(0, std::ios::cur, std::ios::in);
  std::streamoff end = -1;
  if (here >= 0) end = buf.pubseekoff(0, std::ios::end, std::ios::in);
  if (here >= 0 && end >= 0) {  // a file: its size is known before reading it
    buf.pubseekoff(here, std::ios::beg, std::ios::in);
    auto left = static_cast<size_t>(end - here);
    if (left > limit) return Fail(TooBig(file, limit, std::to_string(left)));
  }
  std::string text;
  char chunk[1 << 16];
  while (true) {
    std::streamsize n = buf.sgetn(chunk, sizeof chunk);
    if (n <= 0) break;
    if (text.size() + static_cast<size_t>(n) > limit) return Fail(TooBig(file, limit, "more"));
    text.append(chunk, static_cast<size_t>(n));
  }
  return text;
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
  // Most rows are all ASCII, so valid: their bytes ORed together first, a
  // word at a time, and each cell checked only when one has a high bit (at
  // 1e6 rows, a check of each of 21 cells was 0.5 s of the read workers).
  uint64_t any = 0;
  for (const std::string& cell : cells) {
    size_t i = 0;
    for (; i + 8 <= cell.size(); i += 8) any |= text::Bytes8::Load8(cell, i).w;
    for (; i < cell.size(); ++i) any |= static_cast<unsigned char>(cell[i]);
  }
  if ((any & text::Bytes8::kHigh) == 0) return !row.bad();
  for (size_t i = 0; i < cells.size(); ++i) {
    if (auto s = CheckUtf8(cells[i]); !s) row.Reject(table.header()[i], s.error().message);
  }
  return !row.bad();
}

bool ClaimSourceKey(RowRejections& row, const ListingRecord& rec, int first_line,
                    std::string_view differ, SeenKeys& seen, std::vector<Rejection>& warnings) {
  if (first_line > 0) {
    std::string first = "line " + std::to_string(first_line);
    if (differ.empty()) {
      warnings.push_back({row.file(), row.line(), "",
                          "same facility as " + first + ", every value the same: skipped"});
    } else {
      row.Reject("", "same facility (name and address) as " + first + " but a different " +
                         std::string(differ) + ": the row on " + first + " is kept");
    }
    return false;
  }
  if (auto first = seen.Claim(rec.source, rec.source_key, row.file(), row.line())) {
    row.Reject("", "same facility (name and address) as " + *first + " for source \"" +
                       rec.source + "\"");
    return false;
  }
  return true;
}

}  // namespace carefinder::importer
