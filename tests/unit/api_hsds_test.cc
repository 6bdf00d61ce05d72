// HSDS API pieces without sockets: parameter parsing and its messages, the
// Page numbers, RFC 3339 normalisation, the Meeting Guide type mapping and
// CSV quoting of the exports.
#include <gtest/gtest.h>

#include "api/export.h"
#include "api/hsds_handlers.h"
#include "api/hsds_params.h"
#include "api/meetings_feed.h"

namespace carefinder::api {
namespace {

using store::HsdsList;

Request Query(std::initializer_list<std::pair<std::string, std::string>> params) {
  Request r;
  for (const auto& [k, v] : params) r.query.emplace(k, v);
  return r;
}

std::string Detail(const Request& r, HsdsList list = HsdsList::kServices) {
  auto p = ParseHsdsListParams(r, list);
  return p ? "" : p.error().detail;
}

TEST(HsdsParams, DefaultsAreTheFirstPageOfFifty) {
  auto p = ParseHsdsListParams(Query({}), HsdsList::kServices);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->page.page, 1);
  EXPECT_EQ(p->page.per_page, 50);
  EXPECT_FALSE(p->ndjson || p->full || p->minimal || p->page.all);
}

TEST(HsdsParams, ValuesAreReadAndNormalised) {
  auto p = ParseHsdsListParams(
      Query({{"page", "3"}, {"per_page", "20"}, {"full", "true"}, {"search", " detox "},
             {"taxonomy_term_id", "5B0C7A3E-2D41-5F8E-9C6A-0E1F4A7D2B90"},
             {"modified_after", "2026-01-31"}}),
      HsdsList::kServices);
  ASSERT_TRUE(p) << p.error().detail;
  EXPECT_EQ(p->page.page, 3);
  EXPECT_EQ(p->page.per_page, 20);
  EXPECT_TRUE(p->full);
  EXPECT_EQ(p->filter.search, "detox");
  EXPECT_EQ(p->filter.taxonomy_term_id, "5b0c7a3e-2d41-5f8e-9c6a-0e1f4a7d2b90");
  EXPECT_EQ(p->filter.modified_after, "2026-01-31T00:00:00Z");
  auto nd = ParseHsdsListParams(Query({{"format", "ndjson"}}), HsdsList::kTaxonomies);
  ASSERT_TRUE(nd);
  EXPECT_TRUE(nd->ndjson && nd->page.all);
}

TEST(HsdsParams, MessagesNameTheParameterAndTheValue) {
  EXPECT_EQ(Detail(Query({{"page", "0"}})), "page must be a whole number between 1 and 1000000, got 0");
  EXPECT_EQ(Detail(Query({{"per_page", "1001"}})),
            "per_page must be a whole number between 1 and 1000, got 1001");
  EXPECT_EQ(Detail(Query({{"per_page", "5"}, {"per_page", "6"}})), "per_page must be given once");
  EXPECT_EQ(Detail(Query({{"minimal", "yes"}})), "minimal must be true or false, got yes");
  EXPECT_EQ(Detail(Query({{"full", "1"}, {"minimal", "1"}})), "full and minimal cannot be combined");
  EXPECT_EQ(Detail(Query({{"organization_id", "42"}})), "organization_id must be a UUID, got 42");
  EXPECT_EQ(Detail(Query({{"search", std::string(201, 'a')}})),
            "search must be at most 200 characters, got 201");
  EXPECT_EQ(Detail(Query({{"lat", "34"}}), HsdsList::kServiceAtLocations),
            "lat and lon must be given together");
  EXPECT_EQ(Detail(Query({{"lat", "95"}, {"lon", "0"}}), HsdsList::kServiceAtLocations),
            "lat must be between -90 and 90, got 95");
  EXPECT_EQ(Detail(Query({{"postcode", "92374"}, {"lat", "34"}, {"lon", "-117"}}),
                   HsdsList::kServiceAtLocations),
            "give postcode or lat and lon, not both");
}

TEST(HsdsParams, EachListReadsOnlyItsOwnParameters) {
  // postcode is not a parameter of /services: ignored there, checked on
  // /service_at_locations.
  EXPECT_EQ(Detail(Query({{"postcode", "x"}}), HsdsList::kServices), "");
  EXPECT_EQ(Detail(Query({{"postcode", "x"}}), HsdsList::kServiceAtLocations),
            "postcode must be a 5-digit ZIP code, got x");
  auto near = ParseHsdsListParams(Query({{"postcode", "92374"}, {"proximity", "1500.5"}}),
                                  HsdsList::kServiceAtLocations);
  ASSERT_TRUE(near);
  EXPECT_EQ(near->postcode_centre, "92374");
  EXPECT_EQ(near->filter.postal_code, "");
  EXPECT_EQ(*near->filter.radius_metres, 1500.5);
  auto in_zip = ParseHsdsListParams(Query({{"postcode", "92374"}}), HsdsList::kServiceAtLocations);
  ASSERT_TRUE(in_zip);
  EXPECT_EQ(in_zip->filter.postal_code, "92374");
  auto terms = ParseHsdsListParams(Query({{"top_only", ""}}), HsdsList::kTaxonomyTerms);
  ASSERT_TRUE(terms);
  EXPECT_TRUE(terms->filter.top_only);  // a bare flag means true
}

TEST(HsdsParams, DateTimesBecomeUtc) {
  EXPECT_EQ(NormaliseDateTime("2026-03-01T10:30:00Z"), "2026-03-01T10:30:00Z");
  EXPECT_EQ(NormaliseDateTime("2026-03-01T10:30:00.123+02:00"), "2026-03-01T08:30:00Z");
  EXPECT_EQ(NormaliseDateTime("2026-03-01T00:30-01:00"), "2026-03-01T01:30:00Z");
  EXPECT_EQ(NormaliseDateTime("2026-03-01T01:00:00 02:00"), "2026-02-28T23:00:00Z");  // '+' as space
  EXPECT_EQ(NormaliseDateTime("2026-03-01"), "2026-03-01T00:00:00Z");
  EXPECT_EQ(NormaliseDateTime("2026-13-01"), std::nullopt);
  EXPECT_EQ(NormaliseDateTime("2026-03-01T25:00"), std::nullopt);
  EXPECT_EQ(NormaliseDateTime("yesterday"), std::nullopt);
  EXPECT_EQ(NormaliseDateTime("2026-03-01T10:30:00 Europe/Paris"), std::nullopt);
}

TEST(HsdsPage, NumbersFollowTheConsistencyRules) {
  PageNumbers p = ComputePage(101, 1, 50);
  EXPECT_EQ(p.total_pages, 3);
  EXPECT_TRUE(p.first_page);
  EXPECT_FALSE(p.last_page);
  EXPECT_TRUE(ComputePage(101, 3, 50).last_page);
  EXPECT_TRUE(ComputePage(101, 4, 50).last_page);  // past the end
  PageNumbers none = ComputePage(0, 1, 50);
  EXPECT_EQ(none.total_pages, 0);
  EXPECT_TRUE(none.first_page && none.last_page);
  EXPECT_EQ(ComputePage(100, 2, 50).total_pages, 2);
}

TEST(MeetingGuideTypes, TheShippedMappingGivesOneCodePerTerm) {
  const MeetingGuideTypes& t = MeetingGuideTypes::Embedded();
  EXPECT_TRUE(t.ambiguous_terms.empty()) << "terms with several codes and none preferred: "
                                         << t.ambiguous_terms.front();
  EXPECT_EQ(t.code_for_term.at("lgbtq"), "LGBTQ");
  EXPECT_EQ(t.code_for_term.at("children-welcome"), "CF");
  EXPECT_EQ(t.code_for_term.at("open-meeting"), "O");
  EXPECT_EQ(t.code_for_term.at("es"), "S");
  EXPECT_TRUE(t.IsOfficial("TC"));
  EXPECT_FALSE(t.IsOfficial("ONL"));  // retired in 2022
  EXPECT_FALSE(t.IsOfficial("LGBTQIA"));
  EXPECT_EQ(t.official.size(), 87u);
}

TEST(MeetingGuideTypes, SeveralCodesForATermWithNoPreferenceAreLeftUnmapped) {
  MeetingGuideTypes t = MeetingGuideTypes::Parse("code,term,name\nA,secular,Secular\nX,secular,Other\n"
                                                 "W,women,Women\nONL,online,Online\n");
  EXPECT_EQ(t.ambiguous_terms, std::vector<std::string>{"secular"});
  EXPECT_FALSE(t.code_for_term.contains("secular"));
  EXPECT_FALSE(t.code_for_term.contains("online"));
  EXPECT_EQ(t.code_for_term.at("women"), "W");
  EXPECT_EQ(t.official, (std::vector<std::string>{"A", "X", "W"}));
}

TEST(ExportCsv, FieldsAreQuotedOnlyWhenTheyMustBe) {
  std::string out;
  AppendCsvField(out, "plain");
  out += ',';
  AppendCsvField(out, "a, b");
  out += ',';
  AppendCsvField(out, "say \"hi\"");
  out += ',';
  AppendCsvField(out, "two\nlines");
  EXPECT_EQ(out, "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\"");
}

}  // namespace
}  // namespace carefinder::api
