// Unit tests for problem reports: the feedback file (its own SQLite file, not
// the listings database) and POST /api/v1/listings/{id}/feedback as a plain
// function: storage, every validation message word for word, limits per
// client and per process, report ids, and `carefinder feedback --gather` /
// `--prune` over several replicas' files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>

#include "api/feedback.h"
#include "api/feedback_cli.h"
#include "core/random_id.h"
#include "db/database.h"
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

  static Request FromClient(const std::string& client, const std::string& body = R"({"field": "closed"})") {
    Request req{"/x", {{"id", testing::FixtureId("inland-outpatient")}}, {}, body};
    req.client = client;
    return req;
  }

  // A fresh feedback file beside the test's, holding `notes.size()` reports.
  std::string ReplicaFile(const std::string& name, const std::vector<std::string>& notes) {
    std::string path = feedback_path_ + "." + name;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    auto f = store::FeedbackStore::Open(path);
    EXPECT_TRUE(f) << f.error().message;
    FeedbackHandler handler(*listings_, **f, {.per_client_per_minute = 1000, .per_minute = 1000});
    for (const auto& n : notes) {
      json body = {{"field", "other"}, {"correction", "x"}, {"note", n}};
      EXPECT_EQ(handler.Handle(FromClient("192.0.2.1", body.dump())).status, 201);
    }
    return path;
  }

  std::vector<std::string> NotesIn(const std::string& path) {
    auto f = store::FeedbackStore::OpenExisting(path);
    EXPECT_TRUE(f) << f.error().message;
    std::vector<std::string> out;
    auto all = (*f)->List();
    EXPECT_TRUE(all) << all.error().message;
    for (const auto& r : *all) out.push_back(r.report.note);
    std::sort(out.begin(), out.end());
    return out;
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
  json answer = json::parse(r.body);
  EXPECT_EQ(answer["id"], 1);
  EXPECT_EQ(answer["status"], "received");
  ASSERT_TRUE(answer["report_id"].is_string());
  EXPECT_TRUE(IsHexId(answer["report_id"].get<std::string>())) << answer["report_id"];
  auto all = feedback_->List();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  const auto& f = (*all)[0];
  EXPECT_EQ(f.report.report_id, answer["report_id"]);
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
                "unexpected member \"email\": a report has field, correction, note and "
                "report_id only",
                "email");
  ExpectInvalid(R"({"field": "closed", "report_id": "ABC"})",
                "report_id must be 32 lower-case hex digits, got \"ABC\"", "report_id");
  ExpectInvalid(R"({"field": "closed", "report_id": 7})",
                "report_id must be 32 lower-case hex digits, got 7", "report_id");
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
  FeedbackHandler handler(*listings_, *feedback_, {.per_client_per_minute = 10, .per_minute = 2});
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

TEST_F(FeedbackTest, OneClientAtItsLimitDoesNotBlockOtherClients) {
  FeedbackHandler handler(*listings_, *feedback_, {.per_client_per_minute = 2, .per_minute = 10});
  EXPECT_EQ(handler.Handle(FromClient("203.0.113.7")).status, 201);
  EXPECT_EQ(handler.Handle(FromClient("203.0.113.7")).status, 201);
  EXPECT_EQ(handler.Handle(FromClient("203.0.113.7")).status, 429);
  EXPECT_EQ(handler.Handle(FromClient("198.51.100.20")).status, 201);
  EXPECT_EQ(handler.Handle(FromClient("2001:db8::1")).status, 201);
  EXPECT_EQ(handler.Handle(FromClient("203.0.113.7")).status, 429);
  EXPECT_EQ(*feedback_->Count(), 4);
}

TEST_F(FeedbackTest, TheProcessLimitStillHoldsAcrossManyClients) {
  FeedbackHandler handler(*listings_, *feedback_, {.per_client_per_minute = 2, .per_minute = 3});
  for (const char* c : {"192.0.2.1", "192.0.2.2", "192.0.2.3"}) {
    EXPECT_EQ(handler.Handle(FromClient(c)).status, 201);
  }
  EXPECT_EQ(handler.Handle(FromClient("192.0.2.4")).status, 429);
}

TEST_F(FeedbackTest, PastTheTrackedClientsNewcomersShareOneCount) {
  FeedbackHandler handler(*listings_, *feedback_,
                          {.per_client_per_minute = 1, .per_minute = 100, .max_tracked_clients = 2});
  EXPECT_EQ(handler.Handle(FromClient("192.0.2.1")).status, 201);
  EXPECT_EQ(handler.Handle(FromClient("192.0.2.2")).status, 201);
  EXPECT_EQ(handler.Handle(FromClient("192.0.2.3")).status, 201);  // the shared count's one
  EXPECT_EQ(handler.Handle(FromClient("192.0.2.4")).status, 429);
}

TEST_F(FeedbackTest, NoClientAddressReachesTheFile) {
  FeedbackHandler handler(*listings_, *feedback_);
  ASSERT_EQ(handler.Handle(FromClient("203.0.113.77")).status, 201);
  feedback_.reset();  // checkpoints the log into the file
  std::string bytes;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(feedback_path_ + suffix, std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_GT(bytes.size(), 0u);
  EXPECT_EQ(bytes.find("203.0.113.77"), std::string::npos);
}

TEST_F(FeedbackTest, TheSameReportIdSentTwiceIsStoredOnce) {
  std::string id = RandomHexId();
  std::string body = R"({"field": "closed", "report_id": ")" + id + "\"}";
  Response first = Post(body), again = Post(body);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(json::parse(first.body), json::parse(again.body));
  EXPECT_EQ(json::parse(again.body)["report_id"], id);
  EXPECT_EQ(*feedback_->Count(), 1);
}

TEST_F(FeedbackTest, DifferentReportsGetDifferentReportIds) {
  ASSERT_EQ(Post(R"({"field": "closed"})").status, 201);
  ASSERT_EQ(Post(R"({"field": "closed"})").status, 201);
  auto all = *feedback_->List();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NE(all[0].report.report_id, all[1].report.report_id);
}

TEST_F(FeedbackTest, GatherCopiesEveryReplicasReportsOnceHoweverOftenItRuns) {
  std::string a = ReplicaFile("a", {"a1", "a2", "a3"});
  std::string b = ReplicaFile("b", {"b1", "b2"});
  std::string into = feedback_path_ + ".gathered";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(into + suffix);
  EXPECT_EQ(RunFeedbackCommand({"--feedback", into, "--gather", a, b}), 0);
  EXPECT_EQ(NotesIn(into), (std::vector<std::string>{"a1", "a2", "a3", "b1", "b2"}));
  // Again, and a file already gathered into another: nothing doubles.
  EXPECT_EQ(RunFeedbackCommand({"--feedback", into, "--gather", b, a}), 0);
  std::string second = feedback_path_ + ".second";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(second + suffix);
  EXPECT_EQ(RunFeedbackCommand({"--feedback", second, "--gather", a}), 0);
  EXPECT_EQ(RunFeedbackCommand({"--feedback", into, "--gather", second}), 0);
  EXPECT_EQ(NotesIn(into), (std::vector<std::string>{"a1", "a2", "a3", "b1", "b2"}));
  // The report ids and dates travel with the reports.
  auto src = *(*store::FeedbackStore::OpenExisting(a))->List();
  auto dst = *(*store::FeedbackStore::OpenExisting(into))->List();
  EXPECT_EQ(dst[0].report.report_id, src[0].report.report_id);
  EXPECT_EQ(dst[0].created_at, src[0].created_at);
  EXPECT_EQ(RunFeedbackCommand({"--feedback", into, "--gather", a + ".missing"}), 66);
}

TEST_F(FeedbackTest, PruneEmptiesWhatTheMaintainerNames) {
  std::string file = ReplicaFile("p", {"n1", "n2", "n3", "n4", "n5", "n6"});
  auto all = *(*store::FeedbackStore::OpenExisting(file))->List();
  // --done takes this file's #ids and report ids.
  EXPECT_EQ(RunFeedbackCommand({"--feedback", file, "--prune", "--done",
                                "#1," + all[1].report.report_id}), 0);
  EXPECT_EQ(NotesIn(file), (std::vector<std::string>{"n3", "n4", "n5", "n6"}));
  EXPECT_EQ(RunFeedbackCommand({"--feedback", file, "--prune", "--keep", "3"}), 0);
  EXPECT_EQ(NotesIn(file), (std::vector<std::string>{"n4", "n5", "n6"}));
  EXPECT_EQ(RunFeedbackCommand({"--feedback", file, "--prune", "--before", "2000-01-01"}), 0);
  EXPECT_EQ(NotesIn(file).size(), 3u);
  EXPECT_EQ(RunFeedbackCommand({"--feedback", file, "--prune", "--before", "2999-01-01"}), 0);
  EXPECT_TRUE(NotesIn(file).empty());
  EXPECT_EQ(RunFeedbackCommand({"--feedback", file, "--prune"}), 64);
  EXPECT_EQ(RunFeedbackCommand({"--feedback", file, "--prune", "--before", "May 1"}), 64);
  EXPECT_EQ(RunFeedbackCommand({"--feedback", file, "--keep", "3"}), 64);
}

TEST_F(FeedbackTest, PruneGatheredInEmptiesAReplicaOfWhatIsSafeElsewhere) {
  std::string replica = ReplicaFile("r", {"r1", "r2"});
  std::string central = feedback_path_ + ".central";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(central + suffix);
  ASSERT_EQ(RunFeedbackCommand({"--feedback", central, "--gather", replica}), 0);
  {
    auto more = store::FeedbackStore::Open(replica);  // a report that came in meanwhile
    ASSERT_TRUE(more && (*more)->Add({"", "l", "L", "", "closed", "", "r3"}));
  }
  EXPECT_EQ(RunFeedbackCommand({"--feedback", replica, "--prune", "--gathered-in", central}), 0);
  EXPECT_EQ(NotesIn(replica), (std::vector<std::string>{"r3"}));
  EXPECT_EQ(NotesIn(central), (std::vector<std::string>{"r1", "r2"}));
}

TEST_F(FeedbackTest, APrunedFileMakesRoomForARunningServer) {
  FeedbackHandler handler(*listings_, *feedback_, {.max_stored = 2});
  EXPECT_EQ(handler.Handle(FromClient("192.0.2.1")).status, 201);
  EXPECT_EQ(handler.Handle(FromClient("192.0.2.2")).status, 201);
  EXPECT_EQ(handler.Handle(FromClient("192.0.2.3")).status, 429);
  ASSERT_EQ(RunFeedbackCommand({"--feedback", feedback_path_, "--prune", "--keep", "0"}), 0);
  EXPECT_EQ(handler.Handle(FromClient("192.0.2.3")).status, 201);
}

TEST_F(FeedbackTest, AFileOfTheFirstVersionIsUpgradedWithReportIds) {
  std::string old = feedback_path_ + ".v1001";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(old + suffix);
  {
    constexpr const char* kV1001 = R"sql(
PRAGMA user_version = 1001;
CREATE TABLE feedback (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, listing_id TEXT NOT NULL,
  listing_name TEXT NOT NULL, source TEXT, field TEXT NOT NULL, correction TEXT, note TEXT);
INSERT INTO feedback VALUES (1, '2026-01-02T03:04Z', 'l', 'L', NULL, 'closed', NULL, 'old one');
INSERT INTO feedback VALUES (2, '2026-01-02T03:05Z', 'l', 'L', NULL, 'closed', NULL, 'old two');
)sql";
    auto db = db::Database::Open(old, db::OpenMode::kCreate, {kV1001, 1001});
    ASSERT_TRUE(db) << db.error().message;
  }
  auto upgraded = store::FeedbackStore::Open(old);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  auto all = *(*upgraded)->List();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].report.note, "old one");
  EXPECT_EQ(all[0].created_at, "2026-01-02T03:04Z");
  EXPECT_TRUE(IsHexId(all[0].report.report_id)) << all[0].report.report_id;
  EXPECT_NE(all[0].report.report_id, all[1].report.report_id);
}

TEST_F(FeedbackTest, FeedbackAndListingsFilesNeverOpenAsEachOther) {
  auto as_feedback = store::FeedbackStore::Open(db_path_);
  ASSERT_FALSE(as_feedback);
  EXPECT_NE(as_feedback.error().message.find("has schema version " + std::to_string(db::kSchemaVersion) +
                                             ", this program needs 1002"),
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
