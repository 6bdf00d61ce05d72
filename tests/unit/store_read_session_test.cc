// ReadSession (src/store/read_session.h): one request's reads share one
// snapshot, one leased connection and one read transaction, also when a new
// file is swapped in or another connection commits while the request runs.
#include <gtest/gtest.h>

#include <filesystem>

#include "db/database.h"
#include "store/generation.h"
#include "store/listing_store.h"
#include "store/read_session.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::store {
namespace {

namespace fs = std::filesystem;
using testing::FixtureId;

constexpr const char* kOldName = "Medically supervised detox";
constexpr const char* kNewName = "Detox under a new name";
constexpr const char* kRenameSql =
    "UPDATE listing SET doc = listing_doc_pack(replace(listing_doc(doc), "
    "'Medically supervised detox', 'Detox under a new name'))";

bool Names(std::string_view doc, const char* name) {
  return doc.find(name) != std::string_view::npos;
}

class ReadSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::UniqueTempPath("read_session_test");
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ + "/served.db";
    testing::WriteFixtureDb(path_, testing::DefaultListings());
    auto s = ListingStore::Open(path_, {.refresh_interval = std::chrono::milliseconds(0)});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // Another connection renames the detox listing and commits.
  void RenameInPlace() {
    auto db = db::Database::Open(path_, db::OpenMode::kReadWrite);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE((*db)->Exec(kRenameSql));
  }

  // A new file, the detox listing renamed, put over the path by a rename.
  void SwapInRenamedFile() {
    std::string next = dir_ + "/next.db";
    testing::WriteFixtureDb(next, testing::DefaultListings());
    {
      auto db = db::Database::Open(next, db::OpenMode::kReadWrite);
      ASSERT_TRUE(db) << db.error().message;
      ASSERT_TRUE((*db)->Exec(kRenameSql));
    }
    fs::rename(next, path_);
  }

  static SearchQuery DetoxNear(const Place& place) {
    SearchQuery q;
    q.center = place.point;
    q.text = "detox";  // read through FTS5: needs the session's connection
    return q;
  }

  std::string dir_, path_;
  std::unique_ptr<ListingStore> store_;
};

TEST_F(ReadSessionTest, AllReadsOfASessionShareOneLeasedConnection) {
  ConnectionPool& pool = store_->snapshot()->generation->pool();
  size_t before = pool.leases_given();
  {
    ReadSession session(*store_);
    auto place = session.ResolvePlace("92374");
    ASSERT_TRUE(place) << place.error().message;
    auto found = session.Search(DetoxNear(*place));
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(session.GetListing(FixtureId("liberty-house-detox")));
    for (int i = 0; i < 2; ++i) ASSERT_TRUE(session.Read([](Connection&) { return Status{}; }));
  }
  EXPECT_EQ(pool.leases_given() - before, 1u);
}

TEST_F(ReadSessionTest, ASessionThatReadsOnlyMemoryLeasesNothing) {
  ConnectionPool& pool = store_->snapshot()->generation->pool();
  size_t before = pool.leases_given();
  {
    ReadSession session(*store_);
    EXPECT_TRUE(session.ResolvePlace("Redlands, CA"));
    EXPECT_FALSE(session.SuggestPlaces("redl").empty());
    EXPECT_EQ(session.health().database.generation, 1);
  }
  EXPECT_EQ(pool.leases_given(), before);
}

TEST_F(ReadSessionTest, ACommitDuringASessionIsNotSeenByItsLaterReads) {
  ReadSession session(*store_);
  auto first = session.GetListing(FixtureId("liberty-house-detox"));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(Names(first->doc, kOldName));
  RenameInPlace();
  auto again = session.GetListing(FixtureId("liberty-house-detox"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->doc, first->doc);  // the same read transaction
  auto later = ReadSession(*store_).GetListing(FixtureId("liberty-house-detox"));
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_TRUE(Names(later->doc, kNewName));  // a new request sees the commit
}

// A search without words is answered from the snapshot in memory: no
// connection, no transaction. Its hits view the snapshot's documents, and
// the result keeps that snapshot, also after the session ended and a new
// file replaced it.
TEST_F(ReadSessionTest, ASearchWithoutWordsLeasesNothingAndItsResultKeepsItsSnapshot) {
  ConnectionPool& pool = store_->snapshot()->generation->pool();
  size_t before = pool.leases_given();
  SearchResult kept;
  {
    ReadSession session(*store_);
    auto place = session.ResolvePlace("92374");
    ASSERT_TRUE(place) << place.error().message;
    SearchQuery q = DetoxNear(*place);
    q.text.clear();
    auto found = session.Search(q);
    ASSERT_TRUE(found) << found.error().message;
    kept = std::move(*found);
  }
  EXPECT_EQ(pool.leases_given(), before);
  SwapInRenamedFile();
  ASSERT_TRUE(store_->Refresh());
  ASSERT_EQ(store_->snapshot()->generation->number(), 2);
  ASSERT_TRUE(kept.snapshot);
  EXPECT_EQ(kept.snapshot->generation->number(), 1);
  ASSERT_FALSE(kept.hits.empty());
  bool old_name = false;
  for (const SearchHit& h : kept.hits) old_name = old_name || Names(h.doc, kOldName);
  EXPECT_TRUE(old_name);
}

TEST_F(ReadSessionTest, PlaceAndResultsComeFromTheSessionsFileWhenANewOneIsPublished) {
  ReadSession session(*store_);  // a request begins on the first file
  ConnectionPool& first_pool = session.snapshot().generation->pool();
  size_t first_leases = first_pool.leases_given();
  SwapInRenamedFile();
  ASSERT_TRUE(store_->Refresh());  // publishes the new file's snapshot meanwhile
  auto current = store_->snapshot();
  ASSERT_EQ(current->generation->number(), 2);
  size_t second_leases = current->generation->pool().leases_given();

  auto place = session.ResolvePlace("92374");
  ASSERT_TRUE(place) << place.error().message;
  auto found = session.Search(DetoxNear(*place));
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_FALSE(found->hits.empty());
  EXPECT_TRUE(Names(found->hits[0].doc, kOldName)) << found->hits[0].doc;
  auto listing = session.GetListing(FixtureId("liberty-house-detox"));
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_TRUE(Names(listing->doc, kOldName));
  EXPECT_EQ(session.snapshot().generation->number(), 1);
  EXPECT_EQ(session.health().database.generation, 1);
  EXPECT_EQ(first_pool.leases_given() - first_leases, 1u);
  EXPECT_EQ(current->generation->pool().leases_given(), second_leases);

  ReadSession next(*store_);  // the next request reads the new file
  auto renamed = next.GetListing(FixtureId("liberty-house-detox"));
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_TRUE(Names(renamed->doc, kNewName));
}

}  // namespace
}  // namespace carefinder::store
