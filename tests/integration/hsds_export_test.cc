// `carefinder export`: each format written from a real imported database,
// and read back: the curated CSV re-imports into exactly the same listings,
// the HSDS JSON and the HSDS datapackage into listings with the same
// content, the Meeting Guide file is the served feed. (The datapackage's
// columns and types against the official descriptor: tests/compliance.)
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/uuid.h"
#include "tests/integration/hsds_server_fixture.h"

namespace carefinder {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class ExportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<std::string> files = testing::kHsdsFixtureFiles;
    for (const auto& f : fs::directory_iterator(testing::SourcePath("data/listings"))) {
      if (f.path().extension() == ".csv") files.push_back(f.path().string());
    }
    server_ = new testing::ImportedServer();
    server_->Start("hsds_export", files);
  }
  static void TearDownTestSuite() { delete server_; }

  // Exports `format` into a fresh directory; its path.
  static std::string Export(const std::string& format) {
    std::string dir = testing::UniqueTempPath("export-" + format);
    fs::remove_all(dir);
    EXPECT_EQ(testing::RunCarefinder("export --format " + format + " --db '" + server_->db() +
                                     "' '" + dir + "'"),
              0);
    return dir;
  }
  static json ReadJson(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in, nullptr, false);
  }
  static std::string Fresh(const std::string& name) {
    std::string db = testing::UniqueTempPath(name);
    fs::remove(db);
    return db;
  }

  static inline testing::ImportedServer* server_ = nullptr;
};

// What a listing is, whatever source and id it was loaded under. HSDS has
// no field for how coordinates were found: they come back as exact.
json Content(json doc) {
  for (const char* key : {"id", "source", "other_services", "geo_precision"}) doc.erase(key);
  return doc;
}

std::map<std::string, json> ByNameAndAddress(const std::map<std::string, json>& docs) {
  std::map<std::string, json> out;
  for (const auto& [id, doc] : docs) {
    out[doc["organization"].get<std::string>() + "|" + doc["name"].get<std::string>() + "|" +
        doc["address"]["formatted"].dump()] = Content(doc);
  }
  return out;
}

TEST_F(ExportTest, CuratedCsvImportsBackIntoExactlyTheSameListings) {
  std::string dir = Export("csv");
  std::string db = Fresh("reimported-curated.db");
  ASSERT_EQ(testing::ImportFiles(db, {dir + "/listings.csv"}), 0);
  auto before = testing::ListingDocs(server_->db());
  auto after = testing::ListingDocs(db);
  EXPECT_GT(before.size(), 450u);
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [id, doc] : before) {
    ASSERT_TRUE(after.count(id)) << id;  // same source and key: same id
    EXPECT_EQ(after[id], doc) << id;
  }
}

TEST_F(ExportTest, MeetingGuideExportIsTheServedFeed) {
  json file = ReadJson(Export("meeting-guide") + "/meetings.json");
  json served = server_->Json("/meetings.json");
  for (auto& m : served) m.erase("url");  // the listing page's URL needs a server
  EXPECT_EQ(file, served);
  EXPECT_EQ(file.size(), 6u);
}

// The service `name` of organisation `org` in an HSDS services array; null if none.
json FindService(const json& services, std::string_view org, std::string_view name) {
  for (const auto& s : services) {
    if (s["name"] == name && s["organization"]["name"] == org) return s;
  }
  return nullptr;
}

// The term codes of a service's attributes of one link_type ("care", ...).
std::set<std::string> Codes(const json& service, std::string_view link_type) {
  std::set<std::string> out;
  for (const auto& a : service["attributes"]) {
    if (a["link_type"] == link_type) out.insert(a["taxonomy_term"]["code"].get<std::string>());
  }
  return out;
}

// Expected values are typed from the fixture's CSV row, not read from
// GET /hsds/services/{id}: that comes from the same nester as the export.
TEST_F(ExportTest, HsdsJsonHoldsEveryServiceFullyNested) {
  std::string dir = Export("hsds-json");
  json services = ReadJson(dir + "/services.json");
  ASSERT_TRUE(services.is_array());
  EXPECT_EQ(services.size(), server_->Json("/hsds/services")["total_items"].get<size_t>());
  // Mutation check: dropping `service_at_locations` in FullService (src/api/hsds_render.cc) fails here.
  for (const auto& s : services) {
    ASSERT_TRUE(s.contains("service_at_locations")) << s["name"];
    EXPECT_FALSE(s["service_at_locations"].empty()) << s["name"];
    for (const auto& sal : s["service_at_locations"]) {
      EXPECT_EQ(sal["location"]["id"], sal["location_id"]) << s["name"];
    }
    EXPECT_TRUE(s["organization"]["name"].is_string()) << s["name"];
  }
  // tests/fixtures/importer/valid_listings.csv, source_key inland-outpatient.
  json inland = FindService(services, "Inland Valley Counseling Center", "Outpatient counseling");
  ASSERT_TRUE(inland.is_object());
  EXPECT_EQ(inland["assured_date"], "2026-11-01");
  EXPECT_EQ(inland["email"], "intake@inlandvalley.example");
  ASSERT_EQ(inland["service_at_locations"].size(), 1u);
  const json& location = inland["service_at_locations"][0]["location"];
  // No location name given: the organization's, which the file stores once (v7).
  EXPECT_EQ(location["name"], "Inland Valley Counseling Center");
  EXPECT_EQ(location["latitude"], 34.0371);
  EXPECT_EQ(location["longitude"], -117.1979);
  ASSERT_EQ(location["addresses"].size(), 1u);
  const json& address = location["addresses"][0];
  EXPECT_EQ(address["address_1"], "1500 Barton Road");
  EXPECT_EQ(address["address_2"], "Suite 210");
  EXPECT_EQ(address["city"], "Redlands");
  EXPECT_EQ(address["state_province"], "CA");
  EXPECT_EQ(address["postal_code"], "92373");
  ASSERT_EQ(inland["phones"].size(), 2u);
  EXPECT_EQ(inland["phones"][0]["number"], "(909) 555-0142");
  EXPECT_EQ(inland["phones"][0]["extension"], 12);
  EXPECT_EQ(inland["phones"][1]["number"], "(909) 555-0143");
  ASSERT_EQ(inland["schedules"].size(), 2u);
  EXPECT_EQ(inland["schedules"][0]["byday"], "MO,TU,WE,TH,FR");
  EXPECT_EQ(inland["schedules"][1]["opens_at"], "09:00");
  // Addresses, phones and schedules store no UUID (schema v7): each id is
  // made from its parent's and its place, so it is the same every export.
  const std::string service_id = inland["id"];
  EXPECT_EQ(address["id"], StableId("address", location["id"].get<std::string>(), ""));
  EXPECT_EQ(address["location_id"], location["id"]);
  for (const char* list : {"phones", "schedules"}) {
    for (size_t n = 0; n < inland[list].size(); ++n) {
      std::string kind = std::string(list).substr(0, std::string(list).size() - 1);
      EXPECT_EQ(inland[list][n]["id"], StableId(kind, service_id, std::to_string(n))) << list << n;
      EXPECT_EQ(inland[list][n]["service_id"], service_id);
    }
  }
  EXPECT_EQ(Codes(inland, "care"), (std::set<std::string>{"outpatient", "counseling", "cbt"}));
  EXPECT_EQ(Codes(inland, "payment"), (std::set<std::string>{"medicaid", "sliding-fee"}));
  EXPECT_EQ(Codes(inland, "medication"), std::set<std::string>{"naltrexone"});
  EXPECT_EQ(ReadJson(dir + "/taxonomy_terms.json").size(),
            server_->Json("/hsds/taxonomy_terms")["total_items"].get<size_t>());
}

// HSDS requires address_1, so only listings with a street address can go
// through HSDS and come back; those must come back with the same content.
void ExpectSameStreetListings(const std::string& original_db, const std::string& db) {
  auto before = ByNameAndAddress(testing::ListingDocs(original_db));
  auto after = ByNameAndAddress(testing::ListingDocs(db));
  size_t with_street = 0;
  for (const auto& [key, doc] : before) {
    if (doc["address"]["line1"].is_null() || doc["kind"] == "meeting") continue;
    ++with_street;
    ASSERT_TRUE(after.count(key)) << key;
    EXPECT_EQ(after[key], doc) << key;
  }
  EXPECT_GT(with_street, 30u);
}

TEST_F(ExportTest, HsdsJsonImportsBackIntoListingsWithTheSameContent) {
  std::string dir = Export("hsds-json");
  std::string db = Fresh("reimported-hsds-json.db");
  testing::RunCarefinder("import --db '" + db + "' --source carefinder-export --as-of 2026-01-01 '" +
                         dir + "/services.json'");
  ExpectSameStreetListings(server_->db(), db);
}

TEST_F(ExportTest, HsdsDatapackageImportsBackIntoListingsWithTheSameContent) {
  std::string dir = Export("hsds-csv");
  for (const char* file : {"datapackage.json", "services.csv", "service_at_location.csv",
                           "addresses.csv", "taxonomy_terms.csv"}) {
    EXPECT_TRUE(fs::exists(dir + "/" + file)) << file;
  }
  std::string db = Fresh("reimported-hsds-csv.db");
  testing::RunCarefinder("import --db '" + db + "' --source carefinder-export --as-of 2026-01-01 '" +
                         dir + "'");
  ExpectSameStreetListings(server_->db(), db);
}

TEST(ExportCommand, BadUsageIs64AndAMissingDatabaseIs66) {
  EXPECT_EQ(testing::RunCarefinder("export /tmp/x"), 64);
  EXPECT_EQ(testing::RunCarefinder("export --format xml /tmp/x"), 64);
  EXPECT_EQ(testing::RunCarefinder("export --format csv"), 64);
  EXPECT_EQ(testing::RunCarefinder("export --format csv --db /nonexistent/x.db " +
                                   testing::UniqueTempPath("export-none")),
            66);
}

}  // namespace
}  // namespace carefinder
