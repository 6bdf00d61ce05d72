// ListingIndex (src/store/listing_index.h) built from the fixture database
// (tests/fixtures/api/fixture_db.h): entry order (located by band and
// longitude, unlocated last), the radius scan, each entry's flags, terms,
// schedule and document, and the rowid lookup.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "core/listing_document.h"
#include "db/database.h"
#include "store/listing_index.h"
#include "store/taxonomy.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::store {
namespace {

using carefinder::testing::FixtureId;

class ListingIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    carefinder::testing::WriteFixtureDb(path_, carefinder::testing::DefaultListings());
  }
  void TearDown() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  // Builds the index and fills key_of (entry -> fixture key, from its document).
  ListingIndex Build() {
    auto db = db::Database::Open(path_, db::OpenMode::kReadOnly);
    EXPECT_TRUE(db) << db.error().message;
    auto tax = LoadTaxonomy(**db);
    EXPECT_TRUE(tax) << tax.error().message;
    taxonomy_ = std::move(*tax);
    auto index = ListingIndex::Build(**db, taxonomy_);
    EXPECT_TRUE(index) << index.error().message;
    std::map<std::string, std::string> key_by_id;
    for (const auto& l : carefinder::testing::DefaultListings()) key_by_id[FixtureId(l.key)] = l.key;
    for (uint32_t i = 0; i < index->size(); ++i) {
      key_of_.push_back(key_by_id[std::string(listing_document::IdOf(index->doc(i)))]);
    }
    return std::move(*index);
  }
  uint32_t EntryOf(const std::string& key) const {
    return static_cast<uint32_t>(std::ranges::find(key_of_, key) - key_of_.begin());
  }
  bool Has(const ListingIndex& index, uint32_t i, std::string_view code) const {
    int bit = taxonomy_.Find(code)->index;
    return (index.bits(i)[bit / 64] >> (bit % 64)) & 1;
  }
  void Exec(const std::string& sql) {
    auto db = db::Database::Open(path_, db::OpenMode::kReadWrite);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Exec(sql));
  }

  std::string path_ = carefinder::testing::UniqueTempPath("listing-index.db");
  Taxonomy taxonomy_;
  std::vector<std::string> key_of_;
};

TEST_F(ListingIndexTest, CountsEveryListingAndPutsTheUnlocatedOneLast) {
  ListingIndex index = Build();
  ASSERT_EQ(index.size(), 5u);
  EXPECT_EQ(index.located_count(), 4u);
  EXPECT_EQ(index.treatments(), 4);
  EXPECT_EQ(index.meetings(), 1);
  EXPECT_EQ(key_of_[4], "online-smart");
  EXPECT_FALSE(index.located(4));
  for (uint32_t i = 0; i < 4; ++i) EXPECT_TRUE(index.located(i)) << key_of_[i];
}

TEST_F(ListingIndexTest, LocatedEntriesAreOrderedByLatitudeBandThenLongitude) {
  ListingIndex index = Build();
  auto band = [&](uint32_t i) { return static_cast<int>((index.point(i).lat + 90.0) / 0.1); };
  for (uint32_t i = 1; i < index.located_count(); ++i) {
    bool ordered = band(i - 1) < band(i) ||
                   (band(i - 1) == band(i) && index.point(i - 1).lon <= index.point(i).lon);
    EXPECT_TRUE(ordered) << key_of_[i - 1] << " before " << key_of_[i];
  }
}

TEST_F(ListingIndexTest, RadiusScanFindsTheListingsWithinAndTheirDistance) {
  ListingIndex index = Build();
  std::map<std::string, double> found;
  geo::Point centre{34.068515, -117.175322};
  index.ForEachWithin(centre, 10, [&](uint32_t i, double chord2, double miles) {
    // Surely inside, the scan leaves the distance for later; its chord² is exact enough.
    EXPECT_EQ(chord2,
              geo::ChordSquared(geo::ToUnitVector(centre), geo::ToUnitVector(index.point(i))));
    found[key_of_[i]] = std::isnan(miles) ? geo::DistanceMiles(centre, index.point(i)) : miles;
  });
  EXPECT_EQ(found.size(), 3u) << "the Los Angeles listing is about 61 miles away";
  EXPECT_TRUE(found.contains("liberty-house-detox"));
  EXPECT_TRUE(found.contains("inland-outpatient"));
  EXPECT_TRUE(found.contains("closed-detox"));
  EXPECT_NEAR(found["liberty-house-detox"], 0.0, 1e-9);
  EXPECT_GT(found["inland-outpatient"], 1.0);
  EXPECT_LT(found["inland-outpatient"], 10.0);
  std::set<std::string> wide;
  index.ForEachWithin(centre, 80, [&](uint32_t i, double, double) { wide.insert(key_of_[i]); });
  EXPECT_TRUE(wide.contains("angels-residential"));
  EXPECT_FALSE(wide.contains("online-smart")) << "an unlocated listing is never within a radius";
}

TEST_F(ListingIndexTest, FlagsAndTermBitsComeFromTheListingRow) {
  ListingIndex index = Build();
  uint32_t detox = EntryOf("liberty-house-detox"), closed = EntryOf("closed-detox");
  EXPECT_TRUE(index.active(detox));
  EXPECT_FALSE(index.active(closed));
  EXPECT_TRUE(Has(index, detox, "detox"));
  EXPECT_TRUE(Has(index, detox, "treatment")) << "the kind is a filter group too";
  EXPECT_FALSE(Has(index, detox, "methadone"));
  EXPECT_TRUE(Has(index, EntryOf("online-smart"), "meeting"));
}

// The term-major copy the place search counts facets on holds the same bits.
TEST_F(ListingIndexTest, TermColumnsHoldEachEntrysTermBits) {
  ListingIndex index = Build();
  ASSERT_GT(index.term_count(), 0);
  int set = 0;
  for (uint32_t i = 0; i < index.size(); ++i) {
    for (int t = 0; t < index.term_count(); ++t) {
      bool in_row = (index.bits(i)[t / 64] >> (t % 64)) & 1;
      bool in_column = (index.term_column(t)[i / 64] >> (i % 64)) & 1;
      EXPECT_EQ(in_column, in_row) << key_of_[i] << " term " << t;
      set += in_row;
    }
  }
  EXPECT_GT(set, 30);
}

TEST_F(ListingIndexTest, ACodeTheTaxonomyDoesNotKnowIsIgnored) {
  Exec("UPDATE listing SET terms = ' no-such-code detox ' "
       "WHERE rowid = (SELECT rowid FROM service_at_location WHERE id = '" +
       FixtureId("angels-residential") + "')");
  ListingIndex index = Build();
  uint32_t i = EntryOf("angels-residential");
  EXPECT_TRUE(Has(index, i, "detox"));
  EXPECT_FALSE(Has(index, i, "residential")) << "the terms column was replaced";
}

TEST_F(ListingIndexTest, RowidLookupFindsEachEntryAndNothingElse) {
  ListingIndex index = Build();
  for (uint32_t i = 0; i < index.size(); ++i) EXPECT_EQ(index.FindRowid(index.rowid(i)), i);
  EXPECT_EQ(index.FindRowid(987654), std::nullopt);
}

TEST_F(ListingIndexTest, EachEntryHoldsItsOwnDocument) {
  ListingIndex index = Build();
  auto db = db::Database::Open(path_, db::OpenMode::kReadOnly);
  ASSERT_TRUE(db);
  auto s = (*db)->Prepare("SELECT rowid, listing_doc(doc) FROM listing");
  ASSERT_TRUE(s);
  int rows = 0;
  while (*s->Step()) {
    auto i = index.FindRowid(s->ColumnInt(0));
    ASSERT_TRUE(i);
    EXPECT_EQ(index.doc(*i), s->ColumnText(1));
    ++rows;
  }
  EXPECT_EQ(rows, 5);
}

TEST_F(ListingIndexTest, ScheduleAndItsZoneComeFromTheScheduleString) {
  carefinder::testing::SetFixtureSchedule(path_, "online-smart",
                                          "MO 19:00-20:00;TH 07:30-08:30;TZ America/New_York");
  ListingIndex index = Build();
  uint32_t i = EntryOf("online-smart");
  EXPECT_EQ(index.schedule(i).size(), 2u);
  EXPECT_EQ(index.zones()[index.zone(i)], "America/New_York");
  uint32_t other = EntryOf("liberty-house-detox");
  EXPECT_TRUE(index.schedule(other).empty());
  EXPECT_EQ(index.zone(other), 0);
}

}  // namespace
}  // namespace carefinder::store
