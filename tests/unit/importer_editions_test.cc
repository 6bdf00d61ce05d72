// Unit tests for importer/editions.h: records placed at another record's
// address, and listings only an older edition of a national list gives
// marked inactive, with the summary the report prints.
#include <gtest/gtest.h>

#include "importer/editions.h"

namespace carefinder::importer {
namespace {

ListingRecord Record(std::string source, std::string key, std::string name, std::string line1,
                     std::string zip, std::optional<double> lat = std::nullopt) {
  ListingRecord r;
  r.file = source + ".csv";
  r.line = 2;
  r.source = std::move(source);
  r.source_key = std::move(key);
  r.organization = r.name = std::move(name);
  r.address.line1 = std::move(line1);
  r.address.city = "Redlands";
  r.address.state = "CA";
  r.address.postal_code = std::move(zip);
  if (lat) r.latitude = *lat, r.longitude = -117.0;
  return r;
}

ReadResult File(std::vector<ListingRecord> records) {
  ReadResult f;
  f.file = records.empty() ? "empty.csv" : records[0].file;
  f.records = std::move(records);
  return f;
}

TEST(PlaceByAddressTest, ARecordWithoutCoordinatesTakesThoseOfTheSameStreetAddress) {
  std::vector<ReadResult> files = {
      File({Record("locator", "1", "Old Name Clinic", "712 The Terrace", "92374", 34.5),
            Record("locator", "2", "Elsewhere", "9 Main Street", "92374", 35.0)}),
      File({Record("directory", "a", "New Name Clinic", "712 The Terrace, Suite 2", "92374"),
            Record("directory", "b", "Same Street Other ZIP", "712 The Terrace", "92373"),
            Record("directory", "c", "No Street", "", "92374")})};
  auto placed = PlaceByAddress(files);
  const auto& dir = files[1].records;
  ASSERT_TRUE(dir[0].latitude);
  EXPECT_EQ(*dir[0].latitude, 34.5);
  EXPECT_EQ(dir[0].precision, GeoPrecision::kExact);
  EXPECT_FALSE(dir[1].latitude);  // another ZIP is another street
  EXPECT_FALSE(dir[2].latitude);  // no street: the gazetteer places it later
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0], (std::pair<std::string, int>{"directory", 1}));
}

class EditionsTest : public ::testing::Test {
 protected:
  // Two editions of one list: 2021 (older) and 2023 (current), and a list of
  // its own that is no edition of anything.
  std::vector<SourceInfo> sources_ = {
      {"locator-2021", "", "", "", "2021-07-28", "samhsa-national"},
      {"directory-2023", "", "", "", "2023-01-01", "samhsa-national"},
      {"curated", "", "", "", "2025-01-01", ""}};
  ListingRecord old_and_new_ = Record("locator-2021", "1", "Both", "1 A St", "92374", 34.0);
  ListingRecord new_match_ = Record("directory-2023", "1", "Both", "1 A St", "92374", 34.0);
  ListingRecord only_old_ = Record("locator-2021", "2", "Closed Since", "2 B St", "92374", 34.1);
  ListingRecord only_new_ = Record("directory-2023", "3", "Opened Since", "3 C St", "92374");
  ListingRecord old_and_curated_ = Record("locator-2021", "4", "Curated Too", "4 D St", "92374", 34.2);
  ListingRecord curated_ = Record("curated", "4", "Curated Too", "4 D St", "92374", 34.2);

  std::vector<ListingGroup> Groups() {
    only_new_.latitude = 34.3, only_new_.longitude = -117.0;
    only_new_.precision = GeoPrecision::kPostalCodeCentroid;
    ListingGroup merged{{&new_match_, &old_and_new_}, {"", "same name and address"}, nullptr};
    merged.merged = std::make_shared<ListingRecord>(new_match_);
    ListingGroup with_curated{{&curated_, &old_and_curated_}, {"", "same name and address"}, nullptr};
    with_curated.merged = std::make_shared<ListingRecord>(curated_);
    return {merged, {{&only_old_}, {}, nullptr}, {{&only_new_}, {}, nullptr}, with_curated};
  }
};

TEST_F(EditionsTest, AListingOnlyAnOlderEditionGivesIsMarkedInactive) {
  auto groups = Groups();
  auto summaries = ApplyEditions(sources_, groups, {{"directory-2023", 7}, {"curated", 3}});
  EXPECT_EQ(groups[0].listing().status, "active");    // the newest edition lists it
  EXPECT_EQ(groups[1].listing().status, "inactive");  // only 2021 lists it
  EXPECT_EQ(groups[2].listing().status, "active");    // new in 2023
  EXPECT_EQ(groups[3].listing().status, "active");    // another source lists it
  EXPECT_EQ(only_old_.status, "active");              // the record itself is untouched
  ASSERT_EQ(summaries.size(), 1u);
  const EditionSummary& s = summaries[0];
  EXPECT_EQ(s.family, "samhsa-national");
  EXPECT_EQ(s.current, std::vector<std::string>{"directory-2023"});
  EXPECT_EQ(s.as_of, "2023-01-01");
  EXPECT_EQ(s.listings, 2);
  EXPECT_EQ(s.matched, 1);
  EXPECT_EQ(s.placed_by_address, 7);  // the current edition's only
  EXPECT_EQ(s.placed_at_zip, 1);
  EXPECT_EQ(s.superseded, 1);
}

TEST_F(EditionsTest, WithOnlyTheOlderEditionInTheRunNothingIsSuperseded) {
  sources_.erase(sources_.begin() + 1);
  std::vector<ListingGroup> groups = {{{&only_old_}, {}, nullptr}};
  auto summaries = ApplyEditions(sources_, groups, {});
  EXPECT_EQ(groups[0].listing().status, "active");
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].current, std::vector<std::string>{"locator-2021"});
  EXPECT_EQ(summaries[0].superseded, 0);
}

TEST_F(EditionsTest, SourcesThatAreNoEditionGiveNoSummary) {
  std::vector<SourceInfo> plain = {{"curated", "", "", "", "2025-01-01", ""}};
  std::vector<ListingGroup> groups = {{{&curated_}, {}, nullptr}};
  EXPECT_TRUE(ApplyEditions(plain, groups, {}).empty());
  EXPECT_EQ(groups[0].listing().status, "active");
}

}  // namespace
}  // namespace carefinder::importer
