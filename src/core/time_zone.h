// Time zones of listings: the IANA zone of a US place (by state, with the
// split states divided by longitude), and the UTC offset of the zones the
// importer accepts at a given instant (their standard offset and daylight
// rule, a small table: the C++ library of GCC 12 has no tz database).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace carefinder::tz {

// The zone of a place in `state` (two-letter USPS code, any case) at `lat`,
// `lon` (when known: the split states need them, and without them get the
// zone most of their people live in). "" for an unknown state.
std::string_view ZoneOfPlace(std::string_view state, std::optional<double> lat,
                             std::optional<double> lon);

// Whether `zone` is one this table knows ("America/New_York").
bool IsKnownZone(std::string_view zone);

// Minutes east of UTC in `zone` at `unix_seconds` (daylight time included);
// nullopt for a zone IsKnownZone rejects.
std::optional<int> UtcOffsetMinutes(std::string_view zone, int64_t unix_seconds);

}  // namespace carefinder::tz
