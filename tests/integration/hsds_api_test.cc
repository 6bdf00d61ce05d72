// The HSDS 3.0 API under /hsds on a real server over a database the importer
// made (the importer fixture + the curated compliance meetings): shapes,
// the Page envelope, filters, errors word for word, CORS. The schema
// validation of every body is tests/compliance/crawl.py's job.
#include <gtest/gtest.h>

#include <set>

#include "importer/taxonomy.h"
#include "tests/integration/hsds_server_fixture.h"

namespace carefinder {
namespace {

using nlohmann::json;

class HsdsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::ImportedServer();
    server_->Start("hsds_api", testing::kHsdsFixtureFiles);
  }
  static void TearDownTestSuite() { delete server_; }

  static json Get(const std::string& path, int status = 200) { return server_->Json(path, status); }
  static std::vector<std::string> Names(const json& page) {
    std::vector<std::string> out;
    for (const auto& item : page["contents"]) out.push_back(item.value("name", ""));
    return out;
  }
  // A 400 problem: its detail and param.
  static void ExpectInvalid(const std::string& path, const std::string& detail,
                            const std::string& param) {
    auto r = server_->Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << path;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");
    json body = json::parse(r->body);
    EXPECT_EQ(body["type"], "https://carefinder.example/problems/invalid-parameter");
    EXPECT_EQ(body["detail"], detail) << path;
    EXPECT_EQ(body["param"], param) << path;
  }

  static inline testing::ImportedServer* server_ = nullptr;
};

// No HSDS field is nullable: a null anywhere is a bug.
bool HasNull(const json& j) {
  if (j.is_null()) return true;
  if (j.is_structured()) {
    for (const auto& v : j) {
      if (HasNull(v)) return true;
    }
  }
  return false;
}

TEST_F(HsdsApiTest, RootNamesTheVersionAndThisServersOpenApiDocument) {
  json root = Get("/hsds/");
  EXPECT_EQ(root["version"], "3.0");
  EXPECT_TRUE(root["profile"].get<std::string>().starts_with("https://"));
  EXPECT_EQ(root["openapi_url"],
            "http://127.0.0.1:" + std::to_string(server_->port()) + "/api/openapi.json");
}

TEST_F(HsdsApiTest, PagesFollowTheEnvelopeRules) {
  json first = Get("/hsds/services?per_page=3");
  EXPECT_EQ(first["total_items"], 8);  // 3 treatments + 5 meetings
  EXPECT_EQ(first["total_pages"], 3);
  EXPECT_EQ(first["page_number"], 1);
  EXPECT_EQ(first["size"], 3);
  EXPECT_EQ(first["first_page"], true);
  EXPECT_EQ(first["last_page"], false);
  EXPECT_EQ(first["empty"], false);
  json last = Get("/hsds/services?per_page=3&page=3");
  EXPECT_EQ(last["size"], 2);
  EXPECT_EQ(last["last_page"], true);
  EXPECT_EQ(last["first_page"], false);
  json past = Get("/hsds/services?per_page=3&page=4");
  EXPECT_EQ(past["size"], 0);
  EXPECT_EQ(past["empty"], true);
  EXPECT_EQ(past["contents"], json::array());
  // Name order, no overlap: pages 1..3 are the 8 services once each.
  std::set<std::string> ids;
  for (int page = 1; page <= 3; ++page) {
    json body = Get("/hsds/services?per_page=3&page=" + std::to_string(page));
    for (const auto& s : body["contents"]) ids.insert(s["id"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), 8u);
  EXPECT_EQ(Names(first)[0], "Medically supervised detox");
}

TEST_F(HsdsApiTest, AFullServiceNestsItsOrganizationLocationsContactsAndTerms) {
  json page = Get("/hsds/services?search=liberty&full=true");
  ASSERT_EQ(page["total_items"], 1);
  const json& s = page["contents"][0];
  EXPECT_FALSE(HasNull(s)) << s.dump();
  EXPECT_EQ(s["name"], "Medically supervised detox");
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["organization"]["name"], "Liberty House Recovery");
  EXPECT_EQ(s["organization"]["description"], "Liberty House Recovery");  // none given
  EXPECT_EQ(s["phones"][0]["number"], "(909) 488-7181");
  EXPECT_EQ(s["phones"][0]["type"], "voice");
  const json& address = s["service_at_locations"][0]["location"]["addresses"][0];
  EXPECT_EQ(address["address_1"], "712 The Terrace");
  EXPECT_EQ(address["postal_code"], "92374");
  EXPECT_EQ(address["country"], "US");
  EXPECT_FALSE(address.contains("address_2"));  // absent, not null
  std::set<std::string> codes;
  for (const auto& a : s["attributes"]) codes.insert(a["taxonomy_term"]["code"].get<std::string>());
  EXPECT_TRUE(codes.count("detox") && codes.count("detox-residential"));
  EXPECT_EQ(s["attributes"][0]["link_entity"], "service");
  EXPECT_EQ(s["attributes"][0]["id"],
            StableId("attribute", s["id"].get<std::string>(),
                     s["attributes"][0]["taxonomy_term_id"].get<std::string>()));
  // The object endpoint answers the same.
  EXPECT_EQ(Get("/hsds/services/" + s["id"].get<std::string>()), s);
}

// search= matches every word in a listing's text or its terms' labels, as
// the search does: "management" is only in detox's label, "Detox
// (withdrawal management)"; Liberty House has no CBT ("Cognitive ...").
TEST_F(HsdsApiTest, SearchMatchesTheTermsLabelsWordByWord) {
  EXPECT_EQ(Names(Get("/hsds/services?search=management")),
            std::vector<std::string>{"Medically supervised detox"});
  EXPECT_EQ(Get("/hsds/services?search=liberty%20management")["total_items"], 1);
  EXPECT_EQ(Get("/hsds/services?search=liberty%20cognitive")["total_items"], 0);
  EXPECT_EQ(Get("/hsds/service_at_locations?search=cognitive")["total_items"], 1);
  json orgs = Get("/hsds/organizations?search=cognitive");
  ASSERT_EQ(orgs["total_items"], 1);
  EXPECT_EQ(orgs["contents"][0]["name"], "Inland Valley Counseling Center");
}

TEST_F(HsdsApiTest, ServiceAtLocationsAndOrganizationsNestTheirParts) {
  json sal = Get("/hsds/service_at_locations?search=liberty")["contents"][0];
  EXPECT_EQ(sal["service"]["organization"]["name"], "Liberty House Recovery");
  EXPECT_EQ(sal["location"]["location_type"], "physical");
  EXPECT_FALSE(sal["location"].contains("addresses"));  // list shape: scalars only
  json full = Get("/hsds/service_at_locations/" + sal["id"].get<std::string>());
  EXPECT_EQ(full["location"]["addresses"][0]["city"], "Redlands");
  EXPECT_FALSE(full["service"].contains("service_at_locations"));
  json org = Get("/hsds/organizations/" + sal["service"]["organization_id"].get<std::string>());
  EXPECT_EQ(org["services"][0]["name"], "Medically supervised detox");
  EXPECT_EQ(org["locations"][0]["addresses"][0]["address_1"], "712 The Terrace");
}

TEST_F(HsdsApiTest, FiltersNarrowAndCombineAsAnd) {
  std::string twelve_step = importer::TermId("twelve-step");  // parent of aa and na
  json steps = Get("/hsds/services?taxonomy_term_id=" + twelve_step);
  EXPECT_EQ(Names(steps), (std::vector<std::string>{"Riverside Hybrid Noon",
                                                     "Tuesday Night Big Book", "Weekend Recovery"}));
  std::string org = steps["contents"][0]["organization_id"];
  json both = Get("/hsds/services?taxonomy_term_id=" + twelve_step + "&organization_id=" + org);
  EXPECT_EQ(Names(both), std::vector<std::string>{"Riverside Hybrid Noon"});
  EXPECT_EQ(Get("/hsds/services?search=riverside&taxonomy_term_id=" + importer::TermId("na"))
                ["total_items"], 0);
  EXPECT_EQ(Get("/hsds/services?taxonomy_id=" + importer::TaxonomyId())["total_items"], 8);
  EXPECT_EQ(Get("/hsds/services?modified_after=2999-01-01")["total_items"], 0);
  EXPECT_EQ(Get("/hsds/services?modified_after=2000-01-01T00:00:00%2B02:00")["total_items"], 8);
  EXPECT_EQ(Get("/hsds/organizations?taxonomy_term_id=" + twelve_step)["total_items"], 3);
  json terms = Get("/hsds/taxonomy_terms?parent_id=" + twelve_step);
  EXPECT_EQ(terms["total_items"], 3);  // aa, na, eda
}

TEST_F(HsdsApiTest, ProximityIsMetresFromThePostcodeCentroidNearestFirst) {
  json near = Get("/hsds/service_at_locations?postcode=92374&proximity=3000");
  std::vector<std::string> services;
  for (const auto& item : near["contents"]) services.push_back(item["service"]["name"]);
  // Two geocoded to the 92374 centroid (0 m, then by name), then one 1.6 km off.
  EXPECT_EQ(services, (std::vector<std::string>{"Medically supervised detox", "Wednesday Al-Anon",
                                                "Tuesday Night Big Book"}));
  EXPECT_EQ(near["total_items"], 3);
  json by_point = Get("/hsds/service_at_locations?lat=34.068515&lon=-117.175322&proximity=3000");
  EXPECT_EQ(by_point["contents"], near["contents"]);
  json in_zip = Get("/hsds/service_at_locations?postcode=92373");  // no proximity: the postcode
  EXPECT_EQ(in_zip["total_items"], 3);
}

TEST_F(HsdsApiTest, NdjsonStreamsEveryItemOneALine) {
  auto r = server_->Get("/hsds/taxonomy_terms?format=ndjson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/x-ndjson; charset=utf-8");
  size_t lines = std::count(r->body.begin(), r->body.end(), '\n');
  EXPECT_EQ(lines, Get("/hsds/taxonomy_terms")["total_items"].get<size_t>());
  EXPECT_EQ(json::parse(r->body.substr(0, r->body.find('\n')))["taxonomy_id"],
            importer::TaxonomyId());
}

TEST_F(HsdsApiTest, BadParametersAre400WithMessagesThatNameTheValue) {
  ExpectInvalid("/hsds/services?per_page=0", "per_page must be a whole number between 1 and 1000, got 0",
                "per_page");
  ExpectInvalid("/hsds/services?page=x", "page must be a whole number between 1 and 1000000, got x",
                "page");
  ExpectInvalid("/hsds/services?page=1&page=2", "page must be given once", "page");
  ExpectInvalid("/hsds/services?format=xml", "format must be json or ndjson, got xml", "format");
  ExpectInvalid("/hsds/services?taxonomy_term_id=detox", "taxonomy_term_id must be a UUID, got detox",
                "taxonomy_term_id");
  ExpectInvalid("/hsds/services?modified_after=yesterday",
                "modified_after must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z, got "
                "yesterday",
                "modified_after");
  ExpectInvalid("/hsds/services?full=maybe", "full must be true or false, got maybe", "full");
  ExpectInvalid("/hsds/services?search=%21%21", "search must contain a letter or digit", "search");
  ExpectInvalid("/hsds/service_at_locations?proximity=500", "proximity needs postcode or lat and lon",
                "proximity");
  ExpectInvalid("/hsds/service_at_locations?postcode=9237", "postcode must be a 5-digit ZIP code, got 9237",
                "postcode");
  ExpectInvalid("/hsds/service_at_locations?postcode=92374&proximity=0",
                "proximity must be a number of metres between 1 and 800000, got 0", "proximity");
  json unknown = Get("/hsds/service_at_locations?postcode=00000&proximity=100", 400);
  EXPECT_EQ(unknown["type"], "https://carefinder.example/problems/unknown-place");
}

TEST_F(HsdsApiTest, UnknownIdsAndPathsAre404WithCors) {
  std::string zero = "00000000-0000-4000-8000-000000000000";
  for (const std::string& path : std::vector<std::string>{
           "/hsds/services/" + zero, "/hsds/organizations/not-a-uuid", "/hsds/locations"}) {
    auto r = server_->Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*") << path;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json") << path;
  }
  EXPECT_EQ(Get("/hsds/services/" + zero, 404)["detail"], "no service with id " + zero);
}

}  // namespace
}  // namespace carefinder
