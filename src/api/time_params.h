// The time parameters of /api/v1/search (docs/API.md, "Weekly times"):
// `day` (weekdays), `time` (times of day, or the old HH:MM clock), `now` (the
// searcher's instant) and `open_now`, into the windows and clock of a
// store::SearchQuery.
#pragma once

#include <optional>
#include <string_view>

#include "api/problem.h"
#include "api/request.h"
#include "store/search.h"

namespace carefinder::api {

// A time of day: [from, to) minutes after local midnight; `to` may pass
// midnight (night runs 21:00-05:00).
struct DayPeriod {
  std::string_view name;
  int from, to;
};
inline constexpr DayPeriod kDayPeriods[] = {
    {"morning", 5 * 60, 12 * 60},
    {"afternoon", 12 * 60, 17 * 60},
    {"evening", 17 * 60, 21 * 60},
    {"night", 21 * 60, 29 * 60},
};

// "2026-03-03T19:30-05:00" (seconds optional; Z for UTC) -> the instant and
// its offset, and the local minute of the week (Monday 00:00 = 0).
struct LocalInstant {
  store::SearcherInstant instant;
  int week_minute = 0;
};
std::optional<LocalInstant> ParseLocalInstant(std::string_view text);

// Sets query.open_during, week_minute, now and starts_within; `has_clock`
// says whether the searcher's clock was given (sort=next needs it).
ApiResult<void> ParseTimeParams(const Request& req, store::SearchQuery& query, bool& has_clock);

}  // namespace carefinder::api
