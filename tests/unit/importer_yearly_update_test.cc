// A maintainer's yearly update: SAMHSA's National Directory imported as one
// edition, then the next with --prune. Two small editions built from real
// rows of the 2023 directory (tests/fixtures/importer/samhsa-directory-editions:
// Birmingham, AL): the newer one adds Bradford Health Services, changes the
// phone of Aletheia House at 201 Finley Avenue and drops buprenorphine at its
// Men Only house, restates three facilities as they were, and no longer lists
// Fellowship House. The report must count exactly that.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "db/database.h"
#include "importer/cli.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::importer {
namespace {

using nlohmann::json;

const std::string kEditions = CF_SOURCE_DIR "/tests/fixtures/importer/samhsa-directory-editions/";

class YearlyUpdateTest : public carefinder::testing::ScratchDirTest {
 protected:
  json Import(const std::string& file, const std::string& as_of, bool prune) {
    std::vector<std::string> args = {"--db", Path("t.db"), "--gazetteer", CF_SOURCE_DIR "/data/gazetteer",
                                     "--source", "samhsa-national-directory-su", "--as-of", as_of,
                                     "--report", "json"};
    if (prune) args.push_back("--prune");
    args.push_back(kEditions + file);
    ::testing::internal::CaptureStdout();
    int code = RunImportCommand(args, false);
    std::string out = ::testing::internal::GetCapturedStdout();
    EXPECT_EQ(code, 0) << out;
    json j = json::parse(out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << out;
    return j;
  }
  std::string One(const std::string& sql) {
    auto db = db::Database::Open(Path("t.db"), db::OpenMode::kReadOnly);
    EXPECT_TRUE(db);
    if (!db) return "";
    auto stmt = (*db)->Prepare(sql);
    EXPECT_TRUE(stmt) << sql;
    return stmt && stmt->Step().value_or(false) ? stmt->ColumnString(0) : "<none>";
  }
};

TEST_F(YearlyUpdateTest, TheNextEditionWithPruneCountsAddedChangedRestatedAndInactive) {
  json first = Import("su_2022.csv", "2022-01-01", false);
  EXPECT_EQ(first["added"], 6);
  EXPECT_EQ(first["files"][0]["format"], "samhsa-directory");

  json next = Import("su_2023.csv", "2023-01-01", true);
  EXPECT_EQ(next["added"], 1);      // Bradford Health Services
  EXPECT_EQ(next["changed"], 2);    // a phone, a medication
  EXPECT_EQ(next["restated"], 3);   // the same, as of 2023
  EXPECT_EQ(next["unchanged"], 0);
  EXPECT_EQ(next["inactivated"], 1);
  ASSERT_EQ(next["inactivated_listings"].size(), 1u);
  EXPECT_TRUE(next["inactivated_listings"][0]["last_seen"].get<std::string>().ends_with("su_2022.csv:7"))
      << next["inactivated_listings"];  // Fellowship House, line 7 of the older edition
  std::set<std::string> fields;
  for (const auto& c : next["changes"]) {
    for (const auto& f : c["fields"]) fields.insert(f.get<std::string>());
  }
  EXPECT_TRUE(fields.contains("phones")) << next["changes"];
  EXPECT_TRUE(fields.contains("terms.medication")) << next["changes"];

  EXPECT_EQ(One("SELECT status FROM listing WHERE organization = 'Fellowship House Inc'"), "inactive");
  EXPECT_EQ(One("SELECT count(*) FROM listing WHERE status = 'active'"), "6");
  EXPECT_EQ(One("SELECT json_extract(listing_doc(doc), '$.source.as_of') FROM listing "
                "WHERE organization = 'Birmingham Metro Treatment Center'"), "2023-01-01");
  EXPECT_EQ(One("SELECT services_stated FROM listing WHERE organization = 'Bradford Health Services'"), "1");
}

}  // namespace
}  // namespace carefinder::importer
