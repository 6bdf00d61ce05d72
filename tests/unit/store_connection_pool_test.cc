// ConnectionPool and file identity (src/store/connection.h): a pool belongs
// to the file its path named when it was made; after another file is renamed
// over the path it never opens the new one, and waits for its own instead.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "core/file_digest.h"
#include "db/database.h"
#include "store/connection.h"

namespace carefinder::store {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAddRunSql =
    "INSERT INTO import_run (started_at, finished_at, files, added, changed, unchanged, "
    "inactivated, rejected, report) VALUES ('t', 't', '[]', 0, 0, 0, 0, 0, '{}')";
constexpr const char* kRunsSql = "SELECT count(*) FROM import_run";

// A Carefinder database with `runs` import_run rows: tells files apart.
void MakeDatabase(const std::string& path, int runs) {
  auto db = db::Database::Open(path, db::OpenMode::kCreate);
  ASSERT_TRUE(db) << db.error().message;
  for (int i = 0; i < runs; ++i) ASSERT_TRUE((*db)->Exec(kAddRunSql));
}

int64_t Runs(Connection& c) {
  auto stmt = c.Get(kRunsSql);
  if (!stmt || !(*stmt)->Step().value_or(false)) return -1;
  return (*stmt)->ColumnInt(0);
}

class ConnectionPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cf_pool_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "served.db").string();
    MakeDatabase(path_, 1);
    MakeDatabase((dir_ / "new.db").string(), 2);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string path_;
};

TEST_F(ConnectionPoolTest, AfterARenameOverItsPathItWaitsForItsOwnConnectionNeverOpensTheNewFile) {
  ConnectionPool pool(path_, db::OpenMode::kReadOnly, IdentityOfPath(path_));
  ASSERT_TRUE(pool.Warm());
  auto held = pool.Acquire();
  ASSERT_TRUE(held);
  fs::rename(dir_ / "new.db", path_);
  std::thread release([lease = std::move(*held)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    (void)lease;  // returned to the pool when the thread ends
  });
  auto next = pool.Acquire();  // all in use, path names another file: waits
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(Runs(**next), 1) << "a connection of the old pool read the new file";
  release.join();
}

TEST_F(ConnectionPoolTest, WhileItsPathStillNamesItsFileItGrows) {
  ConnectionPool pool(path_, db::OpenMode::kReadOnly, IdentityOfPath(path_));
  ASSERT_TRUE(pool.Warm());
  auto first = pool.Acquire();
  auto second = pool.Acquire();  // a new connection, not a wait
  ASSERT_TRUE(first && second);
  EXPECT_EQ(Runs(**first), 1);
  EXPECT_EQ(Runs(**second), 1);
}

TEST_F(ConnectionPoolTest, AWarmPoolOfAReplacedFileRefusesToStart) {
  ConnectionPool pool(path_, db::OpenMode::kReadOnly, IdentityOfPath(path_));
  fs::rename(dir_ / "new.db", path_);
  auto warmed = pool.Warm();
  ASSERT_FALSE(warmed);
  EXPECT_NE(warmed.error().message.find("was replaced"), std::string::npos);
}

}  // namespace
}  // namespace carefinder::store
