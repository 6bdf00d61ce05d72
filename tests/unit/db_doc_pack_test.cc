// Listing documents packed with zstd and the file's own dictionaries
// (src/db/doc_pack.h), and SQL's view of them (listing_doc, listing_doc_pack).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/database.h"
#include "db/doc_pack.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder::db {
namespace {

const char* const kCities[] = {"Redlands", "Houston", "Billings", "Bronx", "Anchorage", "Fargo"};
const char* const kCare[] = {"detox", "outpatient", "residential", "counseling"};

// Documents shaped like the API's (keys, term codes, sources), each different.
std::vector<std::string> Docs(size_t n, const std::string& source = "carefinder-curated") {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(R"({"id":"a1b2c3d4-0000-5000-8000-)" + std::to_string(100000000000 + i * 7919) +
                  R"(","kind":"treatment","status":"active","name":"Recovery Center )" + std::to_string(i) +
                  R"(","address":{"line1":")" + std::to_string(100 + i % 900) + R"( Main St","city":")" +
                  kCities[i % 6] + R"(","zip":")" + std::to_string(10000 + i * 37 % 89999) +
                  R"("},"phones":[{"role":"main","display":"(909) 555-)" + std::to_string(1000 + i % 9000) +
                  R"("}],"terms":{"care":[")" + kCare[i % 4] + R"("],"payment":["medicaid","self-pay"]},)" +
                  R"("source":{"name":")" + source + R"(","as_of":"2026-11-22","last_verified":null}})");
  }
  return out;
}

std::vector<std::string_view> Views(const std::vector<std::string>& docs) {
  return {docs.begin(), docs.end()};
}

std::shared_ptr<const DocPack> Pack(std::vector<DocDictionary> dictionaries) {
  auto pack = DocPack::Make(std::move(dictionaries));
  EXPECT_TRUE(pack) << pack.error().message;
  return pack ? *pack : nullptr;
}

TEST(DocPackTest, ADictionaryTrainedOnTheDocsPacksEachToAFractionAndUnpacksItExactly) {
  auto docs = Docs(600);
  DocDictionary dict = TrainDocDictionary(Views(docs));
  ASSERT_NE(dict.id, 0u) << "600 documents are enough to train on";
  auto pack = Pack({dict});
  size_t text = 0, packed = 0;
  for (const std::string& doc : docs) {
    std::string stored = pack->Pack(doc);
    EXPECT_TRUE(IsPackedDoc(stored));
    EXPECT_TRUE(pack->Knows(stored));
    auto back = pack->Unpack(stored);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, doc);
    text += doc.size(), packed += stored.size();
  }
  EXPECT_LT(packed * 4, text) << "packed " << packed << " of " << text << " bytes";
  // Without the dictionary a document packs much worse: the dictionary is what pays.
  auto plain = Pack({});
  EXPECT_GT(plain->Pack(docs[0]).size(), 2 * pack->Pack(docs[0]).size());
}

TEST(DocPackTest, TooFewDocsTrainNoDictionaryAndArePackedWithoutOne) {
  auto docs = Docs(kDocDictionaryMinSamples - 1);
  EXPECT_EQ(TrainDocDictionary(Views(docs)).id, 0u);
  auto pack = Pack({});
  EXPECT_FALSE(pack->has_dictionary());
  std::string stored = pack->Pack(docs[3]);
  EXPECT_TRUE(IsPackedDoc(stored));
  EXPECT_EQ(*pack->Unpack(stored), docs[3]);
}

TEST(DocPackTest, JsonTextStoredAsItIsIsReadAsItIs) {
  auto pack = Pack({});
  EXPECT_FALSE(IsPackedDoc(R"({"id":"x"})"));
  EXPECT_EQ(*pack->Unpack(R"({"id":"x"})"), R"({"id":"x"})");
}

TEST(DocPackTest, AFrameOfAnotherDictionaryOrAcutFrameIsAnErrorNotWrongText) {
  auto docs = Docs(600);
  DocDictionary dict = TrainDocDictionary(Views(docs));
  ASSERT_NE(dict.id, 0u);
  std::string stored = Pack({dict})->Pack(docs[5]);

  auto without = Pack({});
  EXPECT_FALSE(without->Knows(stored));
  auto unknown = without->Unpack(stored);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kDatabase);
  EXPECT_NE(unknown.error().message.find("dictionary " + std::to_string(dict.id)), std::string::npos)
      << unknown.error().message;

  auto cut = Pack({dict})->Unpack(stored.substr(0, stored.size() - 3));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, ErrorCode::kDatabase);
}

TEST(DocPackTest, TheNewestDictionaryPacksAndEveryOlderOneStillUnpacks) {
  auto first_docs = Docs(600, "first-source"), second_docs = Docs(600, "second-source");
  DocDictionary first = TrainDocDictionary(Views(first_docs));
  DocDictionary second = TrainDocDictionary(Views(second_docs));
  ASSERT_NE(first.id, second.id);
  std::string old = Pack({first})->Pack(first_docs[9]);
  auto both = Pack({first, second});
  EXPECT_EQ(both->newest_id(), second.id);
  EXPECT_EQ(*both->Unpack(old), first_docs[9]);
  EXPECT_EQ(*both->Unpack(both->Pack(second_docs[9])), second_docs[9]);
}

class DocPackDatabaseTest : public testing::ScratchDirTest {
 protected:
  std::unique_ptr<Database> Open(OpenMode mode = OpenMode::kCreate) {
    auto db = Database::Open(Path("docs.db"), mode);
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::move(*db) : nullptr;
  }
  static std::string One(Database& db, const std::string& sql, const std::string& arg = "") {
    auto stmt = db.Prepare(sql);
    EXPECT_TRUE(stmt) << sql;
    if (!arg.empty()) stmt->Bind(1, arg);
    auto row = stmt->Step();
    EXPECT_TRUE(row && *row) << sql << ": " << (row ? "" : row.error().message);
    return row && *row ? stmt->ColumnString(0) : "";
  }
};

TEST_F(DocPackDatabaseTest, SqlReadsAndWritesTheDocsThroughListingDocFunctions) {
  auto db = Open();
  auto docs = Docs(600);
  DocDictionary dict = TrainDocDictionary(Views(docs));
  ASSERT_TRUE(StoreDocDictionary(*db, dict));
  db->ForgetDocs();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (doc BLOB)"));
  auto insert = db->Prepare("INSERT INTO t VALUES (listing_doc_pack(?1))");
  ASSERT_TRUE(insert->Bind(1, docs[42]).Run());
  EXPECT_EQ(One(*db, "SELECT typeof(doc) FROM t"), "blob");
  EXPECT_EQ(One(*db, "SELECT listing_doc(doc) FROM t"), docs[42]);
  EXPECT_EQ(One(*db, "SELECT json_extract(listing_doc(doc), '$.address.city') FROM t"), kCities[0]);
  // Packed with the file's dictionary: the frame names it.
  auto stored = db->Prepare("SELECT doc FROM t");
  ASSERT_TRUE(*stored->Step());
  std::string frame = stored->ColumnString(0);
  EXPECT_TRUE(Pack({dict})->Knows(frame));
  EXPECT_FALSE(Pack({})->Knows(frame));
  // A bad frame is an SQL error, not text.
  ASSERT_TRUE(db->Exec("UPDATE t SET doc = substr(doc, 1, 10)"));
  auto bad = db->Prepare("SELECT listing_doc(doc) FROM t");
  auto row = bad->Step();
  ASSERT_FALSE(row);
  EXPECT_NE(row.error().message.find("listing document"), std::string::npos) << row.error().message;
}

TEST_F(DocPackDatabaseTest, AReaderOpenedBeforeADictionaryWasAddedReadsDocsPackedWithIt) {
  auto writer = Open();
  ASSERT_TRUE(writer->Exec("CREATE TABLE t (doc BLOB)"));
  auto reader = Open(OpenMode::kReadOnly);
  EXPECT_EQ(One(*reader, "SELECT count(*) FROM t"), "0");
  ASSERT_TRUE(reader->Docs());  // loaded now, with no dictionary

  auto docs = Docs(600);
  DocDictionary dict = TrainDocDictionary(Views(docs));
  ASSERT_TRUE(StoreDocDictionary(*writer, dict));
  writer->ForgetDocs();
  ASSERT_TRUE(writer->Prepare("INSERT INTO t VALUES (listing_doc_pack(?1))")->Bind(1, docs[7]).Run());

  EXPECT_EQ(One(*reader, "SELECT listing_doc(doc) FROM t"), docs[7]);
  auto stored = reader->Prepare("SELECT doc FROM t");
  ASSERT_TRUE(*stored->Step());
  auto text = reader->UnpackDoc(stored->ColumnText(0));
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, docs[7]);
}

}  // namespace
}  // namespace carefinder::db
