// GET /meetings.json on a real server: the curated compliance meetings as
// Meeting Guide objects (values checked one by one), and the round trip of
// shipped Meeting Guide feeds through `carefinder import` and the feed:
// every meeting keeps its day, time, types and location.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "core/text.h"
#include "tests/integration/hsds_server_fixture.h"

namespace carefinder {
namespace {

using nlohmann::json;

std::map<std::string, json> BySlug(const json& feed) {
  std::map<std::string, json> out;
  for (const auto& m : feed) out[m["slug"].get<std::string>()] = m;
  return out;
}

TEST(MeetingsFeed, CuratedMeetingsBecomeMeetingGuideObjects) {
  testing::ImportedServer server;
  server.Start("hsds_meetings_curated", testing::kHsdsFixtureFiles);
  auto r = server.Get("/meetings.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");
  json feed = json::parse(r->body);
  ASSERT_EQ(feed.size(), 6u);  // five meetings, one of them at two different times
  auto m = BySlug(feed);

  const json& tuesday = m["redlands-tuesday-aa"];
  EXPECT_EQ(tuesday["day"], json::array({2, 4}));  // Tu and Th at the same time: one object
  EXPECT_EQ(tuesday["time"], "19:00");
  EXPECT_EQ(tuesday["end_time"], "20:00");
  EXPECT_EQ(tuesday["timezone"], "America/Los_Angeles");  // Redlands, CA: from its state
  EXPECT_EQ(tuesday["types"], json::array({"EN", "O"}));  // derived from en, open-meeting
  EXPECT_EQ(tuesday["formatted_address"], "110 E Olive Ave, Redlands, CA 92373, USA");
  EXPECT_EQ(tuesday["latitude"], 34.0551);
  EXPECT_EQ(tuesday["approximate"], "no");
  EXPECT_EQ(tuesday["attendance_option"], "in_person");
  EXPECT_EQ(tuesday["entity"], "carefinder-compliance");
  EXPECT_TRUE(tuesday["url"].get<std::string>().starts_with(
      "http://127.0.0.1:" + std::to_string(server.port()) + "/listing/"));

  EXPECT_EQ(m["redlands-weekend-na"]["day"], 6);
  EXPECT_EQ(m["redlands-weekend-na"]["time"], "10:00");
  EXPECT_EQ(m["redlands-weekend-na-2"]["day"], 0);
  EXPECT_EQ(m["redlands-weekend-na-2"]["time"], "18:30");
  EXPECT_EQ(m["redlands-weekend-na"]["types"], json::array({"C", "EN", "S", "W", "Y"}));

  const json& online = m["online-smart"];
  EXPECT_EQ(online["conference_url"], "https://zoom.us/j/5551234567");
  EXPECT_EQ(online["conference_phone"], "+16465551234");
  EXPECT_EQ(online["approximate"], "yes");
  EXPECT_EQ(online["formatted_address"], "Redlands, CA, USA");
  EXPECT_FALSE(online.contains("address") || online.contains("latitude"));
  EXPECT_EQ(online["attendance_option"], "online");

  EXPECT_EQ(m["hybrid-riverside"]["attendance_option"], "hybrid");
  EXPECT_EQ(m["hybrid-riverside"]["day"], json::array({1, 2, 3, 4, 5}));
  EXPECT_EQ(m["closed-church"]["types"], json::array({"EN", "TC"}));
  EXPECT_EQ(m["closed-church"]["attendance_option"], "inactive");
}

// The official type codes of a source meeting, as a set (types may be a
// list, a comma-separated string or null; retired and unknown codes dropped).
std::set<std::string> OfficialTypes(const json& meeting, const json& official) {
  std::set<std::string> out;
  std::vector<std::string> codes;
  if (meeting.contains("types") && meeting["types"].is_array()) {
    for (const auto& t : meeting["types"]) codes.push_back(t);
  } else if (meeting.contains("types") && meeting["types"].is_string()) {
    codes = text::SplitList(meeting["types"].get<std::string>(), ',');
  }
  for (const auto& c : codes) {
    if (official.contains(c)) out.insert(c);
  }
  return out;
}

std::set<int> Days(const json& meeting) {
  std::set<int> out;
  if (!meeting.contains("day")) return out;
  if (meeting["day"].is_array()) {
    for (const auto& d : meeting["day"]) out.insert(d.get<int>());
  } else {
    out.insert(meeting["day"].get<int>());
  }
  return out;
}

std::string WithoutCountry(std::string address) {
  if (address.ends_with(", USA")) address.resize(address.size() - 5);
  return address;
}

void ExpectRoundTrip(const std::string& feed_file, const std::string& name) {
  testing::ImportedServer server;
  server.Start(name, {feed_file});
  json source = json::parse(std::ifstream(testing::SourcePath(feed_file)));
  json official = json::parse(std::ifstream(testing::SourcePath("tests/compliance/meeting-guide/types.json")));
  auto ours = BySlug(server.Json("/meetings.json"));
  int in_person = 0, online = 0;
  for (const auto& m : source) {
    std::string slug = m["slug"].is_string() ? m["slug"].get<std::string>() : m["slug"].dump();
    ASSERT_TRUE(ours.count(slug)) << slug;
    const json& o = ours[slug];
    EXPECT_EQ(Days(o), Days(m)) << slug;
    EXPECT_EQ(o.value("time", ""), m.value("time", "")) << slug;
    if (m.contains("end_time")) {
      EXPECT_EQ(o.value("end_time", ""), m["end_time"]) << slug;
    }
    if (m.contains("timezone")) {
      EXPECT_EQ(o.value("timezone", ""), m["timezone"]) << slug;
    }
    EXPECT_EQ(OfficialTypes(o, official), OfficialTypes(m, official)) << slug;
    std::string attendance = m.value("attendance_option", "");
    if (attendance == "in_person" || attendance == "hybrid") {
      ++in_person;
      EXPECT_EQ(WithoutCountry(o.value("formatted_address", "")),
                WithoutCountry(m.value("formatted_address", ""))) << slug;
      EXPECT_NEAR(o.value("latitude", 0.0), m.value("latitude", 0.0), 1e-6) << slug;
      EXPECT_NEAR(o.value("longitude", 0.0), m.value("longitude", 0.0), 1e-6) << slug;
      if (m.value("location", "") != m.value("group", "")) {
        EXPECT_EQ(o.value("location", ""), m.value("location", "")) << slug;
      }
    } else if (attendance == "online") {
      ++online;
      EXPECT_EQ(o.value("conference_url", ""), m.value("conference_url", "")) << slug;
    }
  }
  EXPECT_GT(in_person, 0);
  EXPECT_GT(online, 0);
}

TEST(MeetingsFeed, RoundTripOfTheShippedSussexFeedKeepsDayTimeTypesAndLocation) {
  ExpectRoundTrip("data/feeds/meeting-guide/aa_sussex_de_2022.json", "hsds_meetings_sussex");
}

TEST(MeetingsFeed, RoundTripOfTheShippedOrangeCountyFeedKeepsDayTimeTypesAndLocation) {
  ExpectRoundTrip("data/feeds/meeting-guide/aa_orange_county_ca_2023.json", "hsds_meetings_oc");
}

}  // namespace
}  // namespace carefinder
