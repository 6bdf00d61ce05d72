// A handler that throws (a bug, std::bad_alloc) answers 500 in the one
// problem+json shape and tells the client nothing of what was thrown: a real
// server on an ephemeral port, a real httplib client, a real SQLite file; the
// throw comes from ServerOptions::before_api_handler, on the handler's thread.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "server/server.h"
#include "store/listing_store.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::server {
namespace {

using nlohmann::json;

// What the throw carries: none of it may reach the client.
constexpr const char* kSecret = "sqlite3 at /srv/secret/carefinder.db: stack 0xdeadbeef";

class ServerExceptionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_path_ = new std::string(testing::UniqueTempPath("server_exception_test.db"));
    testing::WriteFixtureDb(*db_path_, testing::DefaultListings());
    auto s = store::ListingStore::Open(*db_path_, {.refresh_interval = std::chrono::milliseconds(0)});
    ASSERT_TRUE(s) << s.error().message;
    store_ = s->release();
    ServerOptions options{.host = "127.0.0.1", .port = 0, .threads = 2, .access_log = false};
    options.before_api_handler = [](const std::string& path) {
      if (path == "/api/v1/taxonomy") throw std::runtime_error(kSecret);
      if (path == "/hsds/services") throw 42;  // not a std::exception
    };
    server_ = new Server(*store_, std::move(options));
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
    if (db_path_) std::filesystem::remove(*db_path_);
    delete db_path_;
  }

  static httplib::Result Get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    return client.Get(path.c_str());
  }

  // A 500 in the problem+json shape whose body and headers carry nothing thrown.
  static void ExpectInternalProblem(const std::string& path) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 500) << path;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json") << path;
    json body = json::parse(r->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << r->body;
    EXPECT_EQ(body.value("type", ""), "https://carefinder.example/problems/internal");
    EXPECT_EQ(body.value("status", 0), 500);
    EXPECT_EQ(body.value("detail", ""), "the request could not be handled");
    for (const char* leak : {"secret", "sqlite3", "0xdeadbeef"}) {
      EXPECT_EQ(r->body.find(leak), std::string::npos) << leak << " in " << r->body;
      for (const auto& [name, value] : r->headers) {
        EXPECT_EQ(value.find(leak), std::string::npos) << leak << " in header " << name;
      }
    }
    EXPECT_FALSE(r->has_header("EXCEPTION_WHAT"));  // httplib's default puts what() there
  }

  static inline std::string* db_path_ = nullptr;
  static inline store::ListingStore* store_ = nullptr;
  static inline Server* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
};

TEST_F(ServerExceptionTest, AHandlerThatThrowsAnswers500ProblemJsonWithoutWhatItThrew) {
  ExpectInternalProblem("/api/v1/taxonomy");
}

TEST_F(ServerExceptionTest, AThrowOfANonExceptionIsThe500ProblemToo) {
  ExpectInternalProblem("/hsds/services");
}

TEST_F(ServerExceptionTest, TheServerKeepsAnsweringAfterAThrow) {
  ExpectInternalProblem("/api/v1/taxonomy");
  auto r = Get("/api/v1/listings/" + testing::FixtureId("liberty-house-detox"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
}

}  // namespace
}  // namespace carefinder::server
