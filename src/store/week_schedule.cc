// Weekly times: parsing listing.schedule and the window questions. See
// week_schedule.h.
#include "store/week_schedule.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace carefinder::store {

namespace {

constexpr std::array<std::string_view, 7> kDays = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

bool Overlaps(int start, int end, WeekWindow w) { return start < w.to && end > w.from; }

// "MO 19:00-20:00" -> an interval; nullopt when it does not parse.
std::optional<WeekInterval> ParsePiece(std::string_view piece) {
  piece = text::Trim(piece);
  size_t space = piece.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string_view range = text::Trim(piece.substr(space + 1));
  size_t dash = range.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto day = WeekDayIndex(piece.substr(0, space));
  auto opens = ParseClock(range.substr(0, dash));
  auto closes = ParseClock(range.substr(dash + 1), /*allow_24=*/true);
  if (!day || !opens || !closes) return std::nullopt;
  int start = *day * kMinutesPerDay + *opens;
  int length = *closes > *opens    ? *closes - *opens
               : *closes < *opens ? *closes + kMinutesPerDay - *opens
                                   : 1;
  return WeekInterval{static_cast<uint16_t>(start), static_cast<uint16_t>(start + length)};
}

}  // namespace

std::optional<int> WeekDayIndex(std::string_view day) {
  for (size_t i = 0; i < kDays.size(); ++i) {
    if (text::EqualsIgnoreCase(day, kDays[i])) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int> ParseClock(std::string_view hhmm, bool allow_24) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (hhmm[i] < '0' || hhmm[i] > '9') return std::nullopt;
  }
  int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24))) return std::nullopt;
  return h * 60 + m;
}

std::string_view ScheduleZone(std::string_view schedule) {
  constexpr std::string_view kMark = ";TZ ";
  size_t at = schedule.rfind(kMark);
  return at == std::string_view::npos ? std::string_view{} : text::Trim(schedule.substr(at + kMark.size()));
}

std::vector<WeekInterval> ParseSchedule(std::string_view schedule) {
  std::vector<WeekInterval> out;
  size_t pos = 0;
  while (pos <= schedule.size()) {
    size_t end = std::min(schedule.find(';', pos), schedule.size());
    if (auto w = ParsePiece(schedule.substr(pos, end - pos))) out.push_back(*w);
    pos = end + 1;
  }
  return out;
}

bool OpenDuring(std::span<const WeekInterval> times, WeekWindow w) {
  for (const auto& t : times) {
    // An interval past Sunday midnight also covers the start of the week.
    if (Overlaps(t.start, t.end, w) ||
        (t.end > kMinutesPerWeek && Overlaps(t.start - kMinutesPerWeek, t.end - kMinutesPerWeek, w)))
      return true;
  }
  return false;
}

std::optional<int> MinutesToNext(std::span<const WeekInterval> times, int minute) {
  if (times.empty()) return std::nullopt;
  if (OpenDuring(times, {minute, minute + 1})) return 0;
  int best = kMinutesPerWeek;
  for (const auto& t : times) {
    best = std::min(best, ((t.start - minute) % kMinutesPerWeek + kMinutesPerWeek) % kMinutesPerWeek);
  }
  return best;
}

}  // namespace carefinder::store
