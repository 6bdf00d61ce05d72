// Unit tests for the load (importer/import.h, importer/load.h) into a real
// temporary SQLite file: counts, change detection, --strict, --dry-run,
// geocode fallback, listing.doc, listing.terms and full text.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/stable_id_maker.h"
#include "core/uuid.h"
#include "db/database.h"
#include "importer/import.h"
#include "importer/listing_doc.h"
#include "importer/load/load.h"
#include "importer/load/load_statements.h"
#include "importer/taxonomy.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::importer {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = CF_SOURCE_DIR "/tests/fixtures/importer/";

using carefinder::testing::Slurp;

class ImporterLoad : public carefinder::testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    auto db = db::Database::Open(Path("test.db"), db::OpenMode::kCreate);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    ScratchDirTest::TearDown();
  }

  // Imports `csv` (named `name`) with the fixture gazetteer unless told otherwise.
  ImportReport Import(const std::string& csv, ImportOptions options = {},
                      bool gazetteer = true, const std::string& name = "listings.csv") {
    std::istringstream in(csv);
    ImportPlan plan = ReadInputs({{name, &in}});
    if (gazetteer) {
      auto g = Gazetteer::LoadDir(kFixtures + "gazetteer");
      EXPECT_TRUE(g) << (g ? "" : g.error().message);
      if (g) plan.gazetteer = std::move(*g);
    }
    if (options.now.empty()) options.now = "2026-11-22T05:00:00Z";
    return RunImport(*db_, plan, options);
  }

  std::string One(const std::string& sql) {
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt) << sql;
    if (!stmt) return "";
    auto row = stmt->Step();
    EXPECT_TRUE(row && *row) << sql;
    return (row && *row) ? stmt->ColumnString(0) : "";
  }
  int Count(const std::string& table) { return std::stoi(One("SELECT count(*) FROM " + table)); }

  // Everything a reader could see, for "nothing changed" checks.
  std::string Snapshot() {
    return One("SELECT group_concat(id || doc, '|') FROM (SELECT id, listing_doc(doc) AS doc FROM listing JOIN service_at_location USING (rowid) ORDER BY id)") +
           One("SELECT group_concat(source_key || last_import || content_hash, '|') FROM "
               "(SELECT * FROM provenance ORDER BY source_key)") +
           One("SELECT count(*) || '/' || (SELECT count(*) FROM import_run) || '/' || "
               "(SELECT count(*) FROM phone) FROM service");
  }

  std::unique_ptr<db::Database> db_;
};

// `n` curated rows of source `source`, each a different listing (name,
// street, phone, care), with coordinates so nothing needs geocoding.
std::string ManyListings(int n, const std::string& source = "carefinder-curated") {
  static const char* const kCare[] = {"detox", "outpatient", "residential; detox-residential", "counseling"};
  std::string csv = Slurp(kFixtures + "valid_listings.csv");
  csv.resize(csv.find('\n') + 1);  // the header
  for (int i = 0; i < n; ++i) {
    std::string k = std::to_string(i);
    csv += source + ",row-" + k + ",,CC0,2026-11-22,,treatment,active,Org " + k + ",Recovery program " + k +
           ",\"Counselling and groups, program " + k + ".\"," + std::to_string(100 + i) +
           " Main St,,Redlands,CA,92374,34.05,-117.18,main: (909) 555-" + std::to_string(1000 + i) + ",,," +
           kCare[i % 4] + ",,alcohol,,medicaid,adults,en,in-person,,,,\n";
  }
  return csv;
}

TEST_F(ImporterLoad, ManyListingsArePackedWithADictionaryTrainedOnTheirOwnDocs) {
  ImportReport r = Import(ManyListings(300));
  ASSERT_EQ(r.outcome, Outcome::kCommitted) << RenderText(r);
  EXPECT_EQ(r.counts.added, 300);
  EXPECT_EQ(Count("doc_dictionary"), 1);
  EXPECT_EQ(One("SELECT count(*) FROM listing WHERE typeof(doc) = 'blob'"), "300");
  EXPECT_EQ(One("SELECT json_extract(listing_doc(doc), '$.name') FROM listing "
                "WHERE name = 'Recovery program 17'"), "Recovery program 17");
  // The dictionary pays: the stored docs are a fraction of their text.
  EXPECT_EQ(One("SELECT sum(length(doc)) * 4 < sum(length(listing_doc(doc))) FROM listing"), "1")
      << One("SELECT sum(length(doc)) || ' of ' || sum(length(listing_doc(doc))) FROM listing");
  // The same file again: unchanged, no second dictionary, every doc readable.
  std::string docs = One("SELECT group_concat(listing_doc(doc), '|') FROM listing");
  ImportReport again = Import(ManyListings(300));
  EXPECT_EQ(again.counts.unchanged, 300) << RenderText(again);
  EXPECT_EQ(Count("doc_dictionary"), 1);
  EXPECT_EQ(One("SELECT group_concat(listing_doc(doc), '|') FROM listing"), docs);
}

TEST_F(ImporterLoad, AFewListingsArePackedWithoutADictionaryUntilALargerImportTrainsOne) {
  ImportReport r = Import(Slurp(kFixtures + "valid_listings.csv"));
  ASSERT_EQ(r.outcome, Outcome::kCommitted) << RenderText(r);
  EXPECT_EQ(Count("doc_dictionary"), 0);
  EXPECT_EQ(One("SELECT count(*) FROM listing WHERE typeof(doc) = 'blob'"), "3");
  std::string small = One("SELECT listing_doc(doc) FROM listing WHERE name = 'Outpatient counseling'");

  ImportReport more = Import(ManyListings(300, "bench-synthetic"), {}, true, "more.csv");
  ASSERT_EQ(more.outcome, Outcome::kCommitted) << RenderText(more);
  EXPECT_EQ(more.counts.added, 300);
  EXPECT_EQ(Count("doc_dictionary"), 1);
  EXPECT_EQ(One("SELECT count(*) FROM listing WHERE json_valid(listing_doc(doc))"), "303");
  // The first three, packed before the file had a dictionary, read as before
  // (their imported_at is that import's: a later import of other files does not touch them).
  EXPECT_EQ(One("SELECT listing_doc(doc) FROM listing WHERE name = 'Outpatient counseling'"), small);
}

TEST_F(ImporterLoad, FirstImportAddsEveryListing) {
  ImportReport r = Import(Slurp(kFixtures + "valid_listings.csv"));
  ASSERT_EQ(r.outcome, Outcome::kCommitted) << RenderText(r);
  EXPECT_EQ(r.counts.added, 3);
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.ExitCode(), 0);
  EXPECT_EQ(Count("listing"), 3);
  EXPECT_EQ(Count("service_at_location"), 3);
  EXPECT_EQ(Count("organization"), 3);
  EXPECT_EQ(Count("import_run"), 1);
  EXPECT_EQ(Count("zip_centroid"), 5);
  EXPECT_EQ(One("SELECT name_key FROM place WHERE name = 'Saint Louis'"), "saint louis");
  EXPECT_EQ(One("SELECT count(*) FROM taxonomy_term WHERE parent_id IS NOT NULL") != "0", true);
}

TEST_F(ImporterLoad, ReimportIsUnchangedAndKeepsFirstImportedAt) {
  std::string csv = Slurp(kFixtures + "valid_listings.csv");
  ASSERT_EQ(Import(csv).outcome, Outcome::kCommitted);
  std::string ids = One("SELECT group_concat(id) FROM (SELECT id FROM listing JOIN service_at_location USING (rowid) ORDER BY rowid)");
  ImportOptions later;
  later.now = "2026-12-01T05:00:00Z";
  ImportReport r = Import(csv, later);
  EXPECT_EQ(r.counts.added, 0);
  EXPECT_EQ(r.counts.changed, 0);
  EXPECT_EQ(r.counts.unchanged, 3);
  EXPECT_EQ(One("SELECT group_concat(id) FROM (SELECT id FROM listing JOIN service_at_location USING (rowid) ORDER BY rowid)"), ids);
  EXPECT_EQ(One("SELECT min(f.started_at) || ' ' || min(l.started_at) FROM provenance p "
                "JOIN import_run f ON f.id = p.first_import JOIN import_run l ON l.id = p.last_import"),
            "2026-11-22T05:00:00Z 2026-12-01T05:00:00Z");
  EXPECT_EQ(Count("phone"), 5);  // nothing duplicated
  EXPECT_EQ(Count("listing_fts"), 3);
}

// Schema v6: rows name their parents by integer key (a first import gives
// the keys by position, a later one looks them up). After each import every
// key names a row, each listing is its service_at_location's row with that
// row's id in its doc, and a later import keeps every key it had.
TEST_F(ImporterLoad, RowsNameTheirParentsByIntegerKeysThatLaterImportsKeep) {
  auto check = [this](int listings) {
    EXPECT_EQ(One("SELECT count(*) FROM pragma_foreign_key_check"), "0");
    EXPECT_EQ(Count("listing"), listings);
    EXPECT_EQ(One("SELECT count(*) FROM listing l JOIN service_at_location sal USING (rowid) "
                  "WHERE json_extract(listing_doc(l.doc), '$.id') = sal.id"), std::to_string(listings));
    // Through the keys: the listing's service, location, address and records.
    EXPECT_EQ(One("SELECT count(*) FROM listing l JOIN service_at_location sal USING (rowid) "
                  "JOIN service s ON s.rowid = sal.service JOIN organization o ON o.rowid = s.organization "
                  "JOIN location loc ON loc.rowid = sal.location JOIN address a ON a.location = loc.rowid "
                  "JOIN phone p ON p.service = s.rowid JOIN provenance pr ON pr.listing = l.rowid "
                  "WHERE s.name = l.name AND o.name = l.organization AND a.postal_code = l.postal_code "
                  "AND '(909) 555-' || (1000 + substr(pr.source_key, 5)) = p.number "
                  "AND l.name = 'Recovery program ' || substr(pr.source_key, 5)"),
              std::to_string(listings));
  };
  ASSERT_EQ(Import(ManyListings(300)).outcome, Outcome::kCommitted);
  check(300);
  EXPECT_EQ(One("SELECT min(rowid) || '-' || max(rowid) FROM listing"), "1-300");
  std::string keys = One("SELECT group_concat(rowid || id) FROM (SELECT rowid, id FROM "
                         "service_at_location ORDER BY rowid)");
  std::string csv = ManyListings(350);
  csv.replace(csv.find("(909) 555-1007"), 14, "(909) 555-9999");
  ImportOptions next_day;
  next_day.now = "2026-11-23T05:00:00Z";
  ImportReport r = Import(csv, next_day);
  EXPECT_EQ(r.counts.added, 50);
  EXPECT_EQ(r.counts.changed, 1);
  EXPECT_EQ(r.counts.unchanged, 299);
  EXPECT_EQ(One("SELECT count(*) FROM pragma_foreign_key_check"), "0");
  EXPECT_EQ(One("SELECT group_concat(rowid || id) FROM (SELECT rowid, id FROM "
                "service_at_location WHERE rowid <= 300 ORDER BY rowid)"), keys);
  EXPECT_EQ(One("SELECT min(rowid) || '-' || max(rowid) FROM listing WHERE rowid > 300"), "301-350");
  EXPECT_EQ(One("SELECT p.number FROM phone p JOIN service s ON s.rowid = p.service "
                "WHERE s.name = 'Recovery program 7'"), "(909) 555-9999");
  EXPECT_EQ(Count("phone"), 350);  // the changed listing's old phone is gone
  // A service names the import that last changed it (v7): HSDS last_modified
  // is that run's start. The 299 unchanged keep the first run's.
  EXPECT_EQ(One("SELECT group_concat(n || ' ' || started_at, '; ') FROM (SELECT r.started_at, "
                "count(*) n FROM service s JOIN import_run r ON r.id = s.modified_in "
                "GROUP BY r.id ORDER BY r.id)"),
            "299 2026-11-22T05:00:00Z; 51 2026-11-23T05:00:00Z");
  // A location named as its organization stores no name: the readers use
  // the organization's.
  EXPECT_EQ(One("SELECT count(*) FROM location WHERE name IS NOT NULL"), "0");
  csv.replace(csv.find("(909) 555-9999"), 14, "(909) 555-1007");
  ASSERT_EQ(Import(csv).outcome, Outcome::kCommitted);
  check(350);
}

// A first import writes its rows in input order (load_flush.cc): the k-th
// listing's service, location and service_at_location rows have key k, an
// organization the key where its first listing is; the UNIQUE id indexes
// it dropped to do so are built again (schema v8), and still refuse a
// repeated id.
TEST_F(ImporterLoad, AFirstImportKeysRowsInInputOrder) {
  std::string csv = ManyListings(200);
  // Row 5 names row 2's organization (spelled in capitals, the same id):
  // one organization, keyed where row 2 is, named as row 5, the last, says.
  csv.replace(csv.find("Org 5,"), 6, "ORG 2,");
  ASSERT_EQ(Import(csv).outcome, Outcome::kCommitted);
  EXPECT_EQ(One("SELECT count(*) FROM service_at_location sal JOIN provenance pr ON pr.listing = sal.rowid "
                "JOIN service s ON s.rowid = sal.service JOIN location l ON l.rowid = sal.location "
                "WHERE pr.source_key = 'row-' || (sal.rowid - 1) AND s.rowid = sal.rowid "
                "AND l.rowid = sal.rowid AND s.name = 'Recovery program ' || (sal.rowid - 1)"),
            "200");
  EXPECT_EQ(One("SELECT group_concat(rowid || ' ' || name, '; ') FROM (SELECT rowid, name FROM "
                "organization WHERE rowid <= 6 ORDER BY rowid)"),
            "1 Org 0; 2 Org 1; 3 ORG 2; 4 Org 3; 5 Org 4; 6 Org 6");
  EXPECT_EQ(One("SELECT group_concat(s.rowid) FROM service s JOIN organization o ON o.rowid = s.organization "
                "WHERE o.name = 'ORG 2'"),
            "3,6");
  EXPECT_EQ(One("SELECT group_concat(name || ':' || \"unique\", ' ') FROM (SELECT il.name, il.\"unique\" "
                "FROM pragma_table_list tl, pragma_index_list(tl.name) il WHERE il.name LIKE '%\\_id' "
                "ESCAPE '\\' ORDER BY il.name)"),
            "location_id:1 organization_id:1 service_at_location_id:1 service_id:1");
  auto repeated = db_->Exec("INSERT INTO service(id, organization, name, modified_in) "
                            "SELECT id, organization, name, modified_in FROM service WHERE rowid = 1");
  ASSERT_FALSE(repeated);
  EXPECT_NE(repeated.error().message.find("UNIQUE constraint failed: service.id"), std::string::npos)
      << repeated.error().message;
}

// Two records of one source with one key cannot come from the readers
// (they refuse a key twice, across files too). Past them, a first import
// with an id twice does not take the input-order path (its keys would
// repeat); the other path refuses it, and nothing is written.
TEST_F(ImporterLoad, AFirstImportWithAnIdTwiceFailsWritingNothing) {
  std::istringstream in(ManyListings(5));
  ImportPlan plan = ReadInputs({{"listings.csv", &in}});
  ASSERT_EQ(plan.files[0].records.size(), 5u);
  plan.files[0].records[3].source_key = plan.files[0].records[1].source_key;
  ImportOptions options;
  options.now = "2026-11-22T05:00:00Z";
  ImportReport r = RunImport(*db_, plan, options);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("not in id order"), std::string::npos) << r.errors[0];
  EXPECT_EQ(Count("listing"), 0);
  EXPECT_EQ(Count("service"), 0);
  EXPECT_EQ(Count("provenance"), 0);
}

// Imports before 2026-12-04 stored FNV-1a content hashes (16 hex digits).
// Such rows are compared with the same hash of the new doc: the same
// records again are unchanged, a changed one is changed, and the rows an
// import touches or writes take the current form ("2:").
TEST_F(ImporterLoad, RowsWithTheOlderContentHashAreComparedWithIt) {
  ASSERT_EQ(Import(ManyListings(20)).outcome, Outcome::kCommitted);
  auto docs = db_->Prepare(
      "SELECT pr.source_key, listing_doc(l.doc) FROM provenance pr JOIN listing l ON l.rowid = pr.listing");
  ASSERT_TRUE(docs) << docs.error().message;
  auto update = db_->Prepare("UPDATE provenance SET content_hash = ?1 WHERE source_key = ?2");
  ASSERT_TRUE(update) << update.error().message;
  std::vector<std::pair<std::string, std::string>> rows;
  while (true) {
    auto row = docs->Step();
    ASSERT_TRUE(row);
    if (!*row) break;
    rows.emplace_back(docs->ColumnString(0), docs->ColumnString(1));
  }
  ASSERT_EQ(rows.size(), 20u);
  for (auto& [key, doc] : rows) {
    // What the older importer hashed: the doc with imported_at null.
    const std::string stamp = R"("imported_at":"2026-11-22T05:00:00Z")";
    size_t at = doc.rfind(stamp);
    ASSERT_NE(at, std::string::npos) << doc;
    doc.replace(at, stamp.size(), R"("imported_at":null)");
    ASSERT_TRUE(update->Bind(1, LegacyContentHash(doc)).Bind(2, key).Run());
  }
  EXPECT_EQ(One("SELECT count(*) FROM provenance WHERE length(content_hash) = 16"), "20");
  std::string csv = ManyListings(20);
  csv.replace(csv.find("(909) 555-1007"), 14, "(909) 555-9999");
  ImportOptions next_day;
  next_day.now = "2026-11-23T05:00:00Z";
  ImportReport r = Import(csv, next_day);
  EXPECT_EQ(r.counts.unchanged, 19);
  EXPECT_EQ(r.counts.changed, 1);
  EXPECT_EQ(One("SELECT count(*) FROM provenance WHERE content_hash LIKE '2:%' AND length(content_hash) = 18"), "20");
  EXPECT_EQ(Import(csv, next_day).counts.unchanged, 20);
}

TEST(ContentHash, TheFormsAreFixed) {
  // Stored hashes are compared across imports and machines: neither form may drift.
  EXPECT_EQ(LegacyContentHash(""), "cbf29ce484222325");  // FNV-1a 64's published test vectors
  EXPECT_EQ(LegacyContentHash("a"), "af63dc4c8601ec8c");
  EXPECT_TRUE(IsLegacyContentHash(LegacyContentHash("{}")));
  EXPECT_FALSE(IsLegacyContentHash(ContentHash("{}")));
  EXPECT_EQ(ContentHash(R"({"id":"x","name":"Recovery program 7"})"), "2:78be06f5375953d8");
  // Every byte counts, wherever it falls in or after the 8-byte steps, and so does the length.
  std::string doc = R"({"id":"x","name":"Recovery program 7","phones":[]})";
  for (size_t i = 0; i < doc.size(); ++i) {
    std::string changed = doc;
    changed[i] ^= 1;
    EXPECT_NE(ContentHash(changed), ContentHash(doc)) << i;
  }
  EXPECT_NE(ContentHash("ab"), ContentHash(std::string("ab\0", 3)));
}

TEST_F(ImporterLoad, AChangedFieldIsDetected) {
  std::string csv = Slurp(kFixtures + "valid_listings.csv");
  ASSERT_EQ(Import(csv).outcome, Outcome::kCommitted);
  std::string edited = csv;
  edited.replace(edited.find("(213) 555-0199"), 14, "(213) 555-0100");
  ImportReport r = Import(edited);
  EXPECT_EQ(r.counts.changed, 1);
  EXPECT_EQ(r.counts.unchanged, 2);
  EXPECT_EQ(One("SELECT e164 FROM phone WHERE number LIKE '(213)%'"), "+12135550100");
  EXPECT_EQ(Count("phone"), 5);
}

TEST_F(ImporterLoad, StrictWithABadRowLeavesTheListingsUnchanged) {
  std::string csv = Slurp(kFixtures + "valid_listings.csv");
  ASSERT_EQ(Import(csv).outcome, Outcome::kCommitted);
  std::string before = Snapshot();
  std::string edited = csv;
  edited.replace(edited.find("(213) 555-0199"), 14, "(213) 555-0100");  // a real change
  edited.replace(edited.find(",92373,"), 7, ",9237x,");                 // and a bad row
  ImportOptions strict;
  strict.strict = true;
  ImportReport r = Import(edited, strict);
  EXPECT_EQ(r.outcome, Outcome::kStrictRolledBack);
  EXPECT_EQ(r.ExitCode(), 1);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ImporterLoad, WithoutStrictTheGoodRowsLoadAndTheBadOneIsKept) {
  std::string csv = Slurp(kFixtures + "valid_listings.csv");
  ASSERT_EQ(Import(csv).outcome, Outcome::kCommitted);
  std::string doc = One("SELECT listing_doc(doc) FROM listing WHERE name = 'Outpatient counseling'");
  std::string edited = csv;
  edited.replace(edited.find(",92373,"), 7, ",9237x,");
  ImportReport r = Import(edited);
  EXPECT_EQ(r.outcome, Outcome::kCommitted);
  EXPECT_EQ(r.ExitCode(), 1);
  EXPECT_EQ(r.counts.unchanged, 2);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].Message(), "listings.csv:3: field 'zip': \"9237x\" is not a 5-digit ZIP code");
  EXPECT_EQ(One("SELECT listing_doc(doc) FROM listing WHERE name = 'Outpatient counseling'"), doc);
}

TEST_F(ImporterLoad, DryRunWritesNothing) {
  ImportOptions dry;
  dry.dry_run = true;
  ImportReport r = Import(Slurp(kFixtures + "valid_listings.csv"), dry);
  EXPECT_EQ(r.outcome, Outcome::kDryRun);
  EXPECT_EQ(r.counts.added, 3);  // counts are real
  EXPECT_EQ(Count("listing"), 0);
  EXPECT_EQ(Count("import_run"), 0);
  EXPECT_EQ(Count("zip_centroid"), 0);
  EXPECT_EQ(Count("taxonomy_term"), 0);
}

TEST_F(ImporterLoad, FailedImportLeavesTheDatabaseAsItWas) {
  ASSERT_EQ(Import(Slurp(kFixtures + "valid_listings.csv")).outcome, Outcome::kCommitted);
  std::string before = Snapshot();
  std::istringstream in(Slurp(kFixtures + "valid_listings.csv"));
  ImportPlan plan = ReadInputs({{"listings.csv", &in}});
  plan.files[0].records[0].phones[0].display = "(909) 488-0000";  // a real change first
  plan.files[0].records[2].status = "closed";  // bypasses the reader: the CHECK fails
  ImportReport r = RunImport(*db_, plan, {});
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.ExitCode(), 70);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("listings.csv:4: CHECK constraint failed"), std::string::npos)
      << r.errors[0];
  EXPECT_EQ(Snapshot(), before);
}

// Rows go 64 to an INSERT (importer/sorted_rows.h): when one row of a batch
// fails, the batch is sent again row by row, so the error still names it;
// with the rollback journal (an existing database) and without it (a new
// file: the rows before the failing one stay written), for a failed CHECK
// in the first table written (service) and in a later one (location); on a
// first import (its rows written in input order, load_flush.cc) and on one
// into a database that holds a listing (the rows written table by table
// in id order).
class ImporterBatchFailure : public ImporterLoad,
                             public ::testing::WithParamInterface<std::tuple<bool, bool, bool>> {};

TEST_P(ImporterBatchFailure, TheFailedRowIsNamed) {
  auto [new_file, in_location, not_first] = GetParam();
  if (not_first) {
    ASSERT_EQ(Import("source,source_key,as_of,organization,name,city,state,zip,latitude,longitude,care\n"
                     "carefinder-curated,before,2026-11-22,Org,Svc,Redlands,CA,92374,34.06,-117.17,detox\n")
                  .outcome,
              Outcome::kCommitted);
  }
  std::string csv = "source,source_key,as_of,organization,name,city,state,zip,latitude,longitude,care\n";
  for (int i = 0; i < 64; ++i) {  // 64 rows: one full batch per table
    csv += "carefinder-curated,k" + std::to_string(i) + ",2026-11-22,Org " + std::to_string(i) +
           ",Svc,Redlands,CA,92374,34.06,-117.17,detox\n";
  }
  std::istringstream in(csv);
  ImportPlan plan = ReadInputs({{"many.csv", &in}});
  ASSERT_EQ(plan.files[0].records.size(), 64u);
  ListingRecord& bad = plan.files[0].records[40];
  // Both bypass the reader: the CHECK on service.status fails, or the one
  // on location.latitude.
  if (in_location) bad.latitude = 95.0;
  else bad.status = "closed";
  ImportOptions options;
  options.new_file = new_file;
  ImportReport r = RunImport(*db_, plan, options);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].starts_with("many.csv:42: CHECK constraint failed")) << r.errors[0];
  EXPECT_NE(r.errors[0].find(in_location ? "latitude" : "status"), std::string::npos) << r.errors[0];
}

// The loader writes with SQLite's CHECKs off when it has checked every
// listing itself (load_flush.cc): they are on again after an import that
// did, and after one that failed.
TEST_F(ImporterLoad, SchemaChecksAreOnAgainAfterAnImport) {
  ASSERT_EQ(Import(ManyListings(3)).outcome, Outcome::kCommitted);
  EXPECT_EQ(One("PRAGMA ignore_check_constraints"), "0");
  std::istringstream in(ManyListings(5, "other-source"));
  ImportPlan plan = ReadInputs({{"more.csv", &in}});
  ASSERT_EQ(plan.files[0].records.size(), 5u);
  plan.files[0].records[3].status = "closed";  // bypasses the reader: the CHECK fails
  ImportReport r = RunImport(*db_, plan, {});
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(One("PRAGMA ignore_check_constraints"), "0");
  EXPECT_EQ(Count("service"), 3);
}

// BuildIndexesInRuns on more keys than one 4 MB run holds (200,000 ids of
// 36 characters: about 12 MB to sort), inside a transaction, with the
// settings an import runs with: the index holds every row, the
// connection's settings come back, and a UNIQUE failure is still an error
// with them back too.
TEST_F(ImporterLoad, IndexesBuiltInRunsAreWholeAndTheSettingsComeBack) {
  ASSERT_TRUE(db_->Exec("PRAGMA cache_size = -2097152; PRAGMA temp_store = MEMORY; BEGIN; "
                        "CREATE TABLE keyed(id TEXT NOT NULL); "
                        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 200000) "
                        "INSERT INTO keyed SELECT lower(hex(randomblob(18))) FROM n"));
  auto settings = [&] {
    return One("PRAGMA cache_size") + " " + One("PRAGMA temp_store") + " " + One("PRAGMA threads");
  };
  ASSERT_EQ(settings(), "-2097152 2 0");
  Status built = BuildIndexesInRuns(*db_, {"CREATE UNIQUE INDEX keyed_id ON keyed(id)"});
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(settings(), "-2097152 2 0");
  EXPECT_EQ(One("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(One("SELECT count(*) FROM keyed INDEXED BY keyed_id WHERE id >= ''"), "200000");
  ASSERT_TRUE(db_->Exec("DROP INDEX keyed_id; INSERT INTO keyed SELECT id FROM keyed WHERE rowid = 7"));
  Status twice = BuildIndexesInRuns(*db_, {"CREATE UNIQUE INDEX keyed_id ON keyed(id)"});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("UNIQUE constraint failed: keyed.id"), std::string::npos)
      << twice.error().message;
  EXPECT_EQ(settings(), "-2097152 2 0");
  EXPECT_TRUE(db_->Exec("COMMIT"));
}

// With a temporary table open in the transaction SQLite refuses to change
// temp_store: the index is still built (in one piece) and every setting,
// threads too, comes back.
TEST_F(ImporterLoad, IndexesBuiltInRunsWithATemporaryTableStillComeBack) {
  ASSERT_TRUE(db_->Exec("PRAGMA temp_store = MEMORY; CREATE TEMP TABLE scratch(x); BEGIN; "
                        "INSERT INTO scratch VALUES (1); CREATE TABLE keyed(id TEXT NOT NULL); "
                        "INSERT INTO keyed VALUES ('b'), ('a'), ('c')"));
  ASSERT_FALSE(db_->Exec("PRAGMA temp_store = FILE"));  // what the build meets
  Status built = BuildIndexesInRuns(*db_, {"CREATE UNIQUE INDEX keyed_id ON keyed(id)"});
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(One("SELECT group_concat(id, '') FROM keyed INDEXED BY keyed_id WHERE id >= ''"), "abc");
  EXPECT_EQ(One("PRAGMA threads") + " " + One("PRAGMA temp_store"), "0 2");
  EXPECT_TRUE(db_->Exec("COMMIT"));
}

// An import (whose id indexes are built in runs on a first import into empty
// tables) leaves the connection with the settings RunImport gave it.
TEST_F(ImporterLoad, AFirstImportLeavesItsSortSettings) {
  ASSERT_EQ(Import(ManyListings(50)).outcome, Outcome::kCommitted);
  EXPECT_EQ(One("PRAGMA temp_store") + " " + One("PRAGMA threads") + " " + One("PRAGMA cache_size"),
            "2 0 -2097152");
  EXPECT_EQ(One("PRAGMA integrity_check"), "ok");
}

// What the loader checks itself (PassesSchemaChecks) is what SQLite's
// CHECKs on service and location accept: each case is inserted with them on.
TEST_F(ImporterLoad, TheLoaderChecksWhatTheSchemaChecks) {
  ASSERT_TRUE(db_->Exec("INSERT INTO import_run VALUES (1, '', '', '[]', 0, 0, 0, 0, 0, '{}');"
                        "INSERT INTO organization(rowid, id, name) VALUES (1, 'o', 'Org')"));
  struct Case {
    std::string status = "active", kind = "treatment";
    std::optional<double> latitude = 34.06, longitude = -117.17;
  };
  std::vector<Case> cases = {{}, {.status = "inactive"}, {.status = "defunct"},
                             {.status = "temporarily closed"}, {.kind = "meeting"},
                             {.latitude = 90, .longitude = 180}, {.latitude = -90, .longitude = -180},
                             {.latitude = std::nullopt, .longitude = std::nullopt},
                             {.status = "closed"}, {.status = "Active"}, {.status = ""},
                             {.kind = "group"}, {.kind = "treatment "},
                             {.latitude = 90.001}, {.latitude = -90.5}, {.longitude = 180.25},
                             {.longitude = -181}, {.latitude = std::nullopt},
                             {.longitude = std::nullopt}};
  auto service = db_->Prepare(
      "INSERT INTO service(rowid, id, organization, name, status, kind, modified_in) "
      "VALUES (?1, ?2, 1, 'Svc', ?3, ?4, 1)");
  auto location = db_->Prepare(
      "INSERT INTO location(rowid, id, organization, location_type, latitude, longitude, "
      "geo_precision) VALUES (?1, ?2, 1, 'physical', ?3, ?4, ?5)");
  ASSERT_TRUE(service && location);
  int accepted = 0;
  for (size_t n = 0; n < cases.size(); ++n) {
    const Case& c = cases[n];
    ListingRecord rec;
    rec.status = c.status, rec.kind = c.kind, rec.latitude = c.latitude, rec.longitude = c.longitude;
    const auto key = static_cast<int64_t>(n) + 1;
    const std::string id = "case-" + std::to_string(n);
    service->Bind(1, key).Bind(2, id).Bind(3, c.status).Bind(4, c.kind);
    location->Bind(1, key).Bind(2, id).BindOptional(3, c.latitude).BindOptional(4, c.longitude);
    if (c.latitude) location->Bind(5, GeoPrecisionName(rec.precision));
    else location->BindNull(5);
    const bool by_sqlite = service->Run() && location->Run();
    EXPECT_EQ(PassesSchemaChecks(rec), by_sqlite) << "case " << n;
    accepted += by_sqlite;
  }
  EXPECT_EQ(accepted, 8);  // the first eight cases
  ListingRecord nan;
  nan.latitude = std::nan(""), nan.longitude = 0;
  EXPECT_FALSE(PassesSchemaChecks(nan));  // stricter: bound, it would be NULL
}

// A term a record names twice (past the reader, which folds repeats) is
// stored once in service.terms (v7), not a key conflict that fails the load.
TEST_F(ImporterLoad, ATermNamedTwiceIsStoredOnce) {
  std::istringstream in(Slurp(kFixtures + "valid_listings.csv"));
  ImportPlan plan = ReadInputs({{"listings.csv", &in}});
  ASSERT_FALSE(plan.files[0].records.empty());
  ListingRecord& rec = plan.files[0].records[0];
  rec.terms.push_back(rec.terms.front());
  std::string service = StableId("service", rec.source, rec.source_key);
  ImportOptions options;
  options.now = "2026-11-22T05:00:00Z";
  ASSERT_EQ(RunImport(*db_, plan, options).outcome, Outcome::kCommitted);
  EXPECT_EQ(One("SELECT count(*) - count(DISTINCT j.value) FROM service s, json_each(s.terms) j "
                "WHERE s.id = '" + service + "'"),
            "0");
  EXPECT_NE(One("SELECT count(*) FROM attribute WHERE link_id = '" + service + "'"), "0");
}

// (new file, in location, not the first import); a new file holds nothing yet.
INSTANTIATE_TEST_SUITE_P(JournalAndFailure, ImporterBatchFailure,
                         ::testing::Values(std::tuple{false, false, false}, std::tuple{false, true, false},
                                           std::tuple{true, false, false}, std::tuple{true, true, false},
                                           std::tuple{false, false, true}, std::tuple{false, true, true}));

TEST_F(ImporterLoad, GeocodeFallbackRecordsPrecision) {
  ASSERT_EQ(Import(Slurp(kFixtures + "valid_listings.csv")).outcome, Outcome::kCommitted);
  EXPECT_EQ(One("SELECT l.latitude || ',' || l.longitude || ' ' || geo_precision FROM location l "
                "JOIN service_at_location s ON s.location = l.rowid JOIN listing x ON x.rowid = s.rowid "
                "WHERE x.organization = 'Liberty House Recovery'"),
            "34.068515,-117.175322 postal_code_centroid");
  EXPECT_EQ(One("SELECT json_extract(listing_doc(doc), '$.geo_precision') FROM listing WHERE postal_code = '92373'"),
            "exact");
}

TEST_F(ImporterLoad, CityCentroidWhenTheZipIsUnknownAndRejectWhenNothingIsKnown) {
  std::string header = "source,source_key,as_of,organization,name,city,state,zip\n";
  ImportReport r = Import(header +
                          "carefinder-curated,a,2026-11-22,Org A,Svc A,St. Louis,MO,63999\n"
                          "carefinder-curated,b,2026-11-22,Org B,Svc B,Nowhere,MO,63998\n");
  EXPECT_EQ(r.counts.added, 1);
  EXPECT_EQ(One("SELECT latitude || ' ' || json_extract(listing_doc(doc), '$.geo_precision') FROM listing"),
            "38.62727 city_centroid");
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].Message(),
            "listings.csv:3: field 'latitude': cannot place \"Nowhere, MO 63998\": no coordinates, "
            "ZIP or known city");
}

TEST_F(ImporterLoad, StoredGazetteerGeocodesLaterImports) {
  ASSERT_EQ(Import(Slurp(kFixtures + "valid_listings.csv")).counts.added, 3);
  std::string header = "source,source_key,as_of,organization,name,city,state,zip\n";
  ImportReport r = Import(header + "other-source,x,2026-11-22,Org X,Svc X,Charlottesville,VA,22902\n",
                          {}, /*gazetteer=*/false);
  EXPECT_EQ(r.counts.added, 1);
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(Count("listing"), 4);
}

TEST_F(ImporterLoad, OnlineOnlyMeetingHasNoCoordinates) {
  std::string csv =
      "source,source_key,as_of,kind,organization,name,city,state,zip,attendance,support,"
      "conference_url,hours\n"
      "carefinder-curated,m1,2026-11-22,meeting,Online Intergroup,Tuesday Night Online,"
      "Redlands,CA,,online,aa,https://zoom.example/j/123,Tu 19:00-20:00\n";
  ImportReport r = Import(csv);
  ASSERT_EQ(r.counts.added, 1) << RenderText(r);
  EXPECT_EQ(One("SELECT coalesce(latitude, 'none') || ' ' || schedule || ' ' || listing_terms(terms) FROM listing"),
            "none TU 19:00-20:00;TZ America/Los_Angeles  meeting twelve-step aa online ");
  // Its zone comes from its state (a curated row names none): Redlands, CA.
  EXPECT_EQ(One("SELECT timezone FROM schedule"), "America/Los_Angeles");
  EXPECT_EQ(nlohmann::json::parse(One("SELECT listing_doc(doc) FROM listing"))["hours"]["timezone"],
            "America/Los_Angeles");
  EXPECT_EQ(One("SELECT location_type FROM location"), "virtual");
}

TEST_F(ImporterLoad, HybridMeetingMatchesInPersonAndOnlineButSaysHybrid) {
  std::string csv =
      "source,source_key,as_of,kind,organization,name,address1,city,state,zip,latitude,longitude,attendance,"
      "support,conference_url,hours\n"
      "carefinder-curated,h1,2026-11-22,meeting,Redlands Group,Hybrid Tuesday,212 Brookside Avenue,"
      "Redlands,CA,92373,34.05,-117.18,hybrid,aa,https://zoom.example/j/9,Tu 19:00-20:00\n";
  ImportReport r = Import(csv);
  ASSERT_EQ(r.counts.added, 1) << RenderText(r);
  EXPECT_EQ(One("SELECT listing_terms(terms) FROM listing"), " meeting twelve-step aa in-person online hybrid ");
  auto doc = nlohmann::json::parse(One("SELECT listing_doc(doc) FROM listing"));
  EXPECT_EQ(doc["terms"]["attendance"], nlohmann::json({"hybrid"}));
  EXPECT_TRUE(doc["location_name"].is_null());  // the curated format has no place name
}

TEST_F(ImporterLoad, AMeetingsBuildingNameReachesTheDocAndTheLocation) {
  std::string feed = R"([{"name": "Tuesday Night Group", "slug": "tuesday-night", "day": 2,
    "time": "19:00", "end_time": "20:00", "types": ["O"], "location": "St. Mark's Church",
    "address": "212 Brookside Avenue", "city": "Redlands", "state": "CA", "postal_code": "92373",
    "latitude": 34.05, "longitude": -117.18, "updated": "2023-08-31 00:08:08"}])";
  std::istringstream in(feed);
  ImportInput input{"aa_redlands.json", &in};
  input.source = {"meeting-guide-redlands", "", "", "", "2023-08-31"};
  ImportPlan plan = ReadInputs({input});
  ImportOptions options;
  options.now = "2026-11-22T05:00:00Z";
  options.geocode = false;
  ImportReport r = RunImport(*db_, plan, options);
  ASSERT_EQ(r.counts.added, 1) << RenderText(r);
  auto doc = nlohmann::json::parse(One("SELECT listing_doc(doc) FROM listing"));
  EXPECT_EQ(doc["location_name"], "St. Mark's Church");
  EXPECT_EQ(One("SELECT name FROM location"), "St. Mark's Church");
}

TEST_F(ImporterLoad, ListingDocHasTheApiResultShape) {
  ASSERT_EQ(Import(Slurp(kFixtures + "valid_listings.csv")).outcome, Outcome::kCommitted);
  auto doc = nlohmann::json::parse(
      One("SELECT listing_doc(doc) FROM listing WHERE organization = 'Liberty House Recovery'"), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  for (const char* key : {"id", "kind", "status", "name", "organization", "description", "location_name", "address",
                          "lat", "lon", "geo_precision", "phones", "website", "email", "terms",
                          "other_services", "hours", "conference", "source"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_FALSE(doc.contains("distance_miles"));
  EXPECT_EQ(doc["id"], One("SELECT id FROM listing JOIN service_at_location USING (rowid) WHERE organization = 'Liberty House Recovery'"));
  EXPECT_EQ(doc["name"], "Medically supervised detox");
  EXPECT_EQ(doc["address"]["formatted"], "712 The Terrace, Redlands, CA 92374");
  EXPECT_TRUE(doc["address"]["line2"].is_null());
  EXPECT_TRUE(doc["email"].is_null());
  EXPECT_EQ(doc["phones"][0]["display"], "(909) 488-7181");
  EXPECT_EQ(doc["phones"][0]["e164"], "+19094887181");
  EXPECT_TRUE(doc["phones"][0]["extension"].is_null());
  EXPECT_EQ(doc["phones"][1]["display"], "988");
  EXPECT_EQ(doc["terms"]["care"], nlohmann::json({"detox", "detox-residential"}));
  EXPECT_EQ(doc["other_services"], nlohmann::json({"Detoxification services"}));
  EXPECT_EQ(doc["hours"]["text"], "24/7");
  EXPECT_EQ(doc["hours"]["weekly"].size(), 7u);
  EXPECT_EQ(doc["source"]["name"], "carefinder-curated");
  EXPECT_EQ(doc["source"]["as_of"], "2026-11-22");
  EXPECT_EQ(doc["source"]["imported_at"], "2026-11-22T05:00:00Z");
  EXPECT_TRUE(doc["source"]["last_verified"].is_null());
  EXPECT_DOUBLE_EQ(doc["lat"].get<double>(), 34.068515);
}

TEST_F(ImporterLoad, TermsIncludeAncestorsWithSpaces) {
  ASSERT_EQ(Import(Slurp(kFixtures + "valid_listings.csv")).outcome, Outcome::kCommitted);
  EXPECT_EQ(One("SELECT listing_terms(terms) FROM listing WHERE postal_code = '92373'"),
            " treatment outpatient counseling cbt naltrexone alcohol stimulants medicaid "
            "sliding-fee adults co-occurring en in-person ");
  // Stored as the terms' keys, a byte or two each (db/term_pack.h).
  EXPECT_EQ(One("SELECT typeof(terms) || ' ' || (length(terms) <= 2 * 13) FROM listing "
                "WHERE postal_code = '92373'"), "blob 1");
  EXPECT_EQ(One("SELECT listing_terms(listing_terms_pack(' detox medicaid '))"), " detox medicaid ");
  EXPECT_EQ(One("SELECT schedule FROM listing WHERE postal_code = '92373'"),
            "MO 08:00-17:00;TU 08:00-17:00;WE 08:00-17:00;TH 08:00-17:00;FR 08:00-17:00;SA 09:00-12:00");
}

TEST_F(ImporterLoad, FullTextFindsAListingByItsOwnWordsNotItsTermsLabels) {
  ASSERT_EQ(Import(Slurp(kFixtures + "valid_listings.csv")).outcome, Outcome::kCommitted);
  std::string liberty = One("SELECT rowid FROM listing WHERE organization = 'Liberty House Recovery'");
  EXPECT_EQ(One("SELECT group_concat(rowid) FROM listing_fts WHERE listing_fts MATCH 'supervised'"),
            liberty);
  EXPECT_EQ(One("SELECT group_concat(rowid) FROM listing_fts WHERE listing_fts MATCH 'liberty'"),
            liberty);
  // "Detox (withdrawal management)" is a label of Liberty House's terms, and
  // "management" no word of its own text: searches match labels through the
  // terms (store/label_words.h), the index holds none.
  EXPECT_EQ(One("SELECT count(*) FROM listing WHERE listing_terms(terms) LIKE '% detox %'"), "1");
  EXPECT_EQ(One("SELECT count(*) FROM listing_fts WHERE listing_fts MATCH 'management'"), "0");
  EXPECT_EQ(One("SELECT count(*) FROM listing_fts WHERE listing_fts MATCH 'place:redlands'"), "2");
}

TEST_F(ImporterLoad, UnchangedReimportKeepsTheFullTextAndAChangeUpdatesIt) {
  std::string csv = Slurp(kFixtures + "valid_listings.csv");
  ASSERT_EQ(Import(csv).outcome, Outcome::kCommitted);
  ASSERT_EQ(Import(csv).counts.unchanged, 3);  // the rebuild is skipped
  EXPECT_EQ(One("SELECT count(*) FROM listing_fts WHERE listing_fts MATCH 'name:supervised'"), "1");
  std::string edited = csv;
  edited.replace(edited.find("Medically supervised detox"), 26, "Medically monitored detox");
  ASSERT_EQ(Import(edited).counts.changed, 1);
  EXPECT_EQ(One("SELECT count(*) FROM listing_fts WHERE listing_fts MATCH 'name:supervised'"), "0");
  EXPECT_EQ(One("SELECT count(*) FROM listing_fts WHERE listing_fts MATCH 'name:monitored'"), "1");
}

// A first import builds the index on another thread and copies it in
// (importer/full_text_aside.h); it must hold exactly what a rebuild writes.
TEST_F(ImporterLoad, FirstImportFullTextEqualsARebuild) {
  ASSERT_EQ(Import(Slurp(kFixtures + "valid_listings.csv")).outcome, Outcome::kCommitted);
  ASSERT_TRUE(db_->Exec("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, listing_fts, 'instance')"));
  const std::string every_instance =
      "SELECT count(*) || ':' || group_concat(term || '/' || doc || '/' || col || '/' || offset, ' ') "
      "FROM (SELECT * FROM temp.v ORDER BY term, doc, col, offset)";
  std::string aside = One(every_instance);
  EXPECT_GT(std::stoi(aside), 50) << aside;
  EXPECT_NE(aside.find(" redlands/"), std::string::npos) << aside;
  auto loader = Loader::Create(*db_, Taxonomy::Embedded(), {"2026-11-22T05:00:00Z", {}, false});
  ASSERT_TRUE(loader);
  ASSERT_TRUE((*loader)->RebuildFullText());
  EXPECT_EQ(One(every_instance), aside);
  EXPECT_TRUE(db_->Exec("INSERT INTO listing_fts(listing_fts) VALUES('integrity-check')"));
}

// The copy sends 64 rows a statement and the rest in one of their own: 400
// listings (6 full statements and 16 rows of docsize) come through whole.
TEST_F(ImporterLoad, FirstImportFullTextOfManyListingsEqualsARebuild) {
  std::string fixture = Slurp(kFixtures + "valid_listings.csv");
  std::string header = fixture.substr(0, fixture.find('\n') + 1);
  std::string row = fixture.substr(header.size(), fixture.find('\n', header.size()) + 1 - header.size());
  std::string csv = header;
  for (int i = 0; i < 400; ++i) {  // each its own facility: another key, number and name
    std::string r = row;
    r.replace(r.find("liberty-house-detox"), 19, "liberty-" + std::to_string(i));
    r.replace(r.find("712 The Terrace"), 3, std::to_string(1000 + i));
    r.replace(r.find("Medically supervised detox"), 26, "Medically supervised detox number" + std::to_string(i));
    csv += r;
  }
  ImportReport r = Import(csv);
  ASSERT_EQ(r.outcome, Outcome::kCommitted) << (r.errors.empty() ? "" : r.errors[0]);
  ASSERT_EQ(r.counts.added, 400);
  EXPECT_EQ(One("SELECT count(*) FROM listing_fts_docsize"), "400");
  EXPECT_EQ(One("SELECT count(*) FROM listing_fts WHERE listing_fts MATCH 'name:number399'"), "1");
  const std::string every_size = "SELECT group_concat(id || '=' || hex(sz), ' ') FROM "
                                 "(SELECT * FROM listing_fts_docsize ORDER BY id)";
  ASSERT_TRUE(db_->Exec("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, listing_fts, 'instance')"));
  const std::string every_instance =
      "SELECT count(*) || ':' || group_concat(term || '/' || doc || '/' || col || '/' || offset, ' ') "
      "FROM (SELECT * FROM temp.v ORDER BY term, doc, col, offset)";
  std::string sizes = One(every_size), instances = One(every_instance);
  EXPECT_GT(std::stoi(instances), 400 * 20);
  auto loader = Loader::Create(*db_, Taxonomy::Embedded(), {"2026-11-22T05:00:00Z", {}, false});
  ASSERT_TRUE(loader);
  ASSERT_TRUE((*loader)->RebuildFullText());
  EXPECT_EQ(One(every_size), sizes);
  EXPECT_EQ(One(every_instance), instances);
  EXPECT_TRUE(db_->Exec("INSERT INTO listing_fts(listing_fts) VALUES('integrity-check')"));
}

TEST_F(ImporterLoad, AttributesAreKeyedByServiceAndTerm) {
  ASSERT_EQ(Import(Slurp(kFixtures + "valid_listings.csv")).outcome, Outcome::kCommitted);
  EXPECT_EQ(One("SELECT count(*) FROM attribute a LEFT JOIN service s ON s.id = a.link_id "
                "LEFT JOIN taxonomy_term t ON t.id = a.taxonomy_term_id "
                "WHERE s.id IS NULL OR t.id IS NULL OR a.link_entity != 'service'"),
            "0");
  EXPECT_EQ(One("SELECT group_concat(code) FROM language l JOIN service s ON s.id = l.service_id "
                "JOIN service_at_location sal ON sal.service = s.rowid JOIN listing x ON x.rowid = sal.rowid "
                "WHERE x.postal_code = '92373'"),
            "en");
}

// The attribute and source-code rows name their term and source by integer
// key (source codes since v4; a service's terms in service.terms since v7);
// the views `attribute` and `source_attribute` give them back with the
// UUIDs the API and exports use.
TEST_F(ImporterLoad, TermAndSourceCodeRowsHoldIntegerKeysTheViewsGiveTheUuids) {
  ASSERT_EQ(Import(Slurp(kFixtures + "valid_listings.csv")).outcome, Outcome::kCommitted);
  EXPECT_EQ(One("SELECT count(*) FROM service s, json_each(s.terms) j LEFT JOIN taxonomy_term t "
                "ON t.rowid = j.value WHERE typeof(j.value) != 'integer' OR t.rowid IS NULL"),
            "0");
  // In key order, each once, '[k,k,...]': a listing with the 12 terms below.
  EXPECT_EQ(One("SELECT count(*) FROM service s, json_each(s.terms) a, json_each(s.terms) b "
                "WHERE b.key = a.key + 1 AND b.value <= a.value"),
            "0");
  EXPECT_EQ(One("SELECT count(*) FROM service WHERE terms IS NOT NULL AND terms NOT GLOB '[[][0-9]*[0-9]]'"),
            "0");
  EXPECT_EQ(One("SELECT count(*) FROM source_code WHERE typeof(service) != 'integer' OR "
                "typeof(source) != 'integer'"),
            "0");
  std::string service = StableId("service", "carefinder-curated", "liberty-house-detox");
  EXPECT_EQ(One("SELECT group_concat(t.code || ':' || a.link_type, ' ') FROM (SELECT * FROM "
                "attribute WHERE link_id = '" + service + "' ORDER BY link_type, "
                "taxonomy_term_id) a JOIN taxonomy_term t ON t.id = a.taxonomy_term_id"),
            One("SELECT group_concat(t.code || ':' || t.term_group, ' ') FROM (SELECT * FROM "
                "taxonomy_term ORDER BY term_group, id) t WHERE t.code IN ('treatment', 'detox', "
                "'detox-residential', 'buprenorphine', 'alcohol', 'opioids', 'self-pay', "
                "'private-insurance', 'adults', 'en', 'es', 'in-person')"));
  EXPECT_EQ(One("SELECT count(*) FROM attribute WHERE link_id = '" + service + "' AND "
                "taxonomy_term_id = '" + TermId("detox-residential") + "' AND value IS NULL"),
            "1");
  EXPECT_EQ(One("SELECT source_id || ' ' || value FROM source_attribute WHERE service_id = '" +
                service + "'"),
            StableId("source", "carefinder-curated", "carefinder-curated") +
                " Detoxification services");
}

// A changed listing's terms and source codes are deleted by its service's key
// and written again: none of the old ones stay.
TEST_F(ImporterLoad, AChangedListingsTermsAndSourceCodesAreReplaced) {
  std::string csv = Slurp(kFixtures + "valid_listings.csv");
  ASSERT_EQ(Import(csv).outcome, Outcome::kCommitted);
  std::string changed = csv;
  auto at = changed.find("detox; detox-residential,buprenorphine");
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, std::string("detox; detox-residential,buprenorphine").size(), "detox,");
  at = changed.find("Detoxification services");
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, std::string("Detoxification services").size(), "Sauna");
  ImportOptions later;
  later.now = "2026-11-23T05:00:00Z";
  ImportReport second = Import(changed, later);
  ASSERT_EQ(second.outcome, Outcome::kCommitted);
  EXPECT_EQ(second.counts.changed, 1);
  std::string service = StableId("service", "carefinder-curated", "liberty-house-detox");
  std::string of_service = " WHERE link_id = '" + service + "' AND taxonomy_term_id = '";
  EXPECT_EQ(One("SELECT count(*) FROM attribute" + of_service + TermId("detox") + "'"), "1");
  EXPECT_EQ(One("SELECT count(*) FROM attribute" + of_service + TermId("detox-residential") + "'"), "0");
  EXPECT_EQ(One("SELECT count(*) FROM attribute" + of_service + TermId("buprenorphine") + "'"), "0");
  EXPECT_EQ(One("SELECT group_concat(value) FROM source_attribute WHERE service_id = '" + service + "'"),
            "Sauna");
}

TEST(StableIdMaker, MatchesStableId) {
  StableIdMaker make;
  for (const char* key : {"liberty-house-detox", "", "k#0", "ünïcode key"}) {
    EXPECT_EQ(make("service", "carefinder-curated", key), StableId("service", "carefinder-curated", key));
  }
}

}  // namespace
}  // namespace carefinder::importer
