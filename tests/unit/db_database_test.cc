// The db layer's error contract (src/db/database.h): a failed bind is not
// dropped, a lock held by another connection is ErrorCode::kBusy (not a
// message to search), and every other SQLite failure is kDatabase.
#include <gtest/gtest.h>

#include "db/database.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::db {
namespace {

class DatabaseTest : public testing::ScratchDirTest {
 protected:
  std::unique_ptr<Database> Create() {
    auto db = Database::Open(Path("test.db"), OpenMode::kCreate);
    EXPECT_TRUE(db) << db.error().message;
    return std::move(*db);
  }
};

TEST_F(DatabaseTest, ABindToAMissingParameterFailsTheStepInsteadOfRunningWithNull) {
  auto db = Create();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (a TEXT NOT NULL DEFAULT 'x', b TEXT)"));
  auto stmt = db->Prepare("INSERT INTO t (b) VALUES (?)");
  ASSERT_TRUE(stmt);
  stmt->Bind(1, "kept").Bind(2, "no such parameter");
  auto run = stmt->Run();
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, ErrorCode::kDatabase);
  EXPECT_EQ(run.error().message, "cannot bind parameter 2: column index out of range");
  auto count = db->Prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count && *count->Step());
  EXPECT_EQ(count->ColumnInt(0), 0) << "nothing was inserted";
}

TEST_F(DatabaseTest, ResetForgetsAFailedBindSoTheStatementCanBeUsedAgain) {
  auto db = Create();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (b TEXT)"));
  auto stmt = db->Prepare("INSERT INTO t (b) VALUES (?)");
  ASSERT_TRUE(stmt);
  stmt->Bind(3, "wrong");
  stmt->Reset();
  stmt->Bind(1, "right");
  EXPECT_TRUE(stmt->Run());
}

TEST_F(DatabaseTest, AWriteLockHeldByAnotherConnectionIsBusy) {
  auto writer = Create();
  auto other = Database::Open(Path("test.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(other) << other.error().message;
  ASSERT_TRUE((*other)->Exec("PRAGMA busy_timeout = 0"));
  auto held = Transaction::Begin(*writer, Transaction::Kind::kImmediate);
  ASSERT_TRUE(held);
  auto second = Transaction::Begin(**other, Transaction::Kind::kImmediate);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kBusy);
  EXPECT_EQ(second.error().message, "database is locked");
}

// A file of an older schema (v7: UNIQUE id columns, where v8 has named
// indexes a first import can drop) is refused by every mode, naming both
// versions; nothing converts or overwrites it (import builds a new file and
// publish checks the version).
TEST_F(DatabaseTest, AFileOfTheOlderSchemaVersionIsRefusedNamingBothVersions) {
  {
    auto old = Database::Open(Path("old.db"), OpenMode::kCreate, {"PRAGMA user_version = 7;", 7});
    ASSERT_TRUE(old) << old.error().message;
  }
  for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kReadWrite, OpenMode::kCreate, OpenMode::kImmutable}) {
    auto db = Database::Open(Path("old.db"), mode);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().code, ErrorCode::kDatabase);
    EXPECT_EQ(db.error().message, Path("old.db") + " has schema version 7, this program needs 9");
  }
}

TEST_F(DatabaseTest, BadSqlIsADatabaseErrorNamingTheStatement) {
  auto db = Create();
  auto stmt = db->Prepare("SELEKT 1");
  ASSERT_FALSE(stmt);
  EXPECT_EQ(stmt.error().code, ErrorCode::kDatabase);
  EXPECT_EQ(stmt.error().message, "near \"SELEKT\": syntax error in: SELEKT 1");
}

}  // namespace
}  // namespace carefinder::db
