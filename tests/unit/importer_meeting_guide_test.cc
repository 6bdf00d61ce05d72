// Golden tests for the Meeting Guide reader (importer/sources/meeting_guide.h):
// fixtures cut from the real feeds (tests/fixtures/importer/meeting-guide),
// every field and message word for word, and counts over all eight shared
// feeds, checked by hand against the feeds' own attendance_option.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "importer/normalise.h"
#include "importer/sources/meeting_guide.h"
#include "importer/sources/meeting_guide_parts.h"
#include "tests/fixtures/importer/meeting_helpers.h"

namespace carefinder::importer {
namespace {

const std::string kFixtures =
    std::string(CF_SOURCE_DIR) + "/tests/fixtures/importer/meeting-guide/";
const std::string kSharedFeeds =
    std::string(CF_SOURCE_DIR) + "/../shared/data/meeting-guide-feeds/";

SourceInfo Source(std::string name) {
  return {std::move(name), "https://example.org/feed.json", "MIT", "", "2023-09-01"};
}

ReadResult ReadStream(std::istream& in, const std::string& file, const std::string& source,
                      SeenKeys& seen) {
  auto r = ReadMeetingGuide(in, file, Source(source), Taxonomy::Embedded(), seen);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? std::move(*r) : ReadResult{};
}

ReadResult ReadFixture(const std::string& file, const std::string& source) {
  std::ifstream in(kFixtures + file);
  EXPECT_TRUE(in) << file;
  SeenKeys seen;
  return ReadStream(in, file, source, seen);
}

ReadResult ReadText(const std::string& json, const std::string& source = "meeting-guide-test") {
  std::istringstream in(json);
  SeenKeys seen;
  return ReadStream(in, "feed.json", source, seen);
}

using carefinder::testing::At;
using carefinder::testing::Hours;
using carefinder::testing::Join;
using carefinder::testing::Messages;
using carefinder::testing::Place;

TEST(MeetingGuide, InPersonMeetingKeepsEveryField) {
  ReadResult r = ReadFixture("orange_county.json", "meeting-guide-aa-orange-county-ca");
  EXPECT_EQ(r.format, "meeting-guide-json");
  EXPECT_EQ(r.rows, 7);
  EXPECT_EQ(r.records.size(), 7u);
  EXPECT_TRUE(r.rejections.empty()) << Messages(r.rejections).front();
  const ListingRecord& rec = At(r, 2);
  EXPECT_EQ(rec.file, "orange_county.json");
  EXPECT_EQ(rec.source, "meeting-guide-aa-orange-county-ca");
  EXPECT_EQ(rec.source_key, "40-minutes-to-freedom");
  EXPECT_EQ(rec.source_url, "https://example.org/feed.json");
  EXPECT_EQ(rec.source_license, "MIT");
  EXPECT_EQ(rec.as_of, "2023-08-29");  // "2023-08-29 15:56:59"
  EXPECT_EQ(rec.kind, "meeting");
  EXPECT_EQ(rec.status, "active");
  EXPECT_EQ(rec.name, "40 Minutes to Freedom");
  EXPECT_EQ(rec.organization, "40 Minutes to Freedom");  // no group: the meeting itself
  EXPECT_EQ(rec.location_name, "Watermark OC Church");
  EXPECT_EQ(Place(rec), "3186 Pullman St | Costa Mesa | CA | 92626");
  EXPECT_DOUBLE_EQ(*rec.latitude, 33.6850173);
  EXPECT_DOUBLE_EQ(*rec.longitude, -117.8720761);
  EXPECT_EQ(rec.precision, GeoPrecision::kExact);
  EXPECT_EQ(rec.website, "https://oc-aa.org/meetings/40-minutes-to-freedom/");
  EXPECT_EQ(Join(rec.terms), "meeting aa closed-meeting en men in-person");
  EXPECT_EQ(Join(rec.source_attributes), "region:COSTA MESA type:C type:DR type:D type:EN type:M");
  EXPECT_EQ(Hours(rec), "MO 19:30-20:15");
  EXPECT_EQ(rec.hours_text, "Mo 19:30-20:15");
  EXPECT_EQ(rec.conference_url, "");
}

TEST(MeetingGuide, OnlineMeetingHasNoPlaceholderVenue) {
  ReadResult r = ReadFixture("orange_county.json", "meeting-guide-aa-orange-county-ca");
  const ListingRecord& rec = At(r, 33);  // approximate "yes", ONL, a zoom link
  EXPECT_EQ(Join(rec.terms), "meeting aa open-meeting young-adults online");
  EXPECT_EQ(rec.conference_url, "https://zoom.us/j/3056986566");
  EXPECT_EQ(Place(rec), " | Orange County | CA | ");
  EXPECT_FALSE(rec.latitude.has_value());  // the feed's point is the county's centre
  EXPECT_TRUE(IsOnlineOnly(rec));
  EXPECT_EQ(rec.location_name, "ZOOM");
  EXPECT_EQ(rec.description, "No [passcode removed] Chips & Birthdays");
  EXPECT_EQ(Join(rec.source_attributes),
            "region:ORANGE COUNTY type:B type:BE type:O type:ST type:X type:Y type:ONL");
}

TEST(MeetingGuide, HybridMeetingKeepsVenueAndLink) {
  ReadResult r = ReadFixture("orange_county.json", "meeting-guide-aa-orange-county-ca");
  const ListingRecord& rec = At(r, 68);
  EXPECT_EQ(Join(rec.terms), "meeting aa closed-meeting en lgbtq hybrid");
  EXPECT_EQ(Place(rec), "21632 Wesley Dr | Laguna Beach | CA | 92651");
  EXPECT_TRUE(rec.latitude.has_value());
  EXPECT_EQ(rec.conference_url, "https://zoom.us/j/83921804044");
  EXPECT_EQ(rec.description, "Meeting is held Downstairs");  // notes = location_notes: once
  EXPECT_FALSE(IsOnlineOnly(rec));
}

TEST(MeetingGuide, NoTypesNoDayAndApproximateWithoutLink) {
  ReadResult r = ReadFixture("orange_county.json", "meeting-guide-aa-orange-county-ca");
  const ListingRecord& untyped = At(r, 101);
  EXPECT_EQ(Join(untyped.terms), "meeting aa in-person");
  EXPECT_EQ(Join(untyped.source_attributes), "region:WHITTIER");
  EXPECT_EQ(Hours(untyped), "SU 16:00-17:30");

  const ListingRecord& appointment = At(r, 155);  // "day": null, no time
  EXPECT_TRUE(appointment.hours.empty());
  EXPECT_EQ(appointment.hours_text, "");
  EXPECT_EQ(appointment.description, "Sunset Beach Fellowship Center (Thursday's Club)");

  const ListingRecord& inactive = At(r, 125);  // approximate, no link: no way to attend
  EXPECT_EQ(inactive.status, "inactive");
  EXPECT_EQ(Join(inactive.terms), "meeting aa closed-meeting en young-adults");
  EXPECT_EQ(inactive.precision, GeoPrecision::kCityCentroid);
  EXPECT_DOUBLE_EQ(*inactive.latitude, 33.7174708);
  EXPECT_EQ(Place(inactive), " | Orange County | CA | ");

  const ListingRecord& lgbtq = At(r, 181);  // G, L, LGBTQ, T all mean one term
  EXPECT_EQ(Join(lgbtq.terms), "meeting aa lgbtq open-meeting in-person");
  EXPECT_EQ(Join(lgbtq.source_attributes), "region:ANAHEIM type:G type:L type:LGBTQ type:O type:T");
}

TEST(MeetingGuide, TemporarilyClosedAndUnknownCodes) {
  ReadResult r = ReadFixture("al_anon.json", "meeting-guide-al-anon-massachusetts");
  ASSERT_EQ(r.records.size(), 4u);
  const ListingRecord& closed = At(r, 2);  // TC, no link: the venue is closed
  EXPECT_EQ(closed.status, "temporarily closed");
  EXPECT_EQ(Join(closed.terms), "meeting al-anon open-meeting in-person");
  EXPECT_EQ(Place(closed), "575 Beech St | Holyoke | MA | 01040");
  EXPECT_EQ(closed.organization, "District 21");  // the feed's `group`

  const ListingRecord& moved_online = At(r, 36);  // TC + ONL + link: meets online meanwhile
  EXPECT_EQ(moved_online.status, "active");
  EXPECT_EQ(Join(moved_online.terms), "meeting al-anon closed-meeting online");
  EXPECT_EQ(Place(moved_online), " | South Hadley | MA | ");
  EXPECT_FALSE(moved_online.latitude.has_value());
  EXPECT_NE(Join(moved_online.source_attributes).find("type:TC"), std::string::npos);

  EXPECT_EQ(Messages(r.warnings),
            (std::vector<std::string>{
                "al_anon.json:71: field 'types': \"AC\" is not a Meeting Guide type code: "
                "kept as \"type:AC\" on 1 meeting",
                "al_anon.json:106: field 'types': \"LGBTQIA\" is not a Meeting Guide type code: "
                "kept as \"type:LGBTQIA\" on 1 meeting"}));
  EXPECT_NE(Join(At(r, 71).source_attributes).find("type:AC"), std::string::npos);
}

TEST(MeetingGuide, SplitAddressIntegerSlugsAndLowercaseOnl) {
  ReadResult r = ReadFixture("kansas_city.json", "meeting-guide-aa-kansas-city-mo");
  ASSERT_EQ(r.records.size(), 3u);
  const ListingRecord& no_street = At(r, 2);  // "onl", TC, no address, ZIP 64114
  EXPECT_EQ(no_street.source_key, "6274");
  EXPECT_EQ(Join(no_street.terms), "meeting aa closed-meeting online");
  EXPECT_EQ(Join(no_street.source_attributes), "type:C type:TC type:ONL");
  EXPECT_EQ(Place(no_street), " | Kansas City | MO | ");  // no ZIP: it is no venue
  EXPECT_TRUE(IsOnlineOnly(no_street));

  const ListingRecord& hybrid = At(r, 28);
  EXPECT_EQ(Join(hybrid.terms), "meeting aa closed-meeting hybrid");
  EXPECT_EQ(Place(hybrid), "3151 Olive | Kansas City | MO | 64109");
  EXPECT_EQ(hybrid.description, "Enter on Olive Street side of building");
  EXPECT_EQ(hybrid.website, "http://district6.wamo-aa.org/meetinfo2.cfm?id=284");
  EXPECT_EQ(hybrid.as_of, "2021-05-26");

  const ListingRecord& closed_venue = At(r, 53);  // TC with a link, no ONL
  EXPECT_EQ(Join(closed_venue.terms), "meeting aa closed-meeting lgbtq online");
  EXPECT_EQ(closed_venue.status, "active");
}

TEST(MeetingGuide, MalformedTypesZipZeroAndStateTypo) {
  ReadResult r = ReadFixture("northwest_texas.json", "meeting-guide-aa-northwest-texas");
  EXPECT_TRUE(r.rejections.empty()) << Messages(r.rejections).front();
  ASSERT_EQ(r.records.size(), 4u);
  const ListingRecord& closed = At(r, 2);  // "types": "[closed]"
  EXPECT_EQ(Join(closed.terms), "meeting aa closed-meeting in-person");
  EXPECT_EQ(Join(closed.source_attributes), "type:C");
  EXPECT_EQ(Hours(closed), "TU 20:00-21:00");  // no end_time: one hour
  EXPECT_EQ(closed.hours_text, "Tu 20:00");

  const ListingRecord& zip_zero = At(r, 20);  // "postal_code": 0 means none
  EXPECT_EQ(Join(zip_zero.terms), "meeting aa open-meeting in-person");
  EXPECT_EQ(Place(zip_zero), "198 SE 7th Ave | Perryton | TX | ");
  EXPECT_TRUE(zip_zero.latitude.has_value());

  const ListingRecord& rotating = At(r, 38);  // no street, coordinates 0,0
  EXPECT_FALSE(rotating.latitude.has_value());
  EXPECT_EQ(rotating.status, "inactive");
  EXPECT_EQ(Place(rotating), " | Floydada | TX | 79235");

  EXPECT_EQ(At(r, 56).address.state, "TX");  // ".TX"
}

TEST(MeetingGuide, TypesAsCommaStringAndShortHour) {
  ReadResult r = ReadFixture("alpena.json", "meeting-guide-aa-alpena-mi");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(Join(At(r, 2).terms), "meeting aa closed-meeting men in-person");  // "C,M"
  EXPECT_EQ(At(r, 2).source_key, "3");
  EXPECT_EQ(Place(At(r, 2)), "322 W Chisholm St | Alpena | MI | ");  // no ZIP, has coordinates
  EXPECT_EQ(At(r, 2).as_of, "2023-09-01");        // no `updated`: the source's date
  EXPECT_EQ(Hours(At(r, 17)), "SU 08:00-09:00");  // "8:00"
}

TEST(MeetingGuide, DuplicateSlugIsNamedNotMerged) {
  ReadResult r = ReadFixture("san_jose.json", "meeting-guide-aa-san-jose-ca");
  EXPECT_EQ(r.rows, 3);
  EXPECT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.rejected_rows, 1);
  EXPECT_EQ(Messages(r.rejections),
            std::vector<std::string>{
                "san_jose.json:47: field 'slug': \"pass-it-on-group\" repeats line 28"});
  EXPECT_EQ(At(r, 28).as_of, "2021-09-06");  // "9/6/2021"
  const ListingRecord& online = At(r, 2);    // "San Jose, CA, USA" and a link
  EXPECT_EQ(Join(online.terms), "meeting aa closed-meeting men online");
  EXPECT_EQ(online.organization, "Crazy Corona");  // `group`
}

TEST(MeetingGuide, DuplicateSlugInAnotherFileNamesThatFile) {
  SeenKeys seen;
  std::istringstream first(
      R"([{"name": "A", "slug": "a", "conference_url": "https://zoom.us/j/1"}])");
  std::istringstream second(
      R"([{"name": "A", "slug": "a", "conference_url": "https://zoom.us/j/1"}])");
  ReadStream(first, "one.json", "meeting-guide-test", seen);
  ReadResult r = ReadStream(second, "two.json", "meeting-guide-test", seen);
  EXPECT_EQ(Messages(r.rejections),
            std::vector<std::string>{"two.json:1: field 'slug': \"a\" repeats one.json:1"});
}

TEST(MeetingGuide, OutsideTheUs) {
  ReadResult r = ReadFixture("eda.json", "meeting-guide-eda-international");
  EXPECT_EQ(Messages(r.rejections),
            std::vector<std::string>{
                "eda.json:2: field 'formatted_address': \"Fehrbelliner Str. 92, 10119 Berlin, "
                "Germany\" is not a US address: Carefinder lists meetings in the US only"});
  const ListingRecord& langley = At(r, 27);  // hybrid in Canada: only the online part is ours
  EXPECT_EQ(Join(langley.terms), "meeting eda online");
  EXPECT_EQ(Place(langley), " |  |  | ");
  const ListingRecord& berlin = At(r, 56);  // online, "Berlin, Germany"
  EXPECT_EQ(Place(berlin), " |  |  | ");
  EXPECT_TRUE(IsOnlineOnly(berlin));
  EXPECT_EQ(Place(At(r, 85)), " |  |  | ");  // "United States"
}

TEST(MeetingGuide, WrittenMeetingsAndEveryRejection) {
  ReadResult r = ReadFixture("written.json", "meeting-guide-test");
  EXPECT_EQ(r.rows, 15);
  EXPECT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.rejected_rows, 13);
  EXPECT_EQ(
      Messages(r.rejections),
      (std::vector<std::string>{
          "written.json:30: field 'day': 7 is not a day (0 = Sunday ... 6 = Saturday)",
          "written.json:32: field 'time': \"25:00\" is not a time (HH:MM, or 8:00 PM)",
          "written.json:32: field 'end_time': \"7 o'clock\" is not a time (HH:MM, or 8:00 PM)",
          "written.json:34: field 'name': required value is missing",
          "written.json:36: field 'latitude': 91 is out of range (-90 to 90)",
          "written.json:38: field 'conference_url': \"https://example.org/wp-admin/zoom\" "
          "links to an admin page",
          "written.json:40: field 'types': 5 is not a list of type codes",
          "written.json:40: field 'approximate': \"maybe\" is not yes or no",
          "written.json:42: a meeting must be a JSON object, got a JSON string",
          "written.json:43: not valid JSON on line 43: syntax error while parsing object - "
          "unexpected string literal; expected '}'",
          "written.json:44: field 'slug': \"noon-step-study\" repeats line 2",
          "written.json:46: field 'formatted_address': required value is missing (or give "
          "address, city and state)",
          "written.json:47: field 'formatted_address': \"5 Elm St, Springfield, USA\" names "
          "no state",
          "written.json:49: field 'day': required value is missing (the meeting has a time)",
          "written.json:51: field 'conference_phone': \"12345\" is not a dial-in number (10 "
          "or more digits; + , * # allowed)"}));
  EXPECT_EQ(Messages(r.warnings),
            std::vector<std::string>{"written.json:2: field 'types': \"XYZ\" is not a Meeting "
                                     "Guide type code: kept as \"type:XYZ\" on 1 meeting"});

  const ListingRecord& noon = At(r, 2);  // days as a list, 12-hour times
  EXPECT_EQ(Hours(noon), "MO 12:00-13:00; WE 12:00-13:00; FR 12:00-13:00");
  EXPECT_EQ(noon.hours_text, "Mo,We,Fr 12:00-13:00");
  EXPECT_EQ(Join(noon.terms), "meeting twelve-step open-meeting es women hybrid");
  EXPECT_EQ(noon.conference_phone, "+16465588656,,123456789#");
  EXPECT_EQ(noon.description, "Bring a book & a friend");
  EXPECT_DOUBLE_EQ(*noon.latitude, 39.80);  // a string in the feed
  EXPECT_EQ(noon.as_of, "2024-02-03");

  const ListingRecord& late = At(r, 18);  // "day": "6", "11:30 pm", approximate: true
  EXPECT_EQ(Hours(late), "SA 23:30-00:30");
  EXPECT_EQ(Join(late.terms), "meeting twelve-step online");
  EXPECT_EQ(Join(late.source_attributes), "");
}

TEST(MeetingGuide, InvalidUtf8RejectsOnlyThatMeeting) {
  ReadResult r = ReadText(
      "[\n{\"name\": \"Caf\xE9 Group\", \"slug\": \"cafe\",\n"
      " \"conference_url\": \"https://zoom.us/j/1\"},\n"
      "{\"name\": \"Good\", \"slug\": \"good\", \"conference_url\": "
      "\"https://zoom.us/j/2\"}\n]");
  EXPECT_EQ(r.records.size(), 1u);
  EXPECT_EQ(Messages(r.rejections),
            std::vector<std::string>{
                "feed.json:2: invalid UTF-8 on line 2 (0xE9): save the feed as UTF-8"});
}

TEST(MeetingGuide, FileThatIsNoArrayFails) {
  auto error = [](const std::string& text, const SourceInfo& source) {
    std::istringstream in(text);
    SeenKeys seen;
    auto r = ReadMeetingGuide(in, "feed.json", source, Taxonomy::Embedded(), seen);
    return r ? std::string("(read)") : r.error().message;
  };
  SourceInfo src = Source("meeting-guide-test");
  EXPECT_EQ(error("", src), "feed.json:1: expected a JSON array of meetings ('[')");
  EXPECT_EQ(error("\n{\"meetings\": []}", src),
            "feed.json:2: expected a JSON array of meetings ('[')");
  EXPECT_EQ(error("[{\"name\": \"a\"", src), "feed.json:1: the element starting here never ends");
  EXPECT_EQ(error("[\"abc", src), "feed.json:1: a string starting here never ends");
  EXPECT_EQ(error("[{}\n{}]", src),
            "feed.json:2: expected ',' or ']' after the element starting on line 1");
  EXPECT_EQ(error("[{},\n]", src), "feed.json:2: expected a meeting after ','");
  EXPECT_EQ(error("[{}", src), "feed.json:1: the array of meetings never ends (no ']')");
  EXPECT_EQ(error("[]\nx", src), "feed.json:2: unexpected text after the array of meetings");
  EXPECT_EQ(error("[]", Source("")),
            "feed.json: a Meeting Guide feed needs a source name (--source NAME)");
  EXPECT_EQ(error("\xEF\xBB\xBF[]", src), "(read)");
}

TEST(MeetingGuide, FellowshipComesFromTheSourceName) {
  auto terms = [](const std::string& source) {
    return Join(
        ReadText(R"([{"name": "A", "slug": "a", "conference_url": "https://zoom.us/j/1"}])", source)
            .records.at(0)
            .terms);
  };
  EXPECT_EQ(terms("meeting-guide-aa-orange-county-ca"), "meeting aa online");
  EXPECT_EQ(terms("meeting-guide-al-anon-massachusetts"), "meeting al-anon online");
  EXPECT_EQ(terms("alanon-ma"), "meeting al-anon online");
  EXPECT_EQ(terms("meeting-guide-eda-international"), "meeting eda online");
  EXPECT_EQ(terms("na-chicago"), "meeting na online");
  EXPECT_EQ(terms("meeting-guide-cma-ohio"), "meeting twelve-step online");
}

TEST(MeetingGuide, SlugFallsBackToId) {
  ReadResult r = ReadText(R"([{"name": "A", "id": 42, "conference_url": "https://zoom.us/j/1"},
 {"name": "B", "conference_url": "https://zoom.us/j/1"}])");
  EXPECT_EQ(r.records.at(0).source_key, "42");
  EXPECT_EQ(Messages(r.rejections),
            std::vector<std::string>{
                "feed.json:2: field 'slug': required value is missing (and no 'id' to use)"});
}

TEST(MeetingGuide, LooksLikeMeetingGuide) {
  for (const auto& entry : std::filesystem::directory_iterator(kFixtures)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::string head(4096, '\0');
    in.read(head.data(), head.size());
    head.resize(in.gcount());
    EXPECT_TRUE(LooksLikeMeetingGuide(head)) << entry.path();
  }
  EXPECT_FALSE(LooksLikeMeetingGuide("source,source_key,as_of\n"));
  EXPECT_FALSE(LooksLikeMeetingGuide("[]"));
  EXPECT_FALSE(LooksLikeMeetingGuide(R"({"rows": [{"name1": "x", "slug": "y", "day": 1}]})"));
  EXPECT_FALSE(LooksLikeMeetingGuide(R"([{"id": "x", "name": "y", "organization_id": "z"}])"));
  EXPECT_FALSE(LooksLikeMeetingGuide(R"([{"name": "x", "slug": "y"}])"));
  EXPECT_TRUE(LooksLikeMeetingGuide("\xEF\xBB\xBF [ {\"name\": \"x\", \"slug\" : 1, \"day\": 2"));
}

TEST(MeetingGuideParts, ClockTimes) {
  for (auto [in, out] : std::vector<std::pair<std::string, std::string>>{{"19:30", "19:30"},
                                                                         {"7:30", "07:30"},
                                                                         {"19:30:00", "19:30"},
                                                                         {"7:30 PM", "19:30"},
                                                                         {"7:30pm", "19:30"},
                                                                         {"7 p.m.", "19:00"},
                                                                         {"12:00 AM", "00:00"},
                                                                         {"12:15 pm", "12:15"},
                                                                         {"0:05", "00:05"}}) {
    auto t = meeting_guide::ParseClockTime(in);
    EXPECT_EQ(t ? *t : t.error().message, out) << in;
  }
  for (std::string bad :
       {"", "19", "24:00", "7:60", "13:00 PM", "0:30 am", "7:3", "noon", "7:30:61"}) {
    auto t = meeting_guide::ParseClockTime(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().message, "\"" + bad + "\" is not a time (HH:MM, or 8:00 PM)");
  }
  EXPECT_EQ(meeting_guide::AddMinutes("23:30", 60), "00:30");
}

TEST(MeetingGuideParts, OneLineAddresses) {
  auto parse = [](std::string_view s) {
    auto a = meeting_guide::ParseOneLineAddress(s);
    return a.street + " | " + a.city + " | " + a.state + " | " + a.postal_code +
           (a.in_us ? "" : " | abroad");
  };
  EXPECT_EQ(parse("3186 Pullman St, Costa Mesa, CA 92626, USA"),
            "3186 Pullman St | Costa Mesa | CA | 92626");
  EXPECT_EQ(parse("Experimental Sciences Building, 2500 Broadway St, Lubbock, TX 79409, USA"),
            "Experimental Sciences Building, 2500 Broadway St | Lubbock | TX | 79409");
  EXPECT_EQ(parse("Jacksol Dr & Barrett Ave, San Jose, CA 95124"),
            "Jacksol Dr & Barrett Ave | San Jose | CA | 95124");
  EXPECT_EQ(parse("Orange County, CA, USA"), " | Orange County | CA | ");
  EXPECT_EQ(parse("United States"), " |  |  | ");
  EXPECT_EQ(parse("5 Elm St, Springfield, USA"), "5 Elm St | Springfield |  | ");
  EXPECT_EQ(parse("London WC2H 0EW, UK"), " |  |  |  | abroad");
  EXPECT_EQ(parse("Tbilisi, Georgia"), " |  |  |  | abroad");  // the country, not GA
  EXPECT_EQ(parse("223 Kent St, Charlottetown, PE C1A 1P1, Canada"), " |  |  |  | abroad");
  // State and ZIP in parts of their own, as some feeds write them.
  EXPECT_EQ(parse("979 West County Line Road, Hatboro, PA, 19040, USA"),
            "979 West County Line Road | Hatboro | PA | 19040");
  EXPECT_EQ(parse("979 West County Line Road, Hatboro, PA, 19040-1234"),
            "979 West County Line Road | Hatboro | PA | 19040-1234");
  EXPECT_EQ(parse("Hatboro, PA, 19040, USA"), " | Hatboro | PA | 19040");
  EXPECT_EQ(parse("Hatboro, Pennsylvania, 19040, USA"), "Hatboro, Pennsylvania | 19040 |  | ");
  EXPECT_EQ(parse("Hatboro, PA 19040, 19040, USA"), "Hatboro, PA 19040 | 19040 |  | ");
}

// A regression: "..., PA, 19040, USA" was rejected as naming no state.
TEST(MeetingGuide, StateAndZipInSeparatePartsAreAccepted) {
  ReadResult r = ReadText(R"([{"name": "Hatboro Group", "slug": "hatboro", "day": 1,
 "time": "19:00", "formatted_address": "979 West County Line Road, Hatboro, PA, 19040, USA"}])");
  EXPECT_EQ(Messages(r.rejections), std::vector<std::string>{});
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(Place(r.records[0]), "979 West County Line Road | Hatboro | PA | 19040");
  EXPECT_EQ(Join(r.records[0].terms), "meeting twelve-step in-person");
}

// ---- time zones: the feed's, else the state's (split states by longitude),
// else the source sidecar's --------------------------------------------------

TEST(MeetingGuide, TimeZoneFromTheFeedThenTheStateThenTheSource) {
  const std::string feed = R"([
 {"name": "Given", "slug": "given", "day": 1, "time": "19:00", "timezone": "America/Chicago",
  "formatted_address": "979 West County Line Road, Hatboro, PA 19040, USA"},
 {"name": "Pennsylvania", "slug": "pa", "day": 1, "time": "19:00",
  "formatted_address": "979 West County Line Road, Hatboro, PA 19040, USA"},
 {"name": "Pensacola", "slug": "pensacola", "day": 1, "time": "19:00",
  "formatted_address": "1 Palafox Pl, Pensacola, FL 32502, USA", "latitude": 30.41, "longitude": -87.21},
 {"name": "Unknown zone", "slug": "mars", "day": 1, "time": "19:00", "timezone": "Mars/Olympus",
  "formatted_address": "5155 Greenbrier Ave, San Diego, CA 92120, USA"},
 {"name": "London online", "slug": "london", "day": 1, "time": "02:00", "types": ["ONL"],
  "conference_url": "https://zoom.us/j/1", "formatted_address": "London, UK", "approximate": "yes"}
])";
  SourceInfo source = Source("meeting-guide-test");
  source.timezone = "America/New_York";
  std::istringstream in(feed);
  SeenKeys seen;
  auto r = ReadMeetingGuide(in, "feed.json", source, Taxonomy::Embedded(), seen);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Messages(r->rejections), std::vector<std::string>{});
  std::vector<std::string> zones;
  for (const auto& rec : r->records) zones.push_back(rec.source_key + " " + rec.timezone);
  EXPECT_EQ(zones, (std::vector<std::string>{"given America/Chicago", "pa America/New_York",
                                             "pensacola America/Chicago",
                                             "mars America/Los_Angeles",
                                             "london America/New_York"}));
  // Without a sidecar zone the online meeting abroad has none.
  ReadResult plain = ReadText(feed);
  ASSERT_EQ(plain.records.size(), 5u);
  EXPECT_EQ(plain.records[4].timezone, "");
}

TEST(MeetingGuideParts, TypeTableCoversTheSpec) {
  const auto& types = meeting_guide::TypeTable::Embedded();
  EXPECT_EQ(types.size(), 89u);  // 87 official + ONL and NS, retired but still in feeds
  EXPECT_EQ(types.Resolve("onl"), "ONL");
  EXPECT_EQ(types.Resolve("open"), "O");
  EXPECT_EQ(types.Resolve("Closed"), "C");
  EXPECT_EQ(types.Resolve("AC"), "");
  EXPECT_EQ(Join(types.Terms("ASL")), "ase deaf-hard-of-hearing");
  EXPECT_EQ(Join(types.Terms("TC")), "");
  std::ifstream spec(kSharedFeeds + "meeting_types_code4recovery_spec.json");
  if (!spec) GTEST_SKIP() << "shared data absent";
  nlohmann::json official = nlohmann::json::parse(spec, nullptr, false);
  ASSERT_TRUE(official.is_object());
  EXPECT_EQ(official.size(), 87u);
  for (const auto& [code, names] : official.items()) {
    EXPECT_EQ(types.Resolve(code), code);
    EXPECT_EQ(types.Resolve(names.value("en", "")), code) << code;
  }
}

// All eight shared feeds, counted by hand (an independent script over the raw
// JSON) and against the feeds' own attendance_option where they have one:
// online = attendance_option "online" (OC 385, Sussex 28, Al-Anon 113, EDA
// 100 + 3 hybrid meetings abroad).
TEST(MeetingGuide, AllSharedFeeds) {
  if (!std::filesystem::exists(kSharedFeeds)) GTEST_SKIP() << "shared data absent";
  struct Expect {
    std::string file, source;
    int rows, records, rejected, online, warnings;
  };
  const std::vector<Expect> feeds = {
      {"aa_alpena_mi_small_types_as_string.json", "meeting-guide-aa-alpena-mi", 46, 46, 0, 0, 0},
      {"aa_kansas_city_mo_2021.json", "meeting-guide-aa-kansas-city-mo", 206, 206, 0, 33, 0},
      {"aa_northwest_texas_2021_malformed_types.json", "meeting-guide-aa-northwest-texas", 613, 613,
       0, 0, 0},
      {"aa_orange_county_ca_2023.json", "meeting-guide-aa-orange-county-ca", 1967, 1967, 0, 385, 0},
      {"aa_san_jose_ca_2021.json", "meeting-guide-aa-san-jose-ca", 693, 692, 1, 292, 0},
      {"aa_sussex_de_2022.json", "meeting-guide-aa-sussex-de", 123, 123, 0, 28, 0},
      {"al_anon_massachusetts_2023.json", "meeting-guide-al-anon-massachusetts", 360, 360, 0, 113,
       2},
      {"eda_online_international_2023.json", "meeting-guide-eda-international", 185, 173, 12, 103,
       0},
  };
  SeenKeys seen;
  for (const Expect& e : feeds) {
    std::ifstream in(kSharedFeeds + e.file);
    ReadResult r = ReadStream(in, e.file, e.source, seen);
    int online = 0;
    for (const auto& rec : r.records) online += IsOnlineOnly(rec);
    EXPECT_EQ(r.rows, e.rows) << e.file;
    EXPECT_EQ(static_cast<int>(r.records.size()), e.records) << e.file;
    EXPECT_EQ(r.rejected_rows, e.rejected) << e.file;
    EXPECT_EQ(online, e.online) << e.file;
    EXPECT_EQ(static_cast<int>(r.warnings.size()), e.warnings) << e.file;
    for (const auto& rej : r.rejections) {  // the only reasons a real feed loses a meeting
      bool defended = rej.reason.find("repeats line") != std::string::npos ||
                      rej.reason.ends_with("Carefinder lists meetings in the US only");
      EXPECT_TRUE(defended) << rej.Message();
    }
  }
  std::ifstream in(kSharedFeeds + "aa_san_jose_ca_2021.json");
  SeenKeys fresh;
  EXPECT_EQ(Messages(ReadStream(in, "aa_san_jose_ca_2021.json", "x", fresh).rejections),
            std::vector<std::string>{"aa_san_jose_ca_2021.json:11490: field 'slug': "
                                     "\"pass-it-on-group\" repeats line 7501"});
}

}  // namespace
}  // namespace carefinder::importer
