// SortedRows and BatchInsert (importer/load/sorted_rows.h): rows come out in key
// order (bytes; equal keys in the order they were added), several rows an
// entry, every value kind, batches of 64 and a partial last batch, and the
// owner of the row that failed; rows past one chunk of the arena (32 MB),
// an entry begun in one chunk and ended in the next, and a value bigger than
// a chunk.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "db/database.h"
#include "importer/load/sorted_rows.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::importer {
namespace {

// `seq` records the order rows were inserted in.
constexpr const char* kTable =
    "CREATE TABLE t (seq INTEGER PRIMARY KEY, k TEXT NOT NULL, v, n INTEGER UNIQUE)";
constexpr BulkSql kInsert = {"INSERT INTO t (k, v, n) VALUES ", 3, ""};

class SortedRowsTest : public testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    auto db = db::Database::Open(Path("rows.db"), db::OpenMode::kCreate);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Exec(kTable));
  }
  // "k|v|n" per row in insertion order; NULL as "-".
  std::vector<std::string> Rows() {
    auto s = db_->Prepare("SELECT k, v, n, typeof(v) FROM t ORDER BY seq");
    std::vector<std::string> out;
    while (*s->Step()) {
      std::string v = s->ColumnIsNull(1) ? "-" : s->ColumnString(3) + ":" + s->ColumnString(1);
      out.push_back(s->ColumnString(0) + "|" + v + "|" +
                    (s->ColumnIsNull(2) ? "-" : s->ColumnString(2)));
    }
    return out;
  }
  std::unique_ptr<db::Database> db_;
};

TEST_F(SortedRowsTest, WritesEntriesInKeyOrderWhateverTheOrderAdded) {
  SortedRows rows(3);
  int n = 0;
  for (const char* key : {"delta", "alpha", "charlie", "bravo"}) {
    rows.Add(key, 0);
    rows.Text(key).Text("x").Int(++n);
  }
  uint32_t failed = 99;
  ASSERT_TRUE(rows.Write(*db_, kInsert, &failed));
  EXPECT_EQ(Rows(), (std::vector<std::string>{"alpha|text:x|2", "bravo|text:x|4",
                                              "charlie|text:x|3", "delta|text:x|1"}));
}

TEST_F(SortedRowsTest, KeysCompareAsBytesPastTheirFirstEightAndEqualKeysKeepTheirOrder) {
  SortedRows rows(3);
  // The same first 8 bytes: the order is decided by the rest.
  rows.Add("abcdefgh-2", 0), rows.Text("abcdefgh-2").Null().Int(1);
  rows.Add("abcdefgh-1", 0), rows.Text("abcdefgh-1 first").Null().Int(2);
  rows.Add("abcdefgh-1", 0), rows.Text("abcdefgh-1 second").Null().Int(3);
  rows.Add("B", 0), rows.Text("B").Null().Int(4);  // 'B' < 'a'
  uint32_t failed = 0;
  ASSERT_TRUE(rows.Write(*db_, kInsert, &failed));
  EXPECT_EQ(Rows(), (std::vector<std::string>{"B|-|4", "abcdefgh-1 first|-|2",
                                              "abcdefgh-1 second|-|3", "abcdefgh-2|-|1"}));
}

TEST_F(SortedRowsTest, AnEntryMayHoldSeveralRowsWrittenInTheOrderAdded) {
  SortedRows rows(3);
  rows.Add("b", 0);
  rows.Text("b").Text("1").Int(1).Text("b").Text("2").Int(2);
  rows.Add("a", 0);
  rows.Text("a").Text("1").Int(3);
  uint32_t failed = 0;
  ASSERT_TRUE(rows.Write(*db_, kInsert, &failed));
  EXPECT_EQ(Rows(), (std::vector<std::string>{"a|text:1|3", "b|text:1|1", "b|text:2|2"}));
}

TEST_F(SortedRowsTest, EveryValueKindIsWrittenAsItsSqliteType) {
  SortedRows rows(3);
  std::string long_text(300, 'z');  // Borrowed past 256 bytes: not copied, must outlive Write
  rows.Add("1", 0), rows.Text("1").Real(2.5).Int(1);
  rows.Add("2", 0), rows.Text("2").Real(std::nullopt).Int(2);
  rows.Add("3", 0), rows.Text("3").TextOrNull("").Null();
  rows.Add("4", 0), rows.Text("4").Borrowed(long_text).Int(4);
  rows.Add("5", 0), rows.Text("5").BorrowedOrNull("short").Int(5);
  uint32_t failed = 0;
  ASSERT_TRUE(rows.Write(*db_, kInsert, &failed));
  EXPECT_EQ(Rows(), (std::vector<std::string>{"1|real:2.5|1", "2|-|2", "3|-|-",
                                              "4|text:" + long_text + "|4", "5|text:short|5"}));
}

TEST_F(SortedRowsTest, MoreRowsThanOneBatchAreAllWrittenInOrder) {
  SortedRows rows(3);
  constexpr int kRows = 64 * 2 + 7;  // two full batches and a partial one
  for (int i = kRows - 1; i >= 0; --i) {
    char key[8];
    std::snprintf(key, sizeof key, "%04d", i);
    rows.Add(key, static_cast<uint32_t>(i));
    rows.Text(key).Null().Int(i);
  }
  uint32_t failed = 0;
  ASSERT_TRUE(rows.Write(*db_, kInsert, &failed));
  std::vector<std::string> got = Rows();
  ASSERT_EQ(got.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(got.front(), "0000|-|0");
  EXPECT_EQ(got[64], "0064|-|64");
  EXPECT_EQ(got.back(), "0134|-|134");
}

TEST_F(SortedRowsTest, AFailedRowInABatchNamesItsOwner) {
  SortedRows rows(3);
  for (int i = 0; i < 100; ++i) {
    char key[8];
    std::snprintf(key, sizeof key, "%04d", i);
    rows.Add(key, static_cast<uint32_t>(1000 + i));
    rows.Text(key).Null().Int(i == 70 ? 3 : i);  // row 70 repeats n = 3: UNIQUE fails
  }
  uint32_t failed = 0;
  auto s = rows.Write(*db_, kInsert, &failed);
  ASSERT_FALSE(s);
  EXPECT_EQ(failed, 1070u);
  EXPECT_NE(s.error().message.find("UNIQUE"), std::string::npos) << s.error().message;
}

TEST_F(SortedRowsTest, RowsPastOneChunkKeepTheirKeysValuesAndOrder) {
  // 120,000 entries of two 150-byte rows (about 40 MB: the arena's chunks
  // are 32 MB, so entries cross from one chunk to the next, most of them
  // begun in one and ended in the other), added in shuffled order, and one
  // value bigger than a chunk.
  constexpr int kEntries = 120000;
  std::vector<int> order(kEntries);
  for (int i = 0; i < kEntries; ++i) order[static_cast<size_t>(i)] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(12));
  auto value = [](int i, int r) {
    std::string v(150, static_cast<char>('a' + (i + r) % 26));
    std::snprintf(v.data(), 16, "%07d/%d", i, r);
    return v;
  };
  SortedRows rows(3);
  const std::string big((32 << 20) + 1, 'q');
  for (size_t n = 0; n < order.size(); ++n) {
    int i = order[n];
    char key[16];
    std::snprintf(key, sizeof key, "k%07d", i);
    rows.Add(key, static_cast<uint32_t>(i));
    rows.Text(key).Text(value(i, 0)).Int(2 * i);
    rows.Text(key).Text(value(i, 1)).Int(2 * i + 1);
    if (n == order.size() / 2) rows.Add("k9999999", 0), rows.Text("k9999999").Text(big).Int(-1);
  }
  uint32_t failed = 0;
  ASSERT_TRUE(rows.Write(*db_, kInsert, &failed));
  auto s = db_->Prepare("SELECT k, v, n FROM t ORDER BY seq");
  ASSERT_TRUE(s);
  int i = 0;
  while (*s->Step() && i < 2 * kEntries) {
    char key[16];
    std::snprintf(key, sizeof key, "k%07d", i / 2);
    ASSERT_EQ(s->ColumnString(0), key);
    ASSERT_EQ(s->ColumnString(1), value(i / 2, i % 2)) << "row " << i;
    ASSERT_EQ(s->ColumnInt(2), i);
    ++i;
  }
  ASSERT_EQ(i, 2 * kEntries);
  EXPECT_EQ(s->ColumnString(0), "k9999999");
  EXPECT_TRUE(s->ColumnString(1) == big);
  EXPECT_FALSE(*s->Step());
}

TEST(KeyPrefix, OrdersAsTheFirstEightBytes) {
  EXPECT_LT(KeyPrefix("abc"), KeyPrefix("abd"));
  EXPECT_LT(KeyPrefix("ab"), KeyPrefix("ab\x01"));
  EXPECT_EQ(KeyPrefix("abcdefgh1"), KeyPrefix("abcdefgh2"));
  EXPECT_LT(KeyPrefix("\x7f"), KeyPrefix("\x80")) << "bytes compare unsigned";
}

}  // namespace
}  // namespace carefinder::importer
