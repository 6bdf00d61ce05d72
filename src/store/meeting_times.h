// The time questions of a search asked in each listing's own zone: the
// weekday and time-of-day windows (`day=mon,tue`, `time=evening`) compared
// with the listing's local start times, and the searcher's clock (open now,
// later today, soonest next) shifted from the searcher's zone into the
// listing's zone (docs/API.md, "Weekly times").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "store/week_schedule.h"

namespace carefinder::store {

class ListingIndex;

// The searcher's instant (`now=`): seconds since the epoch and the
// searcher's UTC offset then, in minutes east.
struct SearcherInstant {
  int64_t unix_seconds = 0;
  int offset_minutes = 0;
};

// True when some interval starts inside one of `windows` (local week).
bool StartsWithin(std::span<const WeekInterval> times, std::span<const WeekWindow> windows);

// True when some interval overlaps `w` moved `shift` minutes later (wrapping
// around the week).
bool OpenDuringShifted(std::span<const WeekInterval> times, WeekWindow w, int shift);

// Minutes to add to the searcher's local clock to get each listing's local
// clock: its zone's offset at the instant minus the searcher's. 0 for
// listings with no zone and when no instant was given.
class ZoneShift {
 public:
  ZoneShift(const ListingIndex& idx, const std::optional<SearcherInstant>& now);
  int Minutes(uint32_t entry) const;

 private:
  const ListingIndex& idx_;
  std::vector<int> by_zone_;  // per ListingIndex::zones() id
};

}  // namespace carefinder::store
