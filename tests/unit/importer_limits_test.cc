// Unit tests for the import field limits (importer/field_limits.h): every
// reader's records pass through one check in ReadInputs, a record over a
// limit is rejected naming the field, the rest of the file imports.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "importer/field_limits.h"
#include "importer/import.h"

namespace carefinder::importer {
namespace {

const std::string kCuratedHeader =
    "source,source_key,as_of,organization,name,description,address1,city,state,zip,latitude,"
    "longitude,phones,care\n";

std::string CuratedRow(const std::string& key, const std::string& description) {
  return "test," + key + ",2026-11-01,Liberty House,Detox," + description +
         ",712 The Terrace,Redlands,CA,92374,34.05,-117.18,(909) 488-7181,detox\n";
}

ReadResult Read(const std::string& name, const std::string& text, const std::string& format,
                const std::string& source = "") {
  std::istringstream in(text);
  ImportInput input{name, &in, format};
  input.source.name = source;
  ImportPlan plan = ReadInputs({input});
  EXPECT_TRUE(plan.errors.empty()) << (plan.errors.empty() ? "" : plan.errors[0]);
  return plan.files.empty() ? ReadResult{} : std::move(plan.files[0]);
}

TEST(FieldLimits, CuratedCsvDescriptionOverItsLimitRejectsTheRowAndNamesTheField) {
  ReadResult r = Read("l.csv",
                      kCuratedHeader + CuratedRow("a", "short") +
                          CuratedRow("b", std::string(8001, 'x')) +
                          CuratedRow("c", std::string(8000, 'y')),
                      "curated-csv");
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].Message(),
            "l.csv:3: field 'description': longer than 8000 characters (8001)");
  EXPECT_EQ(r.rows, 3);
  EXPECT_EQ(r.rejected_rows, 1);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].source_key, "c");
}

TEST(FieldLimits, CharactersAreCountedNotBytes) {
  std::string name;
  for (int i = 0; i < 500; ++i) name += "\xC3\xA9";  // 500 x é, 1000 bytes
  ListingRecord rec;
  rec.file = "x.json";
  rec.line = 7;
  rec.name = name;
  ReadResult r;
  r.records.push_back(rec);
  EnforceFieldLimits(r);
  EXPECT_EQ(r.records.size(), 1u);
  r.records[0].name += "e";
  EnforceFieldLimits(r);
  EXPECT_TRUE(r.records.empty());
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].Message(), "x.json:7: field 'name': longer than 500 characters (501)");
}

TEST(FieldLimits, MeetingGuideJsonIsLimitedToo) {
  std::string notes(8500, 'n');
  std::string feed = R"([{"name":"Tuesday Night","slug":"tue","day":2,"time":"19:00",)"
                     R"("address":"712 The Terrace","city":"Redlands","state":"CA",)"
                     R"("postal_code":"92374","latitude":34.05,"longitude":-117.18,"updated":"2026-11-01",)"
                     R"("notes":")" + notes + R"("}])";
  ReadResult r = Read("m.json", feed, "meeting-guide-json", "aa-test");
  EXPECT_TRUE(r.records.empty());
  ASSERT_FALSE(r.rejections.empty());
  EXPECT_EQ(r.rejections.back().Message(),
            "m.json:1: field 'description': longer than 8000 characters (8500)");
}

TEST(FieldLimits, EveryLimitLeavesRoomOverTheShippedData) {
  for (const FieldLimit& limit : FieldLimits()) {
    EXPECT_GE(limit.max, 2 * limit.shipped_max) << limit.field;
  }
}

TEST(FieldLimits, JsonFileOverTheWholeFileLimitIsRefusedBeforeParsing) {
  std::istringstream in(std::string(2000, ' ') + "[]");
  auto r = ReadWholeFile(in, "big.json", 1000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "big.json: larger than 1000 bytes (2002): split it, or import its records in a "
            "format read row by row (CSV)");
}

}  // namespace
}  // namespace carefinder::importer
