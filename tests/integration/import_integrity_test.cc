// Integration test: `carefinder import` into an existing database with a
// damaged b-tree refuses it (exit 70, a clear message, the file untouched)
// instead of importing on top of the damage (issue 15).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/fixtures/api/fixture_db.h"

namespace carefinder {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

int Import(const std::string& db, const std::string& err) {
  std::string src = CF_SOURCE_DIR;
  std::string cmd = std::string(CF_BINARY) + " import --db " + db + " --gazetteer " + src +
                    "/tests/fixtures/importer/gazetteer " + src +
                    "/tests/fixtures/importer/valid_listings.csv > /dev/null 2> " + err;
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ExpectRefused(const std::string& bytes) {
  std::string bad = testing::UniqueTempPath("integrity_bad.db");
  std::string err = bad + ".stderr";
  std::ofstream(bad, std::ios::binary) << bytes;
  EXPECT_EQ(Import(bad, err), 70);
  std::string message = ReadAll(err);
  EXPECT_EQ(message.rfind("carefinder: " + bad + ": the database failed its integrity check (", 0),
            0u) << message;
  EXPECT_NE(message.find("); nothing was imported. Rebuild it from its sources\n"),
            std::string::npos) << message;
  EXPECT_TRUE(ReadAll(bad) == bytes) << "the corrupt file was written to";
}

TEST(ImportIntegrity, ACorruptDatabaseIsRefusedBeforeAnythingIsWritten) {
  std::string good = testing::UniqueTempPath("integrity_good.db");
  std::string err = good + ".stderr";
  ASSERT_EQ(Import(good, err), 0) << ReadAll(err);
  ASSERT_EQ(Import(good, err), 0) << "a healthy database imports again: " << ReadAll(err);
  ASSERT_FALSE(std::filesystem::exists(good + "-wal") &&
               std::filesystem::file_size(good + "-wal") > 0);

  // Two damaged copies that an import used to write into with exit 0: a
  // b-tree page (the fourth) whose cell pointers point into garbage, and a
  // header whose freelist count is wrong.
  std::string bytes = ReadAll(good);
  size_t page = (static_cast<unsigned char>(bytes[16]) << 8) | static_cast<unsigned char>(bytes[17]);
  if (page == 1) page = 65536;
  ASSERT_GE(bytes.size() / page, 4u);
  std::string btree = bytes;
  for (size_t i = 8; i < 64; ++i) btree[3 * page + i] = static_cast<char>(0xA5);
  std::string freelist = bytes;
  freelist[39] = static_cast<char>(freelist[39] + 7);
  for (const std::string* damaged : {&btree, &freelist}) {
    SCOPED_TRACE(damaged == &btree ? "b-tree" : "freelist");
    ExpectRefused(*damaged);
  }
}

}  // namespace
}  // namespace carefinder
