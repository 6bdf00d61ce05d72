// A handler that throws (a bug, std::bad_alloc) answers 500 in the one
// problem+json shape and tells the client nothing of what was thrown: a real
// server on an ephemeral port, a real httplib client, a real SQLite file; the
// throw comes from ServerOptions::before_api_handler, on the handler's thread.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server/server.h"
#include "tests/fixtures/api/fixture_db.h"
#include "tests/fixtures/api/in_process_server.h"

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
    ServerOptions options{.threads = 2, .access_log = false};
    options.before_api_handler = [](const std::string& path) {
      if (path == "/api/v1/taxonomy") throw std::runtime_error(kSecret);
      if (path == "/hsds/services") throw 42;  // not a std::exception
    };
    server_ = new testing::InProcessServer(*db_path_, std::move(options),
                                           {.refresh_interval = std::chrono::milliseconds(0)});
  }
  static void TearDownTestSuite() {
    delete server_;
    if (db_path_) std::filesystem::remove(*db_path_);
    delete db_path_;
  }

  static httplib::Result Get(const std::string& path) { return server_->Get(path); }

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
  static inline testing::InProcessServer* server_ = nullptr;
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
