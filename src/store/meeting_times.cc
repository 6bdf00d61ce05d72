// Time questions in each listing's own zone: see meeting_times.h.
#include "store/meeting_times.h"

#include "core/time_zone.h"
#include "store/listing_index.h"

namespace carefinder::store {

namespace {

int WrapWeek(int minute) { return ((minute % kMinutesPerWeek) + kMinutesPerWeek) % kMinutesPerWeek; }

}  // namespace

bool StartsWithin(std::span<const WeekInterval> times, std::span<const WeekWindow> windows) {
  for (const auto& t : times) {
    for (const auto& w : windows) {
      if (t.start >= w.from && t.start < w.to) return true;
    }
  }
  return false;
}

bool OpenDuringShifted(std::span<const WeekInterval> times, WeekWindow w, int shift) {
  if (shift == 0) return OpenDuring(times, w);
  int from = WrapWeek(w.from + shift), length = w.to - w.from;
  if (from + length <= kMinutesPerWeek) return OpenDuring(times, {from, from + length});
  // The window runs past Sunday midnight: its two pieces.
  return OpenDuring(times, {from, kMinutesPerWeek}) ||
         OpenDuring(times, {0, from + length - kMinutesPerWeek});
}

ZoneShift::ZoneShift(const ListingIndex& idx, const std::optional<SearcherInstant>& now)
    : idx_(idx), by_zone_(idx.zones().size(), 0) {
  if (!now) return;
  for (size_t z = 1; z < by_zone_.size(); ++z) {
    if (auto offset = tz::UtcOffsetMinutes(idx.zones()[z], now->unix_seconds)) {
      by_zone_[z] = *offset - now->offset_minutes;
    }
  }
}

int ZoneShift::Minutes(uint32_t entry) const { return by_zone_[idx_.zone(entry)]; }

}  // namespace carefinder::store
