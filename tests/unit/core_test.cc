// Unit tests for src/core: text helpers, CSV reading, geo math, UUIDv5.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>
#include <vector>

#include "core/csv.h"
#include "core/date.h"
#include "core/geo.h"
#include "core/string_map.h"
#include "core/text.h"
#include "core/time_zone.h"
#include "core/uuid.h"

namespace carefinder {
namespace {

TEST(UuidV5, MatchesRfc4122ExampleForDnsNamespace) {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
  EXPECT_EQ(UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(UuidV5, StableIdDependsOnKindSourceAndKey) {
  auto a = StableId("service", "curated", "liberty-house-detox");
  EXPECT_EQ(a, StableId("service", "curated", "liberty-house-detox"));
  EXPECT_NE(a, StableId("location", "curated", "liberty-house-detox"));
  EXPECT_NE(a, StableId("service", "other", "liberty-house-detox"));
  EXPECT_TRUE(IsUuid(a));
  EXPECT_FALSE(IsUuid("not-a-uuid"));
}

TEST(Geo, DistanceRedlandsToLosAngelesIsAboutSixtyMiles) {
  double d = geo::DistanceMiles({34.05557, -117.18254}, {34.05223, -118.24368});
  EXPECT_NEAR(d, 60.7, 0.5);
  EXPECT_DOUBLE_EQ(geo::DistanceMiles({10, 10}, {10, 10}), 0.0);
}

TEST(Geo, BoxAroundContainsEveryPointOnTheCircle) {
  geo::Point c{34.0685, -117.1753};
  auto box = geo::BoxAround(c, 25);
  for (int deg = 0; deg < 360; deg += 5) {
    // The farthest point within 25 miles at bearing `deg` (bisection on the
    // distance the index uses): on the circle itself, not 0.001 mile inside,
    // because the radius is inclusive. Mutation check: shrinking BoxAround's
    // half-widths by 1e-6 of themselves (src/core/geo.cc) fails here.
    double lo = 0, hi = 1;
    double rad = deg * 3.14159265358979 / 180;
    for (int i = 0; i < 60; ++i) {
      double mid = (lo + hi) / 2;
      geo::Point p{c.lat + mid * std::cos(rad), c.lon + mid * std::sin(rad)};
      (geo::DistanceMiles(c, p) <= 25 ? lo : hi) = mid;
    }
    geo::Point p{c.lat + lo * std::cos(rad), c.lon + lo * std::sin(rad)};
    EXPECT_TRUE(box.Contains(p)) << "bearing " << deg;
  }
  EXPECT_FALSE(box.Contains({c.lat + 0.5, c.lon}));
}

// The radius search's early rejections never change a decision: a point is
// inside exactly when DistanceMiles says so, with the same distance, bit for
// bit, also at the edge of the radius and near the poles.
TEST(Geo, RadiusFilterAgreesWithDistanceMilesEverywhere) {
  const geo::Point centres[] = {{34.05, -117.18}, {64.8, -147.7}, {89.9, 0}, {0, 179.99}};
  for (geo::Point c : centres) {
    for (double r : {0.5, 25.0, 500.0}) {
      geo::RadiusFilter within(c, r);
      for (int i = 0; i < 4000; ++i) {
        double angle = i * 0.0157, reach = (i % 200) / 100.0 * r / 69.0;  // to twice the radius
        geo::Point p{std::clamp(c.lat + reach * std::sin(angle), -90.0, 90.0),
                     c.lon + reach * std::cos(angle)};
        double exact = geo::DistanceMiles(c, p);
        double got = within.DistanceWithin(p, geo::CosLatitude(p.lat));
        if (exact <= r) EXPECT_EQ(got, exact) << c.lat << "," << c.lon << " r=" << r;
        else EXPECT_LT(got, 0) << c.lat << "," << c.lon << " r=" << r;
      }
      // On the edge itself: a point whose exact distance is the radius.
      geo::Point edge{c.lat, c.lon};
      double lo = 0, hi = 2 * r / 69.0;
      for (int k = 0; k < 200; ++k) {
        double mid = (lo + hi) / 2;
        (geo::DistanceMiles(c, {c.lat - mid, c.lon}) <= r ? lo : hi) = mid;
      }
      edge.lat = c.lat - lo;
      EXPECT_EQ(within.DistanceWithin(edge, geo::CosLatitude(edge.lat)), geo::DistanceMiles(c, edge));
    }
  }
}

// The chord² shortcut of a radius search: kInside and kBeyond never disagree
// with DistanceMiles, and a chord² above FartherChordBound of another is
// always the farther point, from microns to hundreds of miles.
TEST(Geo, ChordSidesAndOrderAgreeWithDistanceMiles) {
  const geo::Point centres[] = {{34.05, -117.18}, {64.8, -147.7}, {89.9, 0}, {0, 179.99}};
  for (geo::Point c : centres) {
    geo::UnitVector cv = geo::ToUnitVector(c);
    for (double r : {0.001, 0.5, 25.0, 500.0}) {
      geo::RadiusFilter within(c, r);
      std::vector<std::pair<double, double>> seen;  // chord², DistanceMiles
      int edges = 0;
      for (int i = 0; i < 4000; ++i) {
        double angle = i * 0.0157, reach = (i % 200) / 100.0 * r / 69.0;  // to twice the radius
        geo::Point p{std::clamp(c.lat + reach * std::sin(angle), -90.0, 90.0),
                     c.lon + reach * std::cos(angle)};
        double exact = geo::DistanceMiles(c, p);
        double chord2 = geo::ChordSquared(cv, geo::ToUnitVector(p));
        auto side = within.SideOfChord(chord2);
        if (side == geo::RadiusFilter::Side::kInside) {
          EXPECT_LE(exact, r) << c.lat << " r=" << r;
        }
        if (side == geo::RadiusFilter::Side::kBeyond) {
          EXPECT_GT(exact, r) << c.lat << " r=" << r;
        }
        edges += side == geo::RadiusFilter::Side::kEdge;
        seen.emplace_back(chord2, exact);
      }
      EXPECT_LT(edges, 100) << "the edge band is thin";
      for (size_t a = 0; a < seen.size(); a += 7) {
        for (const auto& b : seen) {
          if (b.first > geo::FartherChordBound(seen[a].first)) {
            ASSERT_GT(b.second, seen[a].second) << c.lat << " r=" << r;
          }
        }
      }
    }
  }
}

TEST(Geo, BoxAcrossTheAntimeridianWraps) {
  auto box = geo::BoxAround({51.8, 179.9}, 25);  // Aleutians
  EXPECT_GT(box.min_lon, box.max_lon);
  EXPECT_TRUE(box.Contains({51.8, -179.9}));
  EXPECT_TRUE(box.Contains({51.8, 179.8}));
}

TEST(Csv, QuotedFieldsSpanLinesAndRecordsKnowTheirFirstLine) {
  std::istringstream in("a,b\n1,\"two\nlines\"\n\"x \"\"q\"\"\",3\n");
  CsvTable t(in);
  ASSERT_TRUE(t.ReadHeader());
  ASSERT_TRUE(*t.Next());
  EXPECT_EQ(t.line(), 2);
  EXPECT_EQ(t.Get("b"), "two\nlines");
  ASSERT_TRUE(*t.Next());
  EXPECT_EQ(t.line(), 4);
  EXPECT_EQ(t.Get("a"), "x \"q\"");
  EXPECT_FALSE(*t.Next());
}

TEST(Csv, UnterminatedQuoteIsAnError) {
  std::istringstream in("a\n\"open\n");
  CsvTable t(in);
  ASSERT_TRUE(t.ReadHeader());
  auto r = t.Next();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "unterminated quoted field");
}

TEST(Csv, RecordLongerThanTheBoundIsSkippedUnbufferedAndNamesItsField) {
  // A 10-byte bound; row 3 is too long in column b (a quoted line break
  // inside it still counts as a line), the rows after it read on.
  std::istringstream in("a,b\n1,2\n3,\"xxxx\nxxxxxxxxxx\"\n4,5\n6,\"q,\nq\"\n");
  CsvTable t(in, 10);
  ASSERT_TRUE(t.ReadHeader());
  ASSERT_TRUE(*t.Next());
  EXPECT_EQ(t.Get("b"), "2");
  auto r = t.Next();
  ASSERT_FALSE(r);
  EXPECT_TRUE(t.skipped());
  EXPECT_EQ(t.line(), 3);
  EXPECT_EQ(r.error().message, "record longer than 10 bytes (19)");
  EXPECT_EQ(r.error().param, "b");
  ASSERT_TRUE(*t.Next());
  EXPECT_FALSE(t.skipped());
  EXPECT_EQ(t.line(), 5);
  EXPECT_EQ(t.Get("a"), "4");
  ASSERT_TRUE(*t.Next());
  EXPECT_EQ(t.line(), 6);
  EXPECT_EQ(t.Get("b"), "q,\nq");
  EXPECT_FALSE(*t.Next());
}

TEST(ShortKeyIndex, GrowsPastItsSizeAndKeepsTheFirstIndexOfAKey) {
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) keys.push_back("outpatient-" + std::to_string(i) + "-care");
  keys.push_back("outpatient-1-care");  // repeated: index 1 keeps it
  auto key_of = [&keys](size_t i) -> std::string_view { return keys[i]; };
  ShortKeyIndex index(2);  // room for 2: grows as the keys come
  for (size_t i = 0; i < keys.size(); ++i) index.Add(keys[i], i, key_of);
  for (size_t i = 0; i < 300; ++i) EXPECT_EQ(index.Find(keys[i], key_of), i) << keys[i];
  EXPECT_EQ(index.Find("outpatient-1-care", key_of), 1u);
  EXPECT_EQ(index.Find("outpatient-300-care", key_of), ShortKeyIndex::kNone);
  EXPECT_EQ(ShortKeyIndex().Find("", key_of), ShortKeyIndex::kNone);
}

TEST(Csv, ColumnsAreFoundByNameTheFirstOfARepeatedOne) {
  std::istringstream in(" zip ,city,organization_name,organization_note,zip,a\n19153,Eastwick,Org,Note,99999,x\n");
  CsvTable t(in);
  ASSERT_TRUE(t.ReadHeader());
  ASSERT_TRUE(*t.Next());
  EXPECT_EQ(t.Get("zip"), "19153");  // trimmed, and the first "zip"
  EXPECT_EQ(t.Get("city"), "Eastwick");
  EXPECT_EQ(t.Get("organization_name"), "Org");  // same head as the next one
  EXPECT_EQ(t.Get("organization_note"), "Note");
  EXPECT_EQ(t.Get("a"), "x");
  EXPECT_TRUE(t.Has("a"));
  EXPECT_FALSE(t.Has("organization_nam"));
  EXPECT_FALSE(t.Has("b"));
  EXPECT_EQ(t.Get("state"), "");
}

TEST(Csv, RecordOfExactlyTheBoundIsRead) {
  std::istringstream in("a\n0123456789\r\n");
  CsvTable t(in, 10);
  ASSERT_TRUE(t.ReadHeader());
  ASSERT_TRUE(*t.Next());
  EXPECT_EQ(t.Get("a"), "0123456789");
}

TEST(Text, Utf8ValidationFindsTheBadByte) {
  EXPECT_EQ(text::FindInvalidUtf8("Cl\xC3\xADnica"), std::nullopt);
  EXPECT_EQ(text::FindInvalidUtf8("Cl\xEDnica"), 2u);  // Windows-1252 í
  EXPECT_EQ(text::FindInvalidUtf8("\xC0\xAF"), 0u);     // overlong '/'
  // Past and inside the 8-byte ASCII steps: the offset of the first bad byte.
  EXPECT_EQ(text::FindInvalidUtf8("0123456789abcdef\xFF"), 16u);
  EXPECT_EQ(text::FindInvalidUtf8("01234567\xC3\xAD" "89abcdefgh\x80xyz"), 20u);
  EXPECT_EQ(text::FindInvalidUtf8("0123456\xE2\x82\xAC" "0123456789"), std::nullopt);  // €
  EXPECT_EQ(text::FindInvalidUtf8("0123456789\xE2\x82"), 10u);  // cut short
  // Short text and the last 0-7 bytes, read at once when all ASCII.
  EXPECT_EQ(text::FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(text::FindInvalidUtf8("abc"), std::nullopt);
  EXPECT_EQ(text::FindInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(text::FindInvalidUtf8("\xFF"), 0u);
  EXPECT_EQ(text::FindInvalidUtf8("01234567abcdefg"), std::nullopt);
  EXPECT_EQ(text::FindInvalidUtf8("01234567abcdef\xFF"), 14u);
  EXPECT_EQ(text::FindInvalidUtf8("01234567abcde\xC3\xAD"), std::nullopt);
  EXPECT_EQ(text::FindInvalidUtf8(std::string_view("ab\0\xFF", 4)), 3u);
}

TEST(Text, CollapseSpaceLeavesOneSpaceBetweenWords) {
  EXPECT_EQ(text::CollapseSpace("one two three"), "one two three");  // copied whole
  EXPECT_EQ(text::CollapseSpace("  one two "), "one two");
  EXPECT_EQ(text::CollapseSpace("one  two"), "one two");
  EXPECT_EQ(text::CollapseSpace("one\ttwo\r\nthree"), "one two three");
  EXPECT_EQ(text::CollapseSpace("one \ntwo"), "one two");
  EXPECT_EQ(text::CollapseSpace("a"), "a");
  EXPECT_EQ(text::CollapseSpace(" \t "), "");
  EXPECT_EQ(text::CollapseSpace(""), "");
}

TEST(Text, JsonStringEscapesControlAndQuotes) {
  std::string out;
  text::AppendJsonString(out, "a\"b\\c\n\x01");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST(Text, JsonStringKeepsRunsBetweenEscapesWhole) {
  std::string out = "x:";
  text::AppendJsonString(out, "Cl\xC3\xADnica \"Nueva\"\tVida\x1f");
  EXPECT_EQ(out, "x:\"Cl\xC3\xADnica \\\"Nueva\\\"\\tVida\\u001f\"");
  out.clear();
  text::AppendJsonString(out, "");
  EXPECT_EQ(out, "\"\"");
  out.clear();
  text::AppendJsonString(out, "\\");
  EXPECT_EQ(out, "\"\\\\\"");
}

// AppendJsonString steps over 8 bytes at a time: each byte value, at each
// place in and across those steps, escapes as a byte-by-byte writer does.
TEST(Text, JsonStringEscapesEveryByteWhereverItFalls) {
  auto one_by_one = [](std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c == '\b') out += "\\b";
      else if (c == '\f') out += "\\f";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    return out + "\"";
  };
  for (int c = 0; c < 256; ++c) {
    for (size_t at = 0; at < 20; ++at) {
      std::string s(20, 'a');
      s[at] = static_cast<char>(c);
      for (size_t len : {at + 1, size_t{20}}) {
        std::string_view v(s.data(), len);
        std::string out;
        text::AppendJsonString(out, v);
        ASSERT_EQ(out, one_by_one(v)) << "byte " << c << " at " << at << " of " << len;
      }
    }
  }
  std::string all;  // every byte, one after another
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  std::string out;
  text::AppendJsonString(out, all);
  EXPECT_EQ(out, one_by_one(all));
}

TEST(Text, Base64UrlRoundTrips) {
  for (const std::string& s : std::vector<std::string>{"", "v1:20", "hello world!", std::string("\0\xff", 2)}) {
    EXPECT_EQ(text::Base64UrlDecode(text::Base64UrlEncode(s)), s);
  }
  EXPECT_EQ(text::Base64UrlDecode("***"), std::nullopt);
}

}  // namespace
}  // namespace carefinder

#include "core/place_name.h"

namespace carefinder {
namespace {

TEST(PlaceName, FoldsAbbreviationsPunctuationAndCase) {
  EXPECT_EQ(FoldPlaceName("St. Louis"), "saint louis");
  EXPECT_EQ(FoldPlaceName("  SAINT   louis "), "saint louis");
  EXPECT_EQ(FoldPlaceName("Winston-Salem"), "winston salem");
  EXPECT_EQ(FoldPlaceName("O'Fallon"), "ofallon");
  EXPECT_EQ(FoldPlaceName("Ft. Myers"), "fort myers");
  EXPECT_EQ(FoldPlaceName("Stanton"), "stanton");  // only whole words expand
}

TEST(PlaceName, NormalizesStateCodesAndNames) {
  EXPECT_EQ(NormalizeState("ca"), "CA");
  EXPECT_EQ(NormalizeState("California"), "CA");
  EXPECT_EQ(NormalizeState("District of Columbia"), "DC");
  EXPECT_EQ(NormalizeState("ZZ"), std::nullopt);
}

// Regression: "MT" folded to "mount" and every Montana listing was rejected.
TEST(PlaceName, NormalizeStateAcceptsMontanaAndOtherAbbreviationLookalikes) {
  EXPECT_EQ(NormalizeState("MT"), "MT");
  EXPECT_EQ(NormalizeState("mt"), "MT");
  EXPECT_EQ(NormalizeState("Montana"), "MT");
}

// ---- time zones ------------------------------------------------------------

int64_t Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return *date::DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

TEST(TimeZone, StatesAndTheSplitStatesByLongitude) {
  EXPECT_EQ(tz::ZoneOfPlace("CA", 34.05, -117.18), "America/Los_Angeles");
  EXPECT_EQ(tz::ZoneOfPlace("pa", std::nullopt, std::nullopt), "America/New_York");
  EXPECT_EQ(tz::ZoneOfPlace("FL", 30.42, -87.22), "America/Chicago");    // Pensacola
  EXPECT_EQ(tz::ZoneOfPlace("FL", 25.76, -80.19), "America/New_York");   // Miami
  EXPECT_EQ(tz::ZoneOfPlace("TN", 36.16, -86.78), "America/Chicago");    // Nashville
  EXPECT_EQ(tz::ZoneOfPlace("TN", 35.96, -83.92), "America/New_York");   // Knoxville
  EXPECT_EQ(tz::ZoneOfPlace("TX", 31.76, -106.49), "America/Denver");    // El Paso
  EXPECT_EQ(tz::ZoneOfPlace("ID", 47.68, -116.78), "America/Los_Angeles");  // Coeur d'Alene
  EXPECT_EQ(tz::ZoneOfPlace("ID", 43.62, -116.20), "America/Boise");
  EXPECT_EQ(tz::ZoneOfPlace("AZ", 33.45, -112.07), "America/Phoenix");
  EXPECT_EQ(tz::ZoneOfPlace("ZZ", 0, 0), "");
}

TEST(TimeZone, OffsetsFollowTheUsAndEuRules) {
  EXPECT_EQ(tz::UtcOffsetMinutes("America/New_York", Utc(2026, 12, 1, 12, 0)), -300);
  EXPECT_EQ(tz::UtcOffsetMinutes("America/New_York", Utc(2026, 7, 1, 12, 0)), -240);
  EXPECT_EQ(tz::UtcOffsetMinutes("America/Phoenix", Utc(2026, 7, 1, 12, 0)), -420);
  // 2026: second Sunday of March is the 8th, first Sunday of November the 1st.
  EXPECT_EQ(tz::UtcOffsetMinutes("America/New_York", Utc(2026, 3, 8, 6, 59, 59)), -300);
  EXPECT_EQ(tz::UtcOffsetMinutes("America/New_York", Utc(2026, 3, 8, 7, 0)), -240);
  EXPECT_EQ(tz::UtcOffsetMinutes("America/Los_Angeles", Utc(2026, 11, 1, 8, 59, 59)), -420);
  EXPECT_EQ(tz::UtcOffsetMinutes("America/Los_Angeles", Utc(2026, 11, 1, 9, 0)), -480);
  // EU: last Sunday of March (the 29th in 2026), 01:00 UTC.
  EXPECT_EQ(tz::UtcOffsetMinutes("Europe/London", Utc(2026, 3, 29, 0, 59)), 0);
  EXPECT_EQ(tz::UtcOffsetMinutes("Europe/London", Utc(2026, 3, 29, 1, 0)), 60);
  EXPECT_EQ(tz::UtcOffsetMinutes("Mars/Olympus", 0), std::nullopt);
  EXPECT_TRUE(tz::IsKnownZone("America/Chicago"));
  EXPECT_FALSE(tz::IsKnownZone("america/chicago"));
}

}  // namespace
}  // namespace carefinder

TEST(FormatUtc, WritesIsoUtcOrTheGivenFormat) {
  EXPECT_EQ(carefinder::text::FormatUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(carefinder::text::FormatUtc(1764450000), "2025-11-29T21:00:00Z");
  EXPECT_EQ(carefinder::text::FormatUtc(1764450059, "%Y-%m-%dT%H:%MZ"), "2025-11-29T21:00Z");
}
