// The shipped national data, as a person would meet it: the database `make
// db` builds from data/ (every listing file and every feed with a sidecar),
// served by a real server, searched within 25 miles of each of the 50 most
// populous US cities and each state capital for detox, outpatient,
// residential, buprenorphine, methadone and benzodiazepine detox. Each
// search finds listings that state the service, or the place and service
// are in tests/fixtures/coverage/known_gaps.csv with the reason, and then
// the answer still offers the nearest matches beyond the radius. Prints the
// coverage table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/csv.h"
#include "tests/integration/hsds_server_fixture.h"

namespace carefinder::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::pair<const char*, const char*> kServices[] = {
    {"detox", "care=detox"},
    {"outpatient", "care=outpatient"},
    {"residential", "care=residential"},
    {"buprenorphine", "medication=buprenorphine"},
    {"methadone", "medication=methadone"},
    {"benzo-detox", "care=detox-benzodiazepines"},
};

struct Place {
  std::string name, state, why;
  double lat = 0, lon = 0;
};

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  CsvTable table(in);
  std::vector<std::vector<std::string>> rows;
  EXPECT_TRUE(table.ReadHeader()) << path;
  std::vector<std::string> cells;
  while (true) {
    auto more = table.Next(cells);
    EXPECT_TRUE(more) << path;
    if (!more || !*more) break;
    rows.push_back(cells);
  }
  return rows;
}

// The files `make db` imports: data/listings/*.csv and every data/feeds file
// that has a <file>.source.json sidecar.
std::vector<std::string> ShippedFiles() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(CF_SOURCE_DIR "/data/listings")) {
    if (e.path().extension() == ".csv") out.push_back(e.path().string());
  }
  for (const auto& e : fs::recursive_directory_iterator(CF_SOURCE_DIR "/data/feeds")) {
    std::string p = e.path().string();
    if (p.ends_with(".source.json")) out.push_back(p.substr(0, p.size() - 12));
  }
  std::sort(out.begin(), out.end());
  return out;
}

class NationalCoverageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::ImportedServer();
    server_->Start("national_coverage", ShippedFiles(), false, true);
  }
  static void TearDownTestSuite() {
    if (server_) std::filesystem::remove(server_->db());
    delete server_;
  }

  static json Search(const Place& p, const std::string& filter) {
    return server_->Json("/api/v1/search?lat=" + std::to_string(p.lat) + "&lon=" +
                         std::to_string(p.lon) + "&radius=25&limit=50&kind=treatment&" + filter);
  }

  static inline testing::ImportedServer* server_ = nullptr;
};

TEST_F(NationalCoverageTest, EveryBigCityAndCapitalFindsStatedHelpOrIsAKnownGap) {
  std::vector<Place> places;
  for (const auto& row : ReadCsv(CF_SOURCE_DIR "/tests/fixtures/coverage/places.csv")) {
    places.push_back({row[0], row[1], row[5], std::stod(row[2]), std::stod(row[3])});
  }
  ASSERT_GE(places.size(), 89u);
  std::map<std::pair<std::string, std::string>, std::string> gaps;  // (place, service) -> why
  for (const auto& row : ReadCsv(CF_SOURCE_DIR "/tests/fixtures/coverage/known_gaps.csv")) {
    gaps[{row[0] + ", " + row[1], row[2]}] = row[3];
  }
  std::set<std::string> seen, with_phone, with_call;
  std::string table = "place | detox | outpatient | residential | buprenorphine | methadone | benzo-detox\n";
  int found = 0, searched = 0;
  for (const Place& p : places) {
    std::string label = p.name + ", " + p.state;
    table += label;
    for (const auto& [service, filter] : kServices) {
      json body = Search(p, filter);
      ++searched;
      size_t total = body.value("total", 0);
      table += " | " + std::to_string(total);
      bool gap = gaps.contains({label, service});
      if (total > 0) {
        ++found;
        EXPECT_FALSE(gap) << label << " " << service << ": listed as a known gap but finds "
                          << total << "; remove it from known_gaps.csv";
      } else {
        EXPECT_TRUE(gap) << label << " " << service << ": nothing within 25 miles";
        // Never nothing: the nearest stated matches farther away.
        EXPECT_TRUE(body["beyond"].is_object() && !body["beyond"]["results"].empty())
            << label << " " << service;
      }
      for (const auto& r : body["results"]) {
        std::string id = r["id"];
        seen.insert(id);
        if (!r["call"]["helpline"].get<bool>()) with_phone.insert(id);
        if (!r["call"]["e164"].get<std::string>().empty()) with_call.insert(id);
      }
    }
    table += "\n";
  }
  std::printf("%s", table.c_str());
  std::printf("searches with stated matches within 25 miles: %d of %d\n", found, searched);
  std::printf("treatment results: %zu distinct, %zu with their own phone (%.1f%%), %zu with a "
              "call action\n", seen.size(), with_phone.size(),
              100.0 * with_phone.size() / std::max<size_t>(1, seen.size()), with_call.size());
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(with_call.size(), seen.size());                 // every result can be called
  EXPECT_GE(with_phone.size() * 100, seen.size() * 95);     // and 95% with their own number
}

}  // namespace
}  // namespace carefinder::server
