// Unit tests for problem reports: the feedback file (its own SQLite file, not
// the listings database) and POST /api/v1/listings/{id}/feedback as a plain
// function: storage, every validation message word for word, limits.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "api/feedback.h"
#include "db/schema.h"
#include "store/feedback_store.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::api {
namespace {

using nlohmann::json;

class FeedbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = testing::UniqueTempPath("feedback_test.db");
    feedback_path_ = store::DefaultFeedbackPath(db_path_);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(feedback_path_ + suffix);
    testing::WriteFixtureDb(db_path_, testing::DefaultListings());
    auto s = store::ListingStore::Open(db_path_, {.refresh_interval = std::chrono::milliseconds(0)});
    ASSERT_TRUE(s) << s.error().message;
    listings_ = std::move(*s);
    auto f = store::FeedbackStore::Open(feedback_path_);
    ASSERT_TRUE(f) << f.error().message;
    feedback_ = std::move(*f);
  }

  Response Post(const std::string& body, FeedbackLimits limits = {},
                const std::string& id = testing::FixtureId("liberty-house-detox")) {
    FeedbackHandler handler(*listings_, *feedback_, limits);
    return handler.Handle({"/api/v1/listings/x/feedback", {{"id", id}}, {}, body});
  }

  void ExpectInvalid(const std::string& body, const std::string& detail, const std::string& param) {
    Response r = Post(body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json");
    json p = json::parse(r.body);
    EXPECT_EQ(p["type"], "https://carefinder.example/problems/invalid-parameter");
    EXPECT_EQ(p["detail"], detail);
    EXPECT_EQ(p["param"], param);
  }

  std::string db_path_, feedback_path_;
  std::unique_ptr<store::ListingStore> listings_;
  std::unique_ptr<store::FeedbackStore> feedback_;
};

TEST_F(FeedbackTest, AReportIsStoredWithTheListingAsShownAndNoPersonalData) {
  Response r = Post(R"({"field": "phone", "correction": "(909) 555-0100", "note": "Called today.\nNew number."})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"id": 1, "status": "received"})"));
  auto all = feedback_->List();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  const auto& f = (*all)[0];
  EXPECT_TRUE(std::regex_match(f.created_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\dZ)"))) << f.created_at;
  EXPECT_EQ(f.report.listing_id, testing::FixtureId("liberty-house-detox"));
  EXPECT_EQ(f.report.listing_name, "Liberty House Recovery: Medically supervised detox");
  EXPECT_EQ(f.report.source, "fixture");
  EXPECT_EQ(f.report.field, "phone");
  EXPECT_EQ(f.report.correction, "(909) 555-0100");
  EXPECT_EQ(f.report.note, "Called today.\nNew number.");
}

TEST_F(FeedbackTest, ClosedWrongNumberAndNoLongerOffersNeedNoCorrection) {
  EXPECT_EQ(Post(R"({"field": "closed"})").status, 201);
  EXPECT_EQ(Post(R"({"field": "phone", "note": "It rings out."})").status, 201);
  EXPECT_EQ(Post(R"({"field": "services", "correction": " ", "note": "No detox any more."})").status, 201);
  EXPECT_EQ(*feedback_->Count(), 3);
}

TEST_F(FeedbackTest, ControlCharactersBecomeSpaces) {
  // ESC and C1 CSI could drive a maintainer's terminal; a newline in the
  // one-line correction is a space too.
  ASSERT_EQ(Post(R"({"field": "name", "correction": "A\u001b[31mB\nC\u009b", "note": "x\u0007\r\ny"})").status, 201);
  auto f = (*feedback_->List())[0].report;
  EXPECT_EQ(f.correction, "A [31mB C");
  EXPECT_EQ(f.note, "x \ny");
}

TEST_F(FeedbackTest, ValidationMessages) {
  ExpectInvalid("not json", "the report must be a JSON object with field, correction and note",
                "body");
  ExpectInvalid("[]", "the report must be a JSON object with field, correction and note", "body");
  ExpectInvalid(R"({"field": "phone", "correction": "1", "email": "me@example.com"})",
                "unexpected member \"email\": a report has field, correction and note only",
                "email");
  ExpectInvalid(R"({"field": "price", "correction": "1"})",
                "field must be one of closed, name, address, phone, website, hours, services, "
                "payment, other, got \"price\"",
                "field");
  ExpectInvalid(R"({"correction": "1"})",
                "field must be one of closed, name, address, phone, website, hours, services, "
                "payment, other, got null",
                "field");
  ExpectInvalid(R"({"field": "address"})", "correction is required: what is right?", "correction");
  ExpectInvalid(R"({"field": "hours", "correction": "  "})", "correction is required: what is right?",
                "correction");
  ExpectInvalid(R"({"field": "phone", "correction": 5})", "correction must be a string", "correction");
  ExpectInvalid(R"({"field": "phone", "correction": ")" + std::string(501, 'x') + "\"}",
                "correction must be at most 500 characters, got 501", "correction");
  // Characters, not bytes: 500 two-byte letters fit.
  std::string e500;
  for (int i = 0; i < 500; ++i) e500 += "\xc3\xa9";
  EXPECT_EQ(Post(R"({"field": "phone", "correction": ")" + e500 + "\"}").status, 201);
  ExpectInvalid(R"({"field": "other", "correction": "x", "note": ")" + std::string(1001, 'n') + "\"}",
                "note must be at most 1000 characters, got 1001", "note");
  ExpectInvalid(R"({"field": "other", "correction": ")" + std::string(4100, 'x') + "\"}",
                "the report must be at most 4096 bytes, got 4136", "body");
  EXPECT_EQ(*feedback_->Count(), 1);
}

TEST_F(FeedbackTest, UnknownAndMalformedListingIds) {
  Response r = Post(R"({"field": "closed"})", {}, "00000000-0000-5000-8000-000000000000");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["type"], "https://carefinder.example/problems/not-found");
  r = Post(R"({"field": "closed"})", {}, "nope");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["detail"], "id must be a UUID, got nope");
  EXPECT_EQ(*feedback_->Count(), 0);
}

TEST_F(FeedbackTest, RateLimitPerMinuteAnswers429WithRetryAfter) {
  FeedbackHandler handler(*listings_, *feedback_, {.per_minute = 2});
  Request req{"/x", {{"id", testing::FixtureId("inland-outpatient")}}, {}, R"({"field": "closed"})"};
  EXPECT_EQ(handler.Handle(req).status, 201);
  EXPECT_EQ(handler.Handle(req).status, 201);
  Response r = handler.Handle(req);
  EXPECT_EQ(r.status, 429);
  json p = json::parse(r.body);
  EXPECT_EQ(p["type"], "https://carefinder.example/problems/too-many-requests");
  EXPECT_EQ(p["detail"], "too many reports at the moment; please try again later");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Retry-After", "60"}));
  EXPECT_EQ(*feedback_->Count(), 2);
}

TEST_F(FeedbackTest, AFullFeedbackFileRefusesMore) {
  ASSERT_EQ(Post(R"({"field": "closed"})").status, 201);
  EXPECT_EQ(Post(R"({"field": "closed"})", {.max_stored = 1}).status, 429);
  EXPECT_EQ(*feedback_->Count(), 1);
}

TEST_F(FeedbackTest, FeedbackAndListingsFilesNeverOpenAsEachOther) {
  auto as_feedback = store::FeedbackStore::Open(db_path_);
  ASSERT_FALSE(as_feedback);
  EXPECT_NE(as_feedback.error().message.find("has schema version " + std::to_string(db::kSchemaVersion) +
                                             ", this program needs 1001"),
            std::string::npos) << as_feedback.error().message;
  EXPECT_FALSE(store::ListingStore::Open(feedback_path_));
  EXPECT_EQ(store::DefaultFeedbackPath("build/carefinder.db"), "build/carefinder.db.feedback.db");
}

TEST_F(FeedbackTest, OpenExistingWhenThereIsNoFileYetIsNotFound) {
  auto none = store::FeedbackStore::OpenExisting(feedback_path_ + ".missing");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace carefinder::api
