// Stand-alone parts of the Meeting Guide reader: see meeting_guide_parts.h.
#include "importer/sources/meeting_guide_parts.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/csv.h"
#include "core/place_name.h"
#include "core/text.h"

namespace carefinder::importer::meeting_guide {

namespace {

using text::Quoted;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A cursor over the feed's text that counts lines as it moves.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  size_t pos() const { return pos_; }
  int line() const { return line_; }
  void Advance() {
    if (text_[pos_++] == '\n') ++line_;
  }
  void SkipSpace() {
    while (!done() && IsJsonSpace(peek())) Advance();
  }
  Error At(int line, std::string what) const {
    return Error::Invalid(std::to_string(line) + ": " + std::move(what));
  }

  // Moves past one JSON value: a string, an object or array (nesting and
  // strings followed), or a bare literal. Does not validate it.
  Status SkipValue() {
    int start = line_;
    if (peek() == '"') return SkipString(start);
    if (peek() != '{' && peek() != '[') {
      while (!done() && !IsJsonSpace(peek()) && peek() != ',' && peek() != ']') Advance();
      return {};
    }
    int depth = 0;
    while (!done()) {
      char c = peek();
      if (c == '"') {
        if (auto s = SkipString(line_); !s) return s;
        continue;
      }
      Advance();
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return {};
    }
    return Fail(At(start, "the element starting here never ends"));
  }

 private:
  Status SkipString(int start) {
    Advance();  // the opening quote
    while (!done()) {
      char c = peek();
      Advance();
      if (c == '"') return {};
      if (c == '\\' && !done()) Advance();
    }
    return Fail(At(start, "a string starting here never ends"));
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

bool IsZip(std::string_view s) {
  bool five = s.size() >= 5 && std::all_of(s.begin(), s.begin() + 5, IsDigit);
  if (s.size() == 5) return five;
  return five && s.size() == 10 && s[5] == '-' && std::all_of(s.begin() + 6, s.end(), IsDigit);
}

// "CA 92626" / "CA" -> state and ZIP; false when the part is not that.
bool ParseStateZip(std::string_view part, OneLineAddress& out) {
  std::vector<std::string> words = text::SplitList(part, ' ');
  if (words.empty() || words.size() > 2 || words[0].size() != 2) return false;
  std::string_view zip = words.size() == 2 ? std::string_view(words[1]) : "";
  auto code = NormalizeState(words[0]);
  if (!code || (!zip.empty() && !IsZip(zip))) return false;
  out.state = *code;
  out.postal_code = std::string(zip);
  return true;
}

// Takes the state and ZIP off the end of `parts`: "CA 92626" or "CA" in the
// last part, or "PA", "19040" in two parts (some geocoders and feeds write
// "979 West County Line Road, Hatboro, PA, 19040, USA"). False, with `out`
// untouched, when the end of `parts` is neither.
bool TakeStateZip(std::vector<std::string>& parts, OneLineAddress& out) {
  OneLineAddress found;
  if (parts.size() >= 2 && IsZip(parts.back()) && ParseStateZip(parts[parts.size() - 2], found) &&
      found.postal_code.empty()) {
    out.state = found.state;
    out.postal_code = parts.back();
    parts.resize(parts.size() - 2);
    return true;
  }
  if (!ParseStateZip(parts.back(), found)) return false;
  out.state = found.state;
  out.postal_code = found.postal_code;
  parts.pop_back();
  return true;
}

}  // namespace

Result<std::vector<Element>> SplitArray(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  Cursor c(text);
  c.SkipSpace();
  if (c.done() || c.peek() != '[') {
    return Fail(c.At(c.line(), "expected a JSON array of meetings ('[')"));
  }
  c.Advance();
  c.SkipSpace();
  std::vector<Element> out;
  bool closed = !c.done() && c.peek() == ']';
  while (!closed) {
    if (c.done()) break;
    size_t start = c.pos();
    int line = c.line();
    if (auto s = c.SkipValue(); !s) return Fail(s.error());
    out.push_back({text.substr(start, c.pos() - start), line});
    c.SkipSpace();
    if (c.done()) break;
    closed = c.peek() == ']';
    if (!closed && c.peek() != ',') {
      return Fail(c.At(c.line(), "expected ',' or ']' after the element starting on line " +
                                     std::to_string(line)));
    }
    if (!closed) {
      c.Advance();
      c.SkipSpace();
      if (!c.done() && c.peek() == ']') return Fail(c.At(c.line(), "expected a meeting after ','"));
    }
  }
  if (!closed) return Fail(c.At(c.line(), "the array of meetings never ends (no ']')"));
  c.Advance();
  c.SkipSpace();
  if (!c.done()) return Fail(c.At(c.line(), "unexpected text after the array of meetings"));
  return out;
}

Result<std::string> ParseClockTime(std::string_view text) {
  std::string s;
  for (char c : text::ToLower(text)) {
    if (c != ' ' && c != '.') s.push_back(c);
  }
  int half = 0;  // 0 = 24 h clock, 1 = am, 2 = pm
  if (s.ends_with("am") || s.ends_with("pm")) {
    half = s[s.size() - 2] == 'a' ? 1 : 2;
    s.resize(s.size() - 2);
  }
  auto bad = [&] {
    return Fail(Error::Invalid(Quoted(text) + " is not a time (HH:MM, or 8:00 PM)"));
  };
  std::vector<std::string> parts;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  if (s.empty() || s.back() == ':' || parts.empty() || parts.size() > 3) return bad();
  if (parts.size() == 1 && half == 0) return bad();  // "19" alone is not a time
  for (size_t i = 0; i < parts.size(); ++i) {
    size_t width = parts[i].size();
    bool ok = (i == 0 ? width >= 1 && width <= 2 : width == 2) &&
              std::all_of(parts[i].begin(), parts[i].end(), IsDigit);
    if (!ok) return bad();
  }
  int hour = std::stoi(parts[0]);
  int minute = parts.size() > 1 ? std::stoi(parts[1]) : 0;
  if (minute > 59 || (parts.size() > 2 && std::stoi(parts[2]) > 59)) return bad();
  if (half != 0) {
    if (hour < 1 || hour > 12) return bad();
    hour = hour % 12 + (half == 2 ? 12 : 0);
  } else if (hour > 23) {
    return bad();
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", hour, minute);
  return std::string(buf);
}

std::string AddMinutes(std::string_view hhmm, int minutes) {
  int total = std::stoi(std::string(hhmm.substr(0, 2))) * 60 +
              std::stoi(std::string(hhmm.substr(3, 2))) + minutes;
  total = ((total % 1440) + 1440) % 1440;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", total / 60, total % 60);
  return buf;
}

bool StartsArrayOfObjects(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t open = head.find_first_not_of(" \t\r\n");
  if (open == std::string_view::npos || head[open] != '[') return false;
  size_t first = head.find_first_not_of(" \t\r\n", open + 1);
  if (first == std::string_view::npos || head[first] != '{') return false;
  return true;
}

bool HasJsonKey(std::string_view text, std::string_view key) {
  std::string quoted = Quoted(key);
  for (size_t at = text.find(quoted); at != std::string_view::npos;
       at = text.find(quoted, at + 1)) {
    size_t next = text.find_first_not_of(" \t\r\n", at + quoted.size());
    if (next != std::string_view::npos && text[next] == ':') return true;
  }
  return false;
}

bool IsUsCountry(std::string_view country) {
  std::string folded = FoldPlaceName(country);
  return folded == "usa" || folded == "us" || folded == "u s a" || folded == "u s" ||
         folded == "united states" || folded == "united states of america";
}

OneLineAddress ParseOneLineAddress(std::string_view formatted) {
  OneLineAddress out;
  std::vector<std::string> parts = text::SplitList(formatted, ',');
  bool says_us = !parts.empty() && IsUsCountry(parts.back());
  if (says_us) parts.pop_back();
  if (parts.empty()) return out;  // "" or "United States": no place in particular
  if (!TakeStateZip(parts, out) && !says_us) {
    out.in_us = false;  // "Berlin, Germany", "Tbilisi, Georgia"
    return out;
  }
  if (!parts.empty()) {
    out.city = parts.back();
    parts.pop_back();
  }
  for (const auto& part : parts) out.street += (out.street.empty() ? "" : ", ") + part;
  return out;
}

Result<TypeTable> TypeTable::Parse(std::istream& in, const Taxonomy& taxonomy) {
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s) return Fail(s.error());
  for (const char* column : {"code", "term", "name"}) {
    if (!table.Has(column)) {
      return Fail(
          Error::Invalid(std::string("meeting_guide_types: missing column '") + column + "'"));
    }
  }
  TypeTable types;
  while (true) {
    auto more = table.Next();
    if (!more) return Fail(more.error());
    if (!*more) break;
    std::string code(table.Get("code")), term(table.Get("term")), name(table.Get("name"));
    std::string where = "meeting_guide_types:" + std::to_string(table.line()) + ": ";
    if (code.empty() || name.empty()) {
      return Fail(Error::Invalid(where + "code and name are required"));
    }
    if (!term.empty() && !taxonomy.Find(term)) {
      return Fail(Error::Invalid(where + "term '" + term + "' is not in the taxonomy"));
    }
    auto& terms = types.terms_[code];
    if (!term.empty()) terms.push_back(term);
    types.by_folded_.emplace(text::ToLower(code), code);
    types.by_folded_.emplace(text::ToLower(name), code);
  }
  return types;
}

const TypeTable& TypeTable::Embedded() {
  static const TypeTable table = ParseEmbedded<TypeTable>(kTypesCsv);
  return table;
}

std::string TypeTable::Resolve(std::string_view raw) const {
  if (terms_.contains(std::string(raw))) return std::string(raw);
  auto it = by_folded_.find(text::ToLower(raw));
  return it == by_folded_.end() ? "" : it->second;
}

const std::vector<std::string>& TypeTable::Terms(const std::string& code) const {
  static const std::vector<std::string> kNone;
  auto it = terms_.find(code);
  return it == terms_.end() ? kNone : it->second;
}

}  // namespace carefinder::importer::meeting_guide
