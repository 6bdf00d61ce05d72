// Unit tests for src/store/text_filter: common words' sets built ahead with
// the snapshot, and built once when many requests need one at the same time.
#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <thread>

#include "db/database.h"
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
  auto tax = Taxonomy::Load(**db);
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
