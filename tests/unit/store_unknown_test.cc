// Unit tests for the search's honest fallbacks (store/search.h): listings
// whose source does not state a service follow the stated matches, never
// those whose source says no; nothing within the radius gives the nearest
// matches beyond it; open_during says how many listings it left out for
// unknown hours; every hit has a call action (the helpline when it has no
// number).
#include <gtest/gtest.h>

#include <set>

#include "store/listing_store.h"
#include "store/read_session.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::store {
namespace {

using testing::FixtureId;
using testing::FixtureListing;

constexpr geo::Point kRedlands{34.068515, -117.175322};

std::vector<FixtureListing> Listings() {
  auto at = [](std::string key, double dlat, std::vector<std::string> terms, bool stated,
               std::string phone = "", std::string e164 = "", std::string status = "active") {
    FixtureListing l{key, "treatment", status, "Program " + key, "Org " + key, "", "Redlands",
                     "CA", "92374", kRedlands.lat + dlat, kRedlands.lon, std::move(terms), phone,
                     e164};
    l.services_stated = stated;
    return l;
  };
  FixtureListing meeting{"aa-meeting", "meeting", "active", "AA meeting", "Redlands AA", "",
                         "Redlands", "CA", "92374", kRedlands.lat + 0.035, kRedlands.lon,
                         {"meeting", "aa", "twelve-step", "in-person"}, "", ""};
  return {
      // A meeting says nothing about care: it is no treatment that might offer it.
      meeting,
      // States detox: a match whatever its source.
      at("detox-stated", 0.01, {"treatment", "detox", "in-person"}, true, "(909) 555-0100",
         "+19095550100"),
      // A survey that asked: no detox means it does not offer detox.
      at("outpatient-stated", 0.02, {"treatment", "outpatient", "in-person"}, true),
      // A list that never said what care it gives: unknown.
      at("nothing-said", 0.03, {"treatment", "in-person"}, false),
      // A list that named some care but not detox: it stated the group.
      at("outpatient-said", 0.04, {"treatment", "outpatient", "in-person"}, false),
      // Unknown, but inactive: never offered.
      at("nothing-said-closed", 0.05, {"treatment", "in-person"}, false, "", "", "inactive"),
      // Residential care 1.2 degrees (about 83 miles) north: only beyond 25 miles.
      at("residential-far", 1.2, {"treatment", "residential", "in-person"}, true, "(760) 555-0101",
         "+17605550101"),
  };
}

class UnknownIsNotNoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::UniqueTempPath("store_unknown_test.db");
    testing::WriteFixtureDb(path_, Listings());
    auto s = ListingStore::Open(path_, {.refresh_interval = std::chrono::milliseconds(0)});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }

  SearchResult Search(std::vector<GroupFilter> filters, double radius = 25) {
    SearchQuery q;
    q.center = kRedlands;
    q.radius_miles = radius;
    q.filters = std::move(filters);
    auto r = ReadSession(*store_).Search(q);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : SearchResult{};
  }

  static std::vector<std::string> Ids(const std::vector<SearchHit>& hits) {
    std::vector<std::string> ids;
    for (const auto& h : hits) ids.push_back(testing::DocId(h.doc));
    return ids;
  }

  std::string path_;
  std::unique_ptr<ListingStore> store_;
};

TEST_F(UnknownIsNotNoTest, ListingsThatDoNotSayFollowNeverThoseThatSayNo) {
  SearchResult r = Search({{"care", {"detox"}, {}}});
  EXPECT_EQ(Ids(r.hits), std::vector<std::string>{FixtureId("detox-stated")});
  EXPECT_EQ(r.total, 1u);
  // Not outpatient-stated (its survey says no), not outpatient-said (its
  // source stated care), not the inactive one.
  EXPECT_EQ(Ids(r.not_stated), std::vector<std::string>{FixtureId("nothing-said")});
  EXPECT_EQ(r.not_stated_total, 1u);
}

TEST_F(UnknownIsNotNoTest, NoFilterOrEnoughStatedMatchesAddsNothing) {
  EXPECT_TRUE(Search({}).not_stated.empty());
  EXPECT_TRUE(Search({{"kind", {"treatment"}, {}}}).not_stated.empty());  // kind is always known
}

TEST_F(UnknownIsNotNoTest, AnExclusionStillHoldsForListingsThatDoNotSay) {
  SearchResult r = Search({{"care", {"detox"}, {}}, {"attendance", {}, {"in-person"}}});
  EXPECT_TRUE(r.hits.empty());
  EXPECT_TRUE(r.not_stated.empty());
}

TEST_F(UnknownIsNotNoTest, NothingWithinTheRadiusOffersTheNearestBeyondIt) {
  SearchResult r = Search({{"care", {"residential"}, {}}});
  EXPECT_EQ(r.total, 0u);
  EXPECT_TRUE(r.hits.empty());
  ASSERT_EQ(Ids(r.beyond), std::vector<std::string>{FixtureId("residential-far")});
  EXPECT_EQ(r.beyond_radius_miles, 100);  // 50 finds nothing, 100 does
  double expected = geo::DistanceMiles(kRedlands, {kRedlands.lat + 1.2, kRedlands.lon});
  EXPECT_NEAR(*r.beyond[0].distance_miles, expected, 1e-6);
  EXPECT_GT(*r.beyond[0].distance_miles, 80);
}

TEST_F(UnknownIsNotNoTest, AMatchWithinTheRadiusWidensNothing) {
  SearchResult r = Search({{"care", {"detox"}, {}}});
  EXPECT_TRUE(r.beyond.empty());
  EXPECT_EQ(r.beyond_radius_miles, 0);
}

TEST_F(UnknownIsNotNoTest, OpenDuringSaysHowManyItLeftOutForUnknownHours) {
  SearchQuery q;
  q.center = kRedlands;
  q.open_during = WeekWindow{0, kMinutesPerWeek};
  auto r = ReadSession(*store_).Search(q);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->total, 0u);          // no fixture listing has hours
  EXPECT_EQ(r->hours_unknown, 5u);  // the five active ones within 25 miles, meeting included
}

TEST_F(UnknownIsNotNoTest, AListingWithNoNumberCallsTheHelpline) {
  SearchResult r = Search({{"care", {"detox"}, {}}});
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_FALSE(r.hits[0].call.helpline);
  EXPECT_EQ(r.hits[0].call.display, "(909) 555-0100");
  EXPECT_EQ(r.hits[0].call.e164, "+19095550100");
  ASSERT_EQ(r.not_stated.size(), 1u);
  EXPECT_TRUE(r.not_stated[0].call.helpline);
  EXPECT_EQ(r.not_stated[0].call.display, "1-800-662-4357");
  EXPECT_EQ(r.not_stated[0].call.e164, "+18006624357");
}

TEST(CallActionTest, SkipsFaxAndMarksASharedNumber) {
  std::string doc =
      R"({"id":"x","phones":[{"role":"fax","display":"(909) 555-0001","e164":"+19095550001",)"
      R"("extension":null},{"role":"intake","display":"(909) 555-0002","e164":"+19095550002",)"
      R"("extension":"12"}],"website":null})";
  CallAction a = CallActionOf(doc, SharedPhones({{"+19095550001", 4}, {"+19095550002", 6}}));
  EXPECT_EQ(a.display, "(909) 555-0002");
  EXPECT_EQ(a.extension, "12");
  EXPECT_EQ(a.shared_by, 6);
  EXPECT_FALSE(a.helpline);
  EXPECT_EQ(CallActionOf(doc, {}).shared_by, 0);
  EXPECT_TRUE(CallActionOf(R"({"phones":[],"website":null})", {}).helpline);
}

// The plain-shape reader and nlohmann must agree: escapes, spaces, a key
// given twice (the last counts), a non-string value, malformed arrays.
TEST(CallActionTest, ReadsEveryShapeOfPhonesArrayAsTheJsonParserDoes) {
  auto display = [](std::string phones) {
    CallAction a = CallActionOf(R"({"phones":)" + phones + R"(,"website":null})", {});
    return a.helpline ? std::string("helpline") : a.display + "|" + a.e164 + "|" + a.extension;
  };
  EXPECT_EQ(display(R"([{"role":"main","display":"(909) 555-0003","e164":"+19095550003","extension":null}])"),
            "(909) 555-0003|+19095550003|");
  EXPECT_EQ(display(R"([ { "role" : "main" , "display" : "A \"B\"", "e164":"+1" } ])"), "A \"B\"|+1|");
  EXPECT_EQ(display(R"([{"display":"first","display":"second","e164":null}])"), "second||");
  EXPECT_EQ(display(R"([{"display":"x","extension":7}])"), "x||");
  EXPECT_EQ(display(R"([{"role":"fax","display":"f"},{"role":null,"display":"v"}])"), "v||");
  // A bracket inside a string is text (read as the whole member since stop
  // 34; before, the array was cut at it and the helpline answered).
  EXPECT_EQ(display(R"([{"display":"555-0100 [main]","e164":"+15550100"}])"), "555-0100 [main]|+15550100|");
  EXPECT_EQ(display(R"([{"display":"x",}])"), "helpline");
  EXPECT_EQ(display(R"([{"display":"x"} {"display":"y"}])"), "helpline");
  EXPECT_EQ(display(R"(["x"])"), "helpline");
}

}  // namespace
}  // namespace carefinder::store
