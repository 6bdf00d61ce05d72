// Reader of Meeting Guide feeds: each array element parsed on its own into
// one meeting record, every bad field of a bad meeting reported. The rules
// that turn a feed's fields into a record are listed in meeting_guide.h.
#include "importer/sources/meeting_guide.h"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/date.h"
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
  if (updated.size() >= 10 && date::IsIsoDate(updated.substr(0, 10))) {
    return std::string(updated.substr(0, 10));
  }
  std::vector<std::string> mdy = text::SplitList(updated.substr(0, updated.find(' ')), '/');
  if (mdy.size() != 3 || mdy[0].size() > 2 || mdy[1].size() > 2 || mdy[2].size() != 4) return "";
  std::string iso = mdy[2] + "-" + std::string(2 - mdy[0].size(), '0') + mdy[0] + "-" +
                    std::string(2 - mdy[1].size(), '0') + mdy[1];
  return date::IsIsoDate(iso) ? iso : "";
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
    rec.hours.push_back({mg::kDayCodes[day], opens, closes.empty() ? mg::AddMinutes(opens, 60) : closes});
    day_text += (day_text.empty() ? "" : ",") + std::string(mg::kDayNames[day]);
  }
  rec.hours_text = day_text + " " + opens + (closes.empty() ? "" : "-" + closes);
}

// The conference link and dial-in, and the meeting's web page.
void ReadLinks(Meeting& m, ListingRecord& rec) {
  if (std::string url = m.Text("conference_url"); !url.empty()) {
    rec.conference_url = m.Take("conference_url", CheckUrl(url));
  }
  mg::ReadDialIn(m, "conference_phone", rec);
  std::string url = m.Text("url"), website = m.Text("website");
  if (!url.empty()) {
    rec.website = m.Take("url", CheckUrl(url));
  } else if (!website.empty()) {
    rec.website = m.Take("website", CheckUrl(website));
  }
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
  if (std::string why = mg::ParseElement(el, obj); !why.empty()) {
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
  mg::ReadTimeZone(m, "timezone", cx.source, rec, sig);
  ReadLinks(m, rec);
  mg::DecideAttendance(m, rec, sig);
  if (!m.bad()) mg::CheckUnique(m, rec, cx.seen, "slug");  // a bad meeting must not claim its slug
  return !m.bad();
}


}  // namespace

bool LooksLikeMeetingGuide(std::string_view head) {
  if (!mg::StartsArrayOfObjects(head)) return false;
  if (!mg::HasJsonKey(head, "slug") || !mg::HasJsonKey(head, "name")) return false;
  for (std::string_view key : {"day", "time", "types", "formatted_address", "conference_url"}) {
    if (mg::HasJsonKey(head, key)) return true;
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
  Context cx{std::string(file), source, taxonomy, seen, Fellowship(source.name)};
  return mg::ReadMeetings(in, file, kMeetingGuideFormat, {"types", "Meeting Guide type code", "type:"},
                          [&](const mg::Element& el, std::vector<Rejection>& out,
                              ListingRecord& rec, Signals& sig) {
                            return ReadElement(cx, el, out, rec, sig);
                          });
}

}  // namespace carefinder::importer
