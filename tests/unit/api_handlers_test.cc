// Unit tests for the non-search handlers (listing, taxonomy, places, healthz)
// and the problem table.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "api/handlers.h"
#include "api/problem.h"
#include "tests/fixtures/api/fixture_db.h"
#include "db/schema.h"
#include "store/generation.h"

namespace carefinder::api {
namespace {

using nlohmann::json;

class ApiHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = testing::UniqueTempPath("api_handlers_test.db");
    testing::WriteFixtureDb(path, testing::DefaultListings());
    auto s = store::ListingStore::Open(path, {.refresh_interval = std::chrono::milliseconds(0)});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  // A new request's session (the previous one ends).
  store::ReadSession& Session() {
    session_.reset();
    return session_.emplace(*store_);
  }
  std::unique_ptr<store::ListingStore> store_;
  std::optional<store::ReadSession> session_;
};

TEST_F(ApiHandlersTest, ListingByIdHasSourcesAndTermLabels) {
  Request req{"/api/v1/listings/x", {{"id", testing::FixtureId("liberty-house-detox")}}, {}};
  Response r = HandleListing(Session(), req);
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["name"], "Medically supervised detox");
  EXPECT_EQ(body["sources"][0]["name"], "fixture");
  EXPECT_EQ(body["term_labels"]["detox"], "Detox (withdrawal management)");
}

TEST_F(ApiHandlersTest, ListingIdMustBeAUuidAndKnown) {
  Response bad = HandleListing(Session(), {"", {{"id", "42"}}, {}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["detail"], "id must be a UUID, got 42");
  std::string unknown = "00000000-0000-5000-8000-000000000000";
  Response missing = HandleListing(Session(), {"", {{"id", unknown}}, {}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(missing.body)["detail"], "no listing with id " + unknown);
}

TEST_F(ApiHandlersTest, TaxonomyHasGroupsInOrderWithParents) {
  json body = json::parse(HandleTaxonomy(Session(), {}).body);
  EXPECT_EQ(body["groups"][0]["group"], "care");
  EXPECT_EQ(body["groups"][0]["label"], "Type of care");
  bool found = false;
  for (const auto& t : body["groups"][0]["terms"]) {
    if (t["code"] == "detox-residential") found = t["parent"] == "detox";
  }
  EXPECT_TRUE(found);
}

TEST_F(ApiHandlersTest, TaxonomyInSpanishLabelsEveryTermAndGroup) {
  json en = json::parse(HandleTaxonomy(Session(), {}).body);
  json es = json::parse(HandleTaxonomy(Session(), {"", {}, {{"lang", "es"}}}).body);
  ASSERT_EQ(es["groups"].size(), en["groups"].size());
  EXPECT_EQ(es["groups"][0]["label"], "Tipo de atención");
  size_t terms = 0;
  for (size_t g = 0; g < en["groups"].size(); ++g) {
    const auto& en_terms = en["groups"][g]["terms"];
    const auto& es_terms = es["groups"][g]["terms"];
    ASSERT_EQ(es_terms.size(), en_terms.size());
    EXPECT_NE(es["groups"][g]["label"], en["groups"][g]["label"]) << en["groups"][g]["group"];
    for (size_t i = 0; i < en_terms.size(); ++i, ++terms) {
      EXPECT_EQ(es_terms[i]["code"], en_terms[i]["code"]);
      EXPECT_EQ(es_terms[i]["parent"], en_terms[i]["parent"]);
      // Every term has its own Spanish text (a missing one would fall back to English).
      EXPECT_NE(es_terms[i]["explanation"], en_terms[i]["explanation"]) << en_terms[i]["code"];
    }
  }
  EXPECT_GT(terms, 90u);
  for (const auto& t : es["groups"][0]["terms"]) {
    if (t["code"] == "detox") {
      EXPECT_EQ(t["label"], "Desintoxicación (manejo de la abstinencia)");
    }
  }
  Response bad = HandleTaxonomy(Session(), {"", {}, {{"lang", "fr"}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["detail"], "lang must be en or es, got fr");
}

TEST_F(ApiHandlersTest, PlacesSuggestsCitiesAndZips) {
  json cities = json::parse(HandlePlaces(Session(), {"", {}, {{"q", "Redl"}}}).body);
  ASSERT_EQ(cities["places"].size(), 1u);
  EXPECT_EQ(cities["places"][0]["label"], "Redlands, CA");
  EXPECT_EQ(cities["places"][0]["kind"], "city");
  json zips = json::parse(HandlePlaces(Session(), {"", {}, {{"q", "9237"}}}).body);
  ASSERT_EQ(zips["places"].size(), 2u);
  EXPECT_EQ(zips["places"][1]["label"], "92374 (Redlands, CA)");
  EXPECT_EQ(zips["places"][1]["near"], "92374");
  EXPECT_EQ(HandlePlaces(Session(), {"", {}, {}}).status, 400);
}

// DESIGN §4: one read transaction a request. Resolving the place, the search
// (FTS5 for `q`) and the page's documents share one leased connection.
TEST_F(ApiHandlersTest, ASearchWithAPlaceAndWordsLeasesOneConnection) {
  store::ConnectionPool& pool = store_->snapshot()->generation->pool();
  size_t before = pool.leases_given();
  Response r = HandleSearch(Session(), {"", {}, {{"near", "Redlands, CA"}, {"q", "detox"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["total"], 1);
  EXPECT_EQ(pool.leases_given() - before, 1u);
  Request one{"", {{"id", testing::FixtureId("inland-outpatient")}}, {}};
  Response listing = HandleListing(Session(), one);
  ASSERT_EQ(listing.status, 200) << listing.body;
  EXPECT_EQ(pool.leases_given() - before, 2u);
}

TEST_F(ApiHandlersTest, HealthzCountsListingsAndMeetings) {
  json body = json::parse(HandleHealth(Session(), {}).body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["schema_version"], db::kSchemaVersion);
  EXPECT_EQ(body["listings"], 5);
  EXPECT_EQ(body["meetings"], 1);
  EXPECT_EQ(body["last_import"], "2026-11-22T05:00:00Z");
}

TEST(ProblemTable, EveryTypeHasADistinctSlugAndTheDocumentedStatus) {
  std::set<std::string> slugs;
  for (const auto& p : kProblems) EXPECT_TRUE(slugs.insert(p.slug).second);
  EXPECT_EQ(InfoFor(ProblemType::kUnknownPlace).status, 400);
  EXPECT_EQ(InfoFor(ProblemType::kNotFound).status, 404);
  EXPECT_EQ(InfoFor(ProblemType::kTimeout).status, 503);
}

TEST(ProblemResponse, HasTheOneShape) {
  Response r = ProblemResponse(Problem::Invalid("radius must be between 0.1 and 500 miles, got 9000",
                                                "radius"));
  EXPECT_EQ(r.body,
            "{\"type\":\"https://carefinder.example/problems/invalid-parameter\","
            "\"title\":\"Invalid parameter\",\"status\":400,"
            "\"detail\":\"radius must be between 0.1 and 500 miles, got 9000\","
            "\"param\":\"radius\"}");
  EXPECT_EQ(json::parse(NotFoundResponse("/nope").body)["param"], nullptr);
}

}  // namespace
}  // namespace carefinder::api
