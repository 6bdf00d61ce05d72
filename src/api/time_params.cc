// The time parameters of a search: see time_params.h.
#include "api/time_params.h"

#include <algorithm>
#include <array>

#include "core/date.h"
#include "core/fuzzy.h"
#include "core/text.h"
#include "store/week_schedule.h"

namespace carefinder::api {

namespace {

using store::kMinutesPerDay;
using store::kMinutesPerWeek;
using store::WeekWindow;

constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};
constexpr std::string_view kNowExample = "now=2026-03-03T19:30-05:00";

// The known value closest to `got`: one it starts (or that starts it, as
// "Tuesday" and "tue"), else the nearest by edit distance.
std::string Closest(std::string_view got, std::span<const std::string_view> known) {
  std::string lower = text::ToLower(got);
  for (std::string_view k : known) {
    if (lower.starts_with(k) || (lower.size() >= 2 && k.starts_with(lower))) return std::string(k);
  }
  return ClosestWord(lower, known).value_or("");
}

Problem Unknown(std::string_view param, std::string_view got,
                std::span<const std::string_view> known, std::string_view extra = "") {
  std::string list;
  for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
  std::string detail = std::string(param) + " must be one or more of " + list + std::string(extra) +
                       ", got " + std::string(got);
  if (std::string close = Closest(got, known); !close.empty()) {
    detail += " (did you mean '" + close + "'?)";
  }
  return Problem::Invalid(detail, std::string(param));
}

// Every comma-separated value of `key`, trimmed, blanks dropped.
std::vector<std::string> Values(const Request& req, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& v : req.All(key)) {
    for (auto& part : text::SplitList(v, ',')) {
      if (std::string_view t = text::Trim(part); !t.empty()) out.emplace_back(t);
    }
  }
  return out;
}

// mon..sun, or the iCal codes MO..SU, any case -> 0..6.
std::optional<int> DayIndex(std::string_view value) {
  std::string lower = text::ToLower(value);
  for (size_t i = 0; i < kDayNames.size(); ++i) {
    if (lower == kDayNames[i]) return static_cast<int>(i);
  }
  return store::WeekDayIndex(value);
}

ApiResult<std::vector<int>> ParseDays(const Request& req) {
  std::vector<int> days;
  for (const auto& v : Values(req, "day")) {
    auto d = DayIndex(v);
    if (!d) return std::unexpected(Unknown("day", v, kDayNames));
    if (std::ranges::find(days, *d) == days.end()) days.push_back(*d);
  }
  return days;
}

// `time`: either one HH:MM (the searcher's clock, needs one day) or periods.
struct TimeValue {
  std::optional<int> clock;
  std::vector<DayPeriod> periods;
};

ApiResult<TimeValue> ParseTime(const Request& req) {
  TimeValue out;
  std::vector<std::string> values = Values(req, "time");
  if (values.size() == 1 && values[0].size() == 5 && values[0][2] == ':') {
    if (!(out.clock = store::ParseClock(values[0]))) {
      return std::unexpected(
          Problem::Invalid("time must be HH:MM on a 24-hour clock, got " + values[0], "time"));
    }
    return out;
  }
  static const auto names = [] {
    std::vector<std::string_view> n;
    for (const auto& p : kDayPeriods) n.push_back(p.name);
    return n;
  }();
  for (const auto& v : values) {
    auto p = std::ranges::find(kDayPeriods, text::ToLower(v), &DayPeriod::name);
    if (p == std::end(kDayPeriods)) {
      return std::unexpected(Unknown("time", v, names, " (or one HH:MM with one day)"));
    }
    out.periods.push_back(*p);
  }
  return out;
}

int ParseDigits(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

// Adds [from, to) of the local week, split where it passes Sunday midnight.
void AddWindow(int from, int to, std::vector<WeekWindow>& out) {
  if (to <= kMinutesPerWeek) {
    out.push_back({from, to});
  } else {
    out.push_back({from, kMinutesPerWeek});
    out.push_back({0, to - kMinutesPerWeek});
  }
}

// Every (day, period) window; all days when none, the whole day when no period.
std::vector<WeekWindow> Windows(const std::vector<int>& days, const std::vector<DayPeriod>& periods) {
  std::vector<WeekWindow> out;
  for (int d = 0; d < 7; ++d) {
    if (!days.empty() && std::ranges::find(days, d) == days.end()) continue;
    int start = d * kMinutesPerDay;
    if (periods.empty()) AddWindow(start, start + kMinutesPerDay, out);
    for (const auto& p : periods) AddWindow(start + p.from, start + p.to, out);
  }
  return out;
}

// open_now: true/1 or false/0 (absent: false).
ApiResult<bool> ParseOpenNow(const Request& req) {
  auto all = req.All("open_now");
  if (all.size() > 1) return std::unexpected(Problem::Invalid("open_now must be given once", "open_now"));
  std::string v = all.empty() ? "" : std::string(text::Trim(all[0]));
  if (v.empty() || v == "false" || v == "0") return false;
  if (v == "true" || v == "1") return true;
  return std::unexpected(Problem::Invalid("open_now must be true or false, got " + v, "open_now"));
}

}  // namespace

std::optional<LocalInstant> ParseLocalInstant(std::string_view s) {
  // YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM)
  if (s.size() < 17 || (s[10] != 'T' && s[10] != 't') || s[13] != ':') return std::nullopt;
  auto day = date::ParseIsoDate(s.substr(0, 10));
  if (!day || !AllDigits(s.substr(11, 2)) || !AllDigits(s.substr(14, 2))) return std::nullopt;
  int hour = ParseDigits(s.substr(11, 2)), minute = ParseDigits(s.substr(14, 2));
  std::string_view rest = s.substr(16);
  if (rest.size() >= 3 && rest[0] == ':' && AllDigits(rest.substr(1, 2))) rest.remove_prefix(3);
  int offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             AllDigits(rest.substr(1, 2)) && AllDigits(rest.substr(4, 2))) {
    offset = ParseDigits(rest.substr(1, 2)) * 60 + ParseDigits(rest.substr(4, 2));
    if (offset > 14 * 60) return std::nullopt;
    if (rest[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59) return std::nullopt;
  int64_t days = date::DaysSinceEpoch(*day);
  LocalInstant out;
  int local_minute = hour * 60 + minute;
  out.instant = {days * 86400 + int64_t{local_minute - offset} * 60, offset};
  int weekday = static_cast<int>(((days % 7) + 10) % 7);  // 1970-01-01 was a Thursday: Monday = 0
  out.week_minute = weekday * kMinutesPerDay + local_minute;
  return out;
}

ApiResult<void> ParseTimeParams(const Request& req, store::SearchQuery& query, bool& has_clock) {
  auto days = ParseDays(req);
  if (!days) return std::unexpected(days.error());
  auto time = ParseTime(req);
  if (!time) return std::unexpected(time.error());
  auto open_now = ParseOpenNow(req);
  if (!open_now) return std::unexpected(open_now.error());
  auto now_values = req.All("now");
  if (now_values.size() > 1) return std::unexpected(Problem::Invalid("now must be given once", "now"));
  std::string now_text = now_values.empty() ? "" : std::string(text::Trim(now_values[0]));

  std::optional<int> clock_minute;  // the searcher's local minute of the week
  if (!now_text.empty()) {
    auto at = ParseLocalInstant(now_text);
    if (!at) {
      return std::unexpected(Problem::Invalid(
          "now must be a local date-time with its offset such as 2026-03-03T19:30-05:00, got " +
              now_text, "now"));
    }
    if (time->clock) {
      return std::unexpected(Problem::Invalid("give now or time=HH:MM, not both", "time"));
    }
    query.now = at->instant;
    clock_minute = at->week_minute;
  } else if (time->clock) {
    if (days->size() != 1) {
      return std::unexpected(Problem::Invalid(
          days->empty() ? "time needs day (MO to SU)" : "time=HH:MM needs exactly one day", "time"));
    }
    clock_minute = (*days)[0] * kMinutesPerDay + *time->clock;
  }
  if (*open_now && !clock_minute) {
    return std::unexpected(Problem::Invalid(
        "open_now needs now (the searcher's local date-time, e.g. " + std::string(kNowExample) +
            ") or day and time (e.g. day=TU&time=19:30)", "open_now"));
  }
  has_clock = clock_minute.has_value();
  if (clock_minute) {
    int now = *clock_minute, day_start = now / kMinutesPerDay * kMinutesPerDay;
    query.week_minute = now;
    // open_now: open at that minute; otherwise: a time later that day. The
    // old clock (day=TU&time=19:30) is that day's filter too.
    query.open_during = *open_now ? WeekWindow{now, now + 1} : WeekWindow{now, day_start + kMinutesPerDay};
    if (time->clock) return {};
  }
  if (!days->empty() || !time->periods.empty()) query.starts_within = Windows(*days, time->periods);
  return {};
}

}  // namespace carefinder::api
