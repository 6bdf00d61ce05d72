// Guard for the place search's fast paths (store/search.cc): on a generated
// set of a few thousand listings (dense, with many listings sharing one spot so
// distances tie and the name decides), random place searches must give what a
// brute-force reading of the rules gives: the total, every facet count, the
// page's listings in order with their distances, and whether more follow.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "core/geo.h"
#include "store/listing_store.h"
#include "store/read_session.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::store {
namespace {

using testing::FixtureListing;

constexpr geo::Point kCentre{34.068515, -117.175322};  // ZIP 92374 centroid
constexpr int kListings = 3000;
constexpr int kSharedSpots = 40;        // listings on one of these tie on distance
constexpr double kSpreadDegrees = 0.9;  // listings within about +-60 miles
constexpr int kQueries = 300;

// The codes a generated listing draws from, by term group.
const std::map<std::string, std::vector<std::string>>& Vocabulary() {
  static const std::map<std::string, std::vector<std::string>> v = {
      {"care", {"detox", "outpatient", "residential", "counseling", "cbt", "telehealth"}},
      {"medication", {"buprenorphine", "methadone", "naltrexone"}},
      {"payment", {"medicaid", "self-pay", "private-insurance", "sliding-fee"}},
      {"population", {"adults", "women", "adolescents"}},
      {"substance", {"alcohol", "opioids", "stimulants"}},
  };
  return v;
}

std::string GroupOf(const std::string& code) {
  if (code == "treatment" || code == "meeting") return "kind";
  for (const auto& [group, codes] : Vocabulary()) {
    if (std::ranges::find(codes, code) != codes.end()) return group;
  }
  return "";
}

struct Generated {
  FixtureListing fixture;
  int rowid;  // insertion order, as WriteFixtureDb inserts
};

std::vector<Generated> GenerateListings(std::mt19937& rng) {
  std::uniform_real_distribution<double> offset(-kSpreadDegrees, kSpreadDegrees);
  std::vector<geo::Point> spots;
  for (int i = 0; i < kSharedSpots; ++i) {
    spots.push_back({kCentre.lat + offset(rng) / 3, kCentre.lon + offset(rng) / 3});
  }
  std::vector<Generated> out;
  for (int i = 0; i < kListings; ++i) {
    FixtureListing l;
    l.key = "gen-" + std::to_string(i);
    l.kind = rng() % 4 ? "treatment" : "meeting";
    l.status = rng() % 10 ? "active" : "inactive";
    // Names in an order unrelated to the rows; unique without case.
    char name[32];
    std::snprintf(name, sizeof name, "%c%c listing %05u", 'A' + static_cast<char>(rng() % 26),
                  rng() % 2 ? 'A' : 'a', static_cast<unsigned>(rng() % 100000) * 10 + i % 10);
    l.name = std::string(name) + " #" + std::to_string(i);
    l.organization = "Generated";
    l.description = "A generated listing.";
    geo::Point p = rng() % 3 ? geo::Point{kCentre.lat + offset(rng), kCentre.lon + offset(rng)}
                             : spots[rng() % spots.size()];
    l.lat = p.lat, l.lon = p.lon;
    l.terms = {l.kind};
    for (const auto& [group, codes] : Vocabulary()) {
      for (const auto& code : codes) {
        if (rng() % 3 == 0) l.terms.push_back(code);
      }
    }
    out.push_back({std::move(l), i + 1});
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The rules of store/search.h, read plainly.
struct Expected {
  size_t total = 0;
  std::map<std::string, std::map<std::string, int64_t>> facets;
  std::vector<std::pair<std::string, double>> page;  // id, distance
  bool more = false;
};

bool PassesGroup(const GroupFilter& f, const std::set<std::string>& terms) {
  bool has_include =
      std::ranges::any_of(f.include, [&](const auto& c) { return terms.contains(c); });
  bool has_exclude =
      std::ranges::any_of(f.exclude, [&](const auto& c) { return terms.contains(c); });
  return (f.include.empty() || has_include) && !has_exclude;
}

Expected BruteForce(const std::vector<Generated>& all, const SearchQuery& q) {
  struct Match {
    const Generated* g;
    double distance;
  };
  Expected e;
  std::vector<Match> matches;
  for (const auto& g : all) {
    const FixtureListing& l = g.fixture;
    if (!q.any_status && l.status != "active") continue;
    double d = geo::DistanceMiles(*q.center, {*l.lat, *l.lon});
    if (d > q.radius_miles) continue;
    std::set<std::string> terms(l.terms.begin(), l.terms.end());
    std::vector<std::string> failed;
    for (const auto& f : q.filters) {
      if (!PassesGroup(f, terms)) failed.push_back(f.group);
    }
    if (failed.size() > 1) continue;
    for (const auto& code : terms) {
      if (failed.empty() || GroupOf(code) == failed[0]) ++e.facets[GroupOf(code)][code];
    }
    if (failed.empty()) matches.push_back({&g, d});
  }
  auto name_less = [](const Match& a, const Match& b) {
    std::string x = Lower(a.g->fixture.name), y = Lower(b.g->fixture.name);
    return x != y ? x < y : a.g->rowid < b.g->rowid;
  };
  std::ranges::sort(matches, [&](const Match& a, const Match& b) {
    if (q.sort == SortOrder::kName) return name_less(a, b);
    return a.distance != b.distance ? a.distance < b.distance : name_less(a, b);
  });
  e.total = matches.size();
  size_t end = std::min(matches.size(), q.offset + q.limit);
  for (size_t i = q.offset; i < end; ++i) {
    e.page.emplace_back(testing::FixtureId(matches[i].g->fixture.key), matches[i].distance);
  }
  e.more = end < matches.size();
  return e;
}

GroupFilter RandomFilter(std::mt19937& rng, const std::string& group) {
  const auto& codes =
      group == "kind" ? std::vector<std::string>{"treatment", "meeting"} : Vocabulary().at(group);
  GroupFilter f{group, {}, {}};
  for (const auto& code : codes) {
    int pick = static_cast<int>(rng() % 6);
    if (pick == 0)
      f.include.push_back(code);
    else if (pick == 1 && group != "kind")
      f.exclude.push_back(code);
  }
  if (f.include.empty() && f.exclude.empty()) f.include.push_back(codes[rng() % codes.size()]);
  return f;
}

SearchQuery RandomQuery(std::mt19937& rng) {
  static const std::vector<std::string> kGroups = {"kind",    "care",       "medication",
                                                   "payment", "population", "substance"};
  static const double kRadii[] = {1, 5, 10, 25, 50, 100};
  SearchQuery q;
  std::uniform_real_distribution<double> jitter(-0.3, 0.3);
  q.center = geo::Point{kCentre.lat + jitter(rng), kCentre.lon + jitter(rng)};
  q.radius_miles = kRadii[rng() % std::size(kRadii)];
  int groups = static_cast<int>(rng() % 4);  // 0 to 3 groups
  std::vector<std::string> order = kGroups;
  std::ranges::shuffle(order, rng);
  for (int i = 0; i < groups; ++i) q.filters.push_back(RandomFilter(rng, order[i]));
  q.any_status = rng() % 5 == 0;
  q.sort = rng() % 4 == 0 ? SortOrder::kName : SortOrder::kDistance;
  q.limit = rng() % 3 == 0 ? 100 : 20;
  q.offset = rng() % 4 == 0 ? 20 * (rng() % 5) : 0;
  return q;
}

std::string Describe(const SearchQuery& q) {
  std::string s = "centre " + std::to_string(q.center->lat) + "," + std::to_string(q.center->lon) +
                  " radius " + std::to_string(q.radius_miles) +
                  (q.any_status ? " any status" : "") +
                  (q.sort == SortOrder::kName ? " by name" : "") + " limit " +
                  std::to_string(q.limit) + " offset " + std::to_string(q.offset);
  for (const auto& f : q.filters) {
    s += " " + f.group + ":";
    for (const auto& c : f.include) s += " +" + c;
    for (const auto& c : f.exclude) s += " -" + c;
  }
  return s;
}

class SearchOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937 rng(12);
    listings_ = GenerateListings(rng);
    std::vector<FixtureListing> fixtures;
    for (const auto& g : listings_) fixtures.push_back(g.fixture);
    path_ = testing::UniqueTempPath("store_search_oracle_test.db");
    testing::WriteFixtureDb(path_, fixtures);
    auto s = ListingStore::Open(path_, {.refresh_interval = std::chrono::milliseconds(0)});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }

  std::string path_;
  std::vector<Generated> listings_;
  std::unique_ptr<ListingStore> store_;
};

TEST_F(SearchOracleTest, PlaceSearchesGiveWhatTheRulesReadPlainlyGive) {
  std::mt19937 rng(7);
  size_t with_ties = 0, with_two_groups_failing = 0;
  for (int n = 0; n < kQueries; ++n) {
    SearchQuery q = RandomQuery(rng);
    SCOPED_TRACE(Describe(q));
    Expected e = BruteForce(listings_, q);
    auto r = ReadSession(*store_).Search(q);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->total, e.total);
    EXPECT_EQ(r->more, e.more);
    std::map<std::string, std::map<std::string, int64_t>> facets;
    for (const auto& f : r->facets) {
      for (const auto& c : f.counts) facets[std::string(f.group)][std::string(c.code)] = c.count;
    }
    EXPECT_EQ(facets, e.facets);
    ASSERT_EQ(r->hits.size(), e.page.size());
    for (size_t i = 0; i < e.page.size(); ++i) {
      EXPECT_EQ(testing::DocId(r->hits[i].doc), e.page[i].first) << "hit " << i;
      ASSERT_TRUE(r->hits[i].distance_miles);
      EXPECT_EQ(*r->hits[i].distance_miles, e.page[i].second) << "hit " << i;
      if (i > 0 && e.page[i].second == e.page[i - 1].second) ++with_ties;
    }
    with_two_groups_failing += q.filters.size() >= 2;
  }
  // The generated set does exercise the tie on distance and the facet rule.
  EXPECT_GT(with_ties, 50u);
  EXPECT_GT(with_two_groups_failing, 50u);
}

}  // namespace
}  // namespace carefinder::store
