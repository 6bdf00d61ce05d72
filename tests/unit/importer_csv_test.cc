// Unit tests for the curated CSV reader (importer/sources/curated_csv.h):
// every kind of bad field is rejected with its message, word for word.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/csv.h"
#include "importer/sources/curated_csv.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {
namespace {

constexpr const char* kHeader =
    "source,source_key,as_of,organization,name,address1,city,state,zip,latitude,longitude,"
    "phones,website,care,payment,attendance,hours\n";
constexpr const char* kGoodRow =
    "carefinder-curated,k1,2026-11-22,Liberty House Recovery,Medically supervised detox,"
    "712 The Terrace,Redlands,CA,92374,,,(909) 488-7181,https://libertyhouse.example/,"
    "detox; detox-residential,self-pay,in-person,24/7\n";

ReadResult Read(const std::string& csv, const std::string& file = "listings.csv") {
  std::istringstream in(csv);
  SeenKeys seen;
  auto r = ReadCuratedCsv(in, file, Taxonomy::Embedded(), seen);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? std::move(*r) : ReadResult{};
}

// The single rejection message for `row` placed on line 2 after kHeader.
std::string RejectionFor(const std::string& row) {
  ReadResult r = Read(std::string(kHeader) + row + "\n");
  EXPECT_EQ(r.records.size(), 0u) << row;
  EXPECT_EQ(r.rejected_rows, 1) << row;
  if (r.rejections.size() != 1) {
    std::string all;
    for (const auto& rej : r.rejections) all += rej.Message() + " | ";
    ADD_FAILURE() << "expected one rejection, got: " << all;
    return all;
  }
  return r.rejections[0].Message();
}

std::vector<std::string> SplitComma(std::string line) {
  if (!line.empty() && line.back() == '\n') line.pop_back();
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

// kGoodRow with some columns' values replaced (each quoted).
std::string With(std::initializer_list<std::pair<std::string_view, std::string_view>> changes) {
  std::vector<std::string> names = SplitComma(kHeader), cells = SplitComma(kGoodRow);
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string c = cells[i];
    for (const auto& [column, value] : changes) {
      if (names[i] == column) c = "\"" + std::string(value) + "\"";
    }
    out += (i ? "," : "") + c;
  }
  return out;
}
std::string With(std::string_view column, std::string_view value) { return With({{column, value}}); }

TEST(CuratedCsv, ReadsAGoodRow) {
  ReadResult r = Read(std::string(kHeader) + kGoodRow);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.format, "curated-csv");
  const ListingRecord& rec = r.records[0];
  EXPECT_EQ(rec.line, 2);
  EXPECT_EQ(rec.organization, "Liberty House Recovery");
  EXPECT_EQ(rec.address.postal_code, "92374");
  EXPECT_FALSE(rec.latitude);
  EXPECT_EQ(rec.phones.at(0).display, "(909) 488-7181");
  EXPECT_EQ(rec.terms, (std::vector<std::string>{"treatment", "detox", "detox-residential",
                                                 "self-pay", "in-person"}));
  EXPECT_EQ(rec.hours.size(), 7u);
}

TEST(CuratedCsv, ReadsTheSharedFixture) {
  std::ifstream in(CF_SOURCE_DIR "/tests/fixtures/importer/valid_listings.csv");
  SeenKeys seen;
  auto r = ReadCuratedCsv(in, "valid_listings.csv", Taxonomy::Embedded(), seen);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rows, 3);
  EXPECT_EQ(r->records.size(), 3u);
  for (const auto& rej : r->rejections) ADD_FAILURE() << rej.Message();
  EXPECT_EQ(r->records[1].description, "Outpatient counselling & relapse prevention groups.");
  EXPECT_EQ(r->records[1].address.line2, "Suite 210");
}

TEST(CuratedCsv, NaAndEmptyMeanAbsent) {
  ReadResult r = Read(std::string(kHeader) + With("website", "NA") + "\n");
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].website, "");
}

TEST(CuratedCsv, BadZip) {
  EXPECT_EQ(RejectionFor(With("zip", "9237x")),
            "listings.csv:2: field 'zip': \"9237x\" is not a 5-digit ZIP code");
}

TEST(CuratedCsv, ZipPaddedAndCut) {
  EXPECT_EQ(Read(std::string(kHeader) + With("zip", "6708") + "\n").records.at(0).address.postal_code,
            "06708");
  EXPECT_EQ(Read(std::string(kHeader) + With("zip", "92374-1234") + "\n").records.at(0).address.postal_code,
            "92374");
}

TEST(CuratedCsv, MissingRequiredValue) {
  EXPECT_EQ(RejectionFor(With("name", "")), "listings.csv:2: field 'name': required value is missing");
  EXPECT_EQ(RejectionFor(With("zip", "NA")),
            "listings.csv:2: field 'zip': required value is missing (only an online-only meeting "
            "may have none)");
}

TEST(CuratedCsv, LatitudeAndLongitude) {
  EXPECT_EQ(RejectionFor(With("latitude", "34.06")),
            "listings.csv:2: field 'longitude': is missing while latitude is given: give both or neither");
  EXPECT_EQ(RejectionFor(With({{"latitude", "134.06"}, {"longitude", "-117.17"}})),
            "listings.csv:2: field 'latitude': 134.06 is out of range (-90 to 90)");
  EXPECT_EQ(RejectionFor(With({{"latitude", "34.06"}, {"longitude", "-217.17"}})),
            "listings.csv:2: field 'longitude': -217.17 is out of range (-180 to 180)");
  EXPECT_EQ(RejectionFor(With({{"latitude", "north"}, {"longitude", "-117.17"}})),
            "listings.csv:2: field 'latitude': \"north\" is not a number");
}

TEST(CuratedCsv, TermCodeMustBeInItsGroup) {
  EXPECT_EQ(RejectionFor(With("care", "detox; medicaid")),
            "listings.csv:2: field 'care': \"medicaid\" is not a code in taxonomy group 'care'");
  EXPECT_EQ(RejectionFor(With("payment", "cash")),
            "listings.csv:2: field 'payment': \"cash\" is not a code in taxonomy group 'payment'");
}

TEST(CuratedCsv, Dates) {
  EXPECT_EQ(RejectionFor(With("as_of", "22/11/2026")),
            "listings.csv:2: field 'as_of': \"22/11/2026\" is not a date (YYYY-MM-DD)");
}

TEST(CuratedCsv, PhonesUrlsStateHours) {
  EXPECT_EQ(RejectionFor(With("phones", "555-12")),
            "listings.csv:2: field 'phones': \"555-12\" is not a US phone number");
  EXPECT_EQ(RejectionFor(With("website", "https://x.example/wp-admin/")),
            "listings.csv:2: field 'website': \"https://x.example/wp-admin/\" links to an admin page");
  EXPECT_EQ(RejectionFor(With("state", "Cal")), "listings.csv:2: field 'state': \"Cal\" is not a US state");
  EXPECT_EQ(RejectionFor(With("hours", "daily")),
            "listings.csv:2: field 'hours': \"daily\" is not opening hours (24/7, or days and "
            "times like \"Mo-Fr 08:00-17:00; Sa 09:00-12:00\")");
}

TEST(CuratedCsv, StateNameBecomesCode) {
  EXPECT_EQ(Read(std::string(kHeader) + With("state", "California") + "\n").records.at(0).address.state,
            "CA");
}

TEST(CuratedCsv, InvalidUtf8NamesItsLineAndField) {
  std::string row = With("name", "Caf\xE9 detox");
  EXPECT_EQ(RejectionFor(row),
            "listings.csv:2: field 'name': invalid UTF-8 at byte 4 (0xE9): save the file as UTF-8");
}

// CheckCsvCells ORs a row's bytes a word at a time and checks the cells one
// by one only when a byte has its high bit: a bad byte is found in a short
// cell, in a long cell's words and in its tail, in every column.
TEST(CheckCsvCells, FindsABadByteWhereverItFalls) {
  std::istringstream in("a,b,c\n");
  CsvTable table(in);
  ASSERT_TRUE(table.ReadHeader());
  std::vector<Rejection> out;
  auto check = [&](const std::vector<std::string>& cells) {
    out.clear();
    RowRejections row("x.csv", 2, out);
    return CheckCsvCells(table, cells, row);
  };
  EXPECT_TRUE(check({"plain", "ascii text of twenty", ""}));
  EXPECT_TRUE(check({"Caf\xC3\xA9", "se\xC3\xB1or and more than eight bytes", "x"}));
  for (size_t column = 0; column < 3; ++column) {
    for (size_t at = 0; at < 19; ++at) {
      std::vector<std::string> cells = {"short", "nineteen bytes long", "tiny"};
      if (at >= cells[column].size()) continue;
      cells[column][at] = '\xFF';
      EXPECT_FALSE(check(cells)) << column << " " << at;
      ASSERT_EQ(out.size(), 1u) << column << " " << at;
      EXPECT_EQ(out[0].field, std::string(1, static_cast<char>('a' + column)));
    }
  }
}

TEST(CuratedCsv, DuplicateSourceKeyInAFile) {
  ReadResult r = Read(std::string(kHeader) + kGoodRow + kGoodRow);
  EXPECT_EQ(r.records.size(), 1u);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].Message(),
            "listings.csv:3: field 'source_key': duplicate \"k1\" for source "
            "\"carefinder-curated\" (first on listings.csv:2)");
}

TEST(CuratedCsv, BadSourceName) {
  EXPECT_EQ(RejectionFor(With("source", "Carefinder Curated")),
            "listings.csv:2: field 'source': \"Carefinder Curated\" is not a source name ([a-z0-9-]+)");
}

TEST(CuratedCsv, WrongFieldCount) {
  EXPECT_EQ(RejectionFor(std::string(kGoodRow).substr(0, std::string(kGoodRow).size() - 1) + ",extra"),
            "listings.csv:2: row has 18 fields, the header has 17");
}

TEST(CuratedCsv, EveryBadFieldOfARowIsReported) {
  ReadResult r = Read(std::string(kHeader) + With("zip", "9237x") + "\n" + kGoodRow);
  EXPECT_EQ(r.rejected_rows, 1);
  EXPECT_EQ(r.records.size(), 1u);  // the good row on line 3 still loads
  EXPECT_EQ(r.records[0].line, 3);
}

TEST(CuratedCsv, OnlineOnlyMeetingNeedsNoZip) {
  std::string header =
      "source,source_key,as_of,kind,organization,name,city,state,zip,attendance,conference_url,hours\n";
  std::string row =
      "carefinder-curated,m1,2026-11-22,meeting,Online Intergroup,Tuesday Night Online,"
      "Redlands,CA,,online,https://zoom.example/j/123,Tu 19:00-20:00\n";
  ReadResult r = Read(header + row);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].address.postal_code, "");
  EXPECT_EQ(r.records[0].conference_url, "https://zoom.example/j/123");
}

TEST(CuratedCsv, UnknownColumnRejectsTheFile) {
  std::istringstream in("source,source_key,as_of,organization,name,city,state,zipcode\n");
  SeenKeys seen;
  auto r = ReadCuratedCsv(in, "listings.csv", Taxonomy::Embedded(), seen);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "listings.csv:1: unknown column 'zipcode' (the curated format's columns are listed "
            "in data/README.md)");
}

TEST(CuratedCsv, MissingRequiredColumnRejectsTheFile) {
  std::istringstream in("source,as_of,organization,name,city,state,zip\n");
  SeenKeys seen;
  auto r = ReadCuratedCsv(in, "listings.csv", Taxonomy::Embedded(), seen);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "listings.csv:1: missing required column 'source_key'");
}

TEST(CuratedCsv, EmptyFileIsAFileError) {
  std::istringstream in("");
  SeenKeys seen;
  auto r = ReadCuratedCsv(in, "empty.csv", Taxonomy::Embedded(), seen);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "empty.csv:1: file is empty: no header row");
}

TEST(CuratedCsv, LongQuotedValueIsReadWhole) {
  std::string name;
  for (int i = 0; i < 120; ++i) name += "Detox, \"\"step " + std::to_string(i) + "\"\" ";
  name += "end";
  ReadResult r = Read(std::string(kHeader) + With("name", name) + "\n");
  ASSERT_EQ(r.records.size(), 1u);
  std::string expected = name;
  for (size_t at = 0; (at = expected.find("\"\"", at)) != std::string::npos; ++at) expected.erase(at, 1);
  EXPECT_EQ(r.records[0].name, expected);
  EXPECT_GT(expected.size(), 1000u);
}

// Several thousand rows (several of the reader's chunks) with bad rows,
// blank lines, rows spanning two lines and repeated keys scattered through
// them, ending in an unterminated quote; with the messages the reader owes,
// worked out here from the rows rather than by the reader.
struct ScatteredFile {
  std::string csv = kHeader;
  std::vector<std::string> rejections;
  int rows = 0;
};

ScatteredFile Scattered(int rows) {
  ScatteredFile f;
  std::unordered_map<std::string, int> first_line;  // key -> line of its first good row
  int line = 2;
  auto reject = [&](const std::string& reason) {
    f.rejections.push_back("listings.csv:" + std::to_string(line) + ": " + reason);
  };
  for (int i = 0; i < rows; ++i) {
    bool bad_zip = i % 89 == 3, extra_field = i % 211 == 11, two_lines = i % 3 == 0;
    std::string key = "k" + std::to_string(i);
    if (i >= 1000 && i % 97 == 50) key = "k" + std::to_string(i - 1000);  // often another chunk
    if (bad_zip && i % 2 == 1) key = "k" + std::to_string(i + 1);  // must stay free for row i + 1
    std::string row = With({{"source_key", key},
                            {"zip", bad_zip ? "9237x" : "92374"},
                            {"name", two_lines ? "Detox\nand withdrawal" : "Detox"}});
    f.csv += row + (extra_field ? ",extra\n" : "\n");
    if (extra_field) {
      reject("row has 18 fields, the header has 17");
    } else if (bad_zip) {
      reject("field 'zip': \"9237x\" is not a 5-digit ZIP code");
    } else if (auto [it, inserted] = first_line.try_emplace(key, line); !inserted) {
      reject("field 'source_key': duplicate \"" + key +
             "\" for source \"carefinder-curated\" (first on listings.csv:" +
             std::to_string(it->second) + ")");
    }
    line += two_lines ? 2 : 1;
    if (i % 150 == 0) {
      f.csv += "\n";
      ++line;
    }
  }
  f.csv += "carefinder-curated,\"never closed\n";
  reject("unterminated quoted field");
  f.rows = rows + 1;
  return f;
}

// Everything a ReadResult says, one line a record or message, for comparing.
std::vector<std::string> Describe(const ReadResult& r) {
  std::vector<std::string> out{std::to_string(r.rows) + " rows, " +
                               std::to_string(r.rejected_rows) + " rejected"};
  for (const auto& x : r.rejections) out.push_back("rejected " + x.Message());
  for (const auto& x : r.warnings) out.push_back("warning " + x.Message());
  for (const auto& x : r.records) {
    std::string terms;
    for (const auto& t : x.terms) terms += t + ";";
    out.push_back(x.file + ":" + std::to_string(x.line) + " " + x.source_key + " " + x.name +
                  " " + x.address.postal_code + " " + x.phones.at(0).e164 + " " + terms + " " +
                  std::to_string(x.hours.size()));
  }
  return out;
}

TEST(SeenKeys, AKeyIsClaimedOnceAndNamesWhereItWasFirst) {
  SeenKeys seen;
  EXPECT_EQ(seen.Claim("samhsa", "101", "a.csv", 2), std::nullopt);
  EXPECT_EQ(seen.Claim("samhsa", "102", "a.csv", 3), std::nullopt);
  EXPECT_EQ(seen.Claim("other", "101", "a.csv", 4), std::nullopt);  // another source's key
  EXPECT_EQ(seen.Claim("samhsa1", "01", "a.csv", 5), std::nullopt);  // not "samhsa" + "101"
  EXPECT_EQ(seen.Claim("samhsa", "101", "b.csv", 9), "a.csv:2");
  EXPECT_EQ(seen.Claim("b", "1", "b.csv", 10), std::nullopt);
  EXPECT_EQ(seen.Claim("b", "1", "a.csv", 11), "b.csv:10");
  EXPECT_EQ(seen.size(), 5u);
  // Grown past its table many times, every key still found, with its file.
  for (int i = 0; i < 20000; ++i) {
    ASSERT_EQ(seen.Claim("s", std::to_string(i), i % 2 ? "odd.csv" : "even.csv", i + 2), std::nullopt);
  }
  for (int i = 0; i < 20000; i += 997) {
    EXPECT_EQ(seen.Claim("s", std::to_string(i), "c.csv", 1),
              (i % 2 ? "odd.csv:" : "even.csv:") + std::to_string(i + 2));
  }
  EXPECT_EQ(seen.Claim("samhsa", "102", "c.csv", 1), "a.csv:3");
  EXPECT_EQ(seen.size(), 20005u);
}

TEST(CuratedCsv, ThreadedReadGivesTheSequentialResult) {
  ScatteredFile file = Scattered(10000);
  std::vector<std::string> sequential;
  for (int workers : {0, 1, 2, 8}) {
    std::istringstream in(file.csv);
    SeenKeys seen;
    auto r = ReadCuratedCsv(in, "listings.csv", Taxonomy::Embedded(), seen, workers);
    ASSERT_TRUE(r) << r.error().message;
    std::vector<std::string> messages;
    for (const auto& x : r->rejections) messages.push_back(x.Message());
    EXPECT_EQ(messages, file.rejections) << workers << " workers";
    EXPECT_EQ(r->rows, file.rows);
    EXPECT_EQ(r->rejected_rows, static_cast<int>(file.rejections.size()));
    EXPECT_EQ(r->records.size(), file.rows - file.rejections.size());
    EXPECT_EQ(seen.size(), r->records.size());
    if (workers == 0) sequential = Describe(*r);
    else EXPECT_TRUE(Describe(*r) == sequential) << workers << " workers differ from none";
  }
}

}  // namespace
}  // namespace carefinder::importer
