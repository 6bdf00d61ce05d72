// Golden tests for the SAMHSA National Directory reader
// (importer/sources/samhsa_directory.h) and its .xlsx layer (xlsx.h):
// fixtures cut from the real 2023 workbooks, rows written to be wrong, small
// hand-made workbooks (make_xlsx.py), and the shipped workbooks read whole.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "importer/formats.h"
#include "importer/sources/samhsa_directory.h"
#include "importer/sources/xlsx.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::importer {
namespace {

const std::string kFixtures = CF_SOURCE_DIR "/tests/fixtures/importer/samhsa-directory/";
const std::string kFeeds = CF_SOURCE_DIR "/data/feeds/samhsa-directory/";
const std::string kShared = CF_SOURCE_DIR "/../shared/data/samhsa-national-directory/";

using Strings = std::vector<std::string>;

using carefinder::testing::Slurp;

Result<ReadResult> Read(const std::string& bytes, const std::string& file) {
  std::istringstream in(bytes);
  SeenKeys seen;
  return ReadSamhsaDirectory(in, file, {}, Taxonomy::Embedded(), seen);
}

ReadResult ReadOk(const std::string& path, const std::string& file) {
  auto r = Read(Slurp(path), file);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? std::move(*r) : ReadResult{};
}

Strings Messages(const std::vector<Rejection>& list) {
  Strings out;
  for (const auto& r : list) out.push_back(r.Message());
  return out;
}

// Everything a record says but its file and line, for comparing two reads.
std::string Content(const ListingRecord& r) {
  std::string s = r.source + "|" + r.source_key + "|" + r.organization + "|" + r.name + "|" +
                  r.address.line1 + "|" + r.address.line2 + "|" + r.address.city + "|" +
                  r.address.state + "|" + r.address.postal_code + "|" +
                  (r.services_stated ? "stated" : "not stated");
  for (const auto& p : r.phones) s += "|" + p.role + ":" + p.e164 + "x" + p.extension;
  for (const auto& t : r.terms) s += "|t:" + t;
  for (const auto& a : r.source_attributes) s += "|a:" + a;
  return s;
}

const ListingRecord* AtLine(const ReadResult& r, int line) {
  for (const auto& rec : r.records) {
    if (rec.line == line) return &rec;
  }
  return nullptr;
}

TEST(SamhsaDirectory, ReadsRealSuRows) {
  ReadResult r = ReadOk(kFixtures + "su_sample.csv", "su.csv");
  EXPECT_EQ(r.format, "samhsa-directory");
  EXPECT_EQ(r.rows, 8);
  EXPECT_EQ(r.records.size(), 6u);
  EXPECT_EQ(r.rejected_rows, 1);
  EXPECT_EQ(Messages(r.rejections),
            (Strings{"su.csv:7: same facility (name and address) as line 6 but a different "
                     "Phone: the row on line 6 is kept"}));
  // A bad number loses the number, not the facility (its Call is the helpline).
  EXPECT_EQ(Messages(r.warnings),
            (Strings{"su.csv:5: field 'Phone': \"207-175-2222\" is not a US phone number; the "
                     "facility is kept without it",
                     "su.csv:9: same facility as line 2, every value the same: skipped"}));
  ASSERT_TRUE(AtLine(r, 5));
  EXPECT_TRUE(AtLine(r, 5)->phones.empty());
  const ListingRecord* lighthouse = AtLine(r, 3);
  ASSERT_TRUE(lighthouse);
  EXPECT_EQ(lighthouse->organization, "Lighthouse of Tallapoosa County Inc");
  EXPECT_EQ(lighthouse->name, "Substance Abuse Rehab Program/Resid");
  EXPECT_EQ(lighthouse->source, "samhsa-national-directory-su");
  EXPECT_EQ(lighthouse->source_key,
            "lighthouse-of-tallapoosa-county-inc|substance-abuse-rehab-program-resid|"
            "36-franklin-street||35010");
  EXPECT_TRUE(lighthouse->services_stated);
  EXPECT_EQ(lighthouse->address.city, "Alexander City");
  ASSERT_EQ(lighthouse->phones.size(), 1u);
  EXPECT_EQ(lighthouse->phones[0].display, "(256) 234-4894");
  // Operation PAR's alternate intake 888-PARNEXT is its main number spelt out.
  const ListingRecord* par = AtLine(r, 8);
  ASSERT_TRUE(par);
  ASSERT_EQ(par->phones.size(), 1u);
  EXPECT_EQ(par->phones[0].e164, "+18887276398");
}

TEST(SamhsaDirectory, DecodesTheServicesOfShelbyCountyTreatmentCenter) {
  ReadResult r = ReadOk(kFixtures + "su_sample.csv", "su.csv");
  const ListingRecord* shelby = AtLine(r, 2);
  ASSERT_TRUE(shelby);
  EXPECT_EQ(shelby->name, "Shelby County Treatment Center");
  auto has = [&](std::string_view t) {
    return std::ranges::find(shelby->terms, t) != shelby->terms.end();
  };
  // SA DT SUMH * OP OD OIT ... * MU BU NU * ... OTP ... * ADTX BDTX CDTX MDTX ODTX ... * AH SP FX
  for (std::string_view t : {"treatment", "detox", "detox-outpatient", "detox-alcohol",
                             "detox-benzodiazepines", "detox-opioids", "detox-stimulants",
                             "outpatient", "intensive-outpatient", "methadone", "buprenorphine",
                             "naltrexone", "otp", "co-occurring", "medicaid", "sliding-fee",
                             "adults", "young-adults", "deaf-hard-of-hearing", "ase", "es"})
    EXPECT_TRUE(has(t)) << t;
  for (std::string_view t : {"residential", "hospital-inpatient", "detox-residential"})
    EXPECT_FALSE(has(t)) << t;
  EXPECT_EQ(shelby->terms.front(), "treatment");
}

TEST(SamhsaDirectory, MentalHealthEditionKeepsOnlyFacilitiesWithSubstanceUseTreatment) {
  ReadResult r = ReadOk(kFixtures + "mh_sample.csv", "mh.csv");
  EXPECT_EQ(r.rows, 3);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].name, "Henry County Clinic");
  EXPECT_EQ(r.records[0].source, "samhsa-national-directory-mh");
  EXPECT_TRUE(std::ranges::find(r.records[0].terms, "mental-health") != r.records[0].terms.end());
  EXPECT_EQ(Messages(r.warnings),
            (Strings{"mh.csv:1: 2 facilities without substance use treatment (no SA code) left out"}));
}

TEST(SamhsaDirectory, HeadersAreReadWhateverTheirCase) {
  ReadResult lower = ReadOk(kFixtures + "su_lowercase.csv", "lower.csv");
  ReadResult title = ReadOk(kFixtures + "su_sample.csv", "su.csv");
  ASSERT_EQ(lower.records.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(Content(lower.records[i]), Content(title.records[i]));
}

TEST(SamhsaDirectory, RejectsBadRowsWordForWord) {
  ReadResult r = ReadOk(kFixtures + "su_bad.csv", "bad.csv");
  EXPECT_EQ(r.rows, 4);
  EXPECT_EQ(r.rejected_rows, 3);
  EXPECT_EQ(Messages(r.rejections),
            (Strings{"bad.csv:2: field 'Zip': \"3500X\" is not a 5-digit ZIP code",
                     "bad.csv:3: field 'Name1': required value is missing",
                     "bad.csv:5: row has 2 fields, the header has 13"}));
  EXPECT_EQ(Messages(r.warnings),
            (Strings{"bad.csv:4: field 'Service_code_info': unknown SAMHSA service code \"ZZZ\" "
                     "in 1 row, kept as a source attribute; map it in "
                     "data/mappings/samhsa_codes.csv"}));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_TRUE(std::ranges::find(r.records[0].source_attributes, "ZZZ") !=
              r.records[0].source_attributes.end());
}

TEST(SamhsaDirectory, RefusesFilesItCannotRead) {
  auto error = [](const std::string& bytes) {
    auto r = Read(bytes, "x.csv");
    return r ? std::string("read") : r.error().message;
  };
  EXPECT_EQ(error("Name2,City\nA,B\n"),
            "x.csv:1: not a SAMHSA National Directory header (Name1, Name2, Street1, Street2, "
            "City, State, Zip, Phone, Intake1, Intake2, Intake1a, Intake2a, Service_code_info)");
  EXPECT_EQ(error("Name1,City,State,Zip\nA,B,CA,92374\n"),
            "x.csv:1: missing required column 'service_code_info'");
}

TEST(SamhsaDirectory, RefusesBrokenWorkbooksWordForWord) {
  auto error = [](const std::string& name) {
    auto r = Read(Slurp(kFixtures + name), name);
    return r ? std::string("read") : r.error().message;
  };
  EXPECT_EQ(error("bad_xml.xlsx"),
            "bad_xml.xlsx: xl/worksheets/sheet1.xml: not XML: unclosed token at line 1");
  EXPECT_EQ(error("bad_shared.xlsx"),
            "bad_shared.xlsx: xl/worksheets/sheet1.xml: cell with shared string \"99\", which "
            "the file does not have");
  EXPECT_EQ(error("no_workbook.xlsx"), "no_workbook.xlsx: not an .xlsx workbook: no xl/workbook.xml");
  // A zip cut short is not a workbook either, and never a crash.
  std::string cut = Slurp(kFixtures + "tiny.xlsx").substr(0, 600);
  EXPECT_EQ(Read(cut, "cut.xlsx").error().message,
            "cut.xlsx: not an .xlsx workbook: Not a zip archive");
}

TEST(SamhsaDirectory, WorkbookRowsGiveTheSameRecordsAsTheCsv) {
  ReadResult book = ReadOk(kFixtures + "tiny.xlsx", "tiny.xlsx");
  ReadResult csv = ReadOk(kFixtures + "su_sample.csv", "su.csv");
  ASSERT_EQ(book.records.size(), 3u);
  EXPECT_EQ(book.records[2].line, 6);  // the sheet's row number, past a gap
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(Content(book.records[i]), Content(csv.records[i]));
}

TEST(Xlsx, ReadsSheetNamesCellsAndRowNumbers) {
  auto sheets = ReadXlsx(Slurp(kFixtures + "tiny.xlsx"), "tiny.xlsx");
  ASSERT_TRUE(sheets) << sheets.error().message;
  ASSERT_EQ(sheets->size(), 2u);
  EXPECT_EQ((*sheets)[0].name, "Facilities List");
  EXPECT_EQ((*sheets)[1].name, "Service Code Reference");
  const auto& rows = (*sheets)[0].rows;
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[3].number, 6);
  EXPECT_EQ(rows[1].cells[0], "Shelby County Treatment Center");
  EXPECT_EQ(rows[1].cells[1], "");          // an empty cell left out of the sheet
  EXPECT_EQ(rows[1].cells[6], "35007");     // a number kept as its text
  EXPECT_EQ(rows[2].cells[1], "Substance Abuse Rehab Program/Resid");
  EXPECT_EQ((*sheets)[1].rows[2].cells[3], "Detoxification  ");
}

TEST(SamhsaDirectory, AutoDetection) {
  std::string book = Slurp(kFixtures + "tiny.xlsx").substr(0, 4096);
  EXPECT_EQ(DetectFormat("national-directory-2023.xlsx", book), "samhsa-directory");
  EXPECT_EQ(DetectFormat("Directory.XLSX", book), "samhsa-directory");
  EXPECT_EQ(DetectFormat("archive.zip", book), "");
  EXPECT_EQ(DetectFormat("su.csv", Slurp(kFixtures + "su_sample.csv").substr(0, 4096)),
            "samhsa-directory");
  EXPECT_EQ(DetectFormat("su.csv", Slurp(kFixtures + "su_lowercase.csv").substr(0, 4096)),
            "samhsa-directory");
  EXPECT_EQ(DetectFormat("loc.csv", "name1,name2,street1,street2,city,state,zip\n"),
            "samhsa-locator-csv");
}

// ---- the shipped workbooks, read whole -------------------------------------

int WithTerm(const ReadResult& r, std::string_view term) {
  return static_cast<int>(std::ranges::count_if(r.records, [&](const ListingRecord& rec) {
    return std::ranges::find(rec.terms, term) != rec.terms.end();
  }));
}

TEST(SamhsaDirectory, ReadsTheShippedSuWorkbookWhole) {
  ReadResult r = ReadOk(kFeeds + "national-directory-su-facilities-2023.xlsx", "su.xlsx");
  EXPECT_EQ(r.rows, 12744);
  EXPECT_EQ(r.records.size(), 12742u);
  EXPECT_EQ(Messages(r.rejections),
            (Strings{"su.xlsx:1540: same facility (name and address) as line 1539 but a "
                     "different Intake1, Service_code_info: the row on line 1539 is kept",
                     "su.xlsx:7064: same facility (name and address) as line 7063 but a "
                     "different Phone: the row on line 7063 is kept"}));
  EXPECT_EQ(Messages(r.warnings),
            (Strings{"su.xlsx:5319: field 'Phone': \"207-175-2222\" is not a US phone number; "
                     "the facility is kept without it"}));
  // PROVENANCE counts BDTX 1,896, MU 1,481, BU 6,923 and OTP 1,570 facilities;
  // buprenorphine also comes from UB, BUM, BWN ... (two more facilities; the
  // two rows rejected as repeats have none of them).
  EXPECT_EQ(WithTerm(r, "detox-benzodiazepines"), 1896);
  EXPECT_EQ(WithTerm(r, "methadone"), 1481);
  EXPECT_EQ(WithTerm(r, "buprenorphine"), 6925);
  EXPECT_EQ(WithTerm(r, "otp"), 1570);
}

TEST(SamhsaDirectory, WorkbookAndCsvOfTheSameSheetGiveIdenticalRecords) {
  for (std::string edition : {"su", "mh"}) {
    std::string csv = kShared + edition + "_2023_facilities.csv";
    if (!std::filesystem::exists(csv)) GTEST_SKIP() << "no " << csv;
    ReadResult from_csv = ReadOk(csv, "f");
    ReadResult from_book =
        ReadOk(kFeeds + "national-directory-" + edition + "-facilities-2023.xlsx", "f");
    ASSERT_EQ(from_csv.records.size(), from_book.records.size()) << edition;
    for (size_t i = 0; i < from_csv.records.size(); ++i) {
      ASSERT_EQ(from_csv.records[i].line, from_book.records[i].line);
      ASSERT_EQ(Content(from_csv.records[i]), Content(from_book.records[i]));
    }
    EXPECT_EQ(Messages(from_csv.rejections), Messages(from_book.rejections));
    EXPECT_EQ(Messages(from_csv.warnings), Messages(from_book.warnings));
  }
}

}  // namespace
}  // namespace carefinder::importer
