// Per-client limits on problem reports through a real server (issue 15):
// the client is the peer, or behind a --trusted-proxy the address that proxy
// appended to X-Forwarded-For; from anyone else the header is ignored, so a
// client cannot pick its own address to dodge the limit.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/server.h"
#include "store/feedback_store.h"
#include "store/listing_store.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::server {
namespace {

class FeedbackProxyTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> trusted) {
    db_ = testing::UniqueTempPath("feedback_proxy.db");
    for (const char* suffix : {".feedback.db", ".feedback.db-wal", ".feedback.db-shm"}) {
      std::filesystem::remove(db_ + suffix);
    }
    testing::WriteFixtureDb(db_, testing::DefaultListings());
    auto s = store::ListingStore::Open(db_);
    auto f = store::FeedbackStore::Open(db_ + ".feedback.db");
    ASSERT_TRUE(s && f);
    store_ = std::move(*s);
    feedback_ = std::move(*f);
    server_ = std::make_unique<Server>(
        *store_, ServerOptions{.host = "127.0.0.1", .port = 0, .threads = 4, .access_log = false,
                               .feedback = feedback_.get(), .trusted_proxies = std::move(trusted),
                               .feedback_per_client = 2, .feedback_per_minute = 100});
    auto port = server_->Bind();
    ASSERT_TRUE(port);
    port_ = *port;
    run_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (run_.joinable()) run_.join();
  }

  // POSTs a report "from" `forwarded_for` (as a proxy would say); the status.
  int Report(const std::string& forwarded_for) {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers h;
    if (!forwarded_for.empty()) h.emplace("X-Forwarded-For", forwarded_for);
    auto r = c.Post("/api/v1/listings/" + testing::FixtureId("liberty-house-detox") + "/feedback",
                    h, R"({"field": "closed"})", "application/json");
    return r ? r->status : -1;
  }

  std::string db_;
  std::unique_ptr<store::ListingStore> store_;
  std::unique_ptr<store::FeedbackStore> feedback_;
  std::unique_ptr<Server> server_;
  std::thread run_;
  int port_ = 0;
};

TEST_F(FeedbackProxyTest, BehindATrustedProxyEachForwardedClientHasItsOwnLimit) {
  Start({"127.0.0.1"});
  EXPECT_EQ(Report("203.0.113.1"), 201);
  EXPECT_EQ(Report("203.0.113.1"), 201);
  EXPECT_EQ(Report("203.0.113.1"), 429);
  // The proxy appends the address it saw: a client's own entries come first.
  EXPECT_EQ(Report("203.0.113.1, 198.51.100.9"), 201);
  EXPECT_EQ(Report("203.0.113.2"), 201);
  EXPECT_EQ(*feedback_->Count(), 4);
}

TEST_F(FeedbackProxyTest, FromAnUntrustedPeerXForwardedForIsIgnored) {
  Start({});
  EXPECT_EQ(Report("203.0.113.1"), 201);
  EXPECT_EQ(Report("203.0.113.2"), 201);
  EXPECT_EQ(Report("203.0.113.3"), 429);  // all three are 127.0.0.1
  EXPECT_EQ(*feedback_->Count(), 2);
}

}  // namespace
}  // namespace carefinder::server
