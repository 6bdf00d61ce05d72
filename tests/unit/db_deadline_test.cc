// Deadline (src/db/database.h): while one is in scope every statement on its
// connection stops with ErrorCode::kTimeout once the deadline has passed, and
// when it goes out of scope the connection runs without one again. No clock
// is raced: a deadline in the past has passed before the query starts.
#include <gtest/gtest.h>

#include <chrono>

#include "db/database.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::db {
namespace {

using std::chrono::milliseconds;

// Enough virtual-machine steps for SQLite to call the progress handler.
constexpr const char* kLongQuery =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) "
    "SELECT count(*) FROM c";

class DeadlineTest : public testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    auto db = Database::Open(Path("deadline.db"), OpenMode::kCreate);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
  }
  // The long query's count, or its error.
  Result<int64_t> Count() {
    auto stmt = db_->Prepare(kLongQuery);
    if (!stmt) return Fail(stmt.error());
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    return stmt->ColumnInt(0);
  }
  std::unique_ptr<Database> db_;
};

TEST_F(DeadlineTest, AQueryRunsToItsEndWithoutADeadline) {
  auto n = Count();
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 200000);
}

TEST_F(DeadlineTest, AStatementPastTheDeadlineFailsAsTimeoutWithItsMessage) {
  Deadline d(*db_, milliseconds(-1));
  auto n = Count();
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(n.error().message, "query ran past its deadline");
}

TEST_F(DeadlineTest, ExecPastTheDeadlineFailsAsTimeoutToo) {
  Deadline d(*db_, milliseconds(-1));
  auto s = db_->Exec(std::string("CREATE TABLE t AS ") + kLongQuery);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kTimeout);
}

TEST_F(DeadlineTest, LeavingTheScopeClearsTheDeadlineForTheNextQuery) {
  {
    Deadline d(*db_, milliseconds(-1));
    ASSERT_FALSE(Count());
  }
  auto n = Count();
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 200000);
}

TEST_F(DeadlineTest, AGenerousBudgetLetsTheQueryFinish) {
  Deadline d(*db_, std::chrono::hours(1));
  auto n = Count();
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 200000);
}

}  // namespace
}  // namespace carefinder::db
