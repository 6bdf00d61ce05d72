// Unit tests for `carefinder import|check|history` (importer/cli.h), run in
// process: the text report word for word, and every documented exit code.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "db/database.h"
#include "importer/cli.h"
#include "importer/new_database.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::importer {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = CF_SOURCE_DIR "/tests/fixtures/importer/";

struct Outcome {
  int code;
  std::string out, err;
};

Outcome Import(std::vector<std::string> args, bool check = false) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int code = RunImportCommand(args, check);
  std::string out = ::testing::internal::GetCapturedStdout();
  return {code, out, ::testing::internal::GetCapturedStderr()};
}

class ImporterCli : public carefinder::testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    db_ = Path("t.db");
  }
  std::string db_;
};

TEST_F(ImporterCli, ImportReportsCountsAndExitsZero) {
  std::string file = kFixtures + "valid_listings.csv";
  Outcome r = Import({"--db", db_, "--gazetteer", kFixtures + "gazetteer", file});
  EXPECT_EQ(r.code, 0) << r.err;
  // The format is recognised (--format auto is the default) and says so.
  const std::string attributes =
      "source attributes (codes and labels kept as the source gave them):\n"
      "  carefinder-curated: 1 distinct values on 1 records\n";
  EXPECT_EQ(r.out, file + ": curated-csv (auto), 3 rows, 3 accepted, 0 rejected\n"
                          "total: 3 added, 0 changed, 0 unchanged, 0 merged, 0 marked inactive, 0 rejected\n" +
                          attributes + "result: committed as import run 1\n");
  r = Import({"--db", db_, "--format", "curated-csv", file});
  EXPECT_EQ(r.out, file + ": curated-csv, 3 rows, 3 accepted, 0 rejected\n"
                          "total: 0 added, 0 changed, 3 unchanged, 0 merged, 0 marked inactive, 0 rejected\n" +
                          attributes + "result: committed as import run 2\n");
}

TEST_F(ImporterCli, RejectedRowsExitOneAndGoToStderrToo) {
  std::string bad = Write("bad.csv",
                          "source,source_key,as_of,organization,name,city,state,zip,latitude,longitude\n"
                          "carefinder-curated,a,2026-11-22,Org,Svc,Redlands,CA,92374,34.06,-117.17\n"
                          "carefinder-curated,b,2026-11-22,Org,Svc,Redlands,CA,9237x,34.06,-117.17\n");
  Outcome r = Import({"--db", db_, bad});
  EXPECT_EQ(r.code, 1);
  std::string message = bad + ":3: field 'zip': \"9237x\" is not a 5-digit ZIP code";
  EXPECT_EQ(r.out, bad + ": curated-csv (auto), 2 rows, 1 accepted, 1 rejected\n"
                         "total: 1 added, 0 changed, 0 unchanged, 0 merged, 0 marked inactive, 1 rejected\n"
                         "rejected:\n  " + message + "\n"
                         "result: committed as import run 1\n");
  EXPECT_EQ(r.err, message + "\n");
}

TEST_F(ImporterCli, StrictAndDryRunSayNothingWasWritten) {
  std::string bad = Write("bad.csv",
                          "source,source_key,as_of,organization,name,city,state,zip,latitude,longitude\n"
                          "carefinder-curated,b,2026-11-22,Org,Svc,Redlands,CA,9237x,34.06,-117.17\n");
  Outcome strict = Import({"--db", db_, "--strict", bad});
  EXPECT_EQ(strict.code, 1);
  EXPECT_NE(strict.out.find("result: --strict and 1 row rejected: rolled back, nothing written\n"),
            std::string::npos) << strict.out;
  Outcome dry = Import({"--db", db_, "--dry-run", "--gazetteer", kFixtures + "gazetteer",
                        kFixtures + "valid_listings.csv"});
  EXPECT_EQ(dry.code, 0);
  EXPECT_NE(dry.out.find("result: dry run, rolled back: nothing written\n"), std::string::npos);
}

// Files in the scratch directory other than the inputs the test wrote.
std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// That a first import is built beside the path is shown by the kill test
// (tests/integration/import_kill_test.cc) and FailedFirstImportLeavesNoDatabase.
TEST_F(ImporterCli, FirstImportLeavesOnlyTheDatabaseInWalModeWithItsFullText) {
  Outcome r = Import({"--db", db_, "--gazetteer", kFixtures + "gazetteer", kFixtures + "valid_listings.csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  // Only the database is left: no building file, no journal; it is in WAL
  // mode like any other, and its full text was written as the rows were.
  EXPECT_EQ(Listing(dir_), std::vector<std::string>{"t.db"});
  auto db = db::Database::Open(db_, db::OpenMode::kReadWrite);
  ASSERT_TRUE(db) << db.error().message;
  auto mode = (*db)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode && *mode->Step());
  EXPECT_EQ(mode->ColumnString(0), "wal");
  EXPECT_TRUE((*db)->Exec("INSERT INTO listing_fts(listing_fts) VALUES('integrity-check')"));
  auto found = (*db)->Prepare("SELECT count(*) FROM listing_fts WHERE listing_fts MATCH 'redlands'");
  ASSERT_TRUE(found && *found->Step());
  EXPECT_GT(found->ColumnInt(0), 0);
  // The index was built aside with a 64 MB pending-terms hash; that setting
  // stays out of the file (its config is FTS5's own: the version).
  auto config = (*db)->Prepare("SELECT group_concat(k) FROM listing_fts_config");
  ASSERT_TRUE(config && *config->Step());
  EXPECT_EQ(config->ColumnString(0), "version");
}

TEST_F(ImporterCli, FailedFirstImportLeavesNoDatabase) {
  std::string bad = Write("bad.csv",
                          "source,source_key,as_of,organization,name,city,state,zip,latitude,longitude\n"
                          "carefinder-curated,b,2026-11-22,Org,Svc,Redlands,CA,9237x,34.06,-117.17\n");
  EXPECT_EQ(Import({"--db", db_, "--strict", bad}).code, 1);
  EXPECT_EQ(Listing(dir_), std::vector<std::string>{"bad.csv"});
}

TEST_F(ImporterCli, AbandonedBuildingFilesAreRemoved) {
  // A pid no process has (above the kernel's pid_max of 2^22), and one that runs.
  Write("t.db.building-9999999", "left by a killed import");
  Write("t.db.building-9999999-journal", "x");
  std::string running = "t.db.building-" + std::to_string(getppid());
  Write(running, "another import, still running");
  ASSERT_EQ(Import({"--db", db_, "--gazetteer", kFixtures + "gazetteer",
                    kFixtures + "valid_listings.csv"}).code, 0);
  EXPECT_EQ(Listing(dir_), (std::vector<std::string>{"t.db", running}));
}

TEST_F(ImporterCli, PublishNeverReplacesADatabaseThatAppearedMeanwhile) {
  NewDatabase fresh = NewDatabase::Begin(db_);
  auto db = db::Database::Open(fresh.building(), db::OpenMode::kCreate);
  ASSERT_TRUE(db) << db.error().message;
  Write("t.db", "someone else's file");
  auto published = fresh.Publish(std::move(*db));
  ASSERT_FALSE(published);
  EXPECT_NE(published.error().message.find("was created by another program while this import built it"),
            std::string::npos) << published.error().message;
  EXPECT_EQ(Listing(dir_), std::vector<std::string>{"t.db"});  // the building file is gone
  std::ifstream in(db_);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "someone else's file");
}

TEST_F(ImporterCli, BadHeaderExitsTwoAndCreatesNoDatabase) {
  std::string bad = Write("bad.csv", "source,source_key,zipcode\n");
  Outcome r = Import({"--db", db_, bad});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "error: " + bad + ":1: unknown column 'zipcode' (the curated format's columns "
                   "are listed in data/README.md)\nresult: input file error: nothing written\n");
  EXPECT_FALSE(fs::exists(db_));
  EXPECT_EQ(Import({"--db", db_, (dir_ / "missing.csv").string()}).code, 2);
}

TEST_F(ImporterCli, UsageErrorsExitSixtyFour) {
  EXPECT_EQ(Import({"--db", db_}).code, 64);  // no FILE
  EXPECT_EQ(Import({"--bogus", "x.csv"}).code, 64);
  EXPECT_EQ(Import({"--report", "xml", "x.csv"}).code, 64);
  EXPECT_EQ(Import({"--db", db_, "x.csv"}, /*check=*/true).code, 64);  // check takes no --db
  Outcome format = Import({"--db", db_, "--format", "csv", "x.csv"});
  EXPECT_EQ(format.code, 64);
  EXPECT_TRUE(format.err.starts_with("carefinder import: bad option '--format csv' (auto, hsds-datapackage, "
                                     "samhsa-directory, meeting-guide-json, samhsa-json, "
                                     "hsds-json, bmlt-json, samhsa-locator-csv, curated-csv)\n")) << format.err;
  EXPECT_EQ(Import({"--db", db_, "--as-of", "2026-13-01", "--source", "s", "x.csv"}).code, 64);
  EXPECT_EQ(Import({"--db", db_, "--source", "Bad Name", "x.csv"}).code, 64);
  EXPECT_EQ(Import({"--db", db_, "--as-of", "2024-02-31", "--source", "s", "x.csv"}).code, 64);
  Outcome missing = Import({"--db", db_, "x.csv", "--report"});
  EXPECT_EQ(missing.code, 64);
  EXPECT_TRUE(missing.err.starts_with("carefinder import: bad option '--report' (needs a value)\n\n"
                                      "usage: carefinder import ")) << missing.err;
  EXPECT_TRUE(Import({"--dry-run", "x.csv"}, /*check=*/true)
                  .err.starts_with("carefinder check: bad option '--dry-run'\n\nusage: carefinder check "));
  EXPECT_FALSE(fs::exists(db_));
}

TEST_F(ImporterCli, HelpListsTheExitCodes) {
  Outcome r = Import({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.out.starts_with("usage: carefinder import [--db PATH] [--gazetteer DIR] [--dry-run] [--strict] [--prune]"));
  for (const char* line : {"  0   every row loaded", "  1   some rows rejected", "  2   an input file",
                           "  64  usage error", "  70  database or internal error",
                           "  75  another import is writing the database"}) {
    EXPECT_NE(r.out.find(line), std::string::npos) << line;
  }
}

TEST_F(ImporterCli, CheckNeedsNoDatabase) {
  Outcome r = Import({kFixtures + "valid_listings.csv"}, /*check=*/true);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("result: checked (counts are against an empty database): nothing written\n"),
            std::string::npos);
}

TEST_F(ImporterCli, DatabaseErrorExitsSeventy) {
  Write("not.db", "this is not a database file, just text, long enough to fail the header.......");
  Outcome r = Import({"--db", (dir_ / "not.db").string(), kFixtures + "valid_listings.csv"});
  EXPECT_EQ(r.code, 70);
}

TEST_F(ImporterCli, HistoryListsRuns) {
  ASSERT_EQ(Import({"--db", db_, "--gazetteer", kFixtures + "gazetteer",
                    kFixtures + "valid_listings.csv"}).code, 0);
  ::testing::internal::CaptureStdout();
  int code = RunHistoryCommand({"--db", db_});
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0);
  EXPECT_TRUE(out.starts_with("run 1  ")) << out;
  EXPECT_NE(out.find("  3 added  0 changed  0 unchanged  0 merged  0 inactivated  0 rejected  " + kFixtures +
                     "valid_listings.csv\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace carefinder::importer
