// RFC 4180 CSV reading: see csv.h.
#include "core/csv.h"

#include "core/text.h"

namespace carefinder {

Result<bool> CsvReader::Next(std::vector<std::string>& fields) {
  // Fields are overwritten in place, so a reader going through a file reuses
  // the strings (and their capacity) of the previous record. The stream's
  // buffer is read directly: istream::get() costs a sentry per character.
  std::streambuf& in = *in_.rdbuf();
  constexpr int kEof = std::char_traits<char>::eof();
  size_t count = 0;
  auto field = [&]() -> std::string& {
    if (count == fields.size()) fields.emplace_back();
    std::string& f = fields[count];
    return f;
  };
  record_line_ = next_line_;
  std::string* current = &field();
  current->clear();
  bool in_quotes = false, any = false, quoted_field = false;
  int c;
  while ((c = in.sbumpc()) != kEof) {
    any = true;
    if (in_quotes) {
      if (c == '"') {
        if (in.sgetc() == '"') {
          in.sbumpc();
          current->push_back('"');
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++next_line_;
        current->push_back(static_cast<char>(c));
      }
      continue;
    }
    if (c == '"' && current->empty() && !quoted_field) {
      in_quotes = quoted_field = true;
    } else if (c == ',') {
      ++count;
      current = &field();
      current->clear();
      quoted_field = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && in.sgetc() == '\n') in.sbumpc();
      ++next_line_;
      fields.resize(count + 1);
      return true;
    } else {
      current->push_back(static_cast<char>(c));
    }
  }
  if (in_quotes) {
    return Fail(Error::Invalid("unterminated quoted field"));
  }
  if (!any) {
    fields.clear();
    return false;
  }
  fields.resize(count + 1);
  return true;
}

Status CsvTable::ReadHeader() {
  auto ok = reader_.Next(header_);
  if (!ok) return Fail(ok.error());
  if (!*ok) return Fail(Error::Invalid("file is empty: no header row"));
  if (!header_.empty() && text::StartsWith(header_[0], "\xEF\xBB\xBF")) {
    header_[0].erase(0, 3);
  }
  for (size_t i = 0; i < header_.size(); ++i) {
    header_[i] = std::string(text::Trim(header_[i]));
    index_.emplace(header_[i], i);
  }
  return {};
}

Result<bool> CsvTable::Next() {
  while (true) {
    auto ok = reader_.Next(row_);
    if (!ok || !*ok) return ok;
    bool blank = row_.size() == 1 && text::Trim(row_[0]).empty();
    if (!blank) return true;
  }
}

bool CsvTable::Has(std::string_view column) const {
  return index_.contains(column);
}

std::string_view CsvTable::Get(std::string_view column) const {
  auto it = index_.find(column);
  if (it == index_.end() || it->second >= row_.size()) return {};
  return text::Trim(row_[it->second]);
}

}  // namespace carefinder
