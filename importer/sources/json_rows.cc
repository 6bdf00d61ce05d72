// The JSON row scan: see json_rows.h.
#include "importer/sources/json_rows.h"

#include <algorithm>

#include "core/text.h"
#include "importer/normalise.h"

namespace carefinder::importer {

namespace {

// One pass over the text, tracking nesting and strings.
class RowScanner {
 public:
  RowScanner(std::string_view text, std::string_view rows_key) : text_(text), rows_key_(rows_key) {}

  RowPlaces Scan() {
    for (i_ = 0; i_ < text_.size(); ++i_) {
      char c = text_[i_];
      if (c == '\n') ++line_;
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
      if (expect_row_ && InRowsArray() && c != ']') {
        places_.lines.push_back(line_);
        expect_row_ = false;
      }
      switch (c) {
        case '"': String(); break;
        case '{': Open(true); break;
        case '[': Open(false); break;
        case '}': case ']': Close(); break;
        case ':': if (!stack_.empty()) stack_.back().expect_key = false; break;
        case ',': Comma(); break;
        default: break;
      }
    }
    return std::move(places_);
  }

 private:
  struct Frame {
    bool object, rows, expect_key;
    std::string key;  // the last key read in this object
  };

  bool InRowsArray() const { return !stack_.empty() && stack_.back().rows; }
  bool InRow() const { return in_rows_ && stack_.size() > rows_depth_; }

  void Open(bool object) {
    bool rows = !object && (stack_.empty() || (stack_.size() == 1 && stack_[0].object &&
                                               stack_[0].key == rows_key_));
    stack_.push_back({object, rows, object, ""});
    if (!rows) return;
    // A repeated "rows" key: the parser keeps the last array, and so do we.
    places_.lines.clear();
    std::erase_if(places_.bad_utf8, [](const BadText& b) { return b.row >= 0; });
    in_rows_ = expect_row_ = true;
    rows_depth_ = stack_.size();
  }
  void Close() {
    if (stack_.empty()) return;
    if (stack_.back().rows) in_rows_ = expect_row_ = false;
    stack_.pop_back();
  }
  void Comma() {
    if (stack_.empty()) return;
    if (stack_.back().object) stack_.back().expect_key = true;
    else if (stack_.back().rows) expect_row_ = true;
  }
  void String() {
    size_t end = i_ + 1;
    while (end < text_.size() && text_[end] != '"') end += text_[end] == '\\' ? 2 : 1;
    std::string_view content = text_.substr(i_ + 1, std::min(end, text_.size()) - i_ - 1);
    bool is_key = !stack_.empty() && stack_.back().object && stack_.back().expect_key;
    bool row_level = InRow() && stack_.size() == rows_depth_ + 1;
    if (is_key && (stack_.size() == 1 || row_level)) stack_.back().key = std::string(content);
    if (auto bad = CheckUtf8(content); !bad) {
      auto at = text::FindInvalidUtf8(content);
      int line = line_ + static_cast<int>(std::count(content.begin(), content.begin() + *at, '\n'));
      std::string field = is_key || !InRow() ? "" : stack_[rows_depth_].key;
      int row = InRow() ? static_cast<int>(places_.lines.size()) - 1 : -1;
      places_.bad_utf8.push_back({row, field, line, bad.error().message});
    }
    line_ += static_cast<int>(std::count(content.begin(), content.end(), '\n'));
    i_ = end;
  }

  std::string_view text_, rows_key_;
  size_t i_ = 0;
  int line_ = 1;
  std::vector<Frame> stack_;
  bool in_rows_ = false, expect_row_ = false;
  size_t rows_depth_ = 0;
  RowPlaces places_;
};

}  // namespace

RowPlaces ScanRows(std::string_view text, std::string_view rows_key) {
  return RowScanner(text, rows_key).Scan();
}

std::string WithoutInvalidUtf8(std::string text) {
  size_t pos = 0;
  while (auto at = text::FindInvalidUtf8(std::string_view(text).substr(pos))) {
    text[pos + *at] = '?';
    pos += *at + 1;
  }
  return text;
}

int LineAt(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

}  // namespace carefinder::importer
