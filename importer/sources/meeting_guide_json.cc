// What the Meeting Guide and BMLT readers share in reading a JSON array of
// meeting objects: the read loop with its unknown-code warnings, parsing an
// element with its line, the dial-in check and repeated keys (declared in
// meeting_guide_meeting.h).
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>

#include "core/text.h"
#include "importer/sources/meeting_guide_meeting.h"

namespace carefinder::importer::meeting_guide {

namespace {

using text::Quoted;

// Finds where and why a text is not JSON, without exceptions.
class JsonErrorFinder : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    position_ = position;
    std::string_view what = ex.what();  // "[json...] parse error at line 1, column 5: why"
    size_t column = what.find("column ");
    size_t colon = what.find(": ", column == std::string_view::npos ? 0 : column);
    why_ = colon == std::string_view::npos ? what : what.substr(colon + 2);
    return false;
  }
  size_t position_ = 0;
  std::string why_;
};

// A code its table does not know: the first line carrying it, and how many
// meetings do.
struct UnknownCode {
  int first_line = 0;
  int meetings = 0;
};

void WarnUnknownCodes(const std::map<std::string, UnknownCode>& unknown,
                      const UnknownCodeWarning& w, ReadResult& result) {
  std::vector<std::pair<std::string, UnknownCode>> sorted(unknown.begin(), unknown.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.first_line < b.second.first_line;
  });
  for (const auto& [code, u] : sorted) {
    result.warnings.push_back(
        {result.file, u.first_line, std::string(w.field),
         Quoted(code) + " is not a " + std::string(w.what) + ": kept as \"" +
             std::string(w.prefix) + code + "\" on " + std::to_string(u.meetings) +
             (u.meetings == 1 ? " meeting" : " meetings")});
  }
}

}  // namespace

// Why `el` is not a meeting object, or "" when it parsed into `obj`.
std::string ParseElement(const Element& el, json& obj) {
  auto line_at = [&](size_t offset) {
    offset = std::min(offset, el.json.size());
    return std::to_string(el.line + std::count(el.json.begin(), el.json.begin() + offset, '\n'));
  };
  if (auto at = text::FindInvalidUtf8(el.json)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(el.json[*at]));
    return "invalid UTF-8 on line " + line_at(*at) + " (" + hex + "): save the feed as UTF-8";
  }
  obj = json::parse(el.json, nullptr, false);
  if (obj.is_discarded()) {
    JsonErrorFinder finder;
    json::sax_parse(el.json, &finder);
    size_t at = finder.position_ > 0 ? finder.position_ - 1 : 0;
    return "not valid JSON on line " + line_at(at) + ": " + finder.why_;
  }
  if (obj.is_object()) return "";
  return std::string("a meeting must be a JSON object, got a JSON ") + obj.type_name();
}

void CheckUnique(Meeting& m, const ListingRecord& rec, SeenKeys& seen, std::string_view key_field) {
  auto first = seen.Claim(rec.source, rec.source_key, m.file(), m.line());
  if (!first) return;
  std::string prefix = m.file() + ":";
  std::string where = first->starts_with(prefix) ? "line " + first->substr(prefix.size()) : *first;
  m.Reject(key_field, Quoted(rec.source_key) + " repeats " + where);
}

void ReadDialIn(Meeting& m, std::string_view key, ListingRecord& rec) {
  std::string phone = m.Text(key);
  int digits = 0;
  bool dialable = std::all_of(phone.begin(), phone.end(), [&](char c) {
    digits += c >= '0' && c <= '9';
    return (c >= '0' && c <= '9') || std::string_view("+,*#;-(). ").contains(c);
  });
  if (!phone.empty() && (!dialable || digits < 10)) {
    m.Reject(key, Quoted(phone) + " is not a dial-in number (10 or more digits; + , * # allowed)");
  }
  rec.conference_phone = phone;
}

Result<ReadResult> ReadMeetings(std::istream& in, std::string_view file, std::string_view format,
                                const UnknownCodeWarning& warning, const ReadOne& read_one) {
  auto read = ReadWholeFile(in, file);
  if (!read) return Fail(read.error());
  std::string text = std::move(*read);
  auto elements = SplitArray(text);
  if (!elements) return Fail(Error::Invalid(std::string(file) + ":" + elements.error().message));
  ReadResult result{std::string(file), std::string(format)};
  std::map<std::string, UnknownCode> unknown;
  for (const Element& el : *elements) {
    ++result.rows;
    ListingRecord rec;
    Signals sig;
    if (!read_one(el, result.rejections, rec, sig)) {
      ++result.rejected_rows;
      continue;
    }
    for (const auto& code : sig.unknown_types) {
      ++unknown.try_emplace(code, UnknownCode{rec.line, 0}).first->second.meetings;
    }
    result.records.push_back(std::move(rec));
  }
  WarnUnknownCodes(unknown, warning, result);
  return result;
}

}  // namespace carefinder::importer::meeting_guide
