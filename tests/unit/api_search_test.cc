// Unit tests for GET /api/v1/search as a plain function: the response shape,
// and every validation message word for word in the one problem+json shape.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "api/handlers.h"
#include "api/search_params.h"
#include "api/time_params.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::api {
namespace {

using nlohmann::json;

class ApiSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = new std::string(testing::UniqueTempPath("api_search_test.db"));
    auto listings = testing::DefaultListings();
    for (auto& l : testing::ClinicListings(25)) listings.push_back(l);
    testing::WriteFixtureDb(*path_, listings);
    testing::SetFixtureSchedule(*path_, "liberty-house-detox",
                                "MO 00:00-24:00;TU 00:00-24:00;WE 00:00-24:00;TH 00:00-24:00;"
                                "FR 00:00-24:00;SA 00:00-24:00;SU 00:00-24:00");
    testing::SetFixtureSchedule(*path_, "inland-outpatient", "MO 08:00-17:00;TU 08:00-17:00");
    // An online meeting in New York: searches from Redlands (Pacific) that
    // give `now` see it three hours earlier; the old day/time clock does not.
    testing::SetFixtureSchedule(*path_, "online-smart", "TU 19:00-20:30;TZ America/New_York");
    auto s = store::ListingStore::Open(*path_, {.refresh_interval = std::chrono::milliseconds(0)});
    ASSERT_TRUE(s) << s.error().message;
    store_ = s->release();
  }
  static void TearDownTestSuite() {
    delete store_;
    delete path_;
  }

  static Response Get(std::multimap<std::string, std::string> query) {
    store::ReadSession session(*store_);
    return HandleSearch(session, Request{"/api/v1/search", {}, std::move(query)});
  }

  // Asserts the problem+json shape and returns the body.
  static json Problem(const Response& r, int status, const std::string& type) {
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.content_type, "application/problem+json");
    json body = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(body.is_discarded()) << r.body;
    EXPECT_EQ(body.size(), 5u) << r.body;  // type, title, status, detail, param
    EXPECT_EQ(body.value("type", ""), "https://carefinder.example/problems/" + type);
    EXPECT_TRUE(body.contains("title"));
    EXPECT_EQ(body.value("status", 0), status);
    return body;
  }

  static void ExpectInvalid(std::multimap<std::string, std::string> query,
                            const std::string& detail, const std::string& param) {
    json body = Problem(Get(std::move(query)), 400, "invalid-parameter");
    EXPECT_EQ(body.value("detail", ""), detail);
    EXPECT_EQ(body.value("param", ""), param);
  }

  static std::string* path_;
  static store::ListingStore* store_;
};

std::string* ApiSearchTest::path_ = nullptr;
store::ListingStore* ApiSearchTest::store_ = nullptr;

TEST_F(ApiSearchTest, ZipAndDetoxFindsLibertyHouseFirstWithDistanceAndPhone) {
  Response r = Get({{"near", "92374"}, {"care", "detox"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["location"]["label"], "92374 (Redlands, CA)");
  EXPECT_EQ(body["location"]["kind"], "zip");
  EXPECT_EQ(body["radius_miles"], 25);
  EXPECT_EQ(body["total"], 1);
  const json& first = body["results"][0];
  EXPECT_EQ(first["organization"], "Liberty House Recovery");
  EXPECT_EQ(first["distance_miles"], 0);
  EXPECT_EQ(first["phones"][0]["display"], "(909) 488-7181");
  EXPECT_EQ(body["facets"]["care"]["detox-residential"], 1);
  EXPECT_TRUE(body["next_cursor"].is_null());
}

TEST_F(ApiSearchTest, CityStateFindsTheSame) {
  json body = json::parse(Get({{"near", "Redlands, CA"}, {"care", "detox"}}).body);
  EXPECT_EQ(body["location"]["label"], "Redlands, CA");
  EXPECT_EQ(body["results"][0]["organization"], "Liberty House Recovery");
  EXPECT_GT(body["results"][0]["distance_miles"].get<double>(), 0.5);
}

TEST_F(ApiSearchTest, CommaListsAndRepeatsBothOr) {
  auto a = json::parse(Get({{"near", "92374"}, {"payment", "private-insurance,sliding-fee"}}).body);
  auto b = json::parse(
      Get({{"near", "92374"}, {"payment", "private-insurance"}, {"payment", "sliding-fee"}}).body);
  EXPECT_EQ(a["total"], 2);
  EXPECT_EQ(a["total"], b["total"]);
}

TEST_F(ApiSearchTest, CursorPagesWithoutDuplicates) {
  std::set<std::string> ids;
  std::multimap<std::string, std::string> q{{"near", "92374"}, {"limit", "10"}};
  int total = 0;
  while (true) {
    json body = json::parse(Get(q).body);
    total = body["total"];
    for (const auto& r : body["results"]) EXPECT_TRUE(ids.insert(r["id"]).second);
    if (body["next_cursor"].is_null()) break;
    q.erase("cursor");
    q.emplace("cursor", body["next_cursor"].get<std::string>());
  }
  EXPECT_EQ(static_cast<int>(ids.size()), total);
}

TEST_F(ApiSearchTest, CursorRoundTrips) {
  EXPECT_EQ(DecodeCursor(EncodeCursor(40)), 40u);
  EXPECT_FALSE(DecodeCursor("djI6NDA"));  // "v2:40"
}

TEST_F(ApiSearchTest, LatLonWorksLikeNear) {
  json body = json::parse(Get({{"lat", "34.068515"}, {"lon", "-117.175322"}, {"care", "detox"}}).body);
  EXPECT_EQ(body["location"]["kind"], "point");
  EXPECT_EQ(body["total"], 1);
}

// The handler uses what the parser made of lat and lon, not the raw strings.
TEST_F(ApiSearchTest, LatLonLocationIsThePointAsParsed) {
  json body = json::parse(Get({{"lat", " 34.068515 "}, {"lon", "-117.175322\t"}}).body);
  EXPECT_EQ(body["location"]["query"], "34.068515,-117.175322");
  EXPECT_EQ(body["location"]["label"], "34.068515,-117.175322");
}

// The store knows no API words: attendance=online becomes a typed flag.
TEST_F(ApiSearchTest, AttendanceOnlineAsksTheStoreForUnlocatedListings) {
  auto tax = store_->snapshot();
  auto online = ParseSearchParams({"", {}, {{"attendance", "online"}}}, tax->taxonomy);
  ASSERT_TRUE(online);
  EXPECT_TRUE(online->query.include_unlocated);
  auto in_person = ParseSearchParams({"", {}, {{"near", "92374"}, {"attendance", "in-person"}}},
                                     tax->taxonomy);
  ASSERT_TRUE(in_person);
  EXPECT_FALSE(in_person->query.include_unlocated);
}

TEST_F(ApiSearchTest, TextOnlySearchHasNullLocation) {
  Response r = Get({{"q", "detox\" OR name:*"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_TRUE(body["location"].is_null());
  EXPECT_EQ(body["total"], 0);
}

TEST_F(ApiSearchTest, RadiusOutOfRange) {
  ExpectInvalid({{"near", "92374"}, {"radius", "9000"}},
                "radius must be between 0.1 and 500 miles, got 9000", "radius");
  ExpectInvalid({{"near", "92374"}, {"radius", "lots"}},
                "radius must be between 0.1 and 500 miles, got lots", "radius");
  ExpectInvalid({{"near", "92374"}, {"radius_km", "0"}},
                "radius_km must be between 0.1 and 800 km, got 0", "radius_km");
  ExpectInvalid({{"near", "92374"}, {"radius", "5"}, {"radius_km", "5"}},
                "give radius or radius_km, not both", "radius");
}

TEST_F(ApiSearchTest, PlaceParameters) {
  ExpectInvalid({}, "near (or lat and lon) is required unless q or attendance=online is given",
                "near");
  ExpectInvalid({{"attendance", "in-person"}},
                "near (or lat and lon) is required unless q or attendance=online is given", "near");
  ExpectInvalid({{"lat", "34"}}, "lat and lon must be given together", "lon");
  ExpectInvalid({{"lat", "91"}, {"lon", "0"}}, "lat must be a latitude between -90 and 90, got 91",
                "lat");
  ExpectInvalid({{"near", "92374"}, {"lat", "1"}, {"lon", "1"}},
                "give near or lat and lon, not both", "near");
  ExpectInvalid({{"near", "92374"}, {"near", "92373"}}, "near must be given once", "near");
  ExpectInvalid({{"near", "9237"}}, "near must be a 5-digit ZIP code, got 9237", "near");
}

TEST_F(ApiSearchTest, PagingAndSortParameters) {
  ExpectInvalid({{"near", "92374"}, {"limit", "0"}},
                "limit must be a whole number between 1 and 100, got 0", "limit");
  ExpectInvalid({{"near", "92374"}, {"limit", "101"}},
                "limit must be a whole number between 1 and 100, got 101", "limit");
  ExpectInvalid({{"near", "92374"}, {"cursor", "nonsense!"}},
                "cursor is not one this server gave out, got nonsense!", "cursor");
  ExpectInvalid({{"near", "92374"}, {"sort", "price"}},
                "sort must be distance, relevance, name or next, got price", "sort");
  ExpectInvalid({{"near", "92374"}, {"sort", "relevance"}}, "sort=relevance needs q", "sort");
  ExpectInvalid({{"q", "detox"}, {"sort", "distance"}},
                "sort=distance needs a place (near, or lat and lon)", "sort");
  ExpectInvalid({{"near", "92374"}, {"status", "closed"}},
                "status must be active or any, got closed", "status");
  ExpectInvalid({{"q", "()*"}}, "q must contain a letter or digit, got \"()*\"", "q");
}

TEST_F(ApiSearchTest, UnknownTermsNameTheCodeAndGroup) {
  json body = Problem(Get({{"near", "92374"}, {"care", "detox,spa"}}), 400, "unknown-term");
  EXPECT_EQ(body["detail"], "unknown care code \"spa\" (see /api/v1/taxonomy)");
  EXPECT_EQ(body["param"], "care");
  body = Problem(Get({{"near", "92374"}, {"care", "-medicaid"}}), 400, "unknown-term");
  EXPECT_EQ(body["detail"], "unknown care code \"medicaid\" (it is a payment code)");
}

TEST_F(ApiSearchTest, UnknownPlacesAre400UnknownPlace) {
  json body = Problem(Get({{"near", "00000"}}), 400, "unknown-place");
  EXPECT_EQ(body["detail"], "no ZIP code 00000 in our gazetteer");
  EXPECT_EQ(body["param"], "near");
  body = Problem(Get({{"near", "Atlantis, ZZ"}}), 400, "unknown-place");
  EXPECT_EQ(body["detail"],
            "no place named \"Atlantis, ZZ\" in our gazetteer (try a 5-digit ZIP code, "
            "\"City, ST\" or \"lat,lon\")");
}

std::set<std::string> Organizations(const json& body) {
  std::set<std::string> out;
  for (const auto& r : body["results"]) out.insert(r["organization"].get<std::string>());
  return out;
}

TEST_F(ApiSearchTest, OnlineMeetingsNeedNoPlace) {
  Response r = Get({{"attendance", "online"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_TRUE(body["location"].is_null());
  EXPECT_EQ(Organizations(body), std::set<std::string>{"SMART Recovery"});
  EXPECT_TRUE(body["results"][0]["distance_miles"].is_null());
  EXPECT_EQ(Get({{"attendance", "online"}, {"sort", "distance"}}).status, 400);
}

// ---- weekly times (the searcher's local day and time) ------------------------

TEST_F(ApiSearchTest, OpenNowUsesTheGivenDayAndTime) {
  Response r = Get({{"near", "92374"}, {"attendance", "in-person,online"}, {"day", "TU"},
                    {"time", "19:30"}, {"open_now", "true"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Organizations(json::parse(r.body)),
            (std::set<std::string>{"Liberty House Recovery", "SMART Recovery"}));
  r = Get({{"near", "92374"}, {"day", "tu"}, {"time", "10:00"}, {"open_now", "1"}});
  EXPECT_EQ(Organizations(json::parse(r.body)),
            (std::set<std::string>{"Liberty House Recovery", "Inland Valley Counseling Center"}));
}

TEST_F(ApiSearchTest, DayAloneAndDayWithTimeMeanThatDayAndLaterThatDay) {
  auto tuesday = json::parse(Get({{"near", "92374"}, {"day", "TU"}}).body);
  EXPECT_EQ(Organizations(tuesday),
            (std::set<std::string>{"Liberty House Recovery", "Inland Valley Counseling Center"}));
  auto evening = json::parse(Get({{"near", "92374"}, {"day", "TU"}, {"time", "18:00"}}).body);
  EXPECT_EQ(Organizations(evening), std::set<std::string>{"Liberty House Recovery"});
  auto closed = json::parse(
      Get({{"near", "92374"}, {"day", "TU"}, {"time", "18:00"}, {"open_now", "false"}}).body);
  EXPECT_EQ(closed["total"], evening["total"]);
}

TEST_F(ApiSearchTest, SortNextStartsWithWhatIsOpenThenTheNextMeeting) {
  // The SMART meeting is online (no distance), so nearest-first puts it last.
  Response r = Get({{"near", "92374"}, {"attendance", "in-person,online"}, {"day", "TU"},
                    {"time", "08:30"}, {"sort", "next"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  ASSERT_EQ(body["total"], 3);  // later on Tuesday: the clinics' hours are unknown
  EXPECT_EQ(body["results"][0]["organization"], "Liberty House Recovery");  // open
  EXPECT_EQ(body["results"][1]["organization"], "Inland Valley Counseling Center");  // open
  EXPECT_EQ(body["results"][2]["organization"], "SMART Recovery");  // 19:00
  r = Get({{"near", "92374"}, {"attendance", "in-person,online"}, {"day", "TU"},
           {"time", "08:30"}, {"sort", "distance"}});
  EXPECT_EQ(json::parse(r.body)["results"][2]["organization"], "SMART Recovery");
  r = Get({{"near", "92374"}, {"attendance", "in-person,online"}, {"day", "TU"},
           {"time", "07:30"}, {"sort", "next"}});
  body = json::parse(r.body);
  EXPECT_EQ(body["results"][0]["organization"], "Liberty House Recovery");  // open
  EXPECT_EQ(body["results"][1]["organization"], "Inland Valley Counseling Center");  // 08:00
}

TEST_F(ApiSearchTest, WeekdaysAreAnyOfTheListInTheListingsOwnWeek) {
  auto monday = json::parse(Get({{"near", "92374"}, {"day", "mon"}}).body);
  EXPECT_EQ(Organizations(monday),
            (std::set<std::string>{"Liberty House Recovery", "Inland Valley Counseling Center"}));
  auto wednesday = json::parse(Get({{"near", "92374"}, {"day", "wed"}}).body);
  EXPECT_EQ(Organizations(wednesday), std::set<std::string>{"Liberty House Recovery"});
  auto either = json::parse(Get({{"near", "92374"}, {"day", "wed,TU"}}).body);
  EXPECT_EQ(either["total"], monday["total"]);
  auto twice = json::parse(Get({{"near", "92374"}, {"day", "wed"}, {"day", "mon"}}).body);
  EXPECT_EQ(twice["total"], monday["total"]);
}

TEST_F(ApiSearchTest, TimesOfDayAreWhenATimeStartsInTheListingsOwnZone) {
  // SMART starts 19:00 New York time: evening there, whatever the searcher's zone.
  auto evening = json::parse(
      Get({{"near", "92374"}, {"attendance", "in-person,online"}, {"time", "evening"}}).body);
  EXPECT_EQ(Organizations(evening), std::set<std::string>{"SMART Recovery"});
  auto morning = json::parse(
      Get({{"near", "92374"}, {"attendance", "in-person,online"}, {"time", "morning,afternoon"}}).body);
  EXPECT_EQ(Organizations(morning), std::set<std::string>{"Inland Valley Counseling Center"});
  // Night runs 21:00-05:00: a 24-hour place starts its next day inside it.
  auto night = json::parse(Get({{"near", "92374"}, {"day", "sun"}, {"time", "night"}}).body);
  EXPECT_EQ(Organizations(night), std::set<std::string>{"Liberty House Recovery"});
  auto tuesday_morning =
      json::parse(Get({{"near", "92374"}, {"day", "tue"}, {"time", "morning"}}).body);
  EXPECT_EQ(Organizations(tuesday_morning), std::set<std::string>{"Inland Valley Counseling Center"});
  EXPECT_EQ(json::parse(Get({{"near", "92374"}, {"day", "wed"}, {"time", "morning"}}).body)["total"], 0);
}

TEST_F(ApiSearchTest, NowIsReadInEachListingsOwnZone) {
  // 16:30 in Redlands is 19:30 in New York: the SMART meeting is on.
  std::multimap<std::string, std::string> q = {{"near", "92374"}, {"attendance", "online"},
                                               {"now", "2026-12-01T16:30-08:00"}, {"open_now", "true"}};
  EXPECT_EQ(Organizations(json::parse(Get(q).body)), std::set<std::string>{"SMART Recovery"});
  // The same instant written in UTC.
  q = {{"attendance", "online"}, {"now", "2026-12-02T00:30Z"}, {"open_now", "1"}};
  EXPECT_EQ(Organizations(json::parse(Get(q).body)), std::set<std::string>{"SMART Recovery"});
  // The old clock reads the listing's times as the searcher's: 16:30 is before it.
  q = {{"attendance", "online"}, {"day", "TU"}, {"time", "16:30"}, {"open_now", "1"}};
  EXPECT_EQ(json::parse(Get(q).body)["total"], 0);
  // Later today from 17:00 Pacific (20:00 New York): still on until 20:30.
  q = {{"attendance", "online"}, {"now", "2026-12-01T17:00-08:00"}};
  EXPECT_EQ(json::parse(Get(q).body)["total"], 1);
  q = {{"attendance", "online"}, {"now", "2026-12-01T17:31-08:00"}};
  EXPECT_EQ(json::parse(Get(q).body)["total"], 0);
  // Listings with no zone use the searcher's own clock: Inland opens 08:00.
  q = {{"near", "92374"}, {"now", "2026-12-01T07:30-08:00"}, {"sort", "next"}};
  json body = json::parse(Get(q).body);
  ASSERT_GE(body["results"].size(), 2u) << body.dump();
  EXPECT_EQ(body["results"][0]["organization"], "Liberty House Recovery");
  EXPECT_EQ(body["results"][1]["organization"], "Inland Valley Counseling Center");
}

TEST(LocalInstant, ParsesTheOffsetAndTheLocalWeekMinute) {
  auto at = ParseLocalInstant("2026-12-01T19:30-05:00");  // a Tuesday
  ASSERT_TRUE(at);
  EXPECT_EQ(at->week_minute, 1 * 1440 + 19 * 60 + 30);
  EXPECT_EQ(at->instant.offset_minutes, -300);
  EXPECT_EQ(at->instant.unix_seconds, 1796171400);  // date -d 2026-12-02T00:30Z +%s
  EXPECT_TRUE(ParseLocalInstant("2026-12-01T19:30:15Z"));
  EXPECT_FALSE(ParseLocalInstant("2026-02-30T19:30Z"));
  EXPECT_FALSE(ParseLocalInstant("2026-12-01 19:30"));
  EXPECT_FALSE(ParseLocalInstant("2026-12-01T19:30+15:00"));
}

TEST_F(ApiSearchTest, WeeklyTimeParameters) {
  ExpectInvalid({{"near", "92374"}, {"day", "Tuesday"}},
                "day must be one or more of mon, tue, wed, thu, fri, sat, sun, got Tuesday "
                "(did you mean 'tue'?)", "day");
  ExpectInvalid({{"near", "92374"}, {"time", "evenin"}},
                "time must be one or more of morning, afternoon, evening, night (or one HH:MM "
                "with one day), got evenin (did you mean 'evening'?)", "time");
  ExpectInvalid({{"near", "92374"}, {"day", "TU"}, {"time", "7pm"}},
                "time must be one or more of morning, afternoon, evening, night (or one HH:MM "
                "with one day), got 7pm", "time");
  ExpectInvalid({{"near", "92374"}, {"day", "TU"}, {"time", "24:00"}},
                "time must be HH:MM on a 24-hour clock, got 24:00", "time");
  ExpectInvalid({{"near", "92374"}, {"time", "19:00"}}, "time needs day (MO to SU)", "time");
  ExpectInvalid({{"near", "92374"}, {"day", "mo,tu"}, {"time", "19:00"}},
                "time=HH:MM needs exactly one day", "time");
  ExpectInvalid({{"near", "92374"}, {"open_now", "yes"}},
                "open_now must be true or false, got yes", "open_now");
  ExpectInvalid({{"near", "92374"}, {"open_now", "true"}, {"day", "TU"}},
                "open_now needs now (the searcher's local date-time, e.g. "
                "now=2026-03-03T19:30-05:00) or day and time (e.g. day=TU&time=19:30)",
                "open_now");
  ExpectInvalid({{"near", "92374"}, {"sort", "next"}, {"day", "TU"}},
                "sort=next needs now (the searcher's local date-time) or day and time", "sort");
  ExpectInvalid({{"near", "92374"}, {"now", "tomorrow"}},
                "now must be a local date-time with its offset such as 2026-03-03T19:30-05:00, "
                "got tomorrow", "now");
  ExpectInvalid({{"near", "92374"}, {"now", "2026-12-01T19:30Z"}, {"now", "2026-12-01T19:31Z"}},
                "now must be given once", "now");
  ExpectInvalid({{"near", "92374"}, {"now", "2026-12-01T19:30Z"}, {"day", "TU"}, {"time", "19:30"}},
                "give now or time=HH:MM, not both", "time");
}

}  // namespace
}  // namespace carefinder::api
