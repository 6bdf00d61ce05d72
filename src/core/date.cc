// Calendar days: see date.h.
#include "core/date.h"

namespace carefinder::date {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The number written by the digits s[pos, pos + n).
int Digits(std::string_view s, size_t pos, size_t n) {
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) value = value * 10 + (s[i] - '0');
  return value;
}

}  // namespace

std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text) {
  constexpr size_t kLength = 10;  // YYYY-MM-DD
  if (text.size() != kLength || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(text[i])) return std::nullopt;
  }
  std::chrono::year_month_day day{std::chrono::year{Digits(text, 0, 4)},
                                  std::chrono::month{unsigned(Digits(text, 5, 2))},
                                  std::chrono::day{unsigned(Digits(text, 8, 2))}};
  if (!day.ok()) return std::nullopt;
  return day;
}

bool IsIsoDate(std::string_view text) { return ParseIsoDate(text).has_value(); }

int64_t DaysSinceEpoch(std::chrono::year_month_day day) {
  return std::chrono::sys_days(day).time_since_epoch().count();
}

std::optional<int64_t> DaysFromCivil(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                  std::chrono::day{unsigned(day)}};
  if (!ymd.ok()) return std::nullopt;
  return DaysSinceEpoch(ymd);
}

}  // namespace carefinder::date
