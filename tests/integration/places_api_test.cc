// Integration: `carefinder import` without --gazetteer gives a new database
// the built-in gazetteer, and the server then resolves places, offers
// alternatives and "did you mean", serves /api/v1/places and rejects unknown
// parameters, all over real HTTP.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/read_session.h"
#include "tests/integration/hsds_server_fixture.h"

namespace carefinder::server {
namespace {

using nlohmann::json;
using testing::ImportedServer;

// The shipped listings, imported by the real binary and served over HTTP.
class PlacesApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ImportedServer;
    server_->Start("places_api_test", {"data/listings/carefinder-curated.csv"});
  }
  static void TearDownTestSuite() { delete server_; }

  // The body as JSON, after checking the status and content type.
  static json Get(const std::string& path, int status) {
    auto r = server_->Get(path);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->get_header_value("Content-Type"),
              status == 200 ? "application/json" : "application/problem+json");
    return server_->Json(path, status);
  }

  static inline ImportedServer* server_ = nullptr;
};

TEST(PlacesBuiltInGazetteerTest, ANewDatabaseResolvesZipsAndPlacesWithoutTheFlag) {
  std::string db = testing::UniqueTempPath("places_builtin.db");
  std::filesystem::remove(db);
  ASSERT_EQ(testing::RunCarefinder("import --db '" + db + "' '" +
                                   testing::SourcePath("data/listings/carefinder-curated.csv") + "'"),
            0);
  auto store = store::ListingStore::Open(db);
  ASSERT_TRUE(store) << store.error().message;
  auto zip = store::ReadSession(**store).ResolvePlace("detox near 92374");
  ASSERT_TRUE(zip) << zip.error().message;
  EXPECT_EQ(zip->label, "92374 (Redlands, CA)");
  EXPECT_EQ(store::ReadSession(**store).ResolvePlace("NYC")->label, "New York City, NY");  // aliases too
}

TEST_F(PlacesApiTest, ANewDatabaseResolvesZipsWithoutGazetteerFlag) {
  json body = Get("/api/v1/search?near=detox%20near%2092374", 200);
  EXPECT_EQ(body["location"]["label"], "92374 (Redlands, CA)");
  EXPECT_EQ(body["location"]["alternatives"], json::array());
}

TEST_F(PlacesApiTest, ABareNameOffersTheOthersAsAlternatives) {
  json loc = Get("/api/v1/search?near=Brooklyn", 200)["location"];
  EXPECT_EQ(loc["label"], "Brooklyn, NY");
  ASSERT_GE(loc["alternatives"].size(), 2u);
  EXPECT_EQ(loc["alternatives"][0]["label"], "Brooklyn Park, MN");
  EXPECT_EQ(loc["alternatives"][0]["near"], "Brooklyn Park, MN");
  EXPECT_EQ(Get("/api/v1/search?near=NYC", 200)["location"]["label"], "New York City, NY");
}

TEST_F(PlacesApiTest, ATypoIs400WithSuggestions) {
  json p = Get("/api/v1/search?near=Pheonix", 400);
  EXPECT_EQ(p["type"], "https://carefinder.example/problems/unknown-place");
  EXPECT_EQ(p["param"], "near");
  ASSERT_FALSE(p["suggestions"].empty());
  EXPECT_EQ(p["suggestions"][0], json({{"label", "Phoenix, AZ"}, {"near", "Phoenix, AZ"}}));
  EXPECT_FALSE(Get("/api/v1/search?near=asdfgh", 400).contains("suggestions"));
}

TEST_F(PlacesApiTest, AnUnknownParameterIs400NamingTheClosest) {
  json p = Get("/api/v1/search?near=92374&medications=methadone", 400);
  EXPECT_EQ(p["type"], "https://carefinder.example/problems/invalid-parameter");
  EXPECT_EQ(p["detail"], "unknown parameter 'medications' (did you mean 'medication'?)");
  EXPECT_EQ(p["param"], "medications");
  p = Get("/api/v1/places?q=redl&limt=3", 400);
  EXPECT_EQ(p["detail"], "unknown parameter 'limt'");
}

TEST_F(PlacesApiTest, PlacesEndpointRanksByPopulation) {
  json places = Get("/api/v1/places?q=Springf", 200)["places"];
  ASSERT_GE(places.size(), 3u);
  EXPECT_EQ(places[0]["label"], "Springfield, MO");
  EXPECT_EQ(places[1]["label"], "Springfield, MA");
  EXPECT_EQ(Get("/api/v1/places?q=Cincinatti", 200)["places"][0]["near"], "Cincinnati, OH");
  EXPECT_EQ(Get("/api/v1/places?q=Orange%20County", 200)["places"][0]["kind"], "county");
}

}  // namespace
}  // namespace carefinder::server
