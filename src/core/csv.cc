// RFC 4180 CSV reading: see csv.h.
#include "core/csv.h"

#include <array>
#include <memory>

#include "core/text.h"

namespace carefinder {

namespace {

// The field being read, its characters appended in runs: std::string is an
// extern template, so a push_back per character is a call into libstdc++.
class FieldText {
 public:
  explicit FieldText(std::string& field) : field_(&field) { field_->clear(); }
  void Put(int c) {
    if (size_ == sizeof run_) Flush();
    run_[size_++] = static_cast<char>(c);
  }
  // A run of characters at once (Flush first: they follow the buffered ones).
  void Append(const char* p, size_t n) {
    Flush();
    field_->append(p, n);
  }
  bool empty() const { return size_ == 0 && field_->empty(); }
  // Call before the field's string is left (or may move).
  void Flush() {
    field_->append(run_, size_);
    size_ = 0;
  }
  void Restart(std::string& field) {
    field_ = &field;
    field_->clear();
  }

 private:
  std::string* field_;
  char run_[256];
  size_t size_ = 0;
};

// The characters that end a run of plain text outside quotes, and inside.
constexpr auto kStops = [] {
  std::array<bool, 256> stop{};
  for (unsigned char c : {',', '\n', '\r', '"'}) stop[c] = true;
  return stop;
}();
constexpr auto kQuotedStops = [] {
  std::array<bool, 256> stop{};
  for (unsigned char c : {'\n', '"'}) stop[c] = true;
  return stop;
}();

}  // namespace

bool CsvReader::Refill() {
  if (!buffer_) buffer_ = std::make_unique<char[]>(kBufferBytes);
  std::streamsize n = in_.rdbuf()->sgetn(buffer_.get(), kBufferBytes);
  pos_ = 0;
  end_ = n > 0 ? static_cast<size_t>(n) : 0;
  return end_ > 0;
}

size_t CsvReader::PlainRun(const std::array<bool, 256>& stops) const {
  size_t end = pos_;
  const auto* p = reinterpret_cast<const unsigned char*>(buffer_.get());
  while (end < end_ && !stops[p[end]]) ++end;
  return end - pos_;
}

Result<bool> CsvReader::Next(std::vector<std::string>& fields) {
  // Fields are overwritten in place, so a reader going through a file reuses
  // the strings (and their capacity) of the previous record. The input is
  // read a block at a time into the reader's own buffer, and plain text is
  // copied from it in runs (1e6 generated rows, 528 MB: 1.23 s a character
  // at a time from the stream's buffer, 0.57-0.92 s in runs).
  size_t count = 0;
  auto field = [&]() -> std::string& {
    if (count == fields.size()) fields.emplace_back();
    return fields[count];
  };
  record_line_ = next_line_;
  skipped_ = false;
  FieldText text(field());
  bool in_quotes = false, any = false, quoted_field = false;
  size_t size = 0;  // bytes of the record so far (line breaks inside quotes too)
  // After a plain character, the plain ones after it in the buffer, unless
  // they would cross the bound (the loop then finds where, one at a time).
  auto take_run = [&](const std::array<bool, 256>& stops) {
    size_t n = PlainRun(stops);
    if (n == 0 || size + n > max_record_bytes_) return;
    text.Append(buffer_.get() + pos_, n);
    pos_ += n;
    size += n;
  };
  int c;
  while ((c = Bump()) != kEof) {
    any = true;
    if (size++ >= max_record_bytes_ && (in_quotes || (c != '\n' && c != '\r'))) {
      text.Flush();
      bool fresh = text.empty() && !quoted_field;
      size_t total = SkipRest(size, in_quotes, fresh, c);
      fields.clear();
      skipped_ = true;
      return Fail(Error::Invalid("record longer than " + std::to_string(max_record_bytes_) +
                                     " bytes (" + std::to_string(total) + ")",
                                 std::to_string(count)));
    }
    if (in_quotes) {
      if (c == '"') {
        if (Peek() == '"') {
          Bump();
          ++size;
          text.Put('"');
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++next_line_;
        text.Put(c);
        take_run(kQuotedStops);
      }
      continue;
    }
    if (c == '"' && text.empty() && !quoted_field) {
      in_quotes = quoted_field = true;
    } else if (c == ',') {
      text.Flush();
      ++count;
      text.Restart(field());
      quoted_field = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && Peek() == '\n') Bump();
      ++next_line_;
      text.Flush();
      fields.resize(count + 1);
      return true;
    } else {
      text.Put(c);
      take_run(kStops);
    }
  }
  if (in_quotes) {
    return Fail(Error::Invalid("unterminated quoted field"));
  }
  if (!any) {
    fields.clear();
    return false;
  }
  text.Flush();
  fields.resize(count + 1);
  return true;
}

size_t CsvReader::SkipRest(size_t read, bool in_quotes, bool fresh, int c) {
  // The same quoting rules as Next(), keeping no text: a quote opens a
  // quoted field only as the field's first character.
  for (; c != kEof; c = Bump(), ++read) {
    if (in_quotes) {
      if (c == '"' && Peek() == '"') {
        Bump();
        ++read;
      } else if (c == '"') {
        in_quotes = false;
      } else if (c == '\n') {
        ++next_line_;
      }
    } else if (c == '"' && fresh) {
      in_quotes = true;
      fresh = false;
    } else if (c == ',') {
      fresh = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && Peek() == '\n') Bump();
      ++next_line_;
      return read - 1;  // the line break ends the record, it is not in it
    } else {
      fresh = false;
    }
  }
  return read - 1;  // the loop counted the end of input
}

Status CsvTable::ReadHeader() {
  auto ok = reader_.Next(header_);
  if (!ok) return Fail(Error::Invalid(ok.error().message));
  if (!*ok) return Fail(Error::Invalid("file is empty: no header row"));
  if (!header_.empty() && text::StartsWith(header_[0], "\xEF\xBB\xBF")) {
    header_[0].erase(0, 3);
  }
  columns_ = ShortKeyIndex(header_.size());
  for (size_t i = 0; i < header_.size(); ++i) {
    header_[i] = std::string(text::Trim(header_[i]));
    columns_.Add(header_[i], i, NameOf());  // a repeated name: the first is found
  }
  return {};
}

size_t CsvTable::Column(std::string_view name) const { return columns_.Find(name, NameOf()); }

Result<bool> CsvTable::Next() { return Next(row_); }

Result<bool> CsvTable::Next(std::vector<std::string>& row) {
  while (true) {
    auto ok = reader_.Next(row);
    if (!ok && reader_.skipped()) {  // param: the field's index -> its column's name
      size_t column = std::stoul(ok.error().param);
      ok.error().param = column < header_.size() ? header_[column] : "";
    }
    if (!ok || !*ok) return ok;
    bool blank = row.size() == 1 && text::Trim(row[0]).empty();
    if (!blank) return true;
  }
}

bool CsvTable::Has(std::string_view column) const { return Column(column) != std::string::npos; }

std::string_view CsvTable::Get(const std::vector<std::string>& row,
                               std::string_view column) const {
  size_t at = Column(column);
  if (at >= row.size()) return {};
  return text::Trim(row[at]);
}

}  // namespace carefinder
