// Unit tests for the maintainer workflow of `carefinder import` (issue 3):
// format recognition and source sidecars, de-duplication across files,
// which fields changed, --prune, --dry-run, the lock exit code, and the
// loader's handling of location names, online-only and closed listings.
// In process (RunImportCommand) against real SQLite files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "db/database.h"
#include "importer/cli.h"
#include "importer/dedup.h"
#include "importer/formats.h"
#include "importer/import.h"
#include "importer/listing_doc.h"
#include "tests/fixtures/importer/workflow_helpers.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::importer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CliRun {
  int code;
  std::string out, err;
};

constexpr const char* kHeader =
    "source,source_key,as_of,organization,name,address1,city,state,zip,latitude,longitude,"
    "phones,website,email,care,payment,kind,attendance,hours\n";

class Workflow : public carefinder::testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    db_ = Path("t.db");
  }
  // Runs `carefinder import --db t.db ARGS...` in process.
  CliRun Import(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    int code = RunImportCommand(args, false);
    std::string out = ::testing::internal::GetCapturedStdout();
    return {code, out, ::testing::internal::GetCapturedStderr()};
  }
  std::vector<std::string> Rows(const std::string& sql) {
    auto db = db::Database::Open(db_, db::OpenMode::kReadOnly);
    EXPECT_TRUE(db) << db.error().message;
    std::vector<std::string> out;
    if (!db) return out;
    auto stmt = (*db)->Prepare(sql);
    EXPECT_TRUE(stmt) << sql;
    while (stmt && stmt->Step().value_or(false)) out.push_back(stmt->ColumnString(0));
    return out;
  }
  std::string One(const std::string& sql) {
    auto rows = Rows(sql);
    return rows.empty() ? "<none>" : rows[0];
  }
  // The text between "header:\n" and the next unindented line.
  static std::string SectionOf(const std::string& out, const std::string& header) {
    size_t at = out.find("\n" + header + ":\n");
    if (at == std::string::npos) return "";
    at += header.size() + 3;
    size_t end = at;
    while (end < out.size() && out.compare(end, 2, "  ") == 0) end = out.find('\n', end) + 1;
    return out.substr(at, end - at);
  }

  std::string db_;
};

// ---- formats and sidecars --------------------------------------------------

TEST(Formats, AutoRecognisesEachFormatFromItsHead) {
  EXPECT_EQ(DetectFormat("sut.csv", "name1,name2,street1,street2,city,state,zip,zip4,county,"
                                    "latitude,longitude\nA,,1 Main St,,Town,AL,35630,,X,34.8,-87.6\n"),
            "samhsa-locator-csv");
  EXPECT_EQ(DetectFormat("otp.csv", "ID,ADDRESS,CITY,STATE,POSTAL,Latitude,Longitude\n"),
            "samhsa-locator-csv");
  EXPECT_EQ(DetectFormat("listings.txt", "source,source_key,as_of,organization\n"), "curated-csv");
  EXPECT_EQ(DetectFormat("odd.csv", "a,b\n1,2\n"), "curated-csv");  // its reader names the bad column
  EXPECT_EQ(DetectFormat("odd.txt", "a,b\n1,2\n"), "");
  EXPECT_EQ(DetectFormat("feed.json", "[{\"name\":\"Step Up\",\"slug\":\"step-up\",\"day\":1,"
                                      "\"time\":\"19:00\"}]"),
            "meeting-guide-json");
  EXPECT_EQ(DetectFormat("api.json", "{\"page\":1,\"rows\":[{\"frid\":\"x\",\"name1\":\"A\","
                                     "\"services\":[]}]}"),
            "samhsa-json");
  EXPECT_EQ(DetectFormat("svc.json", "{\"id\":\"s1\",\"name\":\"S\",\"organization_id\":\"o1\","
                                     "\"service_at_locations\":[]}"),
            "hsds-json");
  EXPECT_EQ(DetectFormat("pkg/datapackage.json", "{\"name\":\"x\"}"), "hsds-datapackage");
  EXPECT_EQ(DetectFormat("other.json", "{\"hello\":1}"), "");
}

TEST(Formats, SidecarReadsEveryKeyAndNamesEveryMistake) {
  auto ok = ParseSidecar(R"({"name": "samhsa-locator-sut-2021", "url": "https://x.example/",
      "license": "Public domain", "attribution": "SAMHSA", "as_of": "2021-07-28",
      "format": "samhsa-locator-csv", "edition_of": "samhsa-national-su"})", "sut.csv.source.json");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->source.name, "samhsa-locator-sut-2021");
  EXPECT_EQ(ok->source.url, "https://x.example/");
  EXPECT_EQ(ok->source.license, "Public domain");
  EXPECT_EQ(ok->source.attribution, "SAMHSA");
  EXPECT_EQ(ok->source.as_of, "2021-07-28");
  EXPECT_EQ(ok->format, "samhsa-locator-csv");
  EXPECT_EQ(ok->source.edition_of, "samhsa-national-su");
  auto error = [](std::string_view text) {
    auto r = ParseSidecar(text, "f.source.json");
    return r ? std::string("ok") : r.error().message;
  };
  EXPECT_EQ(error(R"({"name": "s", "licence": "x"})"), "f.source.json: unknown key \"licence\"");
  EXPECT_EQ(error(R"({"url": "https://x.example/"})"), "f.source.json: \"name\" is required");
  EXPECT_EQ(error(R"({"name": "s", "as_of": "2021"})"),
            "f.source.json: \"as_of\" must be YYYY-MM-DD, got \"2021\"");
  EXPECT_EQ(error(R"({"name": "s", "format": "xml"})"),
            "f.source.json: unknown format \"xml\" (formats: hsds-datapackage, samhsa-directory, "
            "meeting-guide-json, samhsa-json, hsds-json, bmlt-json, samhsa-locator-csv, curated-csv)");
  EXPECT_EQ(error(R"({"name": 3})"), "f.source.json: \"name\" must be a string");
  EXPECT_EQ(error("[1]"), "f.source.json: not a JSON object (a source sidecar is {\"name\", "
                          "\"url\", \"license\", \"attribution\", \"as_of\", \"format\", "
                          "\"edition_of\", \"timezone\"})");
  EXPECT_EQ(error(R"({"name": "s", "timezone": "Eastern"})"),
            "f.source.json: \"timezone\" must be an IANA zone such as America/New_York, got "
            "\"Eastern\"");
  auto zoned = ParseSidecar(R"({"name": "s", "timezone": "America/New_York"})", "f.source.json");
  ASSERT_TRUE(zoned);
  EXPECT_EQ(zoned->source.timezone, "America/New_York");
}

constexpr const char* kLocatorCsv =
    "name1,name2,street1,street2,city,state,zip,zip4,county,latitude,longitude\n"
    "A New Beginning,,122 Helton Court,,Florence,AL,35630,1465,Lauderdale,34.832909,-87.66639\n";

TEST_F(Workflow, SidecarNamesTheSourceAndOptionsOverrideIt) {
  std::string feed = Write("sut.csv", kLocatorCsv);
  Write("sut.csv.source.json", R"({"name": "samhsa-locator-sut-2021", "as_of": "2021-07-28",
      "url": "https://sidecar.example/", "license": "Public domain", "attribution": "SAMHSA via OEPS"})");
  CliRun r = Import({"--source-url", "https://option.example/", feed});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(r.out.starts_with(feed + ": samhsa-locator-csv (auto), 1 rows, 1 accepted, 0 rejected\n"))
      << r.out;
  EXPECT_EQ(One("SELECT name || ' | ' || url || ' | ' || license || ' | ' || attribution FROM source"),
            "samhsa-locator-sut-2021 | https://option.example/ | Public domain | SAMHSA via OEPS");
  EXPECT_EQ(One("SELECT json_extract(listing_doc(doc), '$.source.as_of') FROM listing"), "2021-07-28");

  Write("sut.csv.source.json", R"({"name": "samhsa-locator-sut-2021", "format": "samhsa-locator-csv"})");
  r = Import({feed});
  EXPECT_TRUE(r.out.starts_with(feed + ": samhsa-locator-csv (sidecar), 1 rows")) << r.out;
  r = Import({"--format", "samhsa-locator-csv", feed});
  EXPECT_TRUE(r.out.starts_with(feed + ": samhsa-locator-csv, 1 rows")) << r.out;
}

TEST_F(Workflow, WithoutSidecarTheReaderDefaultsNameTheSource) {
  CliRun r = Import({Write("sut.csv", kLocatorCsv)});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(One("SELECT name FROM source"), "samhsa-locator-sut");
}

TEST_F(Workflow, SourceFieldsWithoutANameAreAUsageError) {
  std::string feed = Write("sut.csv", kLocatorCsv);
  CliRun r = Import({"--as-of", "2021-01-01", feed});
  EXPECT_EQ(r.code, 64);
  EXPECT_TRUE(r.err.starts_with("carefinder: " + feed + ": --as-of, --license and --source-url "
                                "need a source name: pass --source NAME (or a sidecar with \"name\")\n"))
      << r.err;
}

TEST_F(Workflow, BadSidecarOrUnknownFormatIsAFileError) {
  std::string feed = Write("sut.csv", kLocatorCsv);
  Write("sut.csv.source.json", R"({"name": "s", "asof": "2021-01-01"})");
  CliRun r = Import({feed});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "error: " + feed + ".source.json: unknown key \"asof\"\n"
                   "result: input file error: nothing written\n");
  std::string odd = Write("odd.json", "{\"hello\": 1}");
  r = Import({odd});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "error: " + odd + ": cannot tell its format (formats: hsds-datapackage, "
                   "samhsa-directory, meeting-guide-json, samhsa-json, hsds-json, bmlt-json, "
                   "samhsa-locator-csv, curated-csv); pass --format or a " + odd + ".source.json sidecar\n"
                   "result: input file error: nothing written\n");
  EXPECT_FALSE(fs::exists(db_));
}

TEST_F(Workflow, ReaderWarningsAreReported) {
  std::string file = Write("a.csv", std::string(kHeader) +
                                        "src-a,k1,2026-01-01,Hope House,Detox,1 Main St,Redlands,"
                                        "CA,92374,34.05,-117.18,,,,detox,,,,\n");
  CliRun r = Import({"--source", "other", file});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(SectionOf(r.out, "warnings"),
            "  " + file + ":1: a curated CSV names its source in each row; the source 'other' "
            "given for it is not used\n");
  EXPECT_TRUE(r.out.starts_with(file + ": curated-csv (auto), 1 rows, 1 accepted, 0 rejected, 1 warnings\n"));
}

// ---- de-duplication ----------------------------------------------------------

TEST(Dedup, KeysFoldNamesAndStreets) {
  EXPECT_EQ(NameKey("Aletheia House, Inc."), "aletheia house");
  EXPECT_EQ(NameKey("The Salvation Army"), "salvation army");
  EXPECT_EQ(NameKey("Friends & Family LLC"), "friends and family");
  EXPECT_EQ(StreetKey("1889 West Redlands Boulevard, Bldg 9"), "1889 w redlands blvd");
  EXPECT_EQ(StreetKey("1889 W. Redlands Blvd Building 9"), "1889 w redlands blvd");
  EXPECT_EQ(StreetKey("101 East Redlands Blvd Suite 200"), "101 e redlands blvd");
  EXPECT_EQ(StreetKey("2521 E. Mountain Village Drive, Suites E and F"), "2521 e mountain village dr");
  EXPECT_EQ(StreetKey(""), "");
}

// Enough records (4,096 or more) that GroupDuplicates hashes and groups
// them on every core: each of 3,000 facilities is listed by two sources,
// and a second facility of each organisation, at the same ZIP on another
// street, shares its bucket and stays apart.
TEST(Dedup, ManyRecordsGroupOnEveryCoreAsOnOne) {
  constexpr int kFacilities = 3000;
  std::vector<ReadResult> files(2);
  for (int f = 0; f < 2; ++f) {
    files[f].file = f == 0 ? "a.csv" : "b.csv";
    for (int i = 0; i < kFacilities; ++i) {
      for (int street = 0; street < (f == 0 ? 2 : 1); ++street) {
        ListingRecord& rec = files[f].records.emplace_back();
        rec.file = files[f].file;
        rec.line = static_cast<int>(files[f].records.size()) + 1;
        rec.source = f == 0 ? "a" : "b";
        rec.source_key = std::to_string(i) + "-" + std::to_string(street);
        rec.as_of = "2026-01-01";
        rec.organization = "Org " + std::to_string(i) + (f == 0 ? " Inc" : "");
        rec.name = rec.organization;
        rec.address.line1 = std::to_string(10 + street) + (f == 0 ? " Main Street" : " Main St");
        rec.address.city = "Redlands", rec.address.state = "CA";
        rec.address.postal_code = std::to_string(90000 + i % 50);
      }
    }
  }
  std::vector<ListingGroup> groups = GroupDuplicates(files);
  ASSERT_EQ(groups.size(), 2u * kFacilities);  // 3,000 pairs, 3,000 alone
  size_t pairs = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    const ListingGroup& group = groups[g];
    // Groups come in their founders' import order: a.csv's 2 records a facility.
    const ListingRecord& founder = files[0].records[g];
    if (founder.address.line1.starts_with("11 ")) {
      ASSERT_EQ(group.members.size(), 1u) << g;
      EXPECT_EQ(group.members[0], &founder);
      continue;
    }
    ASSERT_EQ(group.members.size(), 2u) << g;
    const ListingRecord& other = files[1].records[pairs];  // b.csv's, in the same order
    EXPECT_TRUE((group.members[0] == &founder && group.members[1] == &other) ||
                (group.members[0] == &other && group.members[1] == &founder)) << g;
    EXPECT_TRUE(group.reasons[0] == "same name and address" || group.reasons[1] == "same name and address") << g;
    ++pairs;
  }
  EXPECT_EQ(pairs, static_cast<size_t>(kFacilities));
}

// Two sources list one facility; a third lists it without a street address.
const std::string kNewer = std::string(kHeader) +
    "newer,n1,2025-08-27,Hope House Inc,Hope House,12 Main Street,Redlands,CA,92374,34.0500,-117.1800,"
    "main: (909) 555-0101,https://hope.example/,,detox,medicaid,,,\n"
    "newer,n2,2025-08-27,Other Place,Other Place,99 Elm St,Redlands,CA,92374,34.0600,-117.1900,,,,,,,,\n";
const std::string kOlder = std::string(kHeader) +
    "older,o1,2021-07-28,Hope House,Hope House Detox,12 Main St.,Redlands,CA,92374,34.0501,-117.1801,"
    "main: 909-555-0101; intake: (909) 555-0102,https://old.example/,info@hope.example,"
    "residential,self-pay,,,\n"
    "older,o2,2021-07-28,AA Redlands,Tuesday group,12 Main St,Redlands,CA,92374,34.05,-117.18,,,,,,"
    "meeting,in-person,Tu 19:00-20:00\n"
    "older,o3,2021-07-28,AA Redlands,Tuesday group,12 Main St,Redlands,CA,92374,34.05,-117.18,,,,,,"
    "meeting,in-person,Tu 19:00-20:00\n";
const std::string kStreetless = std::string(kHeader) +
    "nostreet,s1,2023-01-01,Hope House,Hope House,,Redlands,CA,92374,34.0503,-117.1802,,,,,,,,\n";

TEST_F(Workflow, TheSameFacilityInSeveralFilesIsOneListingWithEverySource) {
  std::string newer = Write("newer.csv", kNewer), older = Write("older.csv", kOlder),
              streetless = Write("streetless.csv", kStreetless);
  CliRun r = Import({older, streetless, newer});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("total: 4 added, 0 changed, 0 unchanged, 2 merged, 0 marked inactive, 0 rejected\n"),
            std::string::npos) << r.out;
  // Newest as_of first: the 2025 row leads; meetings are never merged.
  EXPECT_EQ(SectionOf(r.out, "merged"),
            "  " + streetless + ":2 into " + newer + ":2 (same name and ZIP, 24 m apart, no street address on one)\n"
            "  " + older + ":2 into " + newer + ":2 (same name and address)\n");
  EXPECT_EQ(One("SELECT count(*) FROM listing"), "4");
  std::string id = One("SELECT id FROM listing JOIN service_at_location USING (rowid) WHERE organization = 'Hope House Inc'");
  EXPECT_EQ(Rows("SELECT s.name FROM provenance p JOIN source s ON s.rowid = p.source "
                 "JOIN service_at_location x ON x.rowid = p.listing WHERE x.id = '" + id + "' ORDER BY s.name"),
            (std::vector<std::string>{"newer", "nostreet", "older"}));
  json doc = json::parse(One("SELECT listing_doc(doc) FROM listing JOIN service_at_location USING (rowid) WHERE id = '" + id + "'"));
  EXPECT_EQ(doc["name"], "Hope House");                // first member's
  EXPECT_EQ(doc["website"], "https://hope.example/");  // first member that has one
  EXPECT_EQ(doc["email"], "info@hope.example");        // only the older row has one
  EXPECT_EQ(doc["address"]["line1"], "12 Main Street");
  EXPECT_EQ(doc["source"]["name"], "newer");
  EXPECT_EQ(doc["terms"]["care"], json({"detox", "residential"}));  // union
  EXPECT_EQ(doc["terms"]["payment"], json({"medicaid", "self-pay"}));
  ASSERT_EQ(doc["phones"].size(), 2u);  // the same main number once, plus the intake line
  EXPECT_EQ(doc["phones"][1]["role"], "intake");

  r = Import({older, streetless, newer});
  EXPECT_NE(r.out.find("total: 0 added, 0 changed, 4 unchanged, 2 merged, 0 marked inactive, 0 rejected\n"),
            std::string::npos) << r.out;
  r = Import({newer, older, streetless});  // another order: the same listings, unchanged
  EXPECT_NE(r.out.find("total: 0 added, 0 changed, 4 unchanged, 2 merged"), std::string::npos) << r.out;
  EXPECT_EQ(One("SELECT id FROM listing JOIN service_at_location USING (rowid) WHERE organization = 'Hope House Inc'"), id);
}

// Regression: an HSDS re-export lists an organisation's detox and outpatient
// services at one address under one source; they are two listings. The same
// service listed twice by one source (SAMHSA's substance-use and mental
// health lists) is one.
TEST_F(Workflow, OneSourcesRecordsMergeOnlyUnderOneServiceName) {
  std::string one = Write("one.csv", std::string(kHeader) +
      "src,d,2026-01-01,Hope House,Detox,12 Main St,Redlands,CA,92374,34.05,-117.18,,,,detox,,,,\n"
      "src,o,2026-01-01,Hope House,Outpatient,12 Main St,Redlands,CA,92374,34.05,-117.18,,,,outpatient,,,,\n"
      "src,d2,2026-01-01,Hope House,Detox,12 Main St,Redlands,CA,92374,34.05,-117.18,,,,mental-health,,,,\n");
  std::string other = Write("other.csv", std::string(kHeader) +
      "feed,x,2025-01-01,Hope House,Outpatient,12 Main Street,Redlands,CA,92374,34.05,-117.18,,,,cbt,,,,\n");
  CliRun r = Import({one, other});
  EXPECT_NE(r.out.find("total: 2 added, 0 changed, 0 unchanged, 2 merged"), std::string::npos) << r.out;
  // The feed's record joins the service of its own name.
  EXPECT_EQ(SectionOf(r.out, "merged"), "  " + one + ":4 into " + one + ":2 (same name and address)\n"
                                        "  " + other + ":2 into " + one + ":3 (same name and address)\n");
  EXPECT_EQ(Rows("SELECT name || ': ' || listing_terms(terms) FROM listing ORDER BY name"),
            (std::vector<std::string>{"Detox:  treatment detox mental-health ",
                                      "Outpatient:  treatment outpatient counseling cbt "}));
}

// Issue 15: an import of one source of a merged listing rebuilt it from that
// source alone, stripping what the other gave; it is refused (exit 65) now.
TEST_F(Workflow, AnImportOfOneSourceOfAMergedListingIsRefusedAndChangesNothing) {
  std::string newer = Write("newer.csv", kNewer), older = Write("older.csv", kOlder);
  ASSERT_EQ(Import({older, newer}).code, 0);
  std::string id = One("SELECT id FROM listing JOIN service_at_location USING (rowid) WHERE organization = 'Hope House Inc'");
  std::string before = One("SELECT group_concat(listing_doc(doc)) FROM listing");
  CliRun r = Import({older});  // the listing was created by a newer.csv row, absent now
  EXPECT_EQ(r.code, 65) << r.out;
  EXPECT_NE(r.out.find("import it together with source 'newer' (" + newer + ")"),
            std::string::npos) << r.out;
  EXPECT_EQ(One("SELECT organization FROM listing JOIN service_at_location USING (rowid) WHERE id = '" + id + "'"), "Hope House Inc");
  EXPECT_EQ(One("SELECT group_concat(listing_doc(doc)) FROM listing"), before);
}

TEST_F(Workflow, ListingsImportedApartAreMergedAndTheSecondRetired) {
  std::string newer = Write("newer.csv", kNewer), older = Write("older.csv", kOlder);
  ASSERT_EQ(Import({newer}).code, 0);
  ASSERT_EQ(Import({older}).code, 0);
  EXPECT_EQ(One("SELECT count(*) FROM listing WHERE name LIKE 'Hope House%'"), "2");
  std::string kept = One("SELECT id FROM listing JOIN service_at_location USING (rowid) WHERE organization = 'Hope House Inc'");
  std::string retired = One("SELECT id FROM listing JOIN service_at_location USING (rowid) WHERE organization = 'Hope House'");
  CliRun r = Import({newer, older});
  EXPECT_NE(r.out.find("total: 0 added, 1 changed, 3 unchanged, 1 merged, 1 marked inactive, 0 rejected\n"),
            std::string::npos) << r.out;
  EXPECT_EQ(SectionOf(r.out, "marked inactive"),
            "  listing " + retired + ": merged into another listing\n");
  EXPECT_EQ(SectionOf(r.out, "changed"), "  " + newer + ":2: phones, email, terms.care, "
                                         "terms.payment, sources\n");
  EXPECT_EQ(Rows("SELECT status FROM listing JOIN service_at_location USING (rowid) WHERE name LIKE 'Hope House%' ORDER BY id = '" + kept + "'"),
            (std::vector<std::string>{"inactive", "active"}));
  EXPECT_EQ(One("SELECT json_extract(listing_doc(doc), '$.status') FROM listing JOIN service_at_location USING (rowid) WHERE id = '" + retired + "'"), "inactive");
}

// ---- changes, prune, dry run ----------------------------------------------------

constexpr const char* kThree =
    "src,k1,2026-01-01,Alpha Clinic,Alpha,1 First St,Redlands,CA,92374,34.05,-117.18,main: (909) 555-0111,,,detox,,,,\n"
    "src,k2,2026-01-01,Beta Clinic,Beta,2 Second St,Redlands,CA,92374,34.06,-117.18,,,,outpatient,,,,\n"
    "src,k3,2026-01-01,Gamma Clinic,Gamma,3 Third St,Redlands,CA,92374,34.07,-117.18,,,,residential,,,,\n";

TEST_F(Workflow, TheReportSaysWhichFieldsChanged) {
  std::string file = Write("p.csv", std::string(kHeader) + kThree);
  ASSERT_EQ(Import({file}).code, 0);
  std::string edited = std::string(kHeader) + kThree;
  edited.replace(edited.find("(909) 555-0111"), 14, "(909) 555-0112");
  edited.replace(edited.find("2 Second St"), 11, "22 Second St");
  edited.replace(edited.find("2026-01-01,Gamma"), 10, "2026-02-01");
  CliRun r = Import({Write("p.csv", edited), "--report", "json"});
  json report = json::parse(r.out);
  EXPECT_EQ(report["changed"], 2);
  // Only Gamma's as-of date moved: a newer statement of the same, counted apart.
  EXPECT_EQ(report["restated"], 1);
  EXPECT_EQ(report["files"][0]["restated"], 1);
  ASSERT_EQ(report["changes"].size(), 2u);
  EXPECT_EQ(report["changes"][0]["fields"], json({"phones"}));
  EXPECT_EQ(report["changes"][1]["fields"], json({"address.line1", "address.formatted"}));
}

TEST(ChangedFields, ComparesTopLevelAndObjectMembers) {
  std::string a = R"({"id":"x","name":"A","address":{"line1":"1 Main","zip":"92374"},"phones":[],)"
                  R"("source":{"name":"s","imported_at":"2026-01-01T00:00:00Z","as_of":"2025-01-01"}})";
  std::string b = R"({"id":"x","name":"B","address":{"line1":"1 Main","zip":"92373"},"phones":[{"e164":"+1"}],)"
                  R"("source":{"name":"s","imported_at":"2026-02-02T00:00:00Z","as_of":"2025-01-01"},"new":1})";
  EXPECT_EQ(ChangedFields(a, b), (std::vector<std::string>{"name", "address.zip", "phones", "new"}));
  EXPECT_EQ(ChangedFields(a, a), std::vector<std::string>{});
  EXPECT_EQ(ChangedFields(b, a), (std::vector<std::string>{"name", "address.zip", "phones", "new"}));
}

TEST_F(Workflow, PruneMarksMissingListingsInactiveAndAReturnReactivates) {
  std::string full = std::string(kHeader) + kThree;
  std::string other = Write("other.csv", std::string(kHeader) +
                                             "elsewhere,e1,2026-01-01,Delta Clinic,Delta,4 Fourth St,"
                                             "Redlands,CA,92374,34.08,-117.18,,,,detox,,,,\n");
  ASSERT_EQ(Import({Write("p.csv", full), other}).code, 0);
  std::string gamma = One("SELECT id FROM listing JOIN service_at_location USING (rowid) WHERE organization = 'Gamma Clinic'");
  std::string partial = full.substr(0, full.find("src,k3"));
  CliRun r = Import({"--prune", Write("p.csv", partial)});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("total: 0 added, 0 changed, 2 unchanged, 0 merged, 1 marked inactive, 0 rejected\n"),
            std::string::npos) << r.out;
  EXPECT_EQ(SectionOf(r.out, "marked inactive"),
            "  listing " + gamma + ": no longer in src (key 'k3', last seen at " + (dir_ / "p.csv").string() + ":4)\n");
  EXPECT_EQ(Rows("SELECT organization || ' ' || status FROM listing ORDER BY organization"),
            (std::vector<std::string>{"Alpha Clinic active", "Beta Clinic active", "Delta Clinic active",
                                      "Gamma Clinic inactive"}));
  EXPECT_EQ(One("SELECT json_extract(listing_doc(doc), '$.status') || ' ' || (SELECT status FROM service s "
                "WHERE s.rowid = x.service) FROM listing l JOIN service_at_location x ON x.rowid = l.rowid "
                "WHERE x.id = '" + gamma + "'"),
            "inactive inactive");
  EXPECT_EQ(One("SELECT inactivated FROM import_run ORDER BY id DESC"), "1");
  EXPECT_EQ(One("SELECT count(*) FROM provenance"), "4");  // nothing deleted

  r = Import({Write("p.csv", full)});
  EXPECT_NE(r.out.find("total: 0 added, 1 changed, 2 unchanged"), std::string::npos) << r.out;
  EXPECT_EQ(SectionOf(r.out, "changed"), "  " + (dir_ / "p.csv").string() + ":4: status\n");
  EXPECT_EQ(One("SELECT status FROM listing JOIN service_at_location USING (rowid) WHERE id = '" + gamma + "'"), "active");
}

TEST_F(Workflow, PruneSkipsASourceWithRejectedRowsAndListingsOtherSourcesStillList) {
  std::string full = std::string(kHeader) + kThree;
  std::string other = Write("other.csv", std::string(kHeader) +
                                             "elsewhere,e1,2026-01-01,Gamma Clinic,Gamma,3 Third St,"
                                             "Redlands,CA,92374,34.07,-117.18,,,,detox,,,,\n");
  ASSERT_EQ(Import({Write("p.csv", full), other}).code, 0);
  std::string bad = full.substr(0, full.find("src,k2")) +
                    "src,k2,2026-01-01,Beta Clinic,Beta,2 Second St,Redlands,CA,9237x,34.06,-117.18,,,,,,,,\n";
  CliRun r = Import({"--prune", Write("p.csv", bad)});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(SectionOf(r.out, "not pruned"),
            "  source 'src': some of its rows were rejected, so this is not a full import of it\n");
  EXPECT_EQ(One("SELECT count(*) FROM listing WHERE status = 'inactive'"), "0");
  // Gamma (k3) is missing from src, but `elsewhere` still lists it.
  r = Import({"--prune", Write("p.csv", full.substr(0, full.find("src,k3")))});
  EXPECT_NE(r.out.find(" 0 marked inactive"), std::string::npos) << r.out;
  EXPECT_EQ(One("SELECT count(*) FROM listing WHERE status = 'inactive'"), "0");
}

using carefinder::testing::Slurp;

TEST_F(Workflow, DryRunChangesNoByteOfTheDatabase) {
  std::string full = std::string(kHeader) + kThree;
  ASSERT_EQ(Import({Write("p.csv", full), Write("newer.csv", kNewer)}).code, 0);
  std::string bytes = Slurp(db_), dump = testing::FullDump(db_);
  ASSERT_NE(dump.find("listing: "), std::string::npos);
  std::string edited = full.substr(0, full.find("src,k3"));
  edited.replace(edited.find("Alpha"), 5, "Alef");
  CliRun r = Import({"--dry-run", "--prune", "--gazetteer", CF_SOURCE_DIR "/tests/fixtures/importer/gazetteer",
                  Write("p.csv", edited), Write("older.csv", kOlder)});
  EXPECT_EQ(r.code, 0) << r.err;
  // De-duplication is among the files of one run: older.csv's Hope House is
  // new here, since newer.csv is not in this run.
  EXPECT_NE(r.out.find("total: 3 added, 1 changed, 1 unchanged, 0 merged, 1 marked inactive, 0 rejected\n"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("result: dry run, rolled back: nothing written\n"), std::string::npos);
  EXPECT_EQ(testing::FullDump(db_), dump);
  EXPECT_TRUE(Slurp(db_) == bytes) << "the database file changed";
}

TEST_F(Workflow, AnotherImportHoldingTheDatabaseExitsSeventyFive) {
  std::string file = Write("p.csv", std::string(kHeader) + kThree);
  ASSERT_EQ(Import({file}).code, 0);
  auto holder = db::Database::Open(db_, db::OpenMode::kReadWrite);
  ASSERT_TRUE(holder);
  auto tx = db::Transaction::Begin(**holder, db::Transaction::Kind::kImmediate);
  ASSERT_TRUE(tx);
  CliRun r = Import({file});  // waits out the 5 s busy timeout
  EXPECT_EQ(r.code, 75);
  EXPECT_NE(r.out.find("error: database is locked: another import is writing it\n"
                       "result: another import is writing the database: nothing written\n"),
            std::string::npos) << r.out;
}

// ---- loader fields the feeds fill ---------------------------------------------------

TEST_F(Workflow, LocationNamesOnlineMeetingsAndClosedListings) {
  std::istringstream in(std::string(kHeader) + kThree +
                        "src,m1,2026-01-01,Online Intergroup,Zoom group,,Redlands,CA,92374,,,,,,,,"
                        "meeting,online,Tu 19:00-20:00\n");
  ImportPlan plan = ReadInputs({{"p.csv", &in}});
  ASSERT_EQ(plan.files.at(0).records.size(), 4u);
  plan.files[0].records[0].location_name = "St. Mark's Church Hall";
  plan.files[0].records[1].status = "temporarily closed";
  plan.files[0].records[3].conference_url = "https://zoom.example/j/1";
  auto db = db::Database::Open(db_, db::OpenMode::kCreate);
  ASSERT_TRUE(db);
  ImportReport report = RunImport(**db, plan, {});
  ASSERT_EQ(report.outcome, Outcome::kCommitted) << RenderText(report);
  db->reset();
  // The place's own name; the organisation's when the record has none,
  // which the file does not store twice (v7: NULL, the readers use the
  // organization row's).
  EXPECT_EQ(Rows("SELECT coalesce(name, '-') FROM location ORDER BY name"),
            (std::vector<std::string>{"-", "-", "-", "St. Mark's Church Hall"}));
  EXPECT_EQ(Rows("SELECT coalesce(l.name, o.name) FROM location l JOIN organization o "
                 "ON o.rowid = l.organization ORDER BY 1"),
            (std::vector<std::string>{"Beta Clinic", "Gamma Clinic", "Online Intergroup",
                                      "St. Mark's Church Hall"}));
  EXPECT_EQ(One("SELECT status FROM listing WHERE organization = 'Beta Clinic'"), "temporarily closed");
  EXPECT_EQ(One("SELECT location_type || ' ' || url || ' ' || (SELECT count(*) FROM address a "
                "WHERE a.location = l.rowid) FROM location l JOIN organization o ON o.rowid = "
                "l.organization WHERE o.name = 'Online Intergroup'"),
            "virtual https://zoom.example/j/1 0");
}

TEST(ReportText, LongListsShowTheirFirstFiftyLines) {
  ImportReport r;
  for (int i = 0; i < 53; ++i) r.merges.push_back({"b.csv:" + std::to_string(i + 2), "a.csv:2", "same name and address"});
  r.merged = 53;
  std::string text = RenderText(r);
  EXPECT_NE(text.find("  b.csv:51 into a.csv:2 (same name and address)\n"
                      "  ... 3 more (--report json lists them all)\n"), std::string::npos) << text;
  EXPECT_EQ(json::parse(RenderJson(r))["merges"].size(), 53u);
}

}  // namespace
}  // namespace carefinder::importer
