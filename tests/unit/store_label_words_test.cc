// Unit tests for src/store/label_words: the taxonomy's labels matched as
// listing_fts would match them, and listing_fts built with the same
// tokenizer and without the labels.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/taxonomy.h"
#include "core/text.h"
#include "db/database.h"
#include "store/label_words.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::store {
namespace {

class LabelWordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto built = LabelWords::Build(taxonomy_);
    ASSERT_TRUE(built) << built.error().message;
    labels_ = std::move(*built);
  }
  // The codes of the terms whose label `fts` matches.
  std::set<std::string> Codes(const std::string& fts) {
    auto terms = labels_->Terms(fts);
    EXPECT_TRUE(terms) << terms.error().message;
    std::set<std::string> out;
    for (int t : terms ? *terms : std::vector<int>{}) out.insert(taxonomy_.terms()[static_cast<size_t>(t)].code);
    return out;
  }
  // The codes whose label has `word` as a word, by a plain ASCII split.
  std::set<std::string> HavingWord(const std::string& word) {
    std::set<std::string> out;
    for (const Term& t : taxonomy_.terms()) {
      std::string w;
      for (char ch : t.label + " ") {
        if (std::isalnum(static_cast<unsigned char>(ch))) {
          w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
        } else {
          if (w == word) out.insert(t.code);
          w.clear();
        }
      }
    }
    return out;
  }
  const Taxonomy& taxonomy_ = Taxonomy::Embedded();
  std::shared_ptr<const LabelWords> labels_;
};

TEST_F(LabelWordsTest, AWordMatchesEveryLabelThatHoldsIt) {
  // Only detox's label, "Detox (withdrawal management)", has the word.
  EXPECT_EQ(Codes("\"management\""), std::set<std::string>{"detox"});
  const std::set<std::string> detox = HavingWord("detox");
  EXPECT_GE(detox.size(), 5u);  // Detox, Hospital detox, Residential detox, ...
  EXPECT_EQ(Codes("\"detox\""), detox);
  EXPECT_EQ(Codes("\"residential\""), HavingWord("residential"));
  EXPECT_TRUE(Codes("\"xyzzy\"*").empty());
}

TEST_F(LabelWordsTest, CaseAndDiacriticsFoldAndOnlyTheLastWordIsAPrefix) {
  EXPECT_EQ(Codes("\"DÉTOX\""), HavingWord("detox"));
  EXPECT_TRUE(Codes("\"withdr\"").empty()) << "a whole word, not a prefix";
  EXPECT_EQ(Codes("\"withdr\"*"), std::set<std::string>{"detox"});
  EXPECT_EQ(Codes("\"cog\"*"), std::set<std::string>{"cbt"});
}

// The lookup among the labels' tokens answers as FTS5 does: every word of
// every label, in upper and lower case, each of its prefixes as a last
// word, words no label has, and words with other characters (matched by
// FTS5 itself).
TEST_F(LabelWordsTest, TheTokenLookupAnswersAsFts5Does) {
  std::set<std::string> words = {"xyzzy", "zz", "0", "12", "a", "Detoxx", "DÉTOX", "peer-support"};
  for (const Term& t : taxonomy_.terms()) {
    std::string w;
    for (char ch : t.label + " ") {
      if (std::isalnum(static_cast<unsigned char>(ch))) {
        w.push_back(ch);
      } else if (!w.empty()) {
        words.insert(w);
        words.insert(text::ToLower(w));
        for (size_t n = 1; n < w.size(); ++n) words.insert(w.substr(0, n));
        w.clear();
      }
    }
  }
  size_t matched = 0;
  for (const std::string& w : words) {
    for (const char* suffix : {"", "*"}) {
      const std::string fts = "\"" + w + "\"" + suffix;
      auto fast = labels_->Terms(fts);
      auto fts5 = labels_->MatchedByFts5(fts);
      ASSERT_TRUE(fast && fts5) << fts;
      EXPECT_EQ(*fast, *fts5) << fts;
      matched += !fts5->empty();
    }
  }
  EXPECT_GT(words.size(), 300u);
  EXPECT_GT(matched, 300u);
}

// listing_fts tokenizes with kFullTextTokenizer, and a listing's terms'
// labels are not among its columns: searches match them here.
TEST(ListingFts, HasTheLabelsTokenizerAndNoLabelsColumn) {
  std::string path = testing::UniqueTempPath("label_words_schema.db");
  auto db = db::Database::Open(path, db::OpenMode::kCreate);
  ASSERT_TRUE(db) << db.error().message;
  auto sql = (*db)->Prepare("SELECT sql FROM sqlite_master WHERE name = 'listing_fts'");
  ASSERT_TRUE(sql);
  auto row = sql->Step();
  ASSERT_TRUE(row && *row);
  const std::string create = sql->ColumnString(0);
  EXPECT_NE(create.find(std::string("tokenize = '") + kFullTextTokenizer + "'"), std::string::npos) << create;
  auto columns = (*db)->Prepare("SELECT group_concat(name, ' ') FROM pragma_table_info('listing_fts')");
  ASSERT_TRUE(columns);
  ASSERT_TRUE(columns->Step());
  EXPECT_EQ(columns->ColumnString(0), "name organization description place");
}

}  // namespace
}  // namespace carefinder::store
