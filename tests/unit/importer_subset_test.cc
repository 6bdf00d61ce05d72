// Unit tests for the subset guard (importer/subset_guard.h): a listing
// merged from two sources keeps what both gave when one of them is imported
// alone, because that import is refused (exit 65) naming the other source.
#include <gtest/gtest.h>

#include <string>

#include "db/database.h"
#include "importer/cli.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::importer {
namespace {

const std::string kHeader =
    "source,source_key,as_of,organization,name,address1,city,state,zip,latitude,longitude,"
    "phones,care\n";

// The same facility (name, street, ZIP) as each source lists it.
std::string Facility(const std::string& source, const std::string& phone,
                     const std::string& care) {
  return kHeader + source + ",liberty,2026-11-01,Liberty House Recovery,Detox,712 The Terrace," +
         "Redlands,CA,92374,34.0556,-117.1825," + phone + "," + care + "\n";
}

struct Outcome {
  int code;
  std::string out, err;
};

Outcome Import(const std::vector<std::string>& args) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int code = RunImportCommand(args, false);
  std::string out = ::testing::internal::GetCapturedStdout();
  return {code, out, ::testing::internal::GetCapturedStderr()};
}

class SubsetImport : public carefinder::testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    db_ = Path("t.db");
    a_ = Write("a.csv", Facility("source-a", "(909) 488-7181", "detox"));
    b_ = Write("b.csv", Facility("source-b", "(909) 555-0142", "outpatient"));
    Outcome both = Import({"--db", db_, a_, b_});
    ASSERT_EQ(both.code, 0) << both.out << both.err;
    ASSERT_NE(both.out.find("1 merged"), std::string::npos) << both.out;
  }

  // "listings phones terms" of the database.
  std::string Counts() {
    auto db = db::Database::Open(db_, db::OpenMode::kReadOnly);
    if (!db) return db.error().message;
    auto stmt = (*db)->Prepare(
        "SELECT (SELECT count(*) FROM listing) || ' listings, ' || (SELECT count(*) FROM phone) || "
        "' phones, ' || (SELECT count(*) FROM attribute) || ' terms, ' || "
        "(SELECT group_concat(status) FROM listing) FROM (SELECT 1)");
    return stmt && stmt->Step().value_or(false) ? stmt->ColumnString(0) : "?";
  }

  std::string db_, a_, b_;
};

TEST_F(SubsetImport, ImportingOneMergedSourceAloneIsRefusedAndStripsNothing) {
  const std::string merged = Counts();
  EXPECT_EQ(merged.substr(0, 20), "1 listings, 2 phones");
  Outcome alone = Import({"--db", db_, a_});
  EXPECT_EQ(alone.code, 65) << alone.out << alone.err;
  EXPECT_NE(alone.out.find("error: this run imports only some of the sources of 1 merged listing, "
                           "and would strip them of what the other sources gave (phones, "
                           "services, status): import it together with source 'source-b' (" +
                           b_ + "); first: " + a_ + ":2 is in a listing that source 'source-b' "
                           "also gives\n"),
            std::string::npos)
      << alone.out;
  EXPECT_NE(alone.out.find("result: refused: nothing written"), std::string::npos) << alone.out;
  EXPECT_EQ(Counts(), merged);
}

TEST_F(SubsetImport, ImportingEverySourceAgainGoesThrough) {
  Outcome both = Import({"--db", db_, b_, a_});
  EXPECT_EQ(both.code, 0) << both.out << both.err;
  EXPECT_NE(both.out.find("1 unchanged"), std::string::npos) << both.out;
}

TEST_F(SubsetImport, ASourceNewToTheDatabaseMayComeAlone) {
  std::string c = Write("c.csv", kHeader + "source-c,hope,2026-11-01,Hope Clinic,Outpatient,"
                                           "1500 Barton Road,Redlands,CA,92373,34.0371,-117.1979,"
                                           "(909) 555-0143,outpatient\n");
  Outcome alone = Import({"--db", db_, c});
  EXPECT_EQ(alone.code, 0) << alone.out << alone.err;
}

}  // namespace
}  // namespace carefinder::importer
