// Integration test: a killed import leaves the database exactly as before
// (DESIGN §5). Imports A with the real binary, starts a big import B
// (50,000 generated rows, seconds of work), SIGKILLs it while it holds the
// write transaction (and, in the second test, while its commit is being
// written to the WAL), then checks PRAGMA integrity_check and compares a
// full logical dump with the one taken after A.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "db/database.h"
#include "tests/fixtures/importer/workflow_helpers.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kBigRows = 50000;

// True while another connection holds the write lock: BEGIN IMMEDIATE fails
// at once (busy timeout 0) instead of waiting.
bool WriterActive(db::Database& probe) {
  if (!probe.Exec("BEGIN IMMEDIATE")) return true;
  (void)probe.Exec("ROLLBACK");
  return false;
}

bool Exited(pid_t pid, int& status) { return waitpid(pid, &status, WNOHANG) == pid; }

class ImportKill : public carefinder::testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    db_ = (dir_ / "k.db").string();
    std::string a = (dir_ / "a.csv").string();
    testing::WriteBigCuratedCsv(a, 20, "test-a", "alpha");
    testing::WriteBigCuratedCsv(big_ = (dir_ / "b.csv").string(), kBigRows, "test-b", "bravo");
    std::string cmd = std::string(CF_BINARY) + " import --db " + db_ + " " + a + " > /dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    after_a_ = testing::FullDump(db_);
    ASSERT_NE(after_a_.find("listing: "), std::string::npos);
  }

  // Starts B and returns once it holds the write transaction.
  pid_t StartBigImport(std::unique_ptr<db::Database>& probe) {
    auto opened = db::Database::Open(db_, db::OpenMode::kReadWrite);
    EXPECT_TRUE(opened) << opened.error().message;
    probe = std::move(*opened);
    EXPECT_TRUE(probe->Exec("PRAGMA busy_timeout = 0"));
    pid_t pid = testing::SpawnCarefinder({"import", "--db", db_, big_});
    auto give_up = Clock::now() + std::chrono::seconds(120);
    int status = 0;
    while (!WriterActive(*probe)) {
      EXPECT_FALSE(Exited(pid, status)) << "the import ended before it began writing";
      if (Clock::now() > give_up) ADD_FAILURE() << "the import never began writing";
      if (::testing::Test::HasFailure()) return pid;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return pid;
  }

  std::string ListingCount() {
    auto db = db::Database::Open(db_, db::OpenMode::kReadOnly);
    auto stmt = (*db)->Prepare("SELECT count(*) || ' listings, ' || (SELECT count(*) FROM import_run) "
                               "|| ' runs' FROM listing");
    return stmt && stmt->Step().value_or(false) ? stmt->ColumnString(0) : "?";
  }

  std::string db_, big_, after_a_;
};

TEST_F(ImportKill, KilledWhileLoadingLeavesTheDatabaseAsItWas) {
  std::unique_ptr<db::Database> probe;
  pid_t pid = StartBigImport(probe);
  ASSERT_FALSE(HasFailure());
  // Well inside the load: 50,000 rows take seconds after BEGIN.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  int status = 0;
  ASSERT_FALSE(Exited(pid, status)) << "the import finished before it could be killed";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  probe.reset();
  EXPECT_EQ(testing::IntegrityCheck(db_), "ok");
  EXPECT_EQ(testing::FullDump(db_), after_a_);
  EXPECT_EQ(ListingCount(), "20 listings, 1 runs");
}

// The commit appends the whole transaction to the WAL; a kill while it does
// leaves frames without a commit record, which SQLite ignores. Should the
// commit win the race, the database must hold all of B, never part of it.
TEST_F(ImportKill, KilledWhileCommittingIsAllOrNothing) {
  std::unique_ptr<db::Database> probe;
  pid_t pid = StartBigImport(probe);
  ASSERT_FALSE(HasFailure());
  std::string wal = db_ + "-wal";
  std::error_code ec;
  auto before = fs::file_size(wal, ec);
  int status = 0;
  bool exited = false;
  while (!(exited = Exited(pid, status))) {
    auto now = fs::file_size(wal, ec);
    if (!ec && now > before + 1024 * 1024) break;  // the commit is being written
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (!exited) {
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
  }
  std::printf("the import %s with %lld bytes in the WAL\n",
              exited ? "committed before the kill" : "was killed mid-commit",
              static_cast<long long>(fs::file_size(wal, ec)));
  probe.reset();
  EXPECT_EQ(testing::IntegrityCheck(db_), "ok");
  std::string count = ListingCount();
  if (count == "20 listings, 1 runs") {
    EXPECT_EQ(testing::FullDump(db_), after_a_);
  } else {
    EXPECT_EQ(count, std::to_string(20 + kBigRows) + " listings, 2 runs");
  }
}

// A first import builds its database beside the path (importer/
// new_database.h): killed while it writes, it leaves no database, and the
// next import removes what it left and builds one.
TEST_F(ImportKill, KilledFirstImportLeavesNoDatabase) {
  std::string fresh = (dir_ / "new.db").string();
  pid_t pid = testing::SpawnCarefinder({"import", "--db", fresh, big_});
  std::string building = fresh + ".building-" + std::to_string(pid);
  std::error_code ec;
  auto give_up = Clock::now() + std::chrono::seconds(120);
  int status = 0;
  bool exited = false;
  // Until the building file holds more than the schema: the load is on.
  while (!(exited = Exited(pid, status)) && Clock::now() < give_up) {
    auto size = fs::file_size(building, ec);
    if (!ec && size >= 1024 * 1024) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_FALSE(exited) << "the import finished before it could be killed";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_FALSE(fs::exists(fresh));
  EXPECT_TRUE(fs::exists(building));
  std::string a = (dir_ / "a.csv").string();
  std::string cmd = std::string(CF_BINARY) + " import --db " + fresh + " " + a + " > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  EXPECT_FALSE(fs::exists(building));
  EXPECT_EQ(testing::IntegrityCheck(fresh), "ok");
  db_ = fresh;
  EXPECT_EQ(ListingCount(), "20 listings, 1 runs");
}

}  // namespace
}  // namespace carefinder
