// Calendar days: the one reader of ISO 8601 dates (YYYY-MM-DD) in Carefinder,
// on std::chrono::year_month_day, so every caller agrees that 2024-02-29 is a
// day and 2024-02-31 and 2023-02-29 are not (none rolls over into March).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace carefinder::date {

// "2024-02-29" -> that day; nullopt unless exactly YYYY-MM-DD naming a real
// day of the proleptic Gregorian calendar.
std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text);

// Whether `text` is a YYYY-MM-DD that ParseIsoDate accepts.
bool IsIsoDate(std::string_view text);

// Days since 1970-01-01 of `day` (negative before), which must be ok().
int64_t DaysSinceEpoch(std::chrono::year_month_day day);

// Days since 1970-01-01 of year/month/day, nullopt for a day that does not
// exist (2023-02-29, month 13, day 0).
std::optional<int64_t> DaysFromCivil(int year, int month, int day);

}  // namespace carefinder::date
