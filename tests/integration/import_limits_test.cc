// Integration test: the limits on import inputs hold for the real binary
// (importer/field_limits.h, core/csv.h, sources/reader.h). A 100 MB field
// is rejected naming its field while the rest of the file imports, and the
// peak memory of the child `carefinder import` (its rusage high-water mark)
// stays far below the 100 MB it was given: a memory bound, not a timing one.
// The inputs are generated here, written in pieces, never held whole.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "db/database.h"
#include "tests/fixtures/importer/workflow_helpers.h"
#include "tests/fixtures/scratch_dir.h"

namespace carefinder {
namespace {

constexpr size_t kHundredMb = 100u << 20;
constexpr long kMaxImportRssKb = 200 * 1024;  // generous: the import itself needs ~20 MB

struct ChildRun {
  int exit_code = -1;
  long max_rss_kb = 0;
  std::string out;
};

// `carefinder ARGS...`, its stdout captured, its exit code and peak RSS.
ChildRun Carefinder(const std::vector<std::string>& args, const std::string& out_path) {
  int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = testing::SpawnCarefinder(args, fd);
  ::close(fd);
  int status = 0;
  rusage usage{};
  ChildRun run;
  if (::wait4(pid, &status, 0, &usage) != pid) return run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.max_rss_kb = usage.ru_maxrss;
  std::ifstream in(out_path);
  run.out.assign(std::istreambuf_iterator<char>(in), {});
  return run;
}

// Appends `count` copies of `c` to `out`, a megabyte at a time.
void WriteRepeated(std::ofstream& out, char c, size_t count) {
  const std::string block(1u << 20, c);
  for (; count >= block.size(); count -= block.size()) out << block;
  out << block.substr(0, count);
}

int64_t Listings(const std::string& db_path) {
  auto db = db::Database::Open(db_path, db::OpenMode::kReadOnly);
  if (!db) return -1;
  auto stmt = (*db)->Prepare("SELECT count(*) FROM listing");
  return stmt && stmt->Step().value_or(false) ? stmt->ColumnInt(0) : -1;
}

class ImportLimits : public carefinder::testing::ScratchDirTest {};

TEST_F(ImportLimits, HundredMegabyteDescriptionIsRejectedNamingItsFieldInLittleMemory) {
  std::string csv = Path("big.csv");
  {
    std::ofstream out(csv, std::ios::binary);
    out << "source,source_key,as_of,organization,name,description,address1,city,state,zip,"
           "latitude,longitude,phones,care\n";
    const std::string place = ",712 The Terrace,Redlands,CA,92374,34.05,-117.18,(909) 488-7181,detox\n";
    out << "test,a,2026-11-01,Liberty House,Detox,Short" << place;
    out << "test,b,2026-11-01,Huge House,Detox,\"";
    WriteRepeated(out, 'x', kHundredMb);
    out << "\"" << place;
    out << "test,c,2026-11-01,Angels Gate,Residential,Long enough" << place;
  }
  ChildRun run = Carefinder({"import", "--db", Path("t.db"), csv}, Path("out.txt"));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find(csv + ":3: field 'description': record longer than 1048576 bytes (" +
                         std::to_string(kHundredMb + 106) + ")"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(Listings(Path("t.db")), 2);  // the rows before and after it
  EXPECT_LT(run.max_rss_kb, kMaxImportRssKb);
}

TEST_F(ImportLimits, HundredMegabyteOneLineCsvIsRefusedInLittleMemory) {
  std::string csv = Path("one_line.csv");
  {
    std::ofstream out(csv, std::ios::binary);
    WriteRepeated(out, 'a', kHundredMb);
  }
  ChildRun run = Carefinder({"import", "--db", Path("t.db"), csv}, Path("out.txt"));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find(csv + ":1: record longer than 1048576 bytes (104857600)"),
            std::string::npos)
      << run.out;
  EXPECT_LT(run.max_rss_kb, kMaxImportRssKb);
}

TEST_F(ImportLimits, TwoGigabyteJsonIsRefusedBeforeItIsRead) {
  std::string json = Path("huge.json");
  std::filesystem::resize_file(Write("huge.json", "[]"), 2048ull << 20);  // sparse: no disk used
  ChildRun run = Carefinder({"import", "--db", Path("t.db"), "--format", "hsds-json", "--source", "x",
                        json},
                       Path("out.txt"));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find(json + ": larger than 536870912 bytes (2147483648)"), std::string::npos)
      << run.out;
  EXPECT_LT(run.max_rss_kb, kMaxImportRssKb);
}

}  // namespace
}  // namespace carefinder
