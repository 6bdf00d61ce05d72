// Reader of Meeting Guide feeds: each array element parsed on its own into
// one meeting record, every bad field of a bad meeting reported. The rules
// that turn a feed's fields into a record are listed in meeting_guide.h.
#include "importer/sources/meeting_guide.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/meeting_guide_meeting.h"
#include "importer/sources/meeting_guide_parts.h"

namespace carefinder::importer {

namespace {

using nlohmann::json;
namespace mg = meeting_guide;
using mg::Meeting;
using mg::Signals;

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
void AddOnce(std::vector<std::string>& v, std::string s) {
  if (!Has(v, s)) v.push_back(std::move(s));
}

// The fellowship a feed belongs to, from its source name: the feeds carry it
// nowhere else. See meeting_guide.h.
std::string Fellowship(std::string_view source_name) {
  std::vector<std::string> words = text::SplitList(text::ToLower(source_name), '-');
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "alanon" ||
        (words[i] == "al" && i + 1 < words.size() && words[i + 1] == "anon"))
      return "al-anon";
  }
  for (std::string_view code : {"eda", "na", "aa"}) {
    if (Has(words, code)) return std::string(code);
  }
  return "twelve-step";
}

// "2023-08-31 15:56:59", "2023-08-31T15:56:59Z" or "9/9/2021" -> YYYY-MM-DD.
std::string DateOf(std::string_view updated) {
  if (updated.size() >= 10 && IsIsoDate(updated.substr(0, 10))) {
    return std::string(updated.substr(0, 10));
  }
  std::vector<std::string> mdy = text::SplitList(updated.substr(0, updated.find(' ')), '/');
  if (mdy.size() != 3 || mdy[0].size() > 2 || mdy[1].size() > 2 || mdy[2].size() != 4) return "";
  std::string iso = mdy[2] + "-" + std::string(2 - mdy[0].size(), '0') + mdy[0] + "-" +
                    std::string(2 - mdy[1].size(), '0') + mdy[1];
  return IsIsoDate(iso) ? iso : "";
}

// Provenance, the meeting's key and its date.
void ReadIdentity(Meeting& m, const SourceInfo& source, ListingRecord& rec) {
  StampProvenance(rec, m, source);
  rec.name = m.Clean("name");
  if (rec.name.empty()) m.Reject("name", "required value is missing");
  rec.source_key = m.Text("slug");
  if (rec.source_key.empty()) rec.source_key = m.Text("id");
  if (rec.source_key.empty()) m.Reject("slug", "required value is missing (and no 'id' to use)");
  rec.as_of = DateOf(m.Text("updated"));
  if (rec.as_of.empty()) rec.as_of = source.as_of;
  if (rec.as_of.empty()) {
    m.Reject("updated", "no date: the meeting has no 'updated' and the source no as-of date");
  }
}

// The words a person reads: names, notes, region.
void ReadDescription(Meeting& m, ListingRecord& rec) {
  rec.organization = m.Clean("group");
  if (rec.organization.empty()) rec.organization = rec.name;
  rec.location_name = m.Clean("location");
  for (std::string_view key : {"notes", "location_notes"}) {
    std::string part = m.Clean(key);
    if (part.empty() || part == rec.description) continue;  // often the same words twice
    rec.description += (rec.description.empty() ? "" : "\n") + part;
  }
  for (std::string_view key : {"region", "sub_region"}) {
    std::string value = m.Clean(key);
    if (!value.empty()) rec.source_attributes.push_back(std::string(key) + ":" + value);
  }
}

// The raw codes of `types`: a list, or a string "C,M" / "[open]".
std::vector<std::string> RawTypes(Meeting& m) {
  std::vector<std::string> raw;
  const json* types = m.Get("types");
  if (!types) return raw;
  if (types->is_string()) {
    std::string_view s = text::Trim(types->get_ref<const std::string&>());
    if (s.starts_with('[') && s.ends_with(']')) s = s.substr(1, s.size() - 2);
    for (auto& code : text::SplitList(s, ',')) {
      std::string_view bare = text::Trim(code);
      while (!bare.empty() && (bare.front() == '"' || bare.front() == '\'')) bare.remove_prefix(1);
      while (!bare.empty() && (bare.back() == '"' || bare.back() == '\'')) bare.remove_suffix(1);
      if (!bare.empty()) raw.emplace_back(bare);
    }
  } else if (types->is_array()) {
    for (const json& item : *types) {
      if (item.is_string() && !text::Trim(item.get_ref<const std::string&>()).empty()) {
        raw.emplace_back(text::Trim(item.get_ref<const std::string&>()));
      } else if (item.is_number_integer()) {
        raw.push_back(item.dump());
      } else if (!item.is_null()) {
        m.Reject("types", item.dump() + " is not a type code");
      }
    }
  } else {
    m.Reject("types", types->dump() + " is not a list of type codes");
  }
  return raw;
}

// Type codes to terms; every code is kept as "type:CODE" (see meeting_guide.h).
void ReadTypes(Meeting& m, const Taxonomy& taxonomy, ListingRecord& rec, Signals& sig) {
  const mg::TypeTable& table = mg::TypeTable::Embedded();
  for (const std::string& raw : RawTypes(m)) {
    std::string code = table.Resolve(raw);
    if (code.empty()) {
      code = raw;
      AddOnce(sig.unknown_types, raw);
    }
    for (const auto& term : table.Terms(code)) {
      if (taxonomy.Find(term)) AddOnce(rec.terms, term);
    }
    sig.temporarily_closed |= code == "TC";
    sig.online_type |= code == "ONL";
    AddOnce(rec.source_attributes, "type:" + code);
  }
}

// 0 = Sunday ... 6 = Saturday, as a number or a numeric string.
std::optional<int> Day(Meeting& m, const json& v) {
  std::optional<long long> n;
  if (v.is_number_integer()) {
    n = v.get<long long>();
  } else if (v.is_string()) {
    n = text::ParseInt(v.get_ref<const std::string&>());
  }
  if (n && *n >= 0 && *n <= 6) return static_cast<int>(*n);
  m.Reject("day", v.dump() + " is not a day (0 = Sunday ... 6 = Saturday)");
  return std::nullopt;
}

void ReadSchedule(Meeting& m, ListingRecord& rec) {
  static constexpr std::array<const char*, 7> kDays = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
  static constexpr std::array<const char*, 7> kText = {"Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"};
  std::vector<int> days;
  const json* d = m.Get("day");
  bool day_given = m.Present("day") && !(d->is_array() && d->empty());
  if (day_given) {
    for (const json& v : d->is_array() ? *d : json::array({*d})) {
      auto day = Day(m, v);
      if (day && std::find(days.begin(), days.end(), *day) == days.end()) days.push_back(*day);
    }
  }
  std::string time = m.Text("time"), end = m.Text("end_time");
  if (!day_given && !time.empty()) {
    m.Reject("day", "required value is missing (the meeting has a time)");
  }
  if (time.empty()) {
    if (!days.empty()) m.Reject("time", "required value is missing (the meeting has a day)");
    return;  // no day and no time: by appointment
  }
  std::string opens = m.Take("time", mg::ParseClockTime(time));
  std::string closes = end.empty() ? "" : m.Take("end_time", mg::ParseClockTime(end));
  if (opens.empty() || days.empty()) return;
  std::string day_text;
  for (int day : days) {
    // No end time: the spec says consumers assume one hour.
    rec.hours.push_back({kDays[day], opens, closes.empty() ? mg::AddMinutes(opens, 60) : closes});
    day_text += (day_text.empty() ? "" : ",") + std::string(kText[day]);
  }
  rec.hours_text = day_text + " " + opens + (closes.empty() ? "" : "-" + closes);
}

// The conference link and dial-in, and the meeting's web page.
void ReadLinks(Meeting& m, ListingRecord& rec) {
  if (std::string url = m.Text("conference_url"); !url.empty()) {
    rec.conference_url = m.Take("conference_url", CheckUrl(url));
  }
  std::string phone = m.Text("conference_phone");
  int digits = 0;
  bool dialable = std::all_of(phone.begin(), phone.end(), [&](char c) {
    digits += c >= '0' && c <= '9';
    return (c >= '0' && c <= '9') || std::string_view("+,*#;-(). ").contains(c);
  });
  if (!phone.empty() && (!dialable || digits < 10)) {
    m.Reject("conference_phone", Quoted(phone) +
                                     " is not a dial-in number (10 or more digits; "
                                     "+ , * # allowed)");
  }
  rec.conference_phone = phone;
  std::string url = m.Text("url"), website = m.Text("website");
  if (!url.empty()) {
    rec.website = m.Take("url", CheckUrl(url));
  } else if (!website.empty()) {
    rec.website = m.Take("website", CheckUrl(website));
  }
}

void CheckUnique(Meeting& m, const ListingRecord& rec, SeenKeys& seen) {
  std::string here = m.file() + ":" + std::to_string(m.line());
  auto [it, inserted] = seen.emplace(rec.source + '\x1f' + rec.source_key, here);
  if (inserted) return;
  std::string prefix = m.file() + ":";
  std::string where =
      it->second.starts_with(prefix) ? "line " + it->second.substr(prefix.size()) : it->second;
  m.Reject("slug", Quoted(rec.source_key) + " repeats " + where);
}

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

// Why `el` is not a meeting object, or "" when it parsed into `obj`.
std::string ParseElement(const mg::Element& el, json& obj) {
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

struct Context {
  std::string file;
  const SourceInfo& source;
  const Taxonomy& taxonomy;
  SeenKeys& seen;
  std::string fellowship;
};

// Reads one element into `rec`; false when it was rejected.
bool ReadElement(const Context& cx, const mg::Element& el, std::vector<Rejection>& out,
                 ListingRecord& rec, Signals& sig) {
  json obj;
  if (std::string why = ParseElement(el, obj); !why.empty()) {
    out.push_back({cx.file, el.line, "", std::move(why)});
    return false;
  }
  Meeting m(obj, cx.file, el.line, out);
  rec.kind = "meeting";
  for (const std::string& term : {rec.kind, cx.fellowship}) {
    if (cx.taxonomy.Find(term)) rec.terms.push_back(term);
  }
  ReadIdentity(m, cx.source, rec);
  ReadDescription(m, rec);
  ReadTypes(m, cx.taxonomy, rec, sig);
  ReadSchedule(m, rec);
  mg::ReadPlace(m, rec, sig);
  ReadLinks(m, rec);
  mg::DecideAttendance(m, rec, sig);
  if (!m.bad()) CheckUnique(m, rec, cx.seen);  // a bad meeting must not claim its slug
  return !m.bad();
}

struct UnknownType {
  int first_line = 0;
  int meetings = 0;
};

void WarnUnknownTypes(const std::map<std::string, UnknownType>& unknown, ReadResult& result) {
  std::vector<std::pair<std::string, UnknownType>> sorted(unknown.begin(), unknown.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.first_line < b.second.first_line;
  });
  for (const auto& [code, u] : sorted) {
    result.warnings.push_back(
        {result.file, u.first_line, "types",
         Quoted(code) + " is not a Meeting Guide type code: kept as \"type:" + code + "\" on " +
             std::to_string(u.meetings) + (u.meetings == 1 ? " meeting" : " meetings")});
  }
}

// `"key"` followed by a colon somewhere in `text`.
bool HasKey(std::string_view text, std::string_view key) {
  std::string quoted = Quoted(key);
  for (size_t at = text.find(quoted); at != std::string_view::npos;
       at = text.find(quoted, at + 1)) {
    size_t next = text.find_first_not_of(" \t\r\n", at + quoted.size());
    if (next != std::string_view::npos && text[next] == ':') return true;
  }
  return false;
}

}  // namespace

bool LooksLikeMeetingGuide(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t open = head.find_first_not_of(" \t\r\n");
  if (open == std::string_view::npos || head[open] != '[') return false;
  size_t first = head.find_first_not_of(" \t\r\n", open + 1);
  if (first == std::string_view::npos || head[first] != '{') return false;
  if (!HasKey(head, "slug") || !HasKey(head, "name")) return false;
  for (std::string_view key : {"day", "time", "types", "formatted_address", "conference_url"}) {
    if (HasKey(head, key)) return true;
  }
  return false;
}

Result<ReadResult> ReadMeetingGuide(std::istream& in, std::string_view file,
                                    const SourceInfo& source, const Taxonomy& taxonomy,
                                    SeenKeys& seen) {
  if (source.name.empty()) {
    return Fail(Error::Invalid(std::string(file) +
                               ": a Meeting Guide feed needs a source name (--source NAME)"));
  }
  std::string text(std::istreambuf_iterator<char>(in), {});
  auto elements = mg::SplitArray(text);
  if (!elements) return Fail(Error::Invalid(std::string(file) + ":" + elements.error().message));
  Context cx{std::string(file), source, taxonomy, seen, Fellowship(source.name)};
  ReadResult result{std::string(file), std::string(kMeetingGuideFormat)};
  std::map<std::string, UnknownType> unknown;
  for (const mg::Element& el : *elements) {
    ++result.rows;
    ListingRecord rec;
    Signals sig;
    if (!ReadElement(cx, el, result.rejections, rec, sig)) {
      ++result.rejected_rows;
      continue;
    }
    for (const auto& code : sig.unknown_types) {
      UnknownType& u = unknown.try_emplace(code, UnknownType{rec.line, 0}).first->second;
      ++u.meetings;
    }
    result.records.push_back(std::move(rec));
  }
  WarnUnknownTypes(unknown, result);
  return result;
}

}  // namespace carefinder::importer
