// Golden tests for the HSDS 3.0 readers (importer/sources/hsds.h): the
// official examples (tests/fixtures/importer/hsds/openreferral-3.0) as
// published and with their non-US values repaired, the fixture package with
// dangling keys and bad rows (tests/fixtures/importer/hsds/pkg), and the
// JSON object / array / Page / tabular forms. Messages word for word.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "importer/normalise.h"
#include "importer/sources/hsds.h"

namespace carefinder::importer {
namespace {

const std::string kHsds = CF_SOURCE_DIR "/tests/fixtures/importer/hsds/";
const std::string kOfficial = kHsds + "openreferral-3.0/";

using Edits = std::vector<std::pair<std::string, std::string>>;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Edited(std::string text, const Edits& edits) {
  for (const auto& [from, to] : edits) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  }
  return text;
}

SourceInfo Source(std::string license = "CC0-1.0") {
  return {"hsds-fixture", "https://hsds.example.org/", std::move(license), "", "2026-11-20"};
}

// Tables of the package in `dir`, each edited by `edits` on the way in.
OpenTable DirOpener(std::string dir, Edits edits = {}) {
  return [dir, edits](std::string_view path) -> std::unique_ptr<std::istream> {
    std::ifstream probe(dir + std::string(path));
    if (!probe) return nullptr;
    return std::make_unique<std::istringstream>(Edited(Slurp(dir + std::string(path)), edits));
  };
}

Result<ReadResult> ReadPackage(const std::string& descriptor, std::string_view name,
                               const OpenTable& open, const SourceInfo& source = Source()) {
  std::istringstream in(Slurp(descriptor));
  SeenKeys seen;
  return ReadHsdsDatapackage(in, name, open, source, Taxonomy::Embedded(), seen);
}

Result<ReadResult> ReadJson(const std::string& text, std::string_view name = "feed.json",
                            const SourceInfo& source = Source()) {
  std::istringstream in(text);
  SeenKeys seen;
  return ReadHsdsJson(in, name, source, Taxonomy::Embedded(), seen);
}

std::vector<std::string> Messages(const std::vector<Rejection>& v) {
  std::vector<std::string> out;
  for (const auto& r : v) out.push_back(r.Message());
  return out;
}

const ListingRecord& Only(const ReadResult& r) {
  EXPECT_EQ(r.records.size(), 1u) << ::testing::PrintToString(Messages(r.rejections));
  static const ListingRecord kNone;
  return r.records.empty() ? kNone : r.records[0];
}

const ListingRecord* Find(const ReadResult& r, std::string_view key) {
  for (const auto& rec : r.records) {
    if (rec.source_key == key) return &rec;
  }
  ADD_FAILURE() << "no record " << key;
  return nullptr;
}

std::vector<std::string> Phones(const ListingRecord& rec) {
  std::vector<std::string> out;
  for (const Phone& p : rec.phones) {
    out.push_back(p.role + " " + p.display + (p.extension.empty() ? "" : " x" + p.extension) + " " +
                  p.e164);
  }
  return out;
}

// ---- the fixture package: dangling keys and bad rows ------------------------

Result<ReadResult> ReadFixturePackage() {
  return ReadPackage(kHsds + "pkg/datapackage.json", "pkg/datapackage.json",
                     DirOpener(kHsds + "pkg/"));
}

TEST(HsdsDatapackage, FixturePackageCountsRejectionsAndWarningsWordForWord) {
  auto r = ReadFixturePackage();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->format, "hsds-datapackage");
  EXPECT_EQ(r->rows, 9);
  EXPECT_EQ(r->rejected_rows, 6);
  EXPECT_EQ(r->records.size(), 3u);
  EXPECT_EQ(Messages(r->rejections),
            (std::vector<std::string>{
                "pkg/locations.csv:4: field 'latitude': 134.1 is out of range (-90 to 90)",
                "pkg/phones.csv:6: field 'number': \"555-01\" is not a US phone number",
                "pkg/schedules.csv:7: field 'byday': \"2MO\" is not a weekday (MO, TU, WE, TH, "
                "FR, SA, SU)",
                "pkg/service_at_location.csv:10: field 'id': duplicate \"sal-detox-redlands\" "
                "for source \"hsds-fixture\" (first on pkg/service_at_location.csv:2)",
                "pkg/services.csv:3: field 'name': required by HSDS 3.0 but empty",
                "pkg/services.csv:6: field 'status': \"open\" is not an HSDS status (active, "
                "inactive, defunct, temporarily closed)",
            }));
  EXPECT_EQ(Messages(r->warnings),
            (std::vector<std::string>{
                "pkg/addresses.csv:6: field 'location_id': \"loc-gone\" is not a location in "
                "this package",
                "pkg/attributes.csv:6: field 'taxonomy_term_id': \"term-gone\" is not a "
                "taxonomy_term in this package",
                "pkg/languages.csv:3: field 'code': \"ur\" is not a language of the carefinder "
                "taxonomy; kept as a source attribute",
                "pkg/phones.csv:7: field 'service_id': \"svc-gone\" is not a service in this "
                "package",
                "pkg/schedules.csv:4: field 'freq': MONTHLY schedules are not kept: Carefinder "
                "shows weekly hours",
                "pkg/schedules.csv:6: field 'interval': every 2 weeks cannot be shown as weekly "
                "hours: schedule not kept",
                "pkg/service_at_location.csv:6: field 'location_id': \"loc-missing\" is not a "
                "location in this package",
                "pkg/services.csv:4: field 'organization_id': \"org-missing\" is not an "
                "organization in this package",
                "pkg/services.csv:5: field 'id': service \"svc-unlisted\" has no "
                "service_at_location, so it is not listed",
                "pkg/services.csv:7: field 'assured_date': \"last week\" is not a date "
                "(YYYY-MM-DD); not marked verified",
                "pkg/taxonomy_terms.csv:4: field 'code': \"LR-8000\" of taxonomy \"AIRS/211 LA "
                "County Taxonomy\" has no carefinder term; kept as source attribute \"AIRS/211 "
                "LA County Taxonomy:LR-8000\"",
                "pkg/taxonomy_terms.csv:5: field 'taxonomy_id': \"tax-gone\" is not a taxonomy "
                "in this package",
                "pkg/taxonomy_terms.csv:5: field 'code': \"zzz\" of taxonomy \"tax-gone\" has no "
                "carefinder term; kept as source attribute \"tax-gone:zzz\"",
            }));
}

TEST(HsdsDatapackage, FixturePackageGoodListingMapsEveryField) {
  auto r = ReadFixturePackage();
  ASSERT_TRUE(r) << r.error().message;
  const ListingRecord* rec = Find(*r, "sal-detox-redlands");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->file, "pkg/service_at_location.csv");
  EXPECT_EQ(rec->line, 2);
  EXPECT_EQ(rec->source, "hsds-fixture");
  EXPECT_EQ(rec->source_url, "https://hsds.example.org/");
  EXPECT_EQ(rec->source_license, "CC0-1.0");
  EXPECT_EQ(rec->as_of, "2026-11-02");          // service.last_modified
  EXPECT_EQ(rec->last_verified, "2026-10-01");  // service.assured_date
  EXPECT_EQ(rec->kind, "treatment");
  EXPECT_EQ(rec->status, "active");
  EXPECT_EQ(rec->organization, "Inland Recovery Services");
  EXPECT_EQ(rec->name, "Outpatient detox");
  EXPECT_EQ(rec->description, "Medically supervised withdrawal & counselling.");
  EXPECT_EQ(rec->location_name, "Inland Recovery Redlands");
  // The physical address wins over the postal one listed first.
  EXPECT_EQ(rec->address.line1, "712 The Terrace");
  EXPECT_EQ(rec->address.line2, "Suite 2");
  EXPECT_EQ(rec->address.city, "Redlands");
  EXPECT_EQ(rec->address.state, "CA");
  EXPECT_EQ(rec->address.postal_code, "92374");
  ASSERT_TRUE(rec->latitude && rec->longitude);
  EXPECT_DOUBLE_EQ(*rec->latitude, 34.0556);
  EXPECT_DOUBLE_EQ(*rec->longitude, -117.1825);
  EXPECT_EQ(rec->precision, GeoPrecision::kExact);
  // The service_at_location's, the service's, the location's; the
  // organization's repeats the intake line and is dropped.
  EXPECT_EQ(Phones(*rec), (std::vector<std::string>{"main (909) 555-0101 +19095550101",
                                                    "intake (909) 555-0102 x12 +19095550102",
                                                    "fax (909) 555-0103 +19095550103"}));
  EXPECT_EQ(rec->website, "https://inland-recovery.example.org/detox");
  EXPECT_EQ(rec->email, "info@inland-recovery.example.org");  // the organization's
  EXPECT_EQ(rec->hours_text, "Mo-Fr 08:00-17:00; Sa 09:00-12:00");
  ASSERT_EQ(rec->hours.size(), 6u);
  EXPECT_EQ(rec->hours[0].day, "MO");
  EXPECT_EQ(rec->hours[5].day, "SA");
  EXPECT_EQ(rec->hours[5].opens, "09:00");
  EXPECT_EQ(rec->hours[5].closes, "12:00");
  // detox-outpatient by taxonomy name, medicaid by taxonomy id, ASL by label.
  EXPECT_EQ(rec->terms,
            (std::vector<std::string>{"treatment", "detox-outpatient", "medicaid", "es", "ase"}));
  EXPECT_EQ(rec->source_attributes,
            (std::vector<std::string>{"AIRS/211 LA County Taxonomy:LR-8000", "language:ur"}));
}

TEST(HsdsDatapackage, VirtualLocationIsOnlineWithItsConferenceUrlAndOwnSchedule) {
  auto r = ReadFixturePackage();
  ASSERT_TRUE(r) << r.error().message;
  const ListingRecord* rec = Find(*r, "sal-detox-online");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->line, 3);
  EXPECT_EQ(rec->location_name, "Inland Recovery Online");
  EXPECT_EQ(rec->conference_url, "https://meet.example.org/inland");
  EXPECT_EQ(rec->address.line1, "");
  EXPECT_EQ(rec->address.postal_code, "");
  EXPECT_FALSE(rec->latitude);
  EXPECT_EQ(rec->terms, (std::vector<std::string>{"treatment", "detox-outpatient", "medicaid", "es",
                                                  "online"}));
  EXPECT_EQ(rec->hours_text, "Tu,Th 18:00-19:30");  // the service_at_location's own schedule
  EXPECT_EQ(Phones(*rec), (std::vector<std::string>{"intake (909) 555-0102 x12 +19095550102"}));
}

TEST(HsdsDatapackage, AsOfFromMetadataAndNotVerifiedWithoutARealAssuredDate) {
  auto r = ReadFixturePackage();
  ASSERT_TRUE(r) << r.error().message;
  const ListingRecord* rec = Find(*r, "sal-hope-counsel");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->line, 9);
  EXPECT_EQ(rec->status, "temporarily closed");  // "Temporarily  Closed" folded
  EXPECT_EQ(rec->as_of, "2026-10-15");           // the latest metadata date
  EXPECT_EQ(rec->last_verified, "");             // assured_date "last week"
  EXPECT_EQ(rec->website, "https://hopestreet.example.org");
  EXPECT_EQ(Phones(*rec), (std::vector<std::string>{"hotline 988 "}));
  EXPECT_EQ(rec->hours_text, "");  // every other Wednesday is not weekly
  EXPECT_TRUE(rec->hours.empty());
  EXPECT_FALSE(rec->latitude);  // the geocoder places it by ZIP later
  EXPECT_EQ(rec->address.postal_code, "92401");
  EXPECT_EQ(rec->source_attributes, (std::vector<std::string>{"tax-gone:zzz", "language:ur"}));
}

TEST(HsdsDatapackage, SecondReadOfTheSamePackageRejectsEveryKeyAsDuplicate) {
  std::istringstream a(Slurp(kHsds + "pkg/datapackage.json"));
  std::istringstream b(Slurp(kHsds + "pkg/datapackage.json"));
  SeenKeys seen;
  auto open = DirOpener(kHsds + "pkg/");
  auto first =
      ReadHsdsDatapackage(a, "a/datapackage.json", open, Source(), Taxonomy::Embedded(), seen);
  auto second =
      ReadHsdsDatapackage(b, "b/datapackage.json", open, Source(), Taxonomy::Embedded(), seen);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->records.size(), 3u);
  EXPECT_EQ(second->records.size(), 0u);
  EXPECT_EQ(Messages(second->rejections)[3],
            "b/service_at_location.csv:2: field 'id': duplicate \"sal-detox-redlands\" for "
            "source \"hsds-fixture\" (first on a/service_at_location.csv:2)");
}

// ---- the official examples --------------------------------------------------

// The official CSV package has one service_at_location whose location,
// address and phone hold values a US directory cannot list.
TEST(HsdsOfficialExamples, CsvPackageAsPublished) {
  auto r = ReadPackage(kOfficial + "datapackage.json", "csv/datapackage.json",
                       DirOpener(kOfficial + "examples/csv/"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rows, 1);
  EXPECT_EQ(r->rejected_rows, 1);
  EXPECT_EQ(Messages(r->rejections),
            (std::vector<std::string>{
                "csv/addresses.csv:2: field 'state_province': \"MyState\" is not a US state",
                "csv/addresses.csv:2: field 'postal_code': \"ABC 1234\" is not a 5-digit ZIP code",
                "csv/locations.csv:2: field 'latitude': 100 is out of range (-90 to 90)",
                "csv/phones.csv:2: field 'number': \"\"+44 1234 234567\"\" is not a US phone "
                "number",
            }));
  // Two of the example's four dangling keys are in tables the reader uses
  // (the other two are in contacts.csv, which it does not read).
  EXPECT_EQ(Messages(r->warnings),
            (std::vector<std::string>{
                "csv/attributes.csv:2: field 'link_entity': \"link_entity\" is not an HSDS object",
                "csv/languages.csv:2: field 'code': \"ur\" is not a language of the carefinder "
                "taxonomy; kept as a source attribute",
                "csv/locations.csv:2: field 'organization_id': "
                "\"985e4a42-bd9f-4edc-911d-0243a4640aca\" is not an organization in this package",
                "csv/schedules.csv:2: field 'byweekno': \"41,42\" is ignored: kept as every week "
                "on TH,FR",
                "csv/schedules.csv:2: field 'bymonthday': \"2,3,4\" is ignored: kept as every "
                "week on TH,FR",
                "csv/schedules.csv:2: field 'byyearday': \"2,3,4\" is ignored: kept as every "
                "week on TH,FR",
                "csv/taxonomy_terms.csv:2: field 'taxonomy_id': "
                "\"07ff6aee-a219-438c-b694-d2fcb6c5373b\" is not a taxonomy in this package",
            }));
}

const Edits kCsvRepairs = {{"100,101", "34.0556,-117.1825"},
                           {"MyState,ABC 1234", "CA,92374"},
                           {"\"\"\"+44 1234 234567\"\"\"", "(909) 555-0100"}};
const Edits kJsonRepairs = {{"\"latitude\": 100", "\"latitude\": 34.0556"},
                            {"\"longitude\": 101", "\"longitude\": -117.1825"},
                            {"\"MyState\"", "\"CA\""},
                            {"\"ABC 1234\"", "\"92374\""},
                            {"\"\\\"+44 1234 234567\\\"\"", "\"(909) 555-0100\""}};

// What the official example says, read from any of its forms once repaired.
void ExpectOfficialListing(const ListingRecord& rec) {
  EXPECT_EQ(rec.source_key, "e94c9f38-1e8f-4564-91d4-d53501ab1765");
  EXPECT_EQ(rec.organization, "Example Organization Inc.");
  EXPECT_EQ(rec.name, "Community Counselling");
  EXPECT_TRUE(
      rec.description.starts_with("Counselling Services provided by trained "
                                  "professionals. Suitable for people"));
  EXPECT_TRUE(rec.description.ends_with("difficult life events and circumstances."));
  EXPECT_EQ(rec.location_name, "MyCity Civic Center");
  EXPECT_EQ(rec.address.line1, "1-30 Main Street");
  EXPECT_EQ(rec.address.line2, "MyVillage");
  EXPECT_EQ(rec.address.city, "MyCity");
  EXPECT_EQ(rec.address.state, "CA");
  EXPECT_EQ(rec.address.postal_code, "92374");
  ASSERT_TRUE(rec.latitude && rec.longitude);
  EXPECT_DOUBLE_EQ(*rec.latitude, 34.0556);
  EXPECT_DOUBLE_EQ(*rec.longitude, -117.1825);
  EXPECT_EQ(rec.status, "active");
  EXPECT_EQ(rec.kind, "treatment");
  EXPECT_EQ(rec.as_of, "2023-03-15");          // last_modified 2023-03-15T10:30:45.123Z
  EXPECT_EQ(rec.last_verified, "2005-01-01");  // assured_date
  EXPECT_EQ(rec.website, "http://example.com/counselling");
  EXPECT_EQ(rec.email, "email@example.com");
  EXPECT_EQ(Phones(rec), (std::vector<std::string>{"main (909) 555-0100 x100 +19095550100"}));
  EXPECT_EQ(rec.hours_text, "Th,Fr 10:00-18:00");
  EXPECT_EQ(rec.terms, (std::vector<std::string>{"treatment"}));
}

TEST(HsdsOfficialExamples, CsvPackageRepairedLoadsItsListing) {
  auto r = ReadPackage(kOfficial + "datapackage.json", "csv/datapackage.json",
                       DirOpener(kOfficial + "examples/csv/", kCsvRepairs), Source(""));
  ASSERT_TRUE(r) << r.error().message;
  const ListingRecord& rec = Only(*r);
  ExpectOfficialListing(rec);
  EXPECT_EQ(rec.file, "csv/service_at_location.csv");
  EXPECT_EQ(rec.line, 2);
  // No licence from the source: the descriptor's.
  EXPECT_EQ(rec.source_license, "Creative Commons Attribution-ShareAlike 4.0");
  // The example's attribute names link_entity "link_entity": attached to nothing.
  EXPECT_EQ(rec.source_attributes, (std::vector<std::string>{"language:ur"}));
  EXPECT_TRUE(r->rejections.empty()) << ::testing::PrintToString(Messages(r->rejections));
}

Result<ReadResult> ReadOfficialJson(const std::string& name, const Edits& edits = {}) {
  return ReadJson(Edited(Slurp(kOfficial + "examples/" + name), edits), name);
}

TEST(HsdsOfficialExamples, ServiceFullAsPublishedReportsEachProblemOnce) {
  auto r = ReadOfficialJson("service_full.json");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->format, "hsds-json");
  EXPECT_EQ(r->rows, 1);
  EXPECT_EQ(r->rejected_rows, 1);
  // The phone is embedded five times with one id: reported where first used.
  EXPECT_EQ(Messages(r->rejections),
            (std::vector<std::string>{
                "service_full.json:105: field 'number': \"\"+44 1234 234567\"\" is not a US "
                "phone number",
                "service_full.json:145: field 'latitude': 100 is out of range (-90 to 90)",
                "service_full.json:166: field 'state_province': \"MyState\" is not a US state",
                "service_full.json:166: field 'postal_code': \"ABC 1234\" is not a 5-digit ZIP "
                "code",
            }));
}

TEST(HsdsOfficialExamples, ServiceFullRepairedLoadsItsListing) {
  auto r = ReadOfficialJson("service_full.json", kJsonRepairs);
  ASSERT_TRUE(r) << r.error().message;
  const ListingRecord& rec = Only(*r);
  ExpectOfficialListing(rec);
  EXPECT_EQ(rec.file, "service_full.json");
  EXPECT_EQ(rec.line, 75);  // the `{` of the service_at_location
  EXPECT_EQ(rec.source_license, "CC0-1.0");
  EXPECT_EQ(rec.source_attributes, (std::vector<std::string>{"taxonomy:code", "language:ur"}));
  EXPECT_EQ(Messages(r->warnings),
            (std::vector<std::string>{
                "service_full.json:122: field 'byweekno': \"41,42\" is ignored: kept as every "
                "week on TH,FR",
                "service_full.json:122: field 'bymonthday': \"2,3,4\" is ignored: kept as every "
                "week on TH,FR",
                "service_full.json:122: field 'byyearday': \"2,3,4\" is ignored: kept as every "
                "week on TH,FR",
                "service_full.json:258: field 'code': \"ur\" is not a language of the carefinder "
                "taxonomy; kept as a source attribute",
                "service_full.json:518: field 'code': \"code\" of taxonomy \"taxonomy\" has no "
                "carefinder term; kept as source attribute \"taxonomy:code\"",
            }));
}

TEST(HsdsOfficialExamples, EveryListingFormRepairedGivesTheSameListing) {
  for (const char* name : {"service_at_location_full.json", "organization_full.json",
                           "service_at_location_list.json", "tabular.json"}) {
    SCOPED_TRACE(name);
    auto r = ReadOfficialJson(name, kJsonRepairs);
    ASSERT_TRUE(r) << r.error().message;
    const ListingRecord& rec = Only(*r);
    EXPECT_EQ(rec.source_key, "e94c9f38-1e8f-4564-91d4-d53501ab1765");
    EXPECT_EQ(rec.organization, "Example Organization Inc.");
    EXPECT_EQ(rec.name, "Community Counselling");
    EXPECT_EQ(rec.location_name, "MyCity Civic Center");
    EXPECT_EQ(rec.as_of, "2023-03-15");
    ASSERT_TRUE(rec.latitude);
    EXPECT_DOUBLE_EQ(*rec.latitude, 34.0556);
    if (std::string(name) != "service_at_location_list.json") {  // the list view is minimal
      ExpectOfficialListing(rec);
    }
  }
}

TEST(HsdsOfficialExamples, ListsWithoutServiceAtLocationsListNothingAndSaySo) {
  auto services = ReadOfficialJson("service_list.json");
  ASSERT_TRUE(services) << services.error().message;
  EXPECT_EQ(services->rows, 0);
  EXPECT_EQ(Messages(services->warnings),
            (std::vector<std::string>{"service_list.json:10: field 'id': service "
                                      "\"ac148810-d857-441c-9679-408f346de14b\" has no "
                                      "service_at_location, so it is not listed"}));
  auto orgs = ReadOfficialJson("organization_list.json");
  ASSERT_TRUE(orgs) << orgs.error().message;
  EXPECT_EQ(orgs->rows, 0);
  EXPECT_EQ(Messages(orgs->warnings),
            (std::vector<std::string>{"organization_list.json:10: field 'services': organization "
                                      "\"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610\" has no services, "
                                      "so nothing is listed"}));
}

TEST(HsdsOfficialExamples, ALocationOrATaxonomyListIsNotListingJson) {
  const std::string expected =
      ": not HSDS JSON: expected a service, service_at_location or organization object, an "
      "array of them, a Page {\"contents\": [...]} or tabular {\"services.csv\": [...]}";
  for (const char* name : {"location.json", "taxonomy_list.json"}) {
    auto r = ReadOfficialJson(name);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().message, name + expected);
  }
}

// ---- JSON forms ---------------------------------------------------------------

constexpr const char* kService = R"({
  "id": "svc-1",
  "name": "Women's residential program",
  "status": "active",
  "last_modified": "2026-06-01T12:00:00Z",
  "organization": {"id": "org-1", "name": "New Dawn Recovery", "description": "Residential care."},
  "attributes": [
    {"id": "a-1", "taxonomy_term": {"id": "f0fcdfdf-4b24-5053-b9da-2e543f22ee3c", "code": "medicaid",
                                    "name": "Medicaid", "description": "Accepts Medicaid."}},
    {"id": "a-2", "taxonomy_term": {"id": "t-2", "code": "women", "name": "Women",
                                    "description": "For women.", "taxonomy": "carefinder"}},
    {"id": "a-3", "taxonomy_term": {"id": "t-3", "code": "meeting", "name": "x",
                                    "description": "y", "taxonomy": "Open Eligibility"}}
  ],
  "service_at_locations": [
    {
      "id": "sal-1",
      "location": {"id": "loc-1", "location_type": "physical", "latitude": 38.03, "longitude": -78.48,
                   "addresses": [{"id": "ad-1", "address_1": "100 Main St", "city": "Charlottesville",
                                  "state_province": "VA", "postal_code": "22902", "country": "US",
                                  "address_type": "physical"}]}
    },
    {
      "id": "sal-2",
      "location_id": "loc-1",
      "schedules": [{"id": "s-1", "byday": "SU,MO,TU,WE,TH,FR,SA"}]
    }
  ]
})";

TEST(HsdsJson, OneServiceObjectGivesOneListingPerServiceAtLocation) {
  auto r = ReadJson(kService);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->records.size(), 2u) << ::testing::PrintToString(Messages(r->rejections));
  const ListingRecord& first = r->records[0];
  EXPECT_EQ(first.source_key, "sal-1");
  EXPECT_EQ(first.line, 16);
  EXPECT_EQ(first.organization, "New Dawn Recovery");
  EXPECT_EQ(first.address.city, "Charlottesville");
  EXPECT_EQ(first.as_of, "2026-06-01");
  // medicaid: no taxonomy named but the term id is ours; women: taxonomy
  // "carefinder"; "meeting" of another taxonomy is not our meeting kind.
  EXPECT_EQ(first.kind, "treatment");
  EXPECT_EQ(first.terms, (std::vector<std::string>{"treatment", "medicaid", "women"}));
  EXPECT_EQ(first.source_attributes, (std::vector<std::string>{"Open Eligibility:meeting"}));
  const ListingRecord& second = r->records[1];
  EXPECT_EQ(second.source_key, "sal-2");
  EXPECT_EQ(second.line, 23);
  EXPECT_EQ(second.address.line1, "100 Main St");  // location_id resolved in the file
  EXPECT_EQ(second.hours_text, "24/7");            // every day, no times: all day
  EXPECT_EQ(second.hours.size(), 7u);
  EXPECT_EQ(Messages(r->warnings),
            (std::vector<std::string>{"feed.json:12: field 'code': \"meeting\" of taxonomy \"Open "
                                      "Eligibility\" has no carefinder term; kept as source "
                                      "attribute \"Open Eligibility:meeting\""}));
}

TEST(HsdsJson, ArrayAndPageFormsReadTheSameListings) {
  std::string array = std::string("[\n") + kService + "\n]";
  std::string page = std::string("{\"total_items\": 1, \"contents\": [\n") + kService + "\n]}";
  for (const std::string& text : {array, page}) {
    auto r = ReadJson(text);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->records.size(), 2u);
    EXPECT_EQ(r->records[0].source_key, "sal-1");
    EXPECT_EQ(r->records[0].line, 17);  // one line lower than in the bare object
    EXPECT_EQ(r->records[1].hours_text, "24/7");
  }
}

TEST(HsdsJson, OurOwnMeetingTermMakesAMeeting) {
  auto r = ReadJson(R"({"id": "sal-m", "service": {"id": "s", "name": "Tuesday Night Group",
    "status": "active", "organization": {"id": "o", "name": "District 9 AA"},
    "attributes": [{"id": "a", "taxonomy_term": {"id": "t", "code": "meeting", "name": "Meeting",
      "description": "d", "taxonomy_id": "c4570b83-6fab-5691-a67d-4ddc3819ab20"}}],
    "schedules": [{"id": "s1", "freq": "WEEKLY", "byday": "TU", "opens_at": "19:00", "closes_at": "20:00"}]},
    "location": {"id": "l", "location_type": "virtual", "url": "https://zoom.example.com/j/1"}})");
  ASSERT_TRUE(r) << r.error().message;
  const ListingRecord& rec = Only(*r);
  EXPECT_EQ(rec.kind, "meeting");
  EXPECT_EQ(rec.terms, (std::vector<std::string>{"meeting", "online"}));
  EXPECT_EQ(rec.conference_url, "https://zoom.example.com/j/1");
  EXPECT_EQ(rec.hours_text, "Tu 19:00-20:00");
  EXPECT_EQ(rec.as_of, "2026-11-20");  // no last_modified, no metadata: the source's
}

TEST(HsdsJson, MissingLinksAndRequiredFieldsRejectWithTheirLine) {
  auto r = ReadJson(R"([
  {"id": "sal-a", "location": {"id": "l", "location_type": "physical"}},
  {"id": "sal-b", "service_id": "nope", "location_id": "l"},
  {"id": "svc-c", "name": "Detox", "status": "active",
   "service_at_locations": [{"id": "sal-c", "location_id": "l"}]},
  {"id": "svc-d", "name": "", "status": "closed",
   "organization": {"id": "o", "name": ""},
   "service_at_locations": [{"id": "sal-d", "location": {"id": "l2", "location_type": "boat"}}]}
])");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rows, 4);
  EXPECT_EQ(r->rejected_rows, 4);
  EXPECT_EQ(Messages(r->rejections),
            (std::vector<std::string>{
                "feed.json:2: field 'service': a service_at_location needs its service "
                "(embedded, or service_id naming one in this file)",
                "feed.json:4: field 'organization': a service needs its organization (embedded, "
                "enclosing it, or organization_id naming one in this file)",
                "feed.json:6: field 'name': required by HSDS 3.0 but empty",
                "feed.json:6: field 'status': \"closed\" is not an HSDS status (active, inactive, "
                "defunct, temporarily closed)",
                "feed.json:7: field 'name': required by HSDS 3.0 but empty",
                "feed.json:8: field 'location_type': \"boat\" is not a location type (physical, "
                "postal, virtual)",
            }));
  EXPECT_EQ(Messages(r->warnings),
            (std::vector<std::string>{
                "feed.json:3: field 'service_id': \"nope\" is not a service in this file"}));
}

TEST(HsdsJson, LinesCountOnlyBracesOutsideStrings) {
  auto r = ReadJson(R"([{"id": "s", "name": "Group \"{new}\" \\", "status": "active",
  "description": "{{{\n}}}", "organization": {"id": "o", "name": "{"},
  "service_at_locations": [
    {"id": "sal", "location": {"id": "l", "location_type": "virtual"}}]}])");
  ASSERT_TRUE(r) << r.error().message;
  const ListingRecord& rec = Only(*r);
  EXPECT_EQ(rec.line, 4);
  EXPECT_EQ(rec.name, "Group \"{new}\" \\");
  EXPECT_EQ(rec.organization, "{");
}

TEST(HsdsJson, NotJsonSaysWhereParsingFailed) {
  auto r = ReadJson("{\"id\": \"x\",\n \"name\": }", "bad.json");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().message.starts_with("bad.json:2: not JSON: syntax error"))
      << r.error().message;
  auto scalar = ReadJson("42", "n.json");
  ASSERT_FALSE(scalar);
  EXPECT_TRUE(scalar.error().message.starts_with("n.json: not HSDS JSON: expected"));
  auto contents = ReadJson("{\"contents\": 3}", "c.json");
  ASSERT_FALSE(contents);
  EXPECT_EQ(contents.error().message, "c.json: not HSDS JSON: \"contents\" is not an array");
  auto empty = ReadJson("{\"contents\": []}");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->rows, 0);
}

TEST(HsdsJson, ASourceNameIsNeededAndAnAsOfDateFromSomewhere) {
  SourceInfo nameless = Source();
  nameless.name = "";
  auto r = ReadJson(kService, "feed.json", nameless);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "feed.json: HSDS data needs a source name (--source NAME)");
  SourceInfo undated = Source();
  undated.as_of = "";
  std::string text = kService;
  text.erase(text.find("  \"last_modified\""),
             text.find("\n", text.find("last_modified")) - text.find("  \"last_modified\"") + 1);
  auto dateless = ReadJson(text, "feed.json", undated);
  ASSERT_TRUE(dateless) << dateless.error().message;
  EXPECT_EQ(Messages(dateless->rejections),
            (std::vector<std::string>{"feed.json:1: field 'last_modified': no date: the service "
                                      "has no last_modified or metadata date and the source no "
                                      "as-of date"}));
}

TEST(HsdsJson, UnknownItemsBesideKnownOnesAreWarnedAndSkipped) {
  auto r = ReadJson(std::string("[\n") + kService + ",\n{\"id\": \"t\", \"code\": \"x\"},\n7\n]");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->records.size(), 2u);
  auto warnings = Messages(r->warnings);
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0],
            "feed.json:1: not an HSDS service, service_at_location or organization; not read");
  EXPECT_EQ(warnings[2],
            "feed.json:31: not an HSDS service, service_at_location or organization; not read");
}

TEST(HsdsJson, DeepNestingIsRefusedNotRecursedInto) {
  std::string deep;
  for (int i = 0; i < 40; ++i)
    deep +=
        "{\"id\": \"s\", \"name\": \"n\", \"status\": \"active\", \"organization\": {\"id\": "
        "\"o\", \"name\": \"O\", \"services\": [";
  for (int i = 0; i < 40; ++i) deep += "]}}";
  auto r = ReadJson(deep);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rows, 0);
}

// ---- schedules ------------------------------------------------------------------

// The one listing of a service whose schedules are `schedules` (JSON array text).
Result<ReadResult> WithSchedules(const std::string& schedules) {
  return ReadJson(R"({"id": "s", "name": "Clinic", "status": "active",
    "organization": {"id": "o", "name": "Org"}, "schedules": )" +
                  schedules + R"(,
    "service_at_locations": [{"id": "sal", "location": {"id": "l", "location_type": "physical",
      "latitude": 38, "longitude": -78}}]})");
}

TEST(HsdsSchedules, TimesInEveryHsdsSpellingBecomeHoursText) {
  auto r = WithSchedules(
      R"([{"id": "a", "byday": "mo, we", "opens_at": "9:30", "closes_at": "17:00:00-05:00"},
    {"id": "b", "freq": "WEEKLY", "interval": 1, "byday": "FR,SA,SU", "opens_at": "20:00", "closes_at": "24:00"},
    {"id": "c", "byday": "TU", "opens_at": "09:30:00Z", "closes_at": "17:00"}])");
  ASSERT_TRUE(r) << r.error().message;
  const ListingRecord& rec = Only(*r);
  EXPECT_EQ(rec.hours_text, "Mo-We 09:30-17:00; Fr-Su 20:00-24:00");
  // The text is in our own hours syntax: it parses back to the same times.
  auto parsed = ParseHours(rec.hours_text);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), rec.hours.size());
  for (size_t i = 0; i < rec.hours.size(); ++i) {
    EXPECT_EQ((*parsed)[i].day, rec.hours[i].day);
    EXPECT_EQ((*parsed)[i].opens, rec.hours[i].opens);
    EXPECT_EQ((*parsed)[i].closes, rec.hours[i].closes);
  }
}

TEST(HsdsSchedules, BadRulesAndTimesRejectWithTheirField) {
  auto r = WithSchedules(R"([{"id": "a", "freq": "DAILY", "byday": "MO"},
    {"id": "b", "byday": "MO", "opens_at": "25:00", "closes_at": "9pm"},
    {"id": "c", "byday": "MO", "opens_at": "09:00"},
    {"id": "d", "byday": "MO", "interval": "0"}])");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->records.size(), 0u);
  EXPECT_EQ(Messages(r->rejections),
            (std::vector<std::string>{
                "feed.json:2: field 'freq': \"DAILY\" is not an HSDS frequency (WEEKLY, MONTHLY)",
                "feed.json:3: field 'opens_at': \"25:00\" is not a time (HH:MM or HH:MM:SS)",
                "feed.json:3: field 'closes_at': \"9pm\" is not a time (HH:MM or HH:MM:SS)",
                "feed.json:4: field 'closes_at': is missing while opens_at is given: give both, "
                "or neither for all day",
                "feed.json:5: field 'interval': \"0\" is not a whole number of weeks",
            }));
}

TEST(HsdsSchedules, ARuleWithoutWeekdaysIsWarnedAndDropped) {
  auto r = WithSchedules(R"([{"id": "a", "opens_at": "09:00", "closes_at": "17:00"}])");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Only(*r).hours_text, "");
  EXPECT_EQ(
      Messages(r->warnings),
      (std::vector<std::string>{
          "feed.json:2: field 'byday': no weekdays given: schedule not kept as weekly hours"}));
}

// ---- datapackage edge cases -------------------------------------------------------

// A package held in memory: table path -> CSV text.
OpenTable MemoryOpener(std::map<std::string, std::string> tables) {
  return [tables](std::string_view path) -> std::unique_ptr<std::istream> {
    auto it = tables.find(std::string(path));
    if (it == tables.end()) return nullptr;
    return std::make_unique<std::istringstream>(it->second);
  };
}

constexpr const char* kDescriptor = R"({"name": "m", "resources": [
  {"name": "organization", "path": "organizations.csv"},
  {"name": "service", "path": "services.csv"},
  {"name": "location", "path": "locations.csv"},
  {"name": "service_at_location", "path": "service_at_location.csv"}]})";

Result<ReadResult> ReadMemoryPackage(std::string descriptor,
                                     std::map<std::string, std::string> tables) {
  std::istringstream in(descriptor);
  SeenKeys seen;
  return ReadHsdsDatapackage(in, "datapackage.json", MemoryOpener(std::move(tables)), Source(),
                             Taxonomy::Embedded(), seen);
}

std::map<std::string, std::string> GoodTables() {
  return {{"organizations.csv", "id,name\no1,Org One\n"},
          {"services.csv", "id,organization_id,name,status\ns1,o1,Detox,active\n"},
          {"locations.csv", "id,location_type,latitude,longitude\nl1,physical,38.0,-78.5\n"},
          {"service_at_location.csv", "id,service_id,location_id\nsal1,s1,l1\n"}};
}

TEST(HsdsDatapackageErrors, DescriptorProblemsFailTheWholePackage) {
  auto tables = GoodTables();
  auto expect_error = [&](const std::string& descriptor, const std::string& message) {
    auto r = ReadMemoryPackage(descriptor, tables);
    ASSERT_FALSE(r) << descriptor;
    EXPECT_EQ(r.error().message, message);
  };
  expect_error("not json", "datapackage.json: not a datapackage descriptor (not a JSON object)");
  expect_error("{\"name\": \"x\"}",
               "datapackage.json: not a datapackage descriptor (no \"resources\" list)");
  expect_error(R"({"resources": [{"name": "service", "path": "services.csv"}]})",
               "datapackage.json: no 'service_at_location' resource: an HSDS 3.0 package lists "
               "services at locations");
  expect_error(
      R"({"resources": [{"name": "services_at_location", "path": "services_at_location.csv"},
                   {"name": "services", "path": "services.csv"}]})",
      "datapackage.json: an HSDS 1.x datapackage (services_at_location.csv); this reader "
      "reads HSDS 3.0");
  expect_error(
      R"({"resources": [{"name": "service", "path": "../../etc/services.csv"},
                   {"name": "service_at_location", "path": "service_at_location.csv"}]})",
      "datapackage.json: resource 'service': path \"../../etc/services.csv\" is not a file "
      "inside the package");
  tables.erase("service_at_location.csv");
  expect_error(kDescriptor,
               "datapackage.json: resource 'service_at_location' "
               "(service_at_location.csv) is not in the package");
}

TEST(HsdsDatapackageErrors, ResourcesWithoutNamesAreFoundByOfficialPath) {
  auto r =
      ReadMemoryPackage(R"({"resources": [{"path": "organizations.csv"}, {"path": "services.csv"},
    {"path": "locations.csv"}, {"path": "service_at_location.csv"}]})",
                        GoodTables());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Only(*r).organization, "Org One");
}

TEST(HsdsDatapackageErrors, BadCellsRejectTheListingsThatUseTheRow) {
  auto tables = GoodTables();
  tables["organizations.csv"] = "id,name\no1,Caf\xE9 Recovery\n";
  tables["service_at_location.csv"] = "id,service_id,location_id\nsal1,s1,l1,extra\nsal2,,l1\n";
  auto r = ReadMemoryPackage(kDescriptor, tables);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rows, 2);
  EXPECT_EQ(r->rejected_rows, 2);
  EXPECT_EQ(Messages(r->rejections),
            (std::vector<std::string>{
                "organizations.csv:2: field 'name': invalid UTF-8 at byte 4 (0xE9): save the file "
                "as UTF-8",
                "service_at_location.csv:2: row has 4 fields, the header has 3",
                "service_at_location.csv:3: field 'service_id': required by HSDS 3.0 but empty",
            }));
}

TEST(HsdsDatapackageErrors, RepeatedOrMissingIdsAreWarnedAndTheFirstRowKept) {
  auto tables = GoodTables();
  tables["organizations.csv"] = "id,name\no1,Org One\no1,Org Again\n,No Id\n";
  auto r = ReadMemoryPackage(kDescriptor, tables);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Only(*r).organization, "Org One");
  EXPECT_EQ(Messages(r->warnings),
            (std::vector<std::string>{
                "organizations.csv:3: field 'id': \"o1\" repeats the organization of "
                "organizations.csv:2; row not read",
                "organizations.csv:4: field 'id': required by HSDS 3.0 but empty; row not read"}));
}

TEST(HsdsDatapackageErrors, NonUsAddressesAndHalfCoordinatesReject) {
  auto tables = GoodTables();
  tables["locations.csv"] = "id,location_type,latitude,longitude\nl1,physical,38.0,\n";
  tables["addresses.csv"] =
      "id,location_id,address_1,city,state_province,postal_code,country,address_type\n"
      "a1,l1,1 High St,Leeds,WY,LS1 1AA,GB,physical\n";
  std::string descriptor = kDescriptor;
  descriptor.insert(descriptor.rfind(']'), R"(, {"name": "address", "path": "addresses.csv"})");
  auto r = ReadMemoryPackage(descriptor, tables);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Messages(r->rejections),
            (std::vector<std::string>{
                "addresses.csv:2: field 'postal_code': \"LS1 1AA\" is not a 5-digit ZIP code",
                "addresses.csv:2: field 'country': \"GB\" is not US: Carefinder lists US services "
                "only",
                "locations.csv:2: field 'longitude': is missing while latitude is given: give both "
                "or neither",
            }));
}

// ---- format sniffing ------------------------------------------------------------

std::string Head(const std::string& path) { return Slurp(path).substr(0, 4096); }

TEST(HsdsSniff, DescriptorsAndJsonFormsAreTold) {
  EXPECT_TRUE(LooksLikeHsdsDatapackage(Head(kOfficial + "datapackage.json")));
  EXPECT_TRUE(LooksLikeHsdsDatapackage(Head(kHsds + "pkg/datapackage.json")));
  EXPECT_FALSE(LooksLikeHsdsJson(Head(kOfficial + "datapackage.json")));
  for (const char* name : {"service_full.json", "service_list.json",
                           "service_at_location_full.json", "service_at_location_list.json",
                           "organization_full.json", "organization_list.json", "tabular.json"}) {
    std::string head = Head(kOfficial + "examples/" + name);
    EXPECT_TRUE(LooksLikeHsdsJson(head)) << name;
    EXPECT_FALSE(LooksLikeHsdsDatapackage(head)) << name;
  }
  EXPECT_FALSE(LooksLikeHsdsJson(Head(kOfficial + "examples/csv/services.csv")));
  EXPECT_FALSE(LooksLikeHsdsJson(R"([{"slug": "a", "day": 1, "time": "19:00", "name": "x"}])"));
  EXPECT_FALSE(LooksLikeHsdsJson(R"({"rows": [{"name1": "x", "services": []}]})"));
  EXPECT_FALSE(LooksLikeHsdsDatapackage(R"({"resources": [{"path": "data.csv"}]})"));
}

}  // namespace
}  // namespace carefinder::importer
