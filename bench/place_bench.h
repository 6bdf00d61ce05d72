// In-process timing of place resolution beside the search it precedes (the
// issue: resolving `near` must cost no more than the search itself).
#pragma once

#include <filesystem>
#include <string>

namespace carefinder::bench {

// Opens `db` read-only, resolves each kind of `near` ("City, ST", ZIP, bare
// name, typo with its "did you mean") `queries` times, runs the 25-mile
// search each place leads to as many times, and returns a table of p50/p99 µs.
std::string BenchPlaces(const std::filesystem::path& db, long size, int queries);

}  // namespace carefinder::bench
