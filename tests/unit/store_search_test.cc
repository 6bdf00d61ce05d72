// Unit tests for src/store: FTS escaping, filters (OR/AND/exclusion/parents),
// facets, radius edge, online listings, paging, text search, places, refresh.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/geo.h"
#include "store/fts_query.h"
#include "store/listing_store.h"
#include "store/read_session.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::store {
namespace {

using testing::ClinicListings;
using testing::DefaultListings;
using testing::FixtureId;

constexpr geo::Point kRedlands{34.068515, -117.175322};  // ZIP 92374 centroid
constexpr geo::Point kAngels{34.0614, -118.2385};

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::UniqueTempPath("store_search_test.db");
    auto listings = DefaultListings();
    for (auto& l : ClinicListings(25)) listings.push_back(l);
    testing::WriteFixtureDb(path_, listings);
    auto s = ListingStore::Open(path_, {.refresh_interval = std::chrono::milliseconds(0)});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }

  SearchResult Search(SearchQuery q) {
    auto r = ReadSession(*store_).Search(q);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : SearchResult{};
  }

  static SearchQuery Near(geo::Point p, std::vector<GroupFilter> filters = {}) {
    SearchQuery q;
    q.center = p;
    q.filters = std::move(filters);
    q.limit = 100;
    return q;
  }

  static std::set<std::string> Ids(const SearchResult& r) {
    std::set<std::string> ids;
    for (const auto& h : r.hits) ids.insert(testing::DocId(h.doc));
    return ids;
  }

  std::string path_;
  std::unique_ptr<ListingStore> store_;
};

TEST(FtsQuery, QuotesEveryWordAndPrefixesTheLast) {
  EXPECT_EQ(BuildFtsQuery(SplitWords("detox \" OR name:*")), "\"detox\" \"OR\" \"name\"*");
  EXPECT_EQ(BuildFtsQuery(SplitWords("AND (")), "\"AND\"*");
  EXPECT_EQ(BuildFtsQuery(SplitWords("()*:^\"")), "");
  EXPECT_EQ(BuildFtsQuery(SplitWords("café-bar")), "\"café\" \"bar\"*");
}

TEST_F(StoreTest, DetoxNearRedlandsFindsLibertyHouseFirstAndSkipsInactive) {
  auto r = Search(Near(kRedlands, {{"care", {"detox"}, {}}}));
  ASSERT_EQ(r.total, 1u);
  EXPECT_NE(r.hits[0].doc.find("Liberty House Recovery"), std::string::npos);
  ASSERT_TRUE(r.hits[0].distance_miles);
  EXPECT_LT(*r.hits[0].distance_miles, 0.01);
}

TEST_F(StoreTest, StatusAnyIncludesInactiveListings) {
  auto q = Near(kRedlands, {{"care", {"detox"}, {}}});
  q.any_status = true;
  EXPECT_EQ(Search(q).total, 2u);
}

TEST_F(StoreTest, ParentCodeMatchesChildren) {
  auto r = Search(Near(kAngels, {{"care", {"residential"}, {}}}));
  EXPECT_EQ(Ids(r), std::set<std::string>{FixtureId("angels-residential")});
}

TEST_F(StoreTest, ValuesInAGroupOr) {
  auto r = Search(Near(kRedlands, {{"payment", {"private-insurance", "sliding-fee"}, {}}}));
  EXPECT_EQ(Ids(r), (std::set<std::string>{FixtureId("liberty-house-detox"),
                                           FixtureId("inland-outpatient")}));
}

TEST_F(StoreTest, GroupsAnd) {
  auto r = Search(Near(kRedlands, {{"payment", {"sliding-fee"}, {}}, {"care", {"outpatient"}, {}}}));
  EXPECT_EQ(Ids(r), std::set<std::string>{FixtureId("inland-outpatient")});
  EXPECT_EQ(Search(Near(kRedlands, {{"payment", {"sliding-fee"}, {}}, {"care", {"detox"}, {}}})).total,
            0u);
}

TEST_F(StoreTest, LeadingMinusExcludes) {
  auto r = Search(Near(kRedlands, {{"care", {}, {"outpatient"}}}));
  EXPECT_EQ(Ids(r), std::set<std::string>{FixtureId("liberty-house-detox")});
}

TEST_F(StoreTest, FacetsCountWithEveryOtherGroupsFilter) {
  auto r = Search(Near(kRedlands, {{"payment", {"sliding-fee"}, {}}}));
  std::map<std::string, std::map<std::string, int64_t>> f;
  for (const auto& facet : r.facets)
    for (const auto& c : facet.counts) f[std::string(facet.group)][std::string(c.code)] = c.count;
  // The payment facet ignores the payment filter: other choices still count.
  EXPECT_EQ(f["payment"]["sliding-fee"], 1);
  EXPECT_EQ(f["payment"]["private-insurance"], 1);
  EXPECT_EQ(f["payment"]["self-pay"], 14);  // Liberty + 13 even clinics (0, 2, ..., 24)
  // Other groups count only sliding-fee listings.
  EXPECT_EQ(f["care"]["outpatient"], 1);
  EXPECT_FALSE(f["care"].contains("detox"));
}

// The radius is exactly the distance the index computes (same function, same
// doubles as the fixture row), so only `d <= r` keeps Angels Gate in.
TEST_F(StoreTest, RadiusEdgeIsInclusive) {
  double d = geo::DistanceMiles(kRedlands, kAngels);
  auto q = Near(kRedlands, {{"care", {"residential"}, {}}});
  q.radius_miles = d;
  // Mutation check: `d < r` in ListingIndex::ScanBand (src/store/listing_index.h) fails here.
  EXPECT_EQ(Ids(Search(q)), std::set<std::string>{FixtureId("angels-residential")});
  q.radius_miles = std::nextafter(d, 0.0);
  EXPECT_EQ(Search(q).total, 0u);
}

TEST_F(StoreTest, UnlocatedListingsOnlyWhenTheQueryIncludesThem) {
  auto q = Near(kRedlands);
  q.radius_miles = 5;
  q.filters = {{"attendance", {"online"}, {}}};
  EXPECT_FALSE(Ids(Search(q)).contains(FixtureId("online-smart")));
  q.include_unlocated = true;
  auto r = Search(q);
  EXPECT_EQ(Ids(r), std::set<std::string>{FixtureId("online-smart")});
  EXPECT_FALSE(r.hits[0].distance_miles);
}

TEST_F(StoreTest, PagingVisitsEveryMatchOnce) {
  auto q = Near(kRedlands);
  q.limit = 7;
  std::set<std::string> seen;
  size_t pages = 0, total = 0;
  for (bool more = true; more; ++pages) {
    auto r = Search(q);
    total = r.total;
    for (const auto& id : Ids(r)) EXPECT_TRUE(seen.insert(id).second) << id;
    more = r.more;
    q.offset += q.limit;
  }
  EXPECT_EQ(seen.size(), total);
  EXPECT_EQ(total, 27u);  // Liberty House, Inland Valley, 25 clinics (closed one: inactive)
  EXPECT_EQ(pages, 4u);
}

TEST_F(StoreTest, DistanceSortIsAscending) {
  auto r = Search(Near(kRedlands));
  for (size_t i = 1; i < r.hits.size(); ++i) {
    EXPECT_LE(*r.hits[i - 1].distance_miles, *r.hits[i].distance_miles);
  }
}

TEST_F(StoreTest, TextWithPlaceMatchesEveryWordAndPrefix) {
  auto q = Near(kRedlands);
  q.text = "supervised withdr";
  EXPECT_EQ(Ids(Search(q)), std::set<std::string>{FixtureId("liberty-house-detox")});
}

// A term's label matches through the listing's terms (store/label_words.h):
// listing_fts holds no labels.
TEST_F(StoreTest, TextMatchesATermLabelThroughTheListingsTerms) {
  auto q = Near(kRedlands);
  q.text = "cognitive";  // cbt's label, "Cognitive behavioral therapy (CBT)"
  EXPECT_EQ(Ids(Search(q)), std::set<std::string>{FixtureId("inland-outpatient")});
}

TEST_F(StoreTest, FtsSyntaxInTextIsMatchedLiterally) {
  auto q = Near(kRedlands);
  q.text = "detox\" OR name:*";
  EXPECT_EQ(Search(q).total, 0u);  // no listing has the words "or" and "name*"
  q.text = "AND (";                // the word "and*", not an operator
  EXPECT_EQ(Ids(Search(q)), (std::set<std::string>{FixtureId("liberty-house-detox"),
                                                   FixtureId("inland-outpatient")}));
  q.text = "NEAR(detox opioids, 2)";
  EXPECT_EQ(Search(q).total, 0u);
}

TEST_F(StoreTest, RelevanceWithPlacePutsNameMatchesBeforeNearerListings) {
  auto q = Near({34.0, -117.2});  // on top of clinic-0, 2.7 miles from Inland Valley
  q.text = "outpatient";           // Inland Valley's name; only the clinics' description
  q.sort = SortOrder::kRelevance;
  auto r = Search(q);
  ASSERT_GE(r.hits.size(), 2u);
  EXPECT_NE(r.hits[0].doc.find("Inland Valley"), std::string::npos);
  q.sort = SortOrder::kDistance;
  EXPECT_NE(Search(q).hits[0].doc.find("Clinic number 0"), std::string::npos);
}

// Without a place too: a word of a label finds the listings with the term,
// after those whose own text has the word (bm25 ranks text, a label match
// scores 0); a search's other words may be in the text.
TEST_F(StoreTest, TextWithoutPlaceMatchesLabelsAfterTextMatches) {
  SearchQuery q;
  q.text = "cognitive";  // cbt's label only
  q.sort = SortOrder::kRelevance;
  EXPECT_EQ(Ids(Search(q)), std::set<std::string>{FixtureId("inland-outpatient")});
  q.text = "residential";  // Angels Gate's name and labels; Liberty House's "Residential detox"
  auto r = Search(q);
  ASSERT_EQ(Ids(r), (std::set<std::string>{FixtureId("angels-residential"), FixtureId("liberty-house-detox")}));
  EXPECT_NE(r.hits[0].doc.find("Angels Gate"), std::string::npos);
  q.text = "liberty management";  // the organisation's name, then detox's label
  EXPECT_EQ(Ids(Search(q)), std::set<std::string>{FixtureId("liberty-house-detox")});
  q.text = "liberty cognitive";  // Liberty House has no CBT
  EXPECT_EQ(Search(q).total, 0u);
}

// Without a place, a word that more than kMaxTextOnlyMatches listings match
// (here only through a term's label) keeps the first of them in rowid
// order, whatever order the index holds them in: the clinics' coordinates
// run against their rowids, so the index's own order would keep the others.
TEST(StoreTextOnly, KeepsTheFirstMatchesInRowidOrder) {
  std::string path = testing::UniqueTempPath("store_text_only_test.db");
  auto listings = ClinicListings(2100);
  for (size_t i = 0; i < listings.size(); ++i) {
    listings[i].lat = 34.0 + 0.001 * static_cast<double>(listings.size() - 1 - i);
    listings[i].lon = -117.2 + 0.0007 * static_cast<double>(listings.size() - 1 - i);
  }
  testing::WriteFixtureDb(path, listings);
  auto store = ListingStore::Open(path, {.refresh_interval = std::chrono::milliseconds(0)});
  ASSERT_TRUE(store) << store.error().message;
  SearchQuery q;
  q.text = "medicaid";  // the label of the odd clinics' payment term; no clinic's text has it
  q.limit = kMaxTextOnlyMatches;
  auto r = ReadSession(**store).Search(q);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->total, kMaxTextOnlyMatches);  // of 1,050
  std::set<std::string> expected;
  for (size_t k = 0; k < kMaxTextOnlyMatches; ++k) expected.insert(FixtureId("clinic-" + std::to_string(2 * k + 1)));
  std::set<std::string> ids;
  for (const auto& h : r->hits) ids.insert(testing::DocId(h.doc));
  EXPECT_EQ(ids, expected);
}

TEST_F(StoreTest, TextWithoutPlaceIsRankedAndHasNoDistance) {
  SearchQuery q;
  q.text = "residential";
  q.sort = SortOrder::kRelevance;
  auto r = Search(q);
  ASSERT_GE(r.total, 1u);
  EXPECT_NE(r.hits[0].doc.find("Angels Gate"), std::string::npos);
  EXPECT_FALSE(r.hits[0].distance_miles);
}

TEST_F(StoreTest, ResolvesZipCityAndPoint) {
  auto zip = ReadSession(*store_).ResolvePlace("92374");
  ASSERT_TRUE(zip);
  EXPECT_EQ(zip->label, "92374 (Redlands, CA)");
  EXPECT_EQ(zip->kind, "zip");
  auto city = ReadSession(*store_).ResolvePlace("redlands, california");
  ASSERT_TRUE(city);
  EXPECT_EQ(city->label, "Redlands, CA");
  EXPECT_EQ(ReadSession(*store_).ResolvePlace("St. Louis, MO")->label, "Saint Louis, MO");
  auto point = ReadSession(*store_).ResolvePlace("34.06,-117.18");
  ASSERT_TRUE(point);
  EXPECT_EQ(point->kind, "point");
}

TEST_F(StoreTest, UnknownPlacesAreNotFoundWithTheirName) {
  auto zip = ReadSession(*store_).ResolvePlace("00000");
  ASSERT_FALSE(zip);
  EXPECT_EQ(zip.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(zip.error().message, "no ZIP code 00000 in our gazetteer");
  auto city = ReadSession(*store_).ResolvePlace("Atlantis, ZZ");
  ASSERT_FALSE(city);
  EXPECT_EQ(city.error().message,
            "no place named \"Atlantis, ZZ\" in our gazetteer (try a 5-digit ZIP code, "
            "\"City, ST\" or \"lat,lon\")");
}

TEST_F(StoreTest, SuggestsZipsAndCities) {
  ReadSession session(*store_);
  auto zips = session.SuggestPlaces("923");
  ASSERT_EQ(zips.size(), 2u);
  EXPECT_EQ(zips[0].query, "92373");
  auto cities = session.SuggestPlaces("redl");
  ASSERT_EQ(cities.size(), 1u);
  EXPECT_EQ(cities[0].label, "Redlands, CA");
  EXPECT_TRUE(session.SuggestPlaces("redl, ny").empty());
}

TEST_F(StoreTest, RefreshPicksUpANewImport) {
  auto q = Near(kRedlands);
  size_t before = Search(q).total;
  auto more = ClinicListings(5);
  for (auto& l : more) l.key = "new-" + l.key;
  testing::AddFixtureListings(path_, more);
  ASSERT_TRUE(store_->Refresh());
  EXPECT_EQ(Search(q).total, before + 5);
}

// ---- weekly times: day, time, open_now, sort=next ---------------------------

constexpr int kMo = 0, kTu = 1, kSu = 6;
constexpr int At(int day, int hour, int minute = 0) {
  return day * kMinutesPerDay + hour * 60 + minute;
}

TEST(WeekSchedule, ParsesPiecesSkipsBadOnesAndRunsOvernight) {
  auto t = ParseSchedule("MO 08:00-17:00; tu 19:00-20:30;XX 01:00-02:00;WE 25:00-26:00;"
                         "SU 23:00-01:00;FR 12:00-12:00");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].start, At(kMo, 8));
  EXPECT_EQ(t[0].end, At(kMo, 17));
  EXPECT_EQ(t[1].start, At(kTu, 19));
  EXPECT_EQ(t[1].end, At(kTu, 20, 30));
  EXPECT_EQ(t[2].start, At(kSu, 23));
  EXPECT_EQ(t[2].end, kMinutesPerWeek + 60);  // into Monday
  EXPECT_EQ(t[3].end - t[3].start, 1);        // a start with no known end
  EXPECT_TRUE(ParseSchedule("").empty());
  EXPECT_EQ(ParseSchedule("SA 00:00-24:00")[0].end, At(kSu, 0));
}

TEST(WeekSchedule, OpenDuringAndMinutesToNext) {
  auto t = ParseSchedule("MO 08:00-17:00;SU 23:00-01:00");
  EXPECT_TRUE(OpenDuring(t, {At(kMo, 8), At(kMo, 8) + 1}));
  EXPECT_FALSE(OpenDuring(t, {At(kMo, 17), At(kMo, 17) + 1}));   // closing time is closed
  EXPECT_TRUE(OpenDuring(t, {At(kMo, 0, 30), At(kMo, 0, 31)}));  // Sunday night's run
  EXPECT_FALSE(OpenDuring(t, {At(kMo, 1), At(kMo, 2)}));
  EXPECT_TRUE(OpenDuring(t, {At(kMo, 16), At(kTu, 0)}));  // later that day
  EXPECT_EQ(MinutesToNext(t, At(kMo, 9)), 0);
  EXPECT_EQ(MinutesToNext(t, At(kMo, 18)), At(kSu, 23) - At(kMo, 18));
  EXPECT_EQ(MinutesToNext(t, At(kSu, 22)), 60);
  EXPECT_EQ(MinutesToNext(t, At(kMo, 2)), 6 * 60);  // wraps to Monday 08:00
  EXPECT_EQ(MinutesToNext({}, 0), std::nullopt);
}

class ScheduleTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    testing::SetFixtureSchedule(path_, "liberty-house-detox",
                                "MO 00:00-24:00;TU 00:00-24:00;WE 00:00-24:00;TH 00:00-24:00;"
                                "FR 00:00-24:00;SA 00:00-24:00;SU 00:00-24:00");
    testing::SetFixtureSchedule(path_, "inland-outpatient",
                                "MO 08:00-17:00;TU 08:00-17:00;SA 09:00-12:00");
    testing::SetFixtureSchedule(path_, "online-smart", "TU 19:00-20:30");
    testing::SetFixtureSchedule(path_, "clinic-0", "SU 23:00-01:00");
    ASSERT_TRUE(store_->Refresh());
  }

  static SearchQuery Window(int from, int to) {
    SearchQuery q = Near(kRedlands, {{"attendance", {"in-person", "online"}, {}}});
    q.include_unlocated = true;
    q.open_during = WeekWindow{from, to};
    q.week_minute = from;
    return q;
  }
};

TEST_F(ScheduleTest, OpenNowKeepsOnlyListingsOpenAtThatMinute) {
  EXPECT_EQ(Ids(Search(Window(At(kTu, 10), At(kTu, 10) + 1))),
            (std::set<std::string>{FixtureId("liberty-house-detox"),
                                   FixtureId("inland-outpatient")}));
  EXPECT_EQ(Ids(Search(Window(At(kTu, 19, 30), At(kTu, 19, 31)))),
            (std::set<std::string>{FixtureId("liberty-house-detox"), FixtureId("online-smart")}));
  EXPECT_EQ(Ids(Search(Window(At(kMo, 0, 30), At(kMo, 0, 31)))),
            (std::set<std::string>{FixtureId("liberty-house-detox"), FixtureId("clinic-0")}));
}

TEST_F(ScheduleTest, LaterTodayKeepsTimesNotYetOverAndLeavesUnknownHoursOut) {
  // Tuesday from 18:00: the 19:00 meeting and the 24-hour detox; not the
  // outpatient centre (closed at 17:00), not the 25 clinics with no hours.
  auto r = Search(Window(At(kTu, 18), At(kTu + 1, 0)));
  EXPECT_EQ(Ids(r), (std::set<std::string>{FixtureId("liberty-house-detox"),
                                           FixtureId("online-smart")}));
  EXPECT_EQ(r.total, 2u);
}

TEST_F(ScheduleTest, FacetsCountOnlyListingsInTheWindow) {
  auto r = Search(Window(At(kTu, 19, 30), At(kTu, 19, 31)));
  std::map<std::string, std::map<std::string, int64_t>> f;
  for (const auto& facet : r.facets)
    for (const auto& c : facet.counts) f[std::string(facet.group)][std::string(c.code)] = c.count;
  EXPECT_EQ(f["kind"]["meeting"], 1);
  EXPECT_EQ(f["kind"]["treatment"], 1);
  EXPECT_FALSE(f["care"].contains("outpatient"));
}

TEST_F(ScheduleTest, SortNextPutsTheSoonestFirstAndUnknownHoursLast) {
  SearchQuery q = Near(kRedlands, {{"attendance", {"in-person", "online"}, {}}});
  q.include_unlocated = true;
  q.sort = SortOrder::kNext;
  q.week_minute = At(kTu, 18);
  auto r = Search(q);
  ASSERT_EQ(r.total, 28u);
  auto id = [&](size_t i) {
    auto start = r.hits[i].doc.find("\"id\":\"") + 6;
    return r.hits[i].doc.substr(start, r.hits[i].doc.find('"', start) - start);
  };
  EXPECT_EQ(id(0), FixtureId("liberty-house-detox"));  // open: 0 minutes
  EXPECT_EQ(id(1), FixtureId("online-smart"));         // Tuesday 19:00: in 60 minutes
  EXPECT_EQ(id(2), FixtureId("inland-outpatient"));    // Saturday 09:00
  EXPECT_EQ(id(3), FixtureId("clinic-0"));             // Sunday 23:00
  EXPECT_FALSE(r.hits[4].distance_miles > r.hits[5].distance_miles);  // then nearest first
}

}  // namespace
}  // namespace carefinder::store
