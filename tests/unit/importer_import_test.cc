// Unit tests for the import's lifecycle (importer/import.h ImportInto and
// ImportHistory) on real files in a scratch directory: what a new, an
// existing, a `check` and a failed import leave on disk.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "importer/import.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::importer {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = CF_SOURCE_DIR "/tests/fixtures/importer/";

using carefinder::testing::Slurp;

class ImportIntoTest : public carefinder::testing::ScratchDirTest {
 protected:
  // The three listings of valid_listings.csv; `broken`: the third bypasses
  // the reader with a status the schema's CHECK refuses, so the load fails.
  ImportPlan Plan(bool broken = false) {
    std::istringstream in(Slurp(kFixtures + "valid_listings.csv"));
    ImportPlan plan = ReadInputs({{"listings.csv", &in}});
    EXPECT_EQ(plan.files.size(), 1u);
    auto gazetteer = Gazetteer::LoadDir(kFixtures + "gazetteer");
    EXPECT_TRUE(gazetteer);
    if (gazetteer) plan.gazetteer = std::move(*gazetteer);
    if (broken && !plan.files.empty()) plan.files[0].records[2].status = "closed";
    return plan;
  }
  // The names in the scratch directory, sorted.
  std::vector<std::string> Files() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir_)) out.push_back(entry.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }
  size_t Runs(const std::string& db) {
    auto runs = ImportHistory(db);
    EXPECT_TRUE(runs) << runs.error().message;
    return runs ? runs->size() : 0;
  }
};

TEST_F(ImportIntoTest, ANewDatabaseAppearsOnlyWhenItsImportCommits) {
  auto failed = ImportInto(Path("new.db"), Plan(/*broken=*/true), {});
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(failed->outcome, Outcome::kFailed);
  EXPECT_EQ(Files(), std::vector<std::string>{});  // neither new.db nor its building file

  auto committed = ImportInto(Path("new.db"), Plan(), {});
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_EQ(committed->outcome, Outcome::kCommitted);
  EXPECT_EQ(committed->import_run, 1);
  EXPECT_EQ(Files(), std::vector<std::string>{"new.db"});
}

TEST_F(ImportIntoTest, AFailedImportLeavesAnExistingDatabaseAsItWasWithAnEmptyLog) {
  ASSERT_EQ(ImportInto(Path("db"), Plan(), {})->outcome, Outcome::kCommitted);
  std::string before = Slurp(Path("db"));

  auto failed = ImportInto(Path("db"), Plan(/*broken=*/true), {});
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(failed->outcome, Outcome::kFailed);
  EXPECT_EQ(failed->import_run, 0);
  EXPECT_EQ(Runs(Path("db")), 1u);
  EXPECT_EQ(Slurp(Path("db")), before);
  EXPECT_TRUE(!fs::exists(Path("db-wal")) || fs::file_size(Path("db-wal")) == 0);
  EXPECT_EQ(failed->notices, std::vector<std::string>{});
}

TEST_F(ImportIntoTest, ACheckLoadsInMemoryAndWritesNoFile) {
  ImportOptions check;
  check.command = "check";
  auto checked = ImportInto(Path("never.db"), Plan(), check);
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->outcome, Outcome::kChecked);
  EXPECT_EQ(checked->counts.added, 3);  // the load really ran
  EXPECT_EQ(Files(), std::vector<std::string>{});
}

TEST_F(ImportIntoTest, AnUnreadableInputOpensNoDatabase) {
  ImportPlan plan = Plan();
  plan.errors.push_back("other.csv: cannot read");
  auto report = ImportInto(Path("db"), std::move(plan), {});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->outcome, Outcome::kFileError);
  EXPECT_EQ(report->ExitCode(), 2);
  EXPECT_EQ(Files(), std::vector<std::string>{});
}

TEST_F(ImportIntoTest, AFileThatIsNoDatabaseIsAnErrorAndIsNotTouched) {
  std::string text(8192, 'x');
  Write("db", text);
  auto report = ImportInto(Path("db"), Plan(), {});
  ASSERT_FALSE(report);
  EXPECT_EQ(Slurp(Path("db")), text);
}

TEST_F(ImportIntoTest, HistoryListsEachCommittedRunOldestFirst) {
  ASSERT_EQ(ImportInto(Path("db"), Plan(), {})->outcome, Outcome::kCommitted);
  ASSERT_EQ(ImportInto(Path("db"), Plan(/*broken=*/true), {})->outcome, Outcome::kFailed);
  ASSERT_EQ(ImportInto(Path("db"), Plan(), {})->outcome, Outcome::kCommitted);
  auto runs = ImportHistory(Path("db"));
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, 1);
  EXPECT_EQ((*runs)[0].added, 3);
  EXPECT_EQ((*runs)[0].files, std::vector<std::string>{"listings.csv"});
  EXPECT_EQ((*runs)[1].id, 2);
  EXPECT_EQ((*runs)[1].added, 0);
  EXPECT_EQ((*runs)[1].unchanged, 3);
}

}  // namespace
}  // namespace carefinder::importer
