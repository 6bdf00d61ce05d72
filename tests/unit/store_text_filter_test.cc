// Unit tests for src/store/text_filter: common words' sets built ahead with
// the snapshot, and built once when many requests need one at the same time.
#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <filesystem>
#include <thread>

#include "db/database.h"
#include "store/connection.h"
#include "store/label_words.h"
#include "store/listing_index.h"
#include "store/taxonomy.h"
#include "store/text_filter.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::store {
namespace {

size_t Count(const WordSetCache::Bits& bits) {
  size_t n = 0;
  for (uint64_t word : bits) n += std::popcount(word);
  return n;
}

TEST(PrebuildCommonWords, BuildsTheCommonestWordsAsPrefixesWithTheirMatches) {
  std::string path = testing::UniqueTempPath("text_filter_test.db");
  auto listings = testing::DefaultListings();
  for (auto& l : testing::ClinicListings(25)) listings.push_back(l);
  testing::WriteFixtureDb(path, listings);
  auto db = db::Database::Open(path, db::OpenMode::kReadOnly);
  ASSERT_TRUE(db) << db.error().message;
  auto tax = LoadTaxonomy(**db);
  ASSERT_TRUE(tax) << tax.error().message;
  auto idx = ListingIndex::Build(**db, *tax);
  ASSERT_TRUE(idx) << idx.error().message;

  WordSetCache cache;
  auto words = PrebuildCommonWords(**db, *idx, cache, /*min_listings=*/20, /*max_words=*/3);
  ASSERT_TRUE(words) << words.error().message;
  ASSERT_EQ(words->size(), 3u);  // the 25 clinics share several words
  size_t previous = SIZE_MAX;
  for (const std::string& fts : *words) {
    EXPECT_EQ(fts.back(), '*') << fts << ": a one-word search's form, a prefix";
    auto bits = cache.Find(fts);
    ASSERT_TRUE(bits) << fts;
    // The set holds exactly the index entries FTS5 finds for the word.
    auto rows = (*db)->Prepare("SELECT rowid FROM listing_fts WHERE listing_fts MATCH ?");
    ASSERT_TRUE(rows);
    rows->Bind(1, fts);
    size_t expected = 0;
    while (true) {
      auto row = rows->Step();
      ASSERT_TRUE(row);
      if (!*row) break;
      auto i = idx->FindRowid(rows->ColumnInt(0));
      if (!i) continue;
      ++expected;
      EXPECT_TRUE(((*bits)[*i / 64] >> (*i % 64)) & 1) << fts << " misses entry " << *i;
    }
    EXPECT_EQ(Count(*bits), expected) << fts;
    EXPECT_GT(expected, 20u) << fts;
    EXPECT_LE(expected, previous) << fts << ": commonest first";
    previous = expected;
  }
  // A word no listing has often enough is left to the requests.
  auto none = PrebuildCommonWords(**db, *idx, cache, /*min_listings=*/1000);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

// A word with more matches than a search reads row by row (2000) but fewer
// than its budget (4 a candidate) was read whole: its set is kept, so the
// next search with it reads no rows (1e6: ~6 ms a search before, every
// time). A rarer word is kept as its sorted entries, and the next search
// with it reads nothing either: it is answered through a connection to a
// file with no full-text table, where a word not kept fails.
TEST(FilterByWords, KeepsTheSetOfAWordItReadWhole) {
  std::string path = testing::UniqueTempPath("text_filter_keep_test.db");
  auto listings = testing::ClinicListings(2100);  // "clinic" in every one, "1000" in one
  testing::WriteFixtureDb(path, listings);
  auto db = db::Database::Open(path, db::OpenMode::kReadOnly);
  ASSERT_TRUE(db) << db.error().message;
  auto tax = LoadTaxonomy(**db);
  ASSERT_TRUE(tax) << tax.error().message;
  auto idx = ListingIndex::Build(**db, *tax);
  ASSERT_TRUE(idx) << idx.error().message;
  auto opened = db::Database::Open(path, db::OpenMode::kReadOnly);
  ASSERT_TRUE(opened);
  Connection c(std::move(*opened));
  auto labels = LabelWords::Build(*tax);
  ASSERT_TRUE(labels) << labels.error().message;
  WordSetCache cache;
  auto every = [&] {
    std::vector<Candidate> cands;
    for (uint32_t i = 0; i < idx->size(); ++i) cands.push_back({i, 1.0, 0});
    return cands;
  };
  std::vector<Candidate> cands = every();
  ASSERT_TRUE(FilterByWords(c, *idx, cache, **labels, {"clinic"}, cands));
  EXPECT_EQ(cands.size(), 2100u);
  auto kept = cache.Find("\"clinic\"*");
  ASSERT_TRUE(kept) << "the set of a word read whole is kept";
  EXPECT_EQ(Count(*kept), 2100u);
  cands = every();
  ASSERT_TRUE(FilterByWords(c, *idx, cache, **labels, {"1000"}, cands));
  ASSERT_EQ(cands.size(), 1u);
  EXPECT_EQ(idx->rowid(cands[0].entry), 1001);
  EXPECT_FALSE(cache.Find("\"1000\"*")) << "a rare word is not kept as a bitset";
  auto rare = cache.FindRare("\"1000\"*");
  ASSERT_TRUE(rare) << "a rare word read whole is kept as its entries";
  EXPECT_EQ(*rare, WordSetCache::Entries{cands[0].entry});

  std::string empty_path = testing::UniqueTempPath("text_filter_no_fts.db");
  std::filesystem::remove(empty_path);
  auto empty = db::Database::Open(empty_path, db::OpenMode::kCreate);
  ASSERT_TRUE(empty) << empty.error().message;
  ASSERT_TRUE((*empty)->Exec("DROP TABLE listing_fts"));
  Connection no_fts(std::move(*empty));
  cands = every();
  ASSERT_TRUE(FilterByWords(no_fts, *idx, cache, **labels, {"1000"}, cands));
  ASSERT_EQ(cands.size(), 1u);
  EXPECT_EQ(idx->rowid(cands[0].entry), 1001);
  cands = every();
  EXPECT_FALSE(FilterByWords(no_fts, *idx, cache, **labels, {"1001"}, cands))
      << "a word not kept reads the full-text table";
  std::filesystem::remove(empty_path);
}

// The rare words' entries stay under a bound: the oldest ones make room.
TEST(WordSetCache, RareWordsStayUnderTheirBound) {
  WordSetCache cache;
  auto big = std::make_shared<const WordSetCache::Entries>((size_t{1} << 19) + 1, 7u);
  cache.PutRare("\"a\"", big);
  cache.PutRare("\"b\"", big);
  EXPECT_TRUE(cache.FindRare("\"b\"")) << "the newest is kept";
  EXPECT_FALSE(cache.FindRare("\"a\"")) << "kMaxRareEntries at most: the other made room";
  auto small = std::make_shared<const WordSetCache::Entries>(WordSetCache::Entries{1, 2, 3});
  cache.PutRare("\"c\"", small);
  EXPECT_TRUE(cache.FindRare("\"b\""));
  EXPECT_TRUE(cache.FindRare("\"c\""));
}

// Words with no match are kept as empty lists: their number is bounded too
// (a client sending a new made-up word each time must not grow the cache).
TEST(WordSetCache, WordsWithNoMatchStayUnderTheWordBound) {
  WordSetCache cache;
  auto none = std::make_shared<const WordSetCache::Entries>();
  const size_t sent = WordSetCache::kMaxRareWords + 100;
  for (size_t i = 0; i < sent; ++i) cache.PutRare("\"w" + std::to_string(i) + "\"", none);
  size_t kept = 0;
  for (size_t i = 0; i < sent; ++i) kept += cache.FindRare("\"w" + std::to_string(i) + "\"") != nullptr;
  EXPECT_LE(kept, WordSetCache::kMaxRareWords);
  EXPECT_TRUE(cache.FindRare("\"w" + std::to_string(sent - 1) + "\"")) << "the newest is kept";
}

TEST(WordSetCache, RequestsNeedingTheSameWordAtOnceBuildItOnce) {
  WordSetCache cache;
  std::atomic<int> builds = 0;
  auto build = [&]() -> Result<std::shared_ptr<const WordSetCache::Bits>> {
    ++builds;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a long doclist
    return std::make_shared<const WordSetCache::Bits>(WordSetCache::Bits{0b101});
  };
  std::vector<std::shared_ptr<const WordSetCache::Bits>> got(8);
  std::vector<std::thread> requests;
  for (size_t i = 0; i < got.size(); ++i) {
    requests.emplace_back([&, i] {
      auto bits = cache.FindOrBuild("\"recovery\"*", build);
      if (bits) got[i] = *bits;
    });
  }
  for (auto& t : requests) t.join();
  EXPECT_EQ(builds.load(), 1);
  for (const auto& bits : got) EXPECT_EQ(bits, got[0]);
  EXPECT_EQ(cache.Find("\"recovery\"*"), got[0]);
}

TEST(WordSetCache, AFailedBuildIsNotKeptAndTheNextRequestTriesAgain) {
  WordSetCache cache;
  auto fails = []() -> Result<std::shared_ptr<const WordSetCache::Bits>> {
    return Fail(Error::Timeout("the search took too long"));
  };
  EXPECT_FALSE(cache.FindOrBuild("\"center\"*", fails));
  EXPECT_EQ(cache.Find("\"center\"*"), nullptr);
  auto ok = cache.FindOrBuild("\"center\"*", [] {
    return Result<std::shared_ptr<const WordSetCache::Bits>>(std::make_shared<const WordSetCache::Bits>(1, 1));
  });
  ASSERT_TRUE(ok);
  EXPECT_EQ(cache.Find("\"center\"*"), *ok);
}

}  // namespace
}  // namespace carefinder::store
