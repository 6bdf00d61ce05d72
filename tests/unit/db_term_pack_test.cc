// Unit tests for listing.terms packed as term keys (src/db/term_pack.h), on a
// real SQLite file with terms of its own.
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/term_pack.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::db {
namespace {

class TermPackTest : public carefinder::testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    auto db = Database::Open(Path("t.db"), OpenMode::kCreate);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Exec("INSERT INTO taxonomy(id, name, description) VALUES ('tx', 't', 'x')"));
    // Keys 1, 2 and 300 (two bytes as a varint).
    AddTerm(1, "detox");
    AddTerm(2, "medicaid");
    AddTerm(300, "en");
  }
  void AddTerm(int64_t key, const std::string& code) {
    auto ins = db_->Prepare("INSERT INTO taxonomy_term(rowid, id, code, term_group, name, description, "
                            "taxonomy_id, position) VALUES (?1, 'id-' || ?2, ?2, 'care', ?2, 'x', 'tx', 0)");
    ASSERT_TRUE(ins);
    ASSERT_TRUE(ins->Bind(1, key).Bind(2, code).Run());
  }
  std::string One(const std::string& sql) {
    auto s = db_->Prepare(sql);
    if (!s) return "prepare failed: " + s.error().message;
    auto row = s->Step();
    if (!row) return "error: " + row.error().message;
    return *row ? s->ColumnString(0) : "no row";
  }
  std::unique_ptr<Database> db_;
};

TEST_F(TermPackTest, CodesPackToTheirKeysAndBackInTheirOrder) {
  auto packed = db_->PackTerms(" medicaid en detox ");
  ASSERT_TRUE(packed) << packed.error().message;
  std::string expected;
  AppendTermKey(expected, 2);
  AppendTermKey(expected, 300);
  AppendTermKey(expected, 1);
  EXPECT_EQ(*packed, expected);
  EXPECT_EQ(packed->size(), 4u);  // 300 takes two bytes
  auto text = db_->UnpackTerms(*packed);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, " medicaid en detox ");
  EXPECT_EQ(*db_->PackTerms(""), "");
  EXPECT_EQ(*db_->UnpackTerms(""), " ");
}

TEST_F(TermPackTest, AnUnknownCodeOrKeyOrACutKeyIsAnErrorNeverOtherTerms) {
  auto packed = db_->PackTerms(" detox no-such-code ");
  ASSERT_FALSE(packed);
  EXPECT_EQ(packed.error().code, ErrorCode::kDatabase);
  EXPECT_NE(packed.error().message.find("no-such-code"), std::string::npos);
  std::string unknown;
  AppendTermKey(unknown, 7);
  auto text = db_->UnpackTerms(unknown);
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("taxonomy term 7"), std::string::npos) << text.error().message;
  std::string cut;
  AppendTermKey(cut, 300);
  cut.pop_back();
  EXPECT_FALSE(db_->UnpackTerms(cut));
}

TEST_F(TermPackTest, ATermAddedAfterTheTermsWereReadIsFound) {
  ASSERT_TRUE(db_->PackTerms(" detox "));  // reads the terms
  AddTerm(5, "naloxone");
  auto packed = db_->PackTerms(" naloxone ");
  ASSERT_TRUE(packed) << packed.error().message;
  EXPECT_EQ(*db_->UnpackTerms(*packed), " naloxone ");
}

TEST_F(TermPackTest, SqlReadsAndWritesThemAndReadsTextAsItIs) {
  EXPECT_EQ(One("SELECT listing_terms(listing_terms_pack(' en detox '))"), " en detox ");
  EXPECT_EQ(One("SELECT typeof(listing_terms_pack(' en '))"), "blob");
  EXPECT_EQ(One("SELECT listing_terms(' hand written ')"), " hand written ");
  EXPECT_EQ(One("SELECT listing_terms(NULL) IS NULL"), "1");
  EXPECT_EQ(One("SELECT listing_terms(x'07')").rfind("error: ", 0), 0u);
}

}  // namespace
}  // namespace carefinder::db
