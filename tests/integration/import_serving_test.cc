// Integration test: a running `carefinder serve` keeps answering while
// `carefinder import` loads 50,000 rows into its database, shows only the
// old data until the import commits, and then the new data. Both are the
// real binary, on a real SQLite file and an ephemeral port.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/fixtures/importer/workflow_helpers.h"

namespace carefinder {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kOld = 20, kNew = 50000;

TEST(ImportWhileServing, RequestsKeepSucceedingAndSeeOnlyCommittedData) {
  fs::path dir = fs::temp_directory_path() / ("cf_serving_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string db = (dir / "s.db").string(), a = (dir / "a.csv").string(), b = (dir / "b.csv").string();
  testing::WriteBigCuratedCsv(a, kOld, "test-a", "alpha");
  testing::WriteBigCuratedCsv(b, kNew, "test-b", "bravo");
  std::string cmd = std::string(CF_BINARY) + " import --db " + db + " " + a + " > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;

  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t server = testing::SpawnCarefinder({"serve", "--db", db, "--port", "0"}, out[1]);
  close(out[1]);
  FILE* server_out = fdopen(out[0], "r");
  char line[256] = {};
  ASSERT_NE(fgets(line, sizeof line, server_out), nullptr);
  int port = 0;
  ASSERT_EQ(std::sscanf(line, "listening on http://127.0.0.1:%d", &port), 1) << line;
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  auto total = [&]() -> int {
    auto r = client.Get("/api/v1/search?lat=34.0556&lon=-117.1825&care=detox");
    if (!r || r->status != 200) return -1;
    return json::parse(r->body)["total"].get<int>();
  };
  ASSERT_EQ(total(), kOld);

  pid_t import = testing::SpawnCarefinder({"import", "--db", db, b});
  int during = 0, failed = 0, partial = 0, status = 0;
  while (waitpid(import, &status, WNOHANG) == 0) {
    int t = total();
    ++during;
    if (t < 0) ++failed;
    else if (t != kOld && t != kOld + kNew) ++partial;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::printf("%d requests during the import, %d failed, %d saw part of it\n", during, failed, partial);
  EXPECT_GE(during, 20) << "too few requests during the import to say anything";
  EXPECT_EQ(failed, 0) << "of " << during << " requests during the import";
  EXPECT_EQ(partial, 0) << "a request saw part of an uncommitted import";

  auto deadline = Clock::now() + std::chrono::seconds(20);
  int after = total();
  while (after != kOld + kNew && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    after = total();
  }
  EXPECT_EQ(after, kOld + kNew);

  kill(server, SIGTERM);
  waitpid(server, &status, 0);
  fclose(server_out);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace carefinder
