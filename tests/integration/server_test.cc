// Integration tests: a real server on an ephemeral port (in process, and the
// `carefinder serve --port 0` binary), a real httplib client, a real SQLite
// file.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/server.h"
#include "store/listing_store.h"
#include "tests/fixtures/api/fixture_db.h"
#include "tests/fixtures/api/in_process_server.h"

namespace carefinder::server {
namespace {

using nlohmann::json;

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string dir = testing::UniqueTempPath("server_test");
    std::filesystem::create_directories(dir + "/web");
    std::ofstream(dir + "/web/index.html") << "<!doctype html><title>Carefinder</title>";
    std::ofstream(dir + "/web/app.js") << "console.log('hi');";
    db_path_ = new std::string(dir + "/carefinder.db");
    testing::WriteFixtureDb(*db_path_, testing::DefaultListings());
    server_ = new testing::InProcessServer(*db_path_,
                                           {.web_dir = dir + "/web", .threads = 4, .access_log = false});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete db_path_;
  }

  static httplib::Result Get(const std::string& path) { return server_->Get(path); }

  static json Problem(const httplib::Result& r, int status, const std::string& type) {
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
    json body = json::parse(r->body, nullptr, false);
    EXPECT_EQ(body.value("type", ""), "https://carefinder.example/problems/" + type) << r->body;
    EXPECT_EQ(body.value("status", 0), status);
    return body;
  }

  static inline std::string* db_path_ = nullptr;
  static inline testing::InProcessServer* server_ = nullptr;
};

TEST_F(ServerTest, ZipSearchFindsLibertyHouseFirstWithDistanceAndPhone) {
  auto r = Get("/api/v1/search?near=92374&care=detox");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");
  json body = json::parse(r->body);
  EXPECT_EQ(body["results"][0]["organization"], "Liberty House Recovery");
  EXPECT_TRUE(body["results"][0]["distance_miles"].is_number());
  EXPECT_EQ(body["results"][0]["phones"][0]["display"], "(909) 488-7181");
}

TEST_F(ServerTest, CityStateSearchFindsTheSame) {
  auto r = Get("/api/v1/search?near=Redlands,%20CA&care=detox");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["results"][0]["organization"], "Liberty House Recovery");
}

TEST_F(ServerTest, OrWithinAGroupAndAcrossGroupsAndExclusion) {
  auto total = [](const std::string& q) {
    auto r = Get("/api/v1/search?near=92374&" + q);
    return r && r->status == 200 ? json::parse(r->body)["total"].get<int>() : -1;
  };
  EXPECT_EQ(total("payment=sliding-fee,private-insurance"), 2);
  EXPECT_EQ(total("payment=sliding-fee&care=outpatient"), 1);
  EXPECT_EQ(total("payment=sliding-fee&care=detox"), 0);
  EXPECT_EQ(total("care=-outpatient"), 1);
}

TEST_F(ServerTest, UnknownPlacesAre400ProblemJson) {
  json zip = Problem(Get("/api/v1/search?near=00000"), 400, "unknown-place");
  EXPECT_EQ(zip["detail"], "no ZIP code 00000 in our gazetteer");
  json city = Problem(Get("/api/v1/search?near=Atlantis,%20ZZ"), 400, "unknown-place");
  EXPECT_EQ(city["param"], "near");
}

TEST_F(ServerTest, RadiusOutOfRangeIs400WithTheExactMessage) {
  json body = Problem(Get("/api/v1/search?near=92374&radius=9000"), 400, "invalid-parameter");
  EXPECT_EQ(body["detail"], "radius must be between 0.1 and 500 miles, got 9000");
  EXPECT_EQ(body["param"], "radius");
}

TEST_F(ServerTest, UnknownPathsAre404ProblemJson) {
  Problem(Get("/api/v1/nope"), 404, "not-found");
  Problem(Get("/no/such/page"), 404, "not-found");
  Problem(Get("/api/v1/listings/a/b"), 404, "not-found");
}

TEST_F(ServerTest, OtherMethodsAre405) {
  httplib::Client client("127.0.0.1", server_->port());
  auto r = client.Post("/api/v1/search", "{}", "application/json");
  json body = Problem(r, 405, "method-not-allowed");
  EXPECT_EQ(r->get_header_value("Allow"), "GET, HEAD");
}

TEST_F(ServerTest, ListingById) {
  auto r = Get("/api/v1/listings/" + testing::FixtureId("liberty-house-detox"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["organization"], "Liberty House Recovery");
  Problem(Get("/api/v1/listings/00000000-0000-5000-8000-000000000000"), 404, "not-found");
}

TEST_F(ServerTest, TaxonomyAndHealthz) {
  auto tax = Get("/api/v1/taxonomy");
  ASSERT_TRUE(tax);
  EXPECT_EQ(json::parse(tax->body)["groups"][0]["group"], "care");
  auto health = Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(json::parse(health->body)["status"], "ok");
}

TEST_F(ServerTest, PageRoutesServeIndexWithSecurityHeaders) {
  for (std::string path : {std::string("/"), std::string("/referral"),
                           "/listing/" + testing::FixtureId("x")}) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_NE(r->body.find("<title>Carefinder"), std::string::npos);
    EXPECT_EQ(r->get_header_value("Content-Security-Policy"),
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
              "form-action 'self'");
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
  }
  auto js = Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  Problem(Get("/../../etc/passwd"), 404, "not-found");
}

TEST_F(ServerTest, NewImportAppearsWhileServing) {
  auto total = [] { return json::parse(Get("/api/v1/search?near=92374")->body)["total"].get<int>(); };
  int before = total();
  testing::AddFixtureListings(*db_path_, testing::ClinicListings(3));
  for (int i = 0; i < 40 && total() == before; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(total(), before + 3);
}

// The binary: `carefinder serve --port 0` prints its port, answers, and stops
// cleanly on SIGTERM.
TEST(ServeCommand, PrintsListeningLineAndStopsOnSigterm) {
  std::string db = testing::UniqueTempPath("serve_command_test.db");
  testing::WriteFixtureDb(db, testing::DefaultListings());
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    execl(CF_BINARY, CF_BINARY, "serve", "--db", db.c_str(), "--port", "0", (char*)nullptr);
    _exit(127);
  }
  close(out[1]);
  FILE* child_out = fdopen(out[0], "r");
  char line[256] = {};
  ASSERT_NE(fgets(line, sizeof line, child_out), nullptr);
  int port = 0;
  ASSERT_EQ(std::sscanf(line, "listening on http://127.0.0.1:%d", &port), 1) << line;
  httplib::Client client("127.0.0.1", port);
  auto r = client.Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  fclose(child_out);
}

// The importer's own output (carefinder import on the importer fixtures),
// served: the contract between importer/load.cc and the store.
TEST(ImportedDatabase, ServesTheImporterFixtures) {
  std::string db = testing::UniqueTempPath("imported.db");
  std::string src = CF_SOURCE_DIR;
  std::string cmd = std::string(CF_BINARY) + " import --db " + db + " --gazetteer " + src +
                    "/tests/fixtures/importer/gazetteer " + src +
                    "/tests/fixtures/importer/valid_listings.csv > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  auto store = store::ListingStore::Open(db);
  ASSERT_TRUE(store) << store.error().message;
  Server server(**store, {.host = "127.0.0.1", .port = 0, .threads = 2, .access_log = false});
  auto port = server.Bind();
  ASSERT_TRUE(port);
  std::thread run([&] { server.Run(); });
  httplib::Client client("127.0.0.1", *port);
  for (const char* near : {"92374", "Redlands,%20CA"}) {
    auto r = client.Get((std::string("/api/v1/search?care=detox&near=") + near).c_str());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    json body = json::parse(r->body);
    EXPECT_EQ(body["results"][0]["organization"], "Liberty House Recovery") << near;
    EXPECT_TRUE(body["results"][0]["distance_miles"].is_number());
    EXPECT_EQ(body["results"][0]["phones"][0]["display"], "(909) 488-7181");
  }
  auto both = client.Get("/api/v1/search?near=92374&payment=medicaid,private-insurance&care=-detox");
  ASSERT_TRUE(both);
  EXPECT_EQ(json::parse(both->body)["total"], 1);  // the outpatient; LA is 60 miles off
  server.Stop();
  run.join();
}

}  // namespace
}  // namespace carefinder::server

namespace carefinder::server {
namespace {

// Regression: with 8 workers, 8 idle keep-alive connections (a few browser
// tabs) parked every worker for 30 s and the next request stalled.
TEST(ServerCapacity, AnswersWhileTwentyIdleConnectionsAreOpen) {
  std::string db = testing::UniqueTempPath("idle_connections.db");
  testing::WriteFixtureDb(db, testing::DefaultListings());
  auto store = store::ListingStore::Open(db);
  ASSERT_TRUE(store) << store.error().message;
  Server server(**store, {.host = "127.0.0.1", .port = 0, .access_log = false});  // default pool
  auto port = server.Bind();
  ASSERT_TRUE(port);
  std::thread run([&] { server.Run(); });
  std::vector<std::unique_ptr<httplib::Client>> idle;
  for (int i = 0; i < 20; ++i) {
    // One request each, then the connection stays open and idle.
    auto c = std::make_unique<httplib::Client>("127.0.0.1", *port);
    c->set_keep_alive(true);
    auto r = c->Get("/healthz");
    ASSERT_TRUE(r) << "connection " << i;
    idle.push_back(std::move(c));
  }
  httplib::Client fresh("127.0.0.1", *port);
  fresh.set_read_timeout(3, 0);  // the stall lasted the 30 s keep-alive timeout
  auto r = fresh.Get("/api/v1/search?near=92374&care=detox");
  ASSERT_TRUE(r) << "a new client got no answer while 20 connections were idle";
  EXPECT_EQ(r->status, 200);
  server.Stop();
  run.join();
}

}  // namespace
}  // namespace carefinder::server

namespace carefinder::server {
namespace {

// The search page made for its URL (src/api/first_answer.h), served from
// the real web/ folder.
class SearchPageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_path_ = new std::string(testing::UniqueTempPath("search_page_test.db"));
    testing::WriteFixtureDb(*db_path_, testing::DefaultListings());
    server_ = new testing::InProcessServer(
        *db_path_, {.web_dir = std::string(CF_SOURCE_DIR) + "/web", .threads = 2, .access_log = false});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete db_path_;
  }
  static httplib::Result Get(const std::string& path, httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_decompress(true);
    return client.Get(path.c_str(), headers);
  }
  static inline std::string* db_path_ = nullptr;
  static inline testing::InProcessServer* server_ = nullptr;
};

TEST_F(SearchPageTest, ALinkWithASearchComesWithItsAnswerAndIsNotStored) {
  auto r = Get("/?near=92374&care=detox");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");  // it holds a search's answer
  EXPECT_EQ(r->get_header_value_count("Cache-Control"), 1u);
  EXPECT_EQ(r->get_header_value("Vary"), "Accept-Language");
  EXPECT_NE(r->body.find("id=\"first-answer\""), std::string::npos);
  EXPECT_NE(r->body.find(">Liberty House Recovery</a></h3>"), std::string::npos);
}

TEST_F(SearchPageTest, ThePlainPageIsCachedAsBeforeAndSpanishByTheBrowser) {
  auto plain = Get("/");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(plain->body.find("id=\"first-answer\""), std::string::npos);
  EXPECT_NE(plain->body.find("<html lang=\"en\">"), std::string::npos);
  auto es = Get("/", {{"Accept-Language", "es-US,es;q=0.9"}});
  ASSERT_TRUE(es);
  EXPECT_NE(es->body.find("<html lang=\"es\">"), std::string::npos);
  EXPECT_NE(es->body.find("¿Necesita ayuda ahora?"), std::string::npos);
  // lang in the URL wins over the browser.
  auto en = Get("/?lang=en", {{"Accept-Language", "es-US"}});
  ASSERT_TRUE(en);
  EXPECT_NE(en->body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_EQ(en->get_header_value("Vary"), "");
}

// httplib's brotli runs at its highest quality (about 100 ms for a search
// answer): a client that takes gzip too gets gzip.
TEST_F(SearchPageTest, GzipIsPreferredToBrotli) {
  httplib::Client client("127.0.0.1", server_->port());
  client.set_decompress(false);
  auto both = client.Get("/api/v1/search?near=92374", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(both);
  EXPECT_EQ(both->get_header_value("Content-Encoding"), "gzip");
  auto br = client.Get("/api/v1/search?near=92374", {{"Accept-Encoding", "br"}});
  ASSERT_TRUE(br);
  EXPECT_EQ(br->get_header_value("Content-Encoding"), "br");  // still when it is all a client takes
}

}  // namespace
}  // namespace carefinder::server
