// Golden tests for the SAMHSA readers (importer/sources/samhsa_locator_csv.h,
// samhsa_json.h): fixtures cut from the real files in ../shared/data plus
// rows written to be wrong; fields, rejections and warnings word for word,
// and the full shared files when they are present.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "importer/sources/curated_csv.h"
#include "importer/sources/json_rows.h"
#include "importer/sources/samhsa_json.h"
#include "importer/sources/samhsa_locator_csv.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::importer {
namespace {

const std::string kFixtures = CF_SOURCE_DIR "/tests/fixtures/importer/samhsa/";
const std::string kShared = CF_SOURCE_DIR "/../shared/data/";

using carefinder::testing::Slurp;

SourceInfo Locator2021() {
  return {"samhsa-locator-sut-2021", "https://findtreatment.gov/", "Public domain",
          "SAMHSA via OEPS", "2021-07-28"};
}

ReadResult ReadCsvText(const std::string& text, const std::string& file,
                       const SourceInfo& source = {}) {
  std::istringstream in(text);
  SeenKeys seen;
  auto r = ReadSamhsaLocatorCsv(in, file, source, Taxonomy::Embedded(), seen);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? std::move(*r) : ReadResult{};
}

ReadResult ReadJsonText(const std::string& text, const std::string& file,
                        const SourceInfo& source = {}) {
  std::istringstream in(text);
  SeenKeys seen;
  auto r = ReadSamhsaJson(in, file, source, Taxonomy::Embedded(), seen);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? std::move(*r) : ReadResult{};
}

std::vector<std::string> Messages(const std::vector<Rejection>& list) {
  std::vector<std::string> out;
  for (const auto& r : list) out.push_back(r.Message());
  return out;
}

using Strings = std::vector<std::string>;

// ---- locator CSV -----------------------------------------------------------

TEST(SamhsaLocatorCsv, SubstanceUseSample) {
  ReadResult r = ReadCsvText(Slurp(kFixtures + "sut_sample.csv"), "sut_facilities.csv",
                             Locator2021());
  EXPECT_EQ(r.format, "samhsa-locator-csv");
  EXPECT_EQ(r.rows, 9);
  EXPECT_EQ(r.rejected_rows, 1);
  ASSERT_EQ(r.records.size(), 7u);

  const ListingRecord& first = r.records[0];
  EXPECT_EQ(first.file, "sut_facilities.csv");
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.source, "samhsa-locator-sut-2021");
  EXPECT_EQ(first.source_url, "https://findtreatment.gov/");
  EXPECT_EQ(first.source_license, "Public domain");
  EXPECT_EQ(first.as_of, "2021-07-28");
  EXPECT_EQ(first.last_verified, "");
  EXPECT_EQ(first.kind, "treatment");
  EXPECT_EQ(first.status, "active");
  EXPECT_EQ(first.source_key, "a-new-beginning||122-helton-court||florence|al|35630");
  EXPECT_EQ(first.organization, "A New Beginning");
  EXPECT_EQ(first.name, "A New Beginning");
  EXPECT_EQ(first.address.line1, "122 Helton Court");
  EXPECT_EQ(first.address.line2, "");
  EXPECT_EQ(first.address.city, "Florence");
  EXPECT_EQ(first.address.state, "AL");
  EXPECT_EQ(first.address.postal_code, "35630");
  EXPECT_DOUBLE_EQ(*first.latitude, 34.832909);
  EXPECT_DOUBLE_EQ(*first.longitude, -87.66639);
  EXPECT_TRUE(first.phones.empty());
  EXPECT_EQ(first.website, "");
  EXPECT_EQ(first.terms, Strings{"treatment"});
  EXPECT_TRUE(first.source_attributes.empty());

  // name2 "DBA ..." is the service name; the organisation stays name1.
  EXPECT_EQ(r.records[1].organization, "AIDS Action Coalition");
  EXPECT_EQ(r.records[1].name, "DBA Thrive Alabama");
  EXPECT_EQ(r.records[1].address.line2, "Building 9 Suite 23");
  // ZIPs that lost their leading zeros: 4 digits (CT) and 3 digits (PR).
  EXPECT_EQ(r.records[2].address.postal_code, "06708");
  EXPECT_EQ(r.records[2].source_key,
            "connecticut-counseling-centers-inc||50-brookside-road||waterbury|ct|06708");
  EXPECT_EQ(r.records[3].name, "Rev Edward Dempsey Drug Servs Program");
  EXPECT_EQ(r.records[6].address.postal_code, "00725");
  EXPECT_EQ(r.records[6].address.state, "PR");

  // Lines 6/7 are the same row twice; lines 8/9 differ in their coordinates.
  EXPECT_EQ(r.records[4].line, 6);
  EXPECT_EQ(r.records[5].line, 8);
  EXPECT_EQ(Messages(r.warnings),
            Strings{"sut_facilities.csv:7: same facility as line 6, every value the same: skipped"});
  EXPECT_EQ(Messages(r.rejections),
            Strings{"sut_facilities.csv:9: same facility (name and address) as line 8 but a "
                    "different latitude, longitude: the row on line 8 is kept"});
}

TEST(SamhsaLocatorCsv, MentalHealthSample) {
  ReadResult r = ReadCsvText(Slurp(kFixtures + "mh_sample.csv"), "mh_facilities.csv");
  EXPECT_EQ(r.rows, 5);
  EXPECT_EQ(r.rejected_rows, 0);
  ASSERT_EQ(r.records.size(), 4u);
  const ListingRecord& pcc = r.records[0];
  EXPECT_EQ(pcc.source, "samhsa-locator-mh");  // the default for a file with type_facility
  EXPECT_EQ(pcc.source_url, "https://findtreatment.gov/");
  EXPECT_EQ(pcc.source_license, "Public domain (US federal government work)");
  EXPECT_EQ(pcc.as_of, "");
  EXPECT_EQ(pcc.terms, (Strings{"treatment", "mental-health"}));
  EXPECT_EQ(pcc.website, "http://www.pcc4me.com");
  EXPECT_EQ(pcc.address.line2, "Suite 220");
  ASSERT_EQ(pcc.phones.size(), 2u);
  EXPECT_EQ(pcc.phones[0].role, "main");
  EXPECT_EQ(pcc.phones[0].e164, "+18602763000");
  EXPECT_EQ(pcc.phones[0].display, "(860) 276-3000");
  EXPECT_EQ(pcc.phones[0].extension, "");
  EXPECT_EQ(pcc.phones[1].role, "intake");
  EXPECT_EQ(pcc.phones[1].extension, "301");

  EXPECT_EQ(r.records[1].name, "Behavioral Health");
  const ListingRecord& staywell = r.records[2];  // zip4 NA, intake1 and intake2
  EXPECT_EQ(staywell.address.postal_code, "06770");
  ASSERT_EQ(staywell.phones.size(), 3u);
  EXPECT_EQ(staywell.phones[0].extension, "3450");
  EXPECT_EQ(staywell.phones[2].role, "intake");
  EXPECT_EQ(staywell.phones[2].extension, "3451");
  EXPECT_EQ(staywell.website, "http://staywellhealth.org/services/adult-behavioral-health/");

  // The R row index differs (4421, 5299); nothing else does.
  EXPECT_EQ(Messages(r.warnings),
            Strings{"mh_facilities.csv:6: same facility as line 5, every value the same: skipped"});
}

TEST(SamhsaLocatorCsv, OpioidTreatmentDirectorySample) {
  ReadResult r = ReadCsvText(Slurp(kFixtures + "otp_sample.csv"), "otp_directory.csv");
  EXPECT_EQ(r.rows, 3);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_TRUE(r.rejections.empty());
  EXPECT_TRUE(r.warnings.empty());
  const ListingRecord& cms = r.records[0];
  EXPECT_EQ(cms.source, "samhsa-otp-directory");
  EXPECT_EQ(cms.organization, "Community Medical Services - Wasilla");
  EXPECT_EQ(cms.name, "Community Medical Services - Wasilla");
  EXPECT_EQ(cms.address.line1, "2521 E. Mountain Village Drive, Suites E and F");
  EXPECT_EQ(cms.address.postal_code, "99654");  // ZIP+4 cut
  EXPECT_EQ(cms.terms, (Strings{"treatment", "methadone", "opioids"}));
  EXPECT_EQ(r.records[1].organization, "Narcotic Drug Treatment Center, Inc.");
  EXPECT_EQ(r.records[2].organization,
            "Clínica de Tratamiento Integral Asistido con Medicamentos Cayey");
  EXPECT_EQ(r.records[2].address.postal_code, "00736");
  EXPECT_EQ(r.records[2].source_key,
            "clínica-de-tratamiento-integral-asistido-con-medicamentos-cayey||"
            "ave-jose-de-diego-392-oeste||cayey|pr|00736");
}

TEST(SamhsaLocatorCsv, BadSubstanceUseRows) {
  ReadResult r = ReadCsvText(Slurp(kFixtures + "sut_bad.csv"), "sut_bad.csv");
  EXPECT_EQ(r.rows, 8);
  EXPECT_EQ(r.rejected_rows, 7);
  EXPECT_EQ(Messages(r.rejections),
            (Strings{
                "sut_bad.csv:2: field 'name1': required value is missing",
                "sut_bad.csv:3: field 'zip': \"9237x\" is not a 5-digit ZIP code",
                "sut_bad.csv:4: field 'latitude': 95.5 is out of range (-90 to 90)",
                "sut_bad.csv:5: field 'longitude': is missing while latitude is given: give "
                "both or neither",
                "sut_bad.csv:6: field 'state': \"ZZ\" is not a US state",
                "sut_bad.csv:8: row has 3 fields, the header has 11",
                "sut_bad.csv:9: field 'name1': invalid UTF-8 at byte 4 (0xE9): save the file "
                "as UTF-8",
            }));
  // NA coordinates are absent: the record waits for the geocoder.
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].organization, "Unplaced Clinic");
  EXPECT_FALSE(r.records[0].latitude);
  EXPECT_FALSE(r.records[0].longitude);
}

TEST(SamhsaLocatorCsv, BadMentalHealthRows) {
  ReadResult r = ReadCsvText(Slurp(kFixtures + "mh_bad.csv"), "mh_bad.csv");
  EXPECT_EQ(Messages(r.rejections),
            (Strings{
                "mh_bad.csv:2: field 'phone': \"123-456\" is not a US phone number",
                "mh_bad.csv:3: field 'website': \"http://example.org/wp-admin\" links to an "
                "admin page",
                "mh_bad.csv:4: field 'type_facility': \"XX\" is not a facility type (SA, MH)",
            }));
  // type_facility SA adds no mental-health; a bare "http://" is no website;
  // an intake number equal to the main one is kept once.
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].terms, Strings{"treatment"});
  EXPECT_EQ(r.records[0].website, "");
  EXPECT_EQ(r.records[0].phones.size(), 1u);
}

TEST(SamhsaLocatorCsv, HeaderProblemsFailTheFile) {
  auto error = [](const std::string& text) {
    std::istringstream in(text);
    SeenKeys seen;
    auto r = ReadSamhsaLocatorCsv(in, "x.csv", {}, Taxonomy::Embedded(), seen);
    return r ? std::string("no error") : r.error().message;
  };
  EXPECT_EQ(error(""), "x.csv:1: file is empty: no header row");
  EXPECT_EQ(error("source,source_key,organization\n"),
            "x.csv:1: not a SAMHSA locator header (name1, name2, street1, street2, city, state, "
            "zip, ... or ID, ADDRESS, CITY, STATE, POSTAL, Latitude, Longitude)");
  EXPECT_EQ(error("name1,street1,city,state\n"), "x.csv:1: missing required column 'zip'");
  EXPECT_EQ(error("ID,ADDRESS,CITY,POSTAL\n"), "x.csv:1: missing required column 'state'");
  EXPECT_EQ(error("name1,city,state,zip,City\n"), "x.csv:1: column 'City' appears twice");
}

TEST(SamhsaLocatorCsv, UnknownColumnIsAWarning) {
  ReadResult r = ReadCsvText("name1,city,state,zip,email\nA,Florence,AL,35630,a@b.org\n", "x.csv");
  EXPECT_EQ(r.records.size(), 1u);
  EXPECT_EQ(Messages(r.warnings),
            Strings{"x.csv:1: field 'email': column not read by the samhsa-locator-csv reader; "
                    "its values are ignored"});
}

TEST(SamhsaLocatorCsv, SourceKeySurvivesReQuotingCaseAndLostZeros) {
  ReadResult a = ReadCsvText(
      "name1,name2,street1,street2,city,state,zip\n"
      "St. Mary's Home,,50 Brookside Road,,Waterbury,CT,6708\n", "a.csv");
  ReadResult b = ReadCsvText(
      "name1,name2,street1,street2,city,state,zip,latitude,longitude\n"
      "\"ST MARY'S  HOME\",NA,\"50 Brookside Road \",,WATERBURY,Connecticut,06708,41.5,-73.0\n",
      "b.csv");
  ASSERT_EQ(a.records.size(), 1u);
  ASSERT_EQ(b.records.size(), 1u);
  EXPECT_EQ(a.records[0].source_key, "st-mary-s-home||50-brookside-road||waterbury|ct|06708");
  EXPECT_EQ(a.records[0].source_key, b.records[0].source_key);
}

TEST(SamhsaLocatorCsv, KeyTakenByAnotherFileOfTheSourceIsRejected) {
  const std::string text = "name1,city,state,zip\nA New Beginning,Florence,AL,35630\n";
  SeenKeys seen;
  std::istringstream first(text), second(text);
  auto a = ReadSamhsaLocatorCsv(first, "a.csv", Locator2021(), Taxonomy::Embedded(), seen);
  auto b = ReadSamhsaLocatorCsv(second, "b.csv", Locator2021(), Taxonomy::Embedded(), seen);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->records.size(), 1u);
  EXPECT_EQ(b->records.size(), 0u);
  EXPECT_EQ(Messages(b->rejections),
            Strings{"b.csv:2: same facility (name and address) as a.csv:2 for source "
                    "\"samhsa-locator-sut-2021\""});
}

TEST(SamhsaLocatorCsv, RecognisesBothHeaderShapesOnly) {
  for (const char* f : {"sut_sample.csv", "mh_sample.csv", "otp_sample.csv"}) {
    EXPECT_TRUE(LooksLikeSamhsaLocatorCsv(Slurp(kFixtures + f).substr(0, 4096))) << f;
  }
  EXPECT_FALSE(LooksLikeSamhsaLocatorCsv(
      Slurp(CF_SOURCE_DIR "/tests/fixtures/importer/valid_listings.csv").substr(0, 4096)));
  EXPECT_FALSE(LooksLikeSamhsaLocatorCsv("Name,City,State,ZIP,Phone,Address,Website\n"));
  EXPECT_FALSE(LooksLikeSamhsaLocatorCsv("id,organization_id,name,alternate_name\n"));
  EXPECT_FALSE(LooksLikeSamhsaLocatorCsv(Slurp(kFixtures + "api_sample.json").substr(0, 4096)));
  EXPECT_FALSE(LooksLikeSamhsaLocatorCsv(""));
}

// ---- locator JSON ----------------------------------------------------------

TEST(SamhsaJson, ApiSample) {
  SourceInfo va{"samhsa-findtreatment-api-2019", "https://findtreatment.gov/", "CC0 1.0", "",
                "2019-05-30"};
  ReadResult r = ReadJsonText(Slurp(kFixtures + "api_sample.json"), "api_sample.json", va);
  EXPECT_EQ(r.format, "samhsa-json");
  EXPECT_EQ(r.rows, 7);
  EXPECT_EQ(r.rejected_rows, 3);
  ASSERT_EQ(r.records.size(), 4u);

  const ListingRecord& mohr = r.records[0];
  EXPECT_EQ(mohr.file, "api_sample.json");
  EXPECT_EQ(mohr.line, 6);  // where the row's `{` stands
  EXPECT_EQ(mohr.source, "samhsa-findtreatment-api-2019");
  EXPECT_EQ(mohr.source_license, "CC0 1.0");
  EXPECT_EQ(mohr.as_of, "2019-05-30");
  EXPECT_EQ(mohr.source_key, "811a908f82269778a2fe2a8bc603afa08df868f3e2fa56aa62e214d03997dea1");
  EXPECT_EQ(mohr.kind, "treatment");
  EXPECT_EQ(mohr.organization, "Region Ten Community Services Board");
  EXPECT_EQ(mohr.name, "Mohr Center");
  EXPECT_EQ(mohr.address.line1, "1014 East Market Street");
  EXPECT_EQ(mohr.address.city, "Charlottesville");
  EXPECT_EQ(mohr.address.state, "VA");
  EXPECT_EQ(mohr.address.postal_code, "22902");
  EXPECT_DOUBLE_EQ(*mohr.latitude, 38.0282239);
  EXPECT_DOUBLE_EQ(*mohr.longitude, -78.4725231);
  EXPECT_EQ(mohr.website, "http://www.regionten.org");
  ASSERT_EQ(mohr.phones.size(), 2u);
  EXPECT_EQ(mohr.phones[0].role, "main");
  EXPECT_EQ(mohr.phones[0].e164, "+14349798871");
  EXPECT_EQ(mohr.phones[1].role, "intake");
  EXPECT_EQ(mohr.phones[1].e164, "+14349721800");
  EXPECT_EQ(mohr.terms,
            (Strings{"treatment", "residential", "residential-short", "accepts-mat", "cbt",
                     "counseling", "trauma", "state-funded", "medicaid", "private-insurance",
                     "self-pay", "sliding-fee", "men", "aftercare", "mental-health",
                     "peer-support", "tobacco", "adults", "young-adults"}));
  ASSERT_EQ(mohr.source_attributes.size(), 29u);
  EXPECT_EQ(mohr.source_attributes.front(), "Anger management");
  EXPECT_EQ(mohr.source_attributes.back(), "Male");

  EXPECT_EQ(r.records[1].line, 117);
  EXPECT_EQ(r.records[1].name, "Substance Abuse Intensive Outpatient");
  EXPECT_EQ(r.records[1].phones.at(1).extension, "1");

  // Written for tests: a code instead of a label ("DT"), an unknown label,
  // Female only, the ZIP as a number that lost its zero, name2 "NA", a
  // hotline short code and a website that is only "http://".
  const ListingRecord& harvard = r.records[2];
  EXPECT_EQ(harvard.line, 233);
  EXPECT_EQ(harvard.name, "Harvard Square Recovery (written for tests)");
  EXPECT_EQ(harvard.address.postal_code, "02138");
  EXPECT_DOUBLE_EQ(*harvard.latitude, 42.3736);
  EXPECT_EQ(harvard.terms, (Strings{"treatment", "detox", "cbt", "women"}));
  EXPECT_EQ(harvard.source_attributes, (Strings{"Equine therapy", "Anger management", "Female"}));
  ASSERT_EQ(harvard.phones.size(), 2u);
  EXPECT_EQ(harvard.phones[1].role, "hotline");
  EXPECT_EQ(harvard.phones[1].display, "988");
  EXPECT_EQ(harvard.website, "");
  // Female and Male together: no women/men term.
  EXPECT_EQ(r.records[3].terms, Strings{"treatment"});
  EXPECT_EQ(r.records[3].source_attributes, (Strings{"Equine therapy", "Female", "Male"}));

  EXPECT_EQ(Messages(r.rejections),
            (Strings{
                "api_sample.json:269: field 'frid': required value is missing",
                "api_sample.json:269: field 'zip': \"9237x\" is not a 5-digit ZIP code",
                "api_sample.json:269: field 'latitude': 95.5 is out of range (-90 to 90)",
                "api_sample.json:295: field 'services': expected a list of {f1, f2, f3}, got "
                "string",
                "api_sample.json:315: field 'frid': duplicate "
                "\"811a908f82269778a2fe2a8bc603afa08df868f3e2fa56aa62e214d03997dea1\" for "
                "source \"samhsa-findtreatment-api-2019\" (first on api_sample.json:6)",
            }));
  // One warning per distinct unknown value, counting the rows kept.
  EXPECT_EQ(Messages(r.warnings),
            Strings{"api_sample.json:233: field 'services': unknown SAMHSA service \"Equine "
                    "therapy\" (category \"TAP\") in 2 rows, kept as a source attribute; map it "
                    "in data/mappings/samhsa_codes.csv"});
}

TEST(SamhsaJson, BareArrayAndDefaults) {
  ReadResult r = ReadJsonText(
      "[\n"
      "  {\"frid\": \"a\", \"name1\": \"One\", \"city\": \"Florence\", \"state\": \"AL\",\n"
      "   \"zip\": \"35630\", \"services\": [{\"f2\": \"PAY\", \"f3\": \"Medicaid; MC\"}]},\n"
      "  {\"frid\": \"b\", \"name1\": \"Two\", \"city\": \"Florence\", \"state\": \"AL\", "
      "\"zip\": \"35630\"}\n"
      "]\n",
      "rows.json");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].line, 2);
  EXPECT_EQ(r.records[1].line, 4);
  EXPECT_EQ(r.records[0].source, "samhsa-findtreatment");
  EXPECT_EQ(r.records[0].source_url, "https://findtreatment.gov/");
  EXPECT_EQ(r.records[0].source_license, "Public domain (US federal government work)");
  EXPECT_EQ(r.records[0].as_of, "");
  EXPECT_EQ(r.records[0].terms, (Strings{"treatment", "medicaid", "medicare"}));  // label, code
  EXPECT_FALSE(r.records[1].latitude);
}

TEST(SamhsaJson, InvalidUtf8RejectsItsRowNamingLineAndKey) {
  ReadResult r = ReadJsonText(
      "{\"rows\": [\n"
      "  {\"frid\": \"a\", \"name1\": \"Caf\xE9\", \"city\": \"Florence\", \"state\": \"AL\",\n"
      "   \"zip\": \"35630\",\n"
      "   \"services\": [{\"f2\": \"TAP\", \"f3\": \"Anger \xFF management\"}]},\n"
      "  {\"frid\": \"b\", \"name1\": \"Two\", \"city\": \"Florence\", \"state\": \"AL\", "
      "\"zip\": \"35630\"}\n"
      "]}\n",
      "bad.json");
  EXPECT_EQ(r.rows, 2);
  EXPECT_EQ(r.rejected_rows, 1);
  EXPECT_EQ(Messages(r.rejections),
            (Strings{
                "bad.json:2: field 'name1': invalid UTF-8 at byte 4 (0xE9): save the file as UTF-8",
                "bad.json:4: field 'services': invalid UTF-8 at byte 7 (0xFF): save the file as "
                "UTF-8",
            }));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].line, 5);
}

TEST(SamhsaJson, RowShapeProblems) {
  ReadResult r = ReadJsonText(
      "{\"rows\": [\n"
      "  7,\n"
      "  {\"frid\": \"a\", \"name1\": [\"One\"], \"city\": \"Florence\", \"state\": \"AL\", "
      "\"zip\": \"35630\", \"services\": [{\"f2\": \"PAY\"}, null]}\n"
      "]}\n",
      "shape.json");
  EXPECT_EQ(r.rows, 2);
  EXPECT_EQ(r.records.size(), 0u);
  EXPECT_EQ(Messages(r.rejections),
            (Strings{
                "shape.json:2: row is not an object but number",
                "shape.json:3: field 'name1': expected a string, got array",
                "shape.json:3: field 'services': entry 1 has no \"f3\" text",
                "shape.json:3: field 'services': entry 2 has no \"f3\" text",
            }));
}

TEST(SamhsaJson, FileErrors) {
  auto error = [](const std::string& text) {
    std::istringstream in(text);
    SeenKeys seen;
    auto r = ReadSamhsaJson(in, "x.json", {}, Taxonomy::Embedded(), seen);
    return r ? std::string("no error") : r.error().message;
  };
  EXPECT_EQ(error("{\n  \"rows\": [\n    {,}\n  ]\n}\n"),
            "x.json:3: not JSON: syntax error while parsing object key - unexpected ','; "
            "expected string literal");
  EXPECT_EQ(error(""),
            "x.json:1: not JSON: syntax error while parsing value - unexpected end of input; "
            "expected '[', '{', or a literal");
  // Found by fuzz_samhsa_json: a number beyond a double threw out of the reader.
  EXPECT_EQ(error("{\"rows\": [{\"zip\": 555555555555E55555555555555}]}"),
            "x.json: not JSON this reader can hold: number overflow parsing "
            "'555555555555E55555555555555'");
  // Found by fuzz_samhsa_json: the parser took a NUL byte for the end of the text.
  EXPECT_EQ(error(std::string("[\n  {\"frid\": \"a\"}]\0\n[{}]", 24)),
            "x.json:2: a NUL byte at byte 19: not a JSON text file");
  EXPECT_EQ(error("{\"page\": 1}"),
            "x.json:1: no \"rows\" array: not a FindTreatment.gov locator response");
  EXPECT_EQ(error("{\"page\": \"\xC3\", \"rows\": []}"),
            "x.json:1: invalid UTF-8 at byte 1 (0xC3): save the file as UTF-8");
}

TEST(SamhsaJson, RecognisesLocatorJsonOnly) {
  EXPECT_TRUE(LooksLikeSamhsaJson(Slurp(kFixtures + "api_sample.json").substr(0, 4096)));
  EXPECT_TRUE(LooksLikeSamhsaJson("[{\"frid\": \"x\", \"name1\": \"A\"}]"));
  EXPECT_FALSE(LooksLikeSamhsaJson(Slurp(kFixtures + "sut_sample.csv").substr(0, 4096)));
  EXPECT_FALSE(LooksLikeSamhsaJson("[{\"name\": \"Step Sisters\", \"slug\": \"a\", \"day\": 0}]"));
  EXPECT_FALSE(LooksLikeSamhsaJson("{\"id\": \"x\", \"name\": \"A\", \"organization\": {}}"));
}

TEST(JsonRows, LinesSurviveEscapesNestingAndARepeatedRowsKey) {
  RowPlaces p = ScanRows(
      "{\"rows\": [{\"a\": 1}],\n"
      " \"meta\": {\"rows\": [{}, {}]},\n"
      " \"rows\": [\n"
      "  {\"name1\": \"say \\\"[{\\\" \", \"x\": [[{}]]},\n"
      "  \"text\",\n"
      "  [1, {\"b\": \"\xC3\"}]\n"
      "]}\n",
      "rows");
  EXPECT_EQ(p.lines, (std::vector<int>{4, 5, 6}));
  ASSERT_EQ(p.bad_utf8.size(), 1u);
  EXPECT_EQ(p.bad_utf8[0].row, 2);
  EXPECT_EQ(p.bad_utf8[0].line, 6);
  EXPECT_EQ(WithoutInvalidUtf8("a\xC3" "b\xFF"), "a?b?");
  EXPECT_EQ(LineAt("a\nb\nc", 4), 3);
}

// ---- the service mapping ---------------------------------------------------

// (label -> terms) of a mapping CSV with columns `label` and `term_column`.
std::map<std::string, std::set<std::string>> MappingFile(const std::string& path,
                                                         std::string_view term_column) {
  std::ifstream in(path);
  CsvTable table(in);
  EXPECT_TRUE(table.ReadHeader());
  std::map<std::string, std::set<std::string>> out;
  while (table.Next().value_or(false)) {
    auto& terms = out[std::string(table.Get("label"))];
    if (!table.Get(term_column).empty()) terms.insert(std::string(table.Get(term_column)));
  }
  return out;
}

TEST(SamhsaCodes, AgreesWithTheConverterMappingAndTheTaxonomy) {
  auto codes = MappingFile(CF_SOURCE_DIR "/data/mappings/samhsa_codes.csv", "term");
  auto labels = MappingFile(CF_SOURCE_DIR "/data/mappings/samhsa_labels.csv", "code");
  ASSERT_GT(labels.size(), 300u);
  for (const auto& [label, terms] : labels) {
    ASSERT_TRUE(codes.contains(label)) << label;
    EXPECT_EQ(codes[label], terms) << label;
  }
  for (const auto& [label, terms] : codes) {
    for (const auto& term : terms) EXPECT_TRUE(Taxonomy::Embedded().Find(term)) << term;
  }
}

TEST(SamhsaCodes, CoversEveryReferenceServiceCode) {
  const std::string ref = CF_SOURCE_DIR "/../shared/reference/samhsa_service_codes.csv";
  if (!std::filesystem::exists(ref)) GTEST_SKIP() << "no " << ref;
  std::ifstream in(ref), ours(CF_SOURCE_DIR "/data/mappings/samhsa_codes.csv");
  CsvTable reference(in), mapping(ours);
  ASSERT_TRUE(reference.ReadHeader() && mapping.ReadHeader());
  std::set<std::pair<std::string, std::string>> mapped;
  while (mapping.Next().value_or(false))
    mapped.emplace(mapping.Get("code"), mapping.Get("label"));
  int codes = 0;
  while (reference.Next().value_or(false)) {
    ++codes;
    EXPECT_TRUE(mapped.contains({std::string(reference.Get("service_code")),
                                 std::string(reference.Get("service_name"))}))
        << reference.Get("service_code");
  }
  EXPECT_EQ(codes, 190);
}

// ---- the full shared files (skipped when ../shared/data is absent) ----------

struct FullCount {
  int rows = 0, records = 0, rejected = 0, warnings = 0;
  Strings rejections;
};

FullCount ReadFull(const std::string& dir, const std::string& name, bool json) {
  std::ifstream in(kShared + dir + "/" + name, std::ios::binary);
  SeenKeys seen;
  auto r = json ? ReadSamhsaJson(in, name, {}, Taxonomy::Embedded(), seen)
                : ReadSamhsaLocatorCsv(in, name, {}, Taxonomy::Embedded(), seen);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  if (!r) return {};
  return {r->rows, static_cast<int>(r->records.size()), r->rejected_rows,
          static_cast<int>(r->warnings.size()), Messages(r->rejections)};
}

TEST(SamhsaFullFiles, EveryRowAccountedFor) {
  if (!std::filesystem::exists(kShared + "samhsa-locator-oeps")) GTEST_SKIP() << "no shared data";
  // rows = records + rejected + identical repeats skipped (one warning each).
  auto sut = ReadFull("samhsa-locator-oeps", "sut_facilities.csv", false);
  EXPECT_EQ(sut.rows, 14034);  // every state: CO, GA and OR appended on 2026-12-02
  EXPECT_EQ(sut.records, 14027);
  EXPECT_EQ(sut.rejected, 3);
  EXPECT_EQ(sut.warnings, 4);
  EXPECT_EQ(sut.rejections,
            (Strings{"sut_facilities.csv:2666: same facility (name and address) as line 2665 but "
                     "a different latitude, longitude: the row on line 2665 is kept",
                     "sut_facilities.csv:3196: same facility (name and address) as line 3195 but "
                     "a different latitude, longitude: the row on line 3195 is kept",
                     "sut_facilities.csv:7505: same facility (name and address) as line 7464 but "
                     "a different latitude, longitude: the row on line 7464 is kept"}));
  auto mh = ReadFull("samhsa-locator-oeps", "mh_facilities.csv", false);
  EXPECT_EQ(mh.rows, 11375);
  EXPECT_EQ(mh.records, 11032);
  EXPECT_EQ(mh.rejected, 1);
  EXPECT_EQ(mh.warnings, 342);
  EXPECT_EQ(mh.rejections, Strings{"mh_facilities.csv:5098: field 'website': "
                                   "\"http://www://Amerikare.net\" is not an http or https URL"});
  auto otp = ReadFull("samhsa-locator-oeps", "otp_directory.csv", false);
  EXPECT_EQ(otp.rows, 1831);
  EXPECT_EQ(otp.records, 1830);
  EXPECT_EQ(otp.rejected, 0);
  EXPECT_EQ(otp.warnings, 1);
  for (const auto* f : {&sut, &mh, &otp}) EXPECT_EQ(f->rows, f->records + f->rejected + f->warnings);
  for (const char* f : {"api_sample_charlottesville_va_30rows.json",
                        "api_sample_charlottesville_va_25rows_sa_only.json"}) {
    auto api = ReadFull("samhsa-findtreatment-api", f, true);
    int n = std::string_view(f).contains("30rows") ? 30 : 25;
    EXPECT_EQ(api.rows, n) << f;
    EXPECT_EQ(api.records, n) << f;
    EXPECT_EQ(api.rejected, 0) << f;
    EXPECT_EQ(api.warnings, 0) << f;  // every 2019 label is in the mapping
  }
}

// The JSON reader and data/tools/samhsa_to_curated.py read the same rows the
// same way: terms and kept labels match the shipped curated file, row by row.
TEST(SamhsaFullFiles, JsonReaderAgreesWithTheCuratedConversion) {
  const std::string api = kShared + "samhsa-findtreatment-api/api_sample_charlottesville_va_30rows.json";
  if (!std::filesystem::exists(api)) GTEST_SKIP() << "no shared data";
  std::ifstream json_in(api), csv_in(CF_SOURCE_DIR "/data/listings/samhsa-findtreatment-va-2019.csv");
  SeenKeys seen_json, seen_csv;
  auto json = ReadSamhsaJson(json_in, "api.json", {}, Taxonomy::Embedded(), seen_json);
  auto curated = ReadCuratedCsv(csv_in, "va.csv", Taxonomy::Embedded(), seen_csv);
  ASSERT_TRUE(json && curated);
  std::map<std::string, const ListingRecord*> by_key;
  for (const auto& rec : curated->records) by_key[rec.source_key] = &rec;
  ASSERT_EQ(json->records.size(), 30u);
  for (const auto& rec : json->records) {
    ASSERT_TRUE(by_key.contains(rec.source_key)) << rec.source_key;
    const ListingRecord& converted = *by_key[rec.source_key];
    EXPECT_EQ(std::set(rec.terms.begin(), rec.terms.end()),
              std::set(converted.terms.begin(), converted.terms.end()))
        << rec.line;
    EXPECT_EQ(std::set(rec.source_attributes.begin(), rec.source_attributes.end()),
              std::set(converted.source_attributes.begin(), converted.source_attributes.end()))
        << rec.line;
    EXPECT_EQ(rec.name, converted.name);
    EXPECT_EQ(rec.organization, converted.organization);
    EXPECT_EQ(rec.phones.size(), converted.phones.size()) << rec.line;
  }
}

}  // namespace
}  // namespace carefinder::importer
