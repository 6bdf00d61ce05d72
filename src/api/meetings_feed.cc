// The Meeting Guide feed: see meetings_feed.h. Each meeting is rendered from
// its listing doc (which already holds address, coordinates, terms, weekly
// times, conference details and source attributes) plus the few columns the
// doc lacks (store::ListingRow).
#include "api/meetings_feed.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "api/problem.h"
#include "core/csv.h"
#include "core/text.h"
#include "store/hsds_store.h"

namespace carefinder::api {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kTypePrefix = "type:";
constexpr std::chrono::seconds kFeedBudget{30};  // every meeting at once (thousands)
// The spec asks for at most 64 characters, but a feed's own longer slug is
// kept as it is: apps key favourites on it.
constexpr size_t kMaxSlugChars = 255;
// Retired from the spec (2022): never emitted.
constexpr std::string_view kRetiredCodes[] = {"ONL", "NS"};
// Where several codes map to one of our terms, the code that means the term.
constexpr std::pair<std::string_view, std::string_view> kPreferredCodes[] = {
    {"lgbtq", "LGBTQ"}, {"children-welcome", "CF"}};
constexpr std::string_view kDays[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

// j[key] when it is an object, else an empty object.
const Json& Member(const Json& j, const char* key) {
  static const Json kEmpty = Json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// One meeting time: the days that share a start and end.
struct MeetingTime {
  std::vector<int> days;
  std::string time, end_time;
};

std::vector<MeetingTime> Times(const Json& doc) {
  std::vector<MeetingTime> out;
  auto weekly = Member(doc, "hours").find("weekly");
  if (weekly == Member(doc, "hours").end() || !weekly->is_array()) return out;
  for (const auto& w : *weekly) {
    auto day = std::find(std::begin(kDays), std::end(kDays), Str(w, "day"));
    if (day == std::end(kDays)) continue;
    std::string opens = Str(w, "opens"), closes = Str(w, "closes");
    if (closes == "24:00") closes = "23:59";  // the feed's times stop at 23:59
    auto same = std::find_if(out.begin(), out.end(), [&](const MeetingTime& t) {
      return t.time == opens && t.end_time == closes;
    });
    if (same == out.end()) same = out.insert(out.end(), {{}, opens, closes});
    same->days.push_back(static_cast<int>(day - std::begin(kDays)));
  }
  for (auto& t : out) {
    std::sort(t.days.begin(), t.days.end());
    t.days.erase(std::unique(t.days.begin(), t.days.end()), t.days.end());
  }
  return out;
}

void AddUnique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

std::vector<std::string> Types(const Json& doc, const MeetingGuideTypes& types) {
  std::vector<std::string> codes;
  for (const auto& s : doc.value("other_services", Json::array())) {
    std::string v = s.is_string() ? s.get<std::string>() : "";
    if (!text::StartsWith(v, kTypePrefix)) continue;
    std::string code = v.substr(kTypePrefix.size());
    if (types.IsOfficial(code)) AddUnique(codes, code);
  }
  if (codes.empty()) {
    for (const auto& [group, terms] : Member(doc, "terms").items()) {
      for (const auto& term : terms) {
        auto it = types.code_for_term.find(term.is_string() ? term.get<std::string>() : "");
        if (it != types.code_for_term.end()) AddUnique(codes, it->second);
      }
    }
    auto rank = [&](const std::string& c) {
      return std::find(types.official.begin(), types.official.end(), c) - types.official.begin();
    };
    std::sort(codes.begin(), codes.end(),
              [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  }
  if (Str(doc, "status") == "temporarily closed") AddUnique(codes, "TC");
  return codes;
}

bool HasTerm(const Json& doc, const char* group, const char* code) {
  auto codes = Member(doc, "terms").find(group);
  if (codes == Member(doc, "terms").end()) return false;
  for (const auto& t : *codes) {
    if (t == code) return true;
  }
  return false;
}

// in_person / online / hybrid / inactive, the TSML UI way (standards.md §4.3).
std::string AttendanceOption(const Json& doc, bool online, bool in_person) {
  if (Str(doc, "status") != "active") return online ? "online" : "inactive";
  if (HasTerm(doc, "attendance", "hybrid")) return "hybrid";
  if (online && in_person) return "hybrid";
  if (online || HasTerm(doc, "attendance", "online")) return "online";
  return "in_person";
}

// Digits, '+', and the one-tap characters ',', '*', '#'.
std::string DialString(std::string_view phone) {
  std::string out;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == ',' || c == '*' || c == '#')
      out.push_back(c);
  }
  return out;
}

// 'YYYY-MM-DDTHH:MM:SSZ' -> 'YYYY-MM-DD HH:MM:SS'; "" when not in that form.
std::string Updated(std::string_view iso) {
  if (iso.size() < 19 || iso[10] != 'T') return "";
  return std::string(iso.substr(0, 10)) + " " + std::string(iso.substr(11, 8));
}

bool SlugSafe(std::string_view s) {
  if (s.empty() || s.size() > kMaxSlugChars) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == '~';
  });
}

void SetIfAny(Json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

// The place fields; returns whether the meeting has a street address.
bool AddPlace(Json& m, const Json& doc, const store::ListingRow& row) {
  // The loader names a location after its organisation when the source
  // gives no building name: that is not a `location`.
  if (row.location_name != Str(doc, "organization")) SetIfAny(m, "location", row.location_name);
  const Json& address = Member(doc, "address");
  std::string formatted = Str(address, "formatted");
  bool street = !Str(address, "line1").empty();
  if (!formatted.empty()) m["formatted_address"] = formatted + ", USA";
  SetIfAny(m, "address", Str(address, "line1"));
  SetIfAny(m, "city", Str(address, "city"));
  SetIfAny(m, "state", Str(address, "state"));
  SetIfAny(m, "postal_code", Str(address, "zip"));
  if (!formatted.empty()) m["country"] = "US";
  if (doc.value("lat", Json()).is_number() && doc.value("lon", Json()).is_number()) {
    m["latitude"] = doc["lat"];
    m["longitude"] = doc["lon"];
  }
  m["approximate"] = street ? "no" : "yes";
  return street;
}

// The feed objects of one meeting listing: one per distinct meeting time.
std::vector<Json> Render(const store::ListingRow& row, const Json& doc, const std::string& slug,
                         std::string_view origin, const MeetingGuideTypes& types) {
  Json base = Json::object();
  base["name"] = Str(doc, "name");
  base["slug"] = slug;
  bool street = AddPlace(base, doc, row);
  const Json& conference = Member(doc, "conference");
  std::string url = Str(conference, "url"), phone = DialString(Str(conference, "phone"));
  SetIfAny(base, "conference_url", url);
  SetIfAny(base, "conference_phone", phone);
  base["types"] = Types(doc, types);
  SetIfAny(base, "notes", Str(doc, "description"));
  if (Str(doc, "organization") != Str(doc, "name")) SetIfAny(base, "group", Str(doc, "organization"));
  SetIfAny(base, "updated", Updated(row.last_modified));
  if (!origin.empty()) base["url"] = std::string(origin) + "/listing/" + row.id;
  SetIfAny(base, "entity", row.source_name);
  if (text::StartsWith(row.source_url, "http")) base["entity_url"] = row.source_url;
  base["attendance_option"] = AttendanceOption(doc, !url.empty() || !phone.empty(), street);

  std::vector<MeetingTime> times = Times(doc);
  if (times.empty()) return {base};  // by appointment: no day or time
  // The zone of the times (Meeting Guide's optional `timezone`), when known.
  if (auto zone = Member(doc, "hours").find("timezone");
      zone != Member(doc, "hours").end() && zone->is_string()) {
    base["timezone"] = *zone;
  }
  std::vector<Json> out;
  for (size_t i = 0; i < times.size(); ++i) {
    Json m = Json::object();
    for (const auto& [k, v] : base.items()) {
      m[k] = v;
      if (k != "slug") continue;
      if (i > 0) m["slug"] = slug + "-" + std::to_string(i + 1);
      if (times[i].days.size() == 1) m["day"] = times[i].days.front();
      else m["day"] = times[i].days;
      if (!times[i].time.empty()) m["time"] = times[i].time;
      if (!times[i].end_time.empty()) m["end_time"] = times[i].end_time;
    }
    out.push_back(std::move(m));
  }
  return out;
}

// A feed's slug when it is URL-safe and no other meeting has it, else our id.
std::vector<std::string> Slugs(const std::vector<store::ListingRow>& rows) {
  std::unordered_map<std::string, int> uses;
  for (const auto& r : rows) ++uses[r.source_key];
  std::vector<std::string> out;
  for (const auto& r : rows) {
    out.push_back(SlugSafe(r.source_key) && uses[r.source_key] == 1 ? r.source_key : r.id);
  }
  return out;
}

}  // namespace

MeetingGuideTypes MeetingGuideTypes::Parse(std::string_view csv) {
  MeetingGuideTypes t;
  std::istringstream in{std::string(csv)};
  CsvTable table(in);
  std::unordered_map<std::string, std::vector<std::string>> codes_of_term;
  std::vector<std::string> terms;
  if (!table.ReadHeader()) return t;
  while (true) {
    auto more = table.Next();
    if (!more || !*more) break;
    std::string code(table.Get("code")), term(table.Get("term"));
    bool retired = std::find(std::begin(kRetiredCodes), std::end(kRetiredCodes), code) !=
                   std::end(kRetiredCodes);
    if (code.empty() || retired) continue;
    AddUnique(t.official, code);
    if (term.empty()) continue;
    if (!codes_of_term.contains(term)) terms.push_back(term);
    AddUnique(codes_of_term[term], code);
  }
  for (const auto& term : terms) {
    const auto& codes = codes_of_term[term];
    std::string_view preferred;
    for (const auto& [t_term, t_code] : kPreferredCodes) {
      if (t_term == term) preferred = t_code;
    }
    if (codes.size() == 1) t.code_for_term[term] = codes.front();
    else if (!preferred.empty()) t.code_for_term[term] = std::string(preferred);
    else t.ambiguous_terms.push_back(term);
  }
  return t;
}

const MeetingGuideTypes& MeetingGuideTypes::Embedded() {
  static const MeetingGuideTypes types = Parse(kMeetingGuideTypesCsv);
  return types;
}

bool MeetingGuideTypes::IsOfficial(std::string_view code) const {
  return std::find(official.begin(), official.end(), code) != official.end();
}

Result<std::string> RenderMeetingsFeed(store::Connection& c, std::string_view origin) {
  auto rows = store::ListListingRows(c, /*meetings_only=*/true);
  if (!rows) return Fail(rows.error());
  std::vector<std::string> slugs = Slugs(*rows);
  const MeetingGuideTypes& types = MeetingGuideTypes::Embedded();
  Json feed = Json::array();
  std::unordered_set<std::string> used;
  for (size_t i = 0; i < rows->size(); ++i) {
    Json doc = Json::parse((*rows)[i].doc, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return Fail(Error::Internal("listing " + (*rows)[i].id + " has a doc that is not JSON"));
    }
    for (auto& m : Render((*rows)[i], doc, slugs[i], origin, types)) {
      // "x-2" of one meeting may be another's own slug: fall back to our id.
      if (!used.insert(m["slug"].get<std::string>()).second) {
        m["slug"] = (*rows)[i].id + "-" + std::to_string(used.size());
        used.insert(m["slug"].get<std::string>());
      }
      feed.push_back(std::move(m));
    }
  }
  return feed.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Response HandleMeetingsFeed(store::ReadSession& session, const Request& req) {
  Response r;
  auto status = session.Read([&](store::Connection& c) -> Status {
    auto body = RenderMeetingsFeed(c, req.origin);
    if (!body) return Fail(body.error());
    r.body = std::move(*body);
    return {};
  }, kFeedBudget);
  if (!status) return ProblemResponse(FromError(status.error()));
  r.content_type = "application/json; charset=utf-8";
  return r;
}

}  // namespace carefinder::api
