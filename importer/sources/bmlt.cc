// Reader of BMLT GetSearchResults JSON: each array element parsed on its own
// into one NA meeting record, with the Meeting Guide reader's place and
// attendance rules. The rules are listed in bmlt.h.
#include "importer/sources/bmlt.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/bmlt_formats.h"
#include "importer/sources/meeting_guide_meeting.h"
#include "importer/sources/meeting_guide_parts.h"

namespace carefinder::importer {

namespace {

namespace mg = meeting_guide;
using mg::Meeting;
using mg::Signals;

using text::Quoted;

void AddOnce(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

// BMLT's own keys for the parts of a venue; it has no one-line address.
constexpr mg::PlaceKeys kPlaceKeys{"location_street",        "location_municipality",
                                   "location_province",      "location_postal_code_1",
                                   "location_nation",        ""};

void ReadIdentity(Meeting& m, const SourceInfo& source, ListingRecord& rec) {
  StampProvenance(rec, m, source);
  rec.source_key = m.Text("id_bigint");
  if (rec.source_key.empty()) m.Reject("id_bigint", "required value is missing");
  rec.name = m.Clean("meeting_name");
  if (rec.name.empty()) m.Reject("meeting_name", "required value is missing");
  rec.organization = rec.name;  // BMLT names no group: the meeting stands for itself
  rec.location_name = m.Clean("location_text");
  for (auto [key, label] : {std::pair{"location_info", ""}, {"comments", ""},
                            {"train_lines", "Trains: "}, {"bus_lines", "Buses: "}}) {
    std::string part = m.Clean(key);
    // Servers store some fields as "Train Lines#@-@#Tren D": a prompt, then the value.
    if (size_t at = part.find("#@-@#"); at != std::string::npos) part = text::Trim(part.substr(at + 5));
    if (part.empty()) continue;
    rec.description += (rec.description.empty() ? "" : "\n") + std::string(label) + part;
  }
  if (std::string body = m.Text("service_body_bigint"); !body.empty()) {
    rec.source_attributes.push_back("service_body:" + body);
  }
}

// Format codes to terms; every code is kept as "format:CODE" (see bmlt.h).
void ReadFormats(Meeting& m, const Taxonomy& taxonomy, ListingRecord& rec, Signals& sig) {
  const bmlt::FormatTable& table = bmlt::FormatTable::Embedded();
  for (const std::string& raw : text::SplitList(m.Text("formats"), ',')) {
    std::string code(text::Trim(raw));
    if (code.empty()) continue;
    const std::vector<std::string>* terms = table.Find(code);
    if (!terms) AddOnce(sig.unknown_types, code);
    for (const auto& term : terms ? *terms : std::vector<std::string>{}) {
      if (taxonomy.Find(term)) AddOnce(rec.terms, term);
    }
    sig.online_type |= code == "WEB";
    AddOnce(rec.source_attributes, "format:" + code);
  }
}

// "01:30:00" or "01:30" -> minutes; nullopt when it is not that.
std::optional<int> Minutes(std::string_view text) {
  std::vector<std::string> parts = text::SplitList(text, ':');
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  auto hours = text::ParseInt(parts[0]), minutes = text::ParseInt(parts[1]);
  if (!hours || !minutes || *hours < 0 || *hours > 23 || *minutes < 0 || *minutes > 59)
    return std::nullopt;
  return static_cast<int>(*hours * 60 + *minutes);
}

void ReadSchedule(Meeting& m, ListingRecord& rec) {
  std::string weekday = m.Text("weekday_tinyint"), start = m.Text("start_time");
  std::optional<long long> n = text::ParseInt(weekday);
  int day = n && *n >= 1 && *n <= 7 ? static_cast<int>(*n) : 0;  // 0 = none
  if (weekday.empty()) {
    m.Reject("weekday_tinyint", "required value is missing");
  } else if (day == 0) {
    m.Reject("weekday_tinyint", Quoted(weekday) + " is not a day (1 = Sunday ... 7 = Saturday)");
  }
  if (start.empty()) m.Reject("start_time", "required value is missing");
  std::string opens = start.empty() ? "" : m.Take("start_time", mg::ParseClockTime(start));
  std::string length = m.Text("duration_time");
  std::optional<int> minutes = length.empty() ? 0 : Minutes(length);
  if (!minutes) m.Reject("duration_time", Quoted(length) + " is not a duration (HH:MM:SS)");
  if (day == 0 || opens.empty() || !minutes) return;
  std::string closes = mg::AddMinutes(opens, *minutes == 0 ? 60 : *minutes);  // BMLT's default
  rec.hours.push_back({mg::kDayCodes[day - 1], opens, closes});
  rec.hours_text = std::string(mg::kDayNames[day - 1]) + " " + opens + "-" + closes;
}

// Street, city and the ways to join; `venue_type` 2 says there is no venue.
void ReadPlaceAndLinks(Meeting& m, ListingRecord& rec, Signals& sig) {
  sig.keys = kPlaceKeys;
  mg::ReadPlace(m, rec, sig);
  // New York City writes the borough here and "New York" as the municipality.
  if (std::string borough = m.Clean("location_city_subsection"); !borough.empty()) {
    rec.address.city = borough;
  }
  if (m.Text("venue_type") == "2") sig.approximate = true;
  if (std::string url = m.Text("virtual_meeting_link"); !url.empty()) {
    rec.conference_url = m.Take("virtual_meeting_link", CheckUrl(url));
  }
  mg::ReadDialIn(m, "phone_meeting_number", rec);
}

struct Context {
  std::string file;
  const SourceInfo& source;
  const Taxonomy& taxonomy;
  SeenKeys& seen;
};

bool ReadElement(const Context& cx, const mg::Element& el, std::vector<Rejection>& out,
                 ListingRecord& rec, Signals& sig) {
  mg::json obj;
  if (std::string why = mg::ParseElement(el, obj); !why.empty()) {
    out.push_back({cx.file, el.line, "", std::move(why)});
    return false;
  }
  Meeting m(obj, cx.file, el.line, out);
  rec.kind = "meeting";
  for (const std::string term : {"meeting", "na"}) {
    if (cx.taxonomy.Find(term)) rec.terms.push_back(term);
  }
  ReadIdentity(m, cx.source, rec);
  ReadFormats(m, cx.taxonomy, rec, sig);
  ReadSchedule(m, rec);
  ReadPlaceAndLinks(m, rec, sig);
  mg::ReadTimeZone(m, "time_zone", cx.source, rec, sig);
  mg::DecideAttendance(m, rec, sig);
  if (!m.bad()) mg::CheckUnique(m, rec, cx.seen, "id_bigint");  // a bad meeting claims no key
  return !m.bad();
}

}  // namespace

bool LooksLikeBmlt(std::string_view head) {
  if (!mg::StartsArrayOfObjects(head)) return false;
  return mg::HasJsonKey(head, "id_bigint") && mg::HasJsonKey(head, "weekday_tinyint");
}

Result<ReadResult> ReadBmlt(std::istream& in, std::string_view file, const SourceInfo& source,
                            const Taxonomy& taxonomy, SeenKeys& seen) {
  if (source.name.empty()) {
    return Fail(Error::Invalid(std::string(file) +
                               ": a BMLT file needs a source name (--source NAME)"));
  }
  if (source.as_of.empty()) {  // the meetings carry no date of their own
    return Fail(Error::Invalid(std::string(file) +
                               ": a BMLT file needs an as-of date (--as-of YYYY-MM-DD)"));
  }
  Context cx{std::string(file), source, taxonomy, seen};
  return mg::ReadMeetings(in, file, kBmltFormat, {"formats", "BMLT format code", "format:"},
                          [&](const mg::Element& el, std::vector<Rejection>& out,
                              ListingRecord& rec, Signals& sig) {
                            return ReadElement(cx, el, out, rec, sig);
                          });
}

}  // namespace carefinder::importer
