// Place resolution vs search, in process: see place_bench.h.
#include "bench/place_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "store/listing_store.h"
#include "store/read_session.h"

namespace carefinder::bench {

namespace {

struct PlaceCase {
  const char* label;
  const char* near;
};

constexpr PlaceCase kCases[] = {
    {"City, ST", "Redlands, CA"},      {"ZIP in text", "detox near 92374"},
    {"bare name (Brooklyn)", "Brooklyn"}, {"alias (NYC)", "NYC"},
    {"county", "Orange County, CA"},   {"typo + did you mean", "Pheonix"},
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

template <typename Fn>
std::vector<double> TimeUs(int n, Fn fn) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    out.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  return out;
}

}  // namespace

std::string BenchPlaces(const std::filesystem::path& db, long size, int queries) {
  auto store = store::ListingStore::Open(db.string());
  if (!store) return "place resolution: cannot open " + db.string() + ": " + store.error().message + "\n";
  std::string out;
  char line[256];
  for (const PlaceCase& c : kCases) {
    std::vector<double> resolve = TimeUs(queries, [&] {
      store::ReadSession session(**store);
      auto p = session.ResolvePlace(c.near);
      if (!p) session.DidYouMean(c.near);  // what the API does for an unknown place
    });
    store::ReadSession session(**store);
    auto place = session.ResolvePlace(c.near);
    if (!place) place = session.ResolvePlace(session.DidYouMean(c.near).at(0).query);
    store::SearchQuery q;
    q.center = place->point;
    std::vector<double> search = TimeUs(queries, [&] {
      (void)store::ReadSession(**store).Search(q);
    });
    std::snprintf(line, sizeof line, "%-10ld %-24s %9.1f %9.1f %11.1f %11.1f\n", size, c.label,
                  Percentile(resolve, 0.5), Percentile(resolve, 0.99), Percentile(search, 0.5),
                  Percentile(search, 0.99));
    out += line;
  }
  return out;
}

}  // namespace carefinder::bench
