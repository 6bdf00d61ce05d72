// CsvReader and CsvTable (src/core/csv.h) at the record level: RFC 4180
// quoting, line endings, empty fields, the line a record starts on, and the
// header's lookups. (core_test.cc keeps the older CsvTable cases: spanning
// lines, an unterminated quote and the record bound.)
#include <gtest/gtest.h>

#include <sstream>

#include "core/csv.h"

namespace carefinder {
namespace {

using Fields = std::vector<std::string>;

// Every record of `text`, or the first error's message as the last record.
std::vector<Fields> ReadAll(const std::string& text, size_t bound = kMaxCsvRecordBytes) {
  std::istringstream in(text);
  CsvReader reader(in, bound);
  std::vector<Fields> out;
  Fields fields;
  while (true) {
    auto more = reader.Next(fields);
    if (!more) return out.push_back({"error: " + more.error().message}), out;
    if (!*more) return out;
    out.push_back(fields);
  }
}

TEST(CsvReader, SplitsOnCommasAndKeepsEmptyFields) {
  EXPECT_EQ(ReadAll("a,,c,\n"), (std::vector<Fields>{{"a", "", "c", ""}}));
}

TEST(CsvReader, QuotedFieldsKeepCommasQuotesAndLineBreaks) {
  EXPECT_EQ(ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"1\n2\"\n"),
            (std::vector<Fields>{{"a,b", "say \"hi\"", "1\n2"}}));
}

TEST(CsvReader, CrLfAndLfEndingsAndAMissingLastNewlineReadTheSame) {
  const std::vector<Fields> want = {{"1", "2"}, {"3", "4"}};
  EXPECT_EQ(ReadAll("1,2\r\n3,4\r\n"), want);
  EXPECT_EQ(ReadAll("1,2\n3,4\n"), want);
  EXPECT_EQ(ReadAll("1,2\n3,4"), want);
}

TEST(CsvReader, LineIsWhereTheRecordStartsAfterMultiLineFields) {
  std::istringstream in("x\n\"a\nb\nc\"\ny\n");
  CsvReader reader(in);
  Fields f;
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(reader.line(), 1);
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(reader.line(), 2);
  EXPECT_EQ(f, Fields{"a\nb\nc"});
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(reader.line(), 5);
  EXPECT_EQ(f, Fields{"y"});
  EXPECT_FALSE(*reader.Next(f));
}

TEST(CsvReader, ReusedFieldsVectorHoldsOnlyTheCurrentRecord) {
  std::istringstream in("1,2,3\n4\n");
  CsvReader reader(in);
  Fields f;
  ASSERT_TRUE(*reader.Next(f));
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(f, Fields{"4"});
}

TEST(CsvReader, AnUnterminatedQuoteFailsWithItsMessage) {
  auto all = ReadAll("ok\n\"never closed,\n");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1], Fields{"error: unterminated quoted field"});
}

TEST(CsvReader, ATooLongRecordNamesTheBoundAndItsLengthAndIsSkipped) {
  std::istringstream in("abcdefghij,k\nok\n");
  CsvReader reader(in, 8);
  Fields f;
  auto r = reader.Next(f);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "record longer than 8 bytes (12)");
  EXPECT_EQ(r.error().param, "0");
  EXPECT_TRUE(reader.skipped());
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_FALSE(reader.skipped());
  EXPECT_EQ(f, Fields{"ok"});
}

// The reader copies plain text in runs from a buffer of 64 KB: fields and
// line numbers must not depend on where a block ends.
TEST(CsvReader, FieldsAcrossItsBufferBlocksAreWholeAndLinesCounted) {
  std::string plain(100000, 'p'), quoted;
  for (int i = 0; i < 30000; ++i) quoted += i % 7 == 0 ? "\n" : (i % 11 == 0 ? "\"\"" : "q");
  std::string unescaped;
  for (int i = 0; i < 30000; ++i) unescaped += i % 7 == 0 ? "\n" : (i % 11 == 0 ? "\"" : "q");
  const int breaks = 30000 / 7 + 1;
  std::istringstream in(plain + ",\"" + quoted + "\",x\r\nnext,\"a\"\"b\"\n" + plain + "\n");
  CsvReader reader(in);
  Fields f;
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(reader.line(), 1);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0], plain);
  EXPECT_EQ(f[1], unescaped);
  EXPECT_EQ(f[2], "x");
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(reader.line(), 2 + breaks);
  EXPECT_EQ(f, (Fields{"next", "a\"b"}));
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(f, Fields{plain});
  EXPECT_FALSE(*reader.Next(f));
}

// A run of plain text that would cross the bound is not taken whole: the
// record is refused where it crosses, as one character at a time would.
TEST(CsvReader, TheBoundFallsInsideARunOfPlainText) {
  std::istringstream in("ab,\"cdefghijklmnop\"\nok\n");
  CsvReader reader(in, 10);
  Fields f;
  auto r = reader.Next(f);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "record longer than 10 bytes (19)");
  EXPECT_EQ(r.error().param, "1");
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(f, Fields{"ok"});
}

TEST(CsvTable, HeaderIsTrimmedTheBomDroppedAndBlankLinesSkipped) {
  std::istringstream in("\xEF\xBB\xBF name , zip\n\n Liberty , 92374 \n\n");
  CsvTable t(in);
  ASSERT_TRUE(t.ReadHeader());
  EXPECT_EQ(t.header(), (Fields{"name", "zip"}));
  EXPECT_TRUE(t.Has("name"));
  EXPECT_FALSE(t.Has("city"));
  ASSERT_TRUE(*t.Next());
  EXPECT_EQ(t.line(), 3);
  EXPECT_EQ(t.Get("name"), "Liberty");
  EXPECT_EQ(t.Get("zip"), "92374");
  EXPECT_EQ(t.Get("city"), "") << "an absent column reads as empty";
  EXPECT_FALSE(*t.Next());
}

TEST(CsvTable, AShortRowReadsItsMissingColumnsAsEmpty) {
  std::istringstream in("a,b,c\n1\n");
  CsvTable t(in);
  ASSERT_TRUE(t.ReadHeader());
  ASSERT_TRUE(*t.Next());
  EXPECT_EQ(t.Get("a"), "1");
  EXPECT_EQ(t.Get("c"), "");
}

}  // namespace
}  // namespace carefinder
