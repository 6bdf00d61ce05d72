// HSDS schedules to weekly hours. A WEEKLY rule (or one with no freq) with
// `byday` and `opens_at`/`closes_at` becomes one WeeklyTime per day; neither
// time given means all day on those days (how 24/7 is exported). What is not
// kept, and why:
//  * freq MONTHLY ("2MO", bymonthday): a warning; weekly hours cannot say it.
//  * interval > 1 (every other week): a warning, and the schedule is dropped:
//    shown as weekly it would send people on the wrong weeks.
//  * byweekno / bymonthday / byyearday on a WEEKLY rule: a warning; the days
//    are kept as every week.
//  * no byday: a warning (RRULE would use dtstart's weekday, which nobody
//    reading the hours can see); the schedule is dropped.
//  * valid_from, valid_to, dtstart, until, count, wkst, timezone, and a time's
//    Z / +hh:mm suffix: ignored; times are the location's local times.
//  * description, notes, attending_type, schedule_link: not kept.
#include <algorithm>
#include <array>
#include <optional>

#include "core/text.h"
#include "importer/sources/hsds_graph.h"

namespace carefinder::importer::hsds {

namespace {

constexpr std::array<std::string_view, 7> kDays = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
constexpr std::array<std::string_view, 7> kDayText = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};

std::optional<int> DayIndex(std::string_view day) {
  for (size_t i = 0; i < kDays.size(); ++i) {
    if (kDays[i] == day) return static_cast<int>(i);
  }
  return std::nullopt;
}

bool Digits(std::string_view s, size_t min, size_t max) {
  return s.size() >= min && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "10:00", "9:30", "10:00:00", "10:00:00Z", "10:00+01:00" -> "HH:MM".
std::optional<std::string> ClockTime(std::string_view t, bool closing) {
  t = t.substr(0, t.find_first_of("Zz+-"));
  std::string_view hh = t.substr(0, t.find(':'));
  if (hh.size() == t.size()) return std::nullopt;
  std::string_view rest = t.substr(hh.size() + 1);
  std::string_view mm = rest.substr(0, rest.find(':'));
  if (mm.size() < rest.size()) {
    std::string_view ss = rest.substr(mm.size() + 1);
    if (!Digits(ss.substr(0, ss.find('.')), 2, 2)) return std::nullopt;
  }
  if (!Digits(hh, 1, 2) || !Digits(mm, 2, 2)) return std::nullopt;
  int h = std::stoi(std::string(hh)), m = std::stoi(std::string(mm));
  bool ok = m < 60 && (h < 24 || (closing && h == 24 && m == 0));
  if (!ok) return std::nullopt;
  return (h < 10 ? "0" : "") + std::to_string(h) + ":" + std::string(mm);
}

// opens/closes of one schedule; false when rejected.
bool Times(const Node& s, Problems& p, std::string& opens, std::string& closes) {
  std::string_view o = s.Get("opens_at"), c = s.Get("closes_at");
  if (o.empty() != c.empty()) {
    p.Reject(s, o.empty() ? "opens_at" : "closes_at",
             std::string("is missing while ") + (o.empty() ? "closes_at" : "opens_at") +
                 " is given: give both, or neither for all day");
    return false;
  }
  if (o.empty()) return true;
  auto open_time = ClockTime(o, false), close_time = ClockTime(c, true);
  if (!open_time) p.Reject(s, "opens_at", Quoted(o) + " is not a time (HH:MM or HH:MM:SS)");
  if (!close_time) p.Reject(s, "closes_at", Quoted(c) + " is not a time (HH:MM or HH:MM:SS)");
  if (!open_time || !close_time) return false;
  opens = *open_time;
  closes = *close_time;
  return true;
}

// Whether the rule is one weekly hours can show; warns or rejects when not.
bool IsWeekly(const Node& s, Problems& p) {
  std::string freq = text::ToLower(s.Get("freq"));
  if (freq == "monthly") {
    p.Warn(s, "freq", "MONTHLY schedules are not kept: Carefinder shows weekly hours");
    return false;
  }
  if (!freq.empty() && freq != "weekly") {
    p.Reject(s, "freq", Quoted(s.Get("freq")) + " is not an HSDS frequency (WEEKLY, MONTHLY)");
    return false;
  }
  if (std::string_view interval = s.Get("interval"); !interval.empty()) {
    auto n = text::ParseInt(interval);
    if (!n || *n < 1) {
      p.Reject(s, "interval", Quoted(interval) + " is not a whole number of weeks");
      return false;
    }
    if (*n > 1) {
      p.Warn(s, "interval",
             "every " + std::to_string(*n) +
                 " weeks cannot be shown as weekly hours: schedule not kept");
      return false;
    }
  }
  if (s.Get("byday").empty()) {
    p.Warn(s, "byday", "no weekdays given: schedule not kept as weekly hours");
    return false;
  }
  for (std::string_view field : {"byweekno", "bymonthday", "byyearday"}) {
    if (!s.Get(field).empty())
      p.Warn(s, field,
             Quoted(s.Get(field)) + " is ignored: kept as every week on " +
                 std::string(s.Get("byday")));
  }
  return true;
}

void AddSchedule(const Node& s, Problems& p, std::vector<WeeklyTime>& out) {
  if (!p.Use(s) || !IsWeekly(s, p)) return;
  std::vector<std::string> days;
  bool ok = true;
  for (const auto& day : text::SplitList(s.Get("byday"), ',')) {
    std::string upper = day;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; });
    if (DayIndex(upper)) {
      days.push_back(upper);
    } else {
      p.Reject(s, "byday", Quoted(day) + " is not a weekday (MO, TU, WE, TH, FR, SA, SU)");
      ok = false;
    }
  }
  std::string opens, closes;
  if (!Times(s, p, opens, closes) || !ok) return;
  for (const auto& day : days) out.push_back({day, opens, closes});
}

std::string DaysText(std::vector<int> days) {
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  std::string out;
  for (size_t i = 0; i < days.size();) {
    size_t j = i;
    while (j + 1 < days.size() && days[j + 1] == days[j] + 1) ++j;
    if (!out.empty()) out += ",";
    if (j - i >= 2) {
      out += std::string(kDayText[days[i]]) + "-" + std::string(kDayText[days[j]]);
      i = j + 1;
    } else {
      out += kDayText[days[i++]];
    }
  }
  return out;
}

}  // namespace

std::vector<WeeklyTime> WeeklyHours(const Graph& graph, const std::vector<size_t>& schedules,
                                    Problems& problems) {
  std::vector<WeeklyTime> out;
  for (size_t i : schedules) AddSchedule(graph.nodes[kSchedule][i], problems, out);
  auto key = [](const WeeklyTime& w) { return std::tuple(*DayIndex(w.day), w.opens, w.closes); };
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(),
                        [&](const auto& a, const auto& b) { return key(a) == key(b); }),
            out.end());
  return out;
}

std::string HoursText(const std::vector<WeeklyTime>& hours) {
  bool all_day = hours.size() == kDays.size() &&
                 std::all_of(hours.begin(), hours.end(), [](const WeeklyTime& w) {
                   return w.opens.empty() && w.closes.empty();
                 });
  if (all_day) return "24/7";  // WeeklyHours leaves one entry per distinct day here
  std::vector<std::pair<std::pair<std::string, std::string>, std::vector<int>>> groups;
  for (const WeeklyTime& w : hours) {
    std::pair<std::string, std::string> times{w.opens, w.closes};
    auto it =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == times; });
    if (it == groups.end()) it = groups.insert(groups.end(), {times, {}});
    it->second.push_back(*DayIndex(w.day));
  }
  std::string out;
  for (const auto& [times, days] : groups) {
    if (!out.empty()) out += "; ";
    out += DaysText(days) + " " + (times.first.empty() ? "00:00" : times.first) + "-" +
           (times.second.empty() ? "24:00" : times.second);
  }
  return out;
}

}  // namespace carefinder::importer::hsds
