// Integration: `carefinder import` without --gazetteer gives a new database
// the built-in gazetteer, and the server then resolves places, offers
// alternatives and "did you mean", serves /api/v1/places and rejects unknown
// parameters, all over real HTTP.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/server.h"
#include "store/listing_store.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::server {
namespace {

using nlohmann::json;

class PlacesApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string dir = testing::UniqueTempPath("places_api_test");
    std::filesystem::create_directories(dir);
    std::string db = dir + "/carefinder.db";
    std::string cmd = std::string(CF_BINARY) + " import --db " + db + " " + CF_SOURCE_DIR +
                      "/data/listings/carefinder-curated.csv > " + dir + "/import.log 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    auto s = store::ListingStore::Open(db);
    ASSERT_TRUE(s) << s.error().message;
    store_ = s->release();
    server_ = new Server(*store_, {.host = "127.0.0.1", .port = 0, .web_dir = "",
                                   .threads = 2, .access_log = false});
    auto port = server_->Bind();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
    thread_ = new std::thread([] { server_->Run(); });
  }
  static void TearDownTestSuite() {
    if (server_) server_->Stop();
    if (thread_) thread_->join();
    delete thread_;
    delete server_;
    delete store_;
  }

  // The body as JSON, after checking the status and content type.
  static json Get(const std::string& path, int status) {
    httplib::Client client("127.0.0.1", port_);
    auto r = client.Get(path.c_str());
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << ": " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"),
              status == 200 ? "application/json" : "application/problem+json");
    return json::parse(r->body, nullptr, false);
  }

  static inline store::ListingStore* store_ = nullptr;
  static inline Server* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
};

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
