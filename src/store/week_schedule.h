// Weekly opening and meeting times as minutes of the week (Monday 00:00 = 0),
// parsed from listing.schedule ('MO 19:00-20:00;TU 08:00-24:00'), and the
// questions search asks of them: open during a window, minutes to the next
// start. Times are the listing's local wall-clock times; a meeting's schedule
// also names its zone, which search uses to shift the searcher's clock
// (store/meeting_times.h, docs/API.md).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace carefinder::store {

inline constexpr int kMinutesPerDay = 24 * 60;
inline constexpr int kMinutesPerWeek = 7 * kMinutesPerDay;

// [start, end): start < kMinutesPerWeek; end > start, and end may pass
// kMinutesPerWeek when a time runs past Sunday midnight into Monday.
struct WeekInterval {
  uint16_t start = 0, end = 0;
};

// [from, to) within one week: 0 <= from < to <= kMinutesPerWeek.
struct WeekWindow {
  int from = 0, to = 0;
};

// 'MO'..'SU' (any case) -> 0..6.
std::optional<int> WeekDayIndex(std::string_view day);
// 'HH:MM', 00:00..23:59 -> minutes after midnight; `allow_24` also takes
// '24:00' (a closing time).
std::optional<int> ParseClock(std::string_view hhmm, bool allow_24 = false);

// The IANA zone listing.schedule ends with ('...;TZ America/Chicago'), or ""
// when it names none (treatment hours; meetings imported before zones).
std::string_view ScheduleZone(std::string_view schedule);

// Parses listing.schedule. A closing time before the opening time runs
// overnight; an equal one is a start with no known end (one minute long).
// Pieces that do not parse are skipped: the importer wrote the string, and a
// bad piece must not hide the listing's other times.
std::vector<WeekInterval> ParseSchedule(std::string_view schedule);

// True when some interval overlaps `w`.
bool OpenDuring(std::span<const WeekInterval> times, WeekWindow w);

// Minutes from `minute` (of the week) to the next start, wrapping around the
// week; 0 while an interval is in progress; nullopt with no times.
std::optional<int> MinutesToNext(std::span<const WeekInterval> times, int minute);

}  // namespace carefinder::store
