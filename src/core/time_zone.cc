// Listing time zones: the state table and the offset rules. See time_zone.h.
#include "core/time_zone.h"

#include <array>

#include "core/date.h"
#include "core/text.h"

namespace carefinder::tz {

namespace {

// How a zone moves its clocks: never, the US rule (second Sunday of March
// 02:00 local to first Sunday of November 02:00 local) or the EU rule (last
// Sunday of March to last Sunday of October, 01:00 UTC).
enum class Rule { kNone, kUs, kEu };

struct Zone {
  std::string_view name;
  int standard_minutes;  // east of UTC
  Rule rule;
};

constexpr std::array<Zone, 27> kZones = {{
    {"America/New_York", -300, Rule::kUs},
    {"America/Detroit", -300, Rule::kUs},
    {"America/Indiana/Indianapolis", -300, Rule::kUs},
    {"America/Kentucky/Louisville", -300, Rule::kUs},
    {"America/Chicago", -360, Rule::kUs},
    {"America/Menominee", -360, Rule::kUs},
    {"America/Indiana/Knox", -360, Rule::kUs},
    {"America/North_Dakota/Center", -360, Rule::kUs},
    {"America/Denver", -420, Rule::kUs},
    {"America/Boise", -420, Rule::kUs},
    {"America/Phoenix", -420, Rule::kNone},
    {"America/Los_Angeles", -480, Rule::kUs},
    {"America/Anchorage", -540, Rule::kUs},
    {"America/Adak", -600, Rule::kUs},
    {"Pacific/Honolulu", -600, Rule::kNone},
    {"America/Puerto_Rico", -240, Rule::kNone},
    {"America/St_Thomas", -240, Rule::kNone},
    {"Pacific/Guam", 600, Rule::kNone},
    {"Pacific/Saipan", 600, Rule::kNone},
    {"Pacific/Pago_Pago", -660, Rule::kNone},
    {"America/Toronto", -300, Rule::kUs},
    {"America/Vancouver", -480, Rule::kUs},
    {"Europe/London", 0, Rule::kEu},
    {"Europe/Dublin", 0, Rule::kEu},
    {"Europe/Paris", 60, Rule::kEu},
    {"Europe/Berlin", 60, Rule::kEu},
    {"UTC", 0, Rule::kNone},
}};

// A split state: west of `west_of` (longitude) it keeps `west`, else `east`
// (ID and MI also look at latitude, see ZoneOfPlace).
struct Split {
  std::string_view state;
  double west_of;
  std::string_view west, east;
};
constexpr std::array<Split, 13> kSplits = {{
    {"FL", -85.0, "America/Chicago", "America/New_York"},       // the panhandle
    {"TN", -85.3, "America/Chicago", "America/New_York"},       // East Tennessee
    {"KY", -86.0, "America/Chicago", "America/New_York"},       // western Kentucky
    {"IN", -87.0, "America/Chicago", "America/Indiana/Indianapolis"},  // Gary, Evansville
    {"MI", -87.6, "America/Menominee", "America/Detroit"},      // four UP counties
    {"ND", -101.4, "America/Denver", "America/Chicago"},        // the southwest
    {"SD", -100.6, "America/Denver", "America/Chicago"},        // west river
    {"NE", -101.4, "America/Denver", "America/Chicago"},        // the panhandle
    {"KS", -101.5, "America/Denver", "America/Chicago"},        // four western counties
    {"TX", -104.9, "America/Denver", "America/Chicago"},        // El Paso, Hudspeth
    {"OR", -117.6, "America/Los_Angeles", "America/Boise"},     // Malheur County
    {"AK", -169.5, "America/Adak", "America/Anchorage"},        // the Aleutians
    {"ID", 0, "", ""},  // by latitude: the panhandle north of 45.5 is Pacific (below)
}};

struct Whole {
  std::string_view zone, states;  // states: space-separated USPS codes
};
constexpr std::array<Whole, 10> kWholeStates = {{
    {"America/New_York", "CT DE DC GA ME MD MA NH NJ NY NC OH PA RI SC VT VA WV"},
    {"America/Chicago", "AL AR IL IA LA MN MS MO OK WI"},
    {"America/Denver", "CO MT NM UT WY"},
    {"America/Phoenix", "AZ"},
    {"America/Los_Angeles", "CA NV WA"},
    {"Pacific/Honolulu", "HI"},
    {"America/Puerto_Rico", "PR"},
    {"America/St_Thomas", "VI"},
    {"Pacific/Guam", "GU MP"},
    {"Pacific/Pago_Pago", "AS"},
}};

const Zone* FindZone(std::string_view name) {
  for (const Zone& z : kZones) {
    if (z.name == name) return &z;
  }
  return nullptr;
}

// Day of the week of days-since-epoch: 0 = Sunday.
int WeekDay(int64_t days) { return static_cast<int>(((days % 7) + 11) % 7); }

// Days since epoch of the n-th (1-based; 0 = last) Sunday of year/month.
int64_t NthSunday(int year, unsigned month, int n) {
  using namespace std::chrono;
  if (n == 0) {
    int64_t last = date::DaysSinceEpoch(year_month_day{year_month_day_last{
        std::chrono::year{year}, month_day_last{std::chrono::month{month}}}});
    return last - WeekDay(last);
  }
  int64_t first = date::DaysSinceEpoch({std::chrono::year{year}, std::chrono::month{month}, day{1}});
  return first + (7 - WeekDay(first)) % 7 + 7 * (n - 1);
}

int YearOf(int64_t unix_seconds) {
  using namespace std::chrono;
  auto day = floor<days>(sys_seconds{seconds{unix_seconds}});
  return int(year_month_day{day}.year());
}

bool InDaylightTime(const Zone& z, int64_t t) {
  constexpr int64_t kDay = 86400, kHour = 3600;
  int year = YearOf(t);
  if (z.rule == Rule::kUs) {
    int64_t std_offset = int64_t{z.standard_minutes} * 60;
    int64_t start = NthSunday(year, 3, 2) * kDay + 2 * kHour - std_offset;
    int64_t end = NthSunday(year, 11, 1) * kDay + 2 * kHour - (std_offset + kHour);
    return t >= start && t < end;
  }
  if (z.rule == Rule::kEu) {
    int64_t start = NthSunday(year, 3, 0) * kDay + kHour;
    int64_t end = NthSunday(year, 10, 0) * kDay + kHour;
    return t >= start && t < end;
  }
  return false;
}

}  // namespace

std::string_view ZoneOfPlace(std::string_view state, std::optional<double> lat,
                             std::optional<double> lon) {
  std::string code(text::Trim(state));
  for (char& c : code) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (code.size() != 2) return "";
  for (const Split& s : kSplits) {
    if (s.state != code) continue;
    if (code == "ID") return lat && *lat > 45.5 ? "America/Los_Angeles" : "America/Boise";
    return lon && *lon < s.west_of ? s.west : s.east;
  }
  for (const Whole& w : kWholeStates) {
    for (const auto& one : text::SplitList(w.states, ' ')) {
      if (one == code) return w.zone;
    }
  }
  return "";
}

bool IsKnownZone(std::string_view zone) { return FindZone(zone) != nullptr; }

std::optional<int> UtcOffsetMinutes(std::string_view zone, int64_t unix_seconds) {
  const Zone* z = FindZone(zone);
  if (!z) return std::nullopt;
  return z->standard_minutes + (InDaylightTime(*z, unix_seconds) ? 60 : 0);
}

}  // namespace carefinder::tz
