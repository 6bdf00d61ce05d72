// Integration tests: publishing a new database under a running server
// (issue 15, items 1-2; docs/OPERATIONS.md "Publishing a new database").
// A real `carefinder serve` on an ephemeral port and real SQLite files; the
// new file is put in place with `carefinder publish` or a plain rename.
// Database A lists only "alpha" facilities, B only "bravo" ones, C "charlie",
// all around Redlands, CA with a detox term, in different numbers, so every
// answer tells which file it came from and a mix shows.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/file_digest.h"
#include "tests/fixtures/importer/workflow_helpers.h"

namespace carefinder {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kA = 2000, kB = 3000, kC = 500;
constexpr int kClients = 4;
constexpr int kBurstClients = 16, kBurstRequests = 10;
constexpr int kRequestsBefore = 600, kRequestsTotal = 3000, kRequestsAfter = 1000;
constexpr auto kSwitchWait = std::chrono::seconds(30);
constexpr const char* kSearch = "/api/v1/search?lat=34.0556&lon=-117.1825&care=detox&limit=50";

struct Command {
  int exit_code = -1;
  std::string out;
};

// Runs `carefinder ARGS` through the shell; stdout captured, stderr kept.
Command Carefinder(const std::string& args) {
  std::string cmd = std::string(CF_BINARY) + " " + args + " 2>&1";
  Command c;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) c.out.append(buf, n);
  int status = pclose(p);
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return c;
}

// One database per letter, built from its own CSV by a fresh import.
std::string Build(const fs::path& dir, const std::string& name, int rows, const std::string& prefix) {
  std::string csv = (dir / (name + ".csv")).string(), db = (dir / (name + ".db")).string();
  testing::WriteBigCuratedCsv(csv, rows, "test-" + prefix, prefix);
  Command c = Carefinder("import --db " + db + " " + csv);
  EXPECT_EQ(c.exit_code, 0) << c.out;
  return db;
}

// `carefinder serve` with its stderr in a file (the swap log is read from it).
std::vector<std::string> ServeCommand(const std::string& db, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {CF_BINARY, "serve", "--db", db, "--port", "0", "--feedback", "off"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

class Server {
 public:
  Server(const std::string& db, const std::string& log, std::vector<std::string> extra = {})
      : Server(ServeCommand(db, std::move(extra)), log) {}
  // Any command that ends up exec'ing `carefinder serve`.
  Server(std::vector<std::string> command, const std::string& log) {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      (void)!freopen(log.c_str(), "w", stderr);
      std::vector<char*> argv;
      for (auto& a : command) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = fdopen(out[0], "r");
    char line[256] = {};
    if (fgets(line, sizeof line, out_)) std::sscanf(line, "listening on http://127.0.0.1:%d", &port_);
  }
  ~Server() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    fclose(out_);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  int port_ = 0;
};

// Which file a search answer came from: 'A', 'B', 'C' (B and C together:
// 'D'), 'F' for a failed request, 'X' for a mix (a total of one file with
// names of another).
char Classify(const httplib::Result& r) {
  if (!r || r->status != 200) return 'F';
  auto body = json::parse(r->body, nullptr, false);
  if (body.is_discarded()) return 'F';
  int total = body["total"].get<int>();
  auto all_named = [&](std::initializer_list<const char*> prefixes) {
    for (const auto& item : body["results"]) {
      std::string org = item.value("organization", "");
      bool ok = false;
      for (const char* p : prefixes) ok = ok || org.starts_with(p);
      if (!ok) return false;
    }
    return !body["results"].empty();
  };
  if (total == kA && all_named({"alpha"})) return 'A';
  if (total == kB && all_named({"bravo"})) return 'B';
  if (total == kB + kC && all_named({"bravo", "charlie"})) return 'D';
  return 'X';
}

json Health(int port) {
  httplib::Client client("127.0.0.1", port);
  auto r = client.Get("/healthz");
  if (!r || r->status != 200) return json();
  return json::parse(r->body, nullptr, false);
}

// Polls until the server answers `want` (or the wait is over).
bool WaitFor(int port, char want) {
  httplib::Client client("127.0.0.1", port);
  auto deadline = Clock::now() + kSwitchWait;
  while (Clock::now() < deadline) {
    if (Classify(client.Get(kSearch)) == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// The sha256 /healthz names, once the background digest is done.
std::string HealthSha(int port) {
  auto deadline = Clock::now() + kSwitchWait;
  while (Clock::now() < deadline) {
    json h = Health(port);
    if (h.is_object() && !h["database"]["sha256"].get<std::string>().empty()) {
      return h["database"]["sha256"];
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool LogSays(const std::string& log, const std::string& text) {
  auto deadline = Clock::now() + kSwitchWait;
  while (Clock::now() < deadline) {
    if (ReadFile(log).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

class DatabaseSwap : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cf_swap_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "served.db").string();
    log_ = (dir_ / "serve.log").string();
  }
  void TearDown() override {
    server_.reset();
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }
  // Serves A at path_ (server_) and builds B beside it (b_); false unless
  // the server answers from A.
  bool ServeAWithB() {
    fs::rename(Build(dir_, "a", kA, "alpha"), path_);
    b_ = Build(dir_, "b", kB, "bravo");
    server_ = std::make_unique<Server>(path_, log_);
    return server_->port() > 0 &&
           Classify(httplib::Client("127.0.0.1", server_->port()).Get(kSearch)) == 'A';
  }
  fs::path dir_;
  std::string path_, log_, b_;
  std::unique_ptr<Server> server_;
};

// Clients hammer the server while B is published over A: every answer is
// all A or all B and succeeds; once a client saw B it never sees A again.
TEST_F(DatabaseSwap, PublishUnderLoadNeverMixesNorFailsAndEndsOnTheNewFile) {
  ASSERT_TRUE(ServeAWithB());
  const Server& server = *server_;
  const std::string& b = b_;

  std::atomic<bool> stop = false;
  std::atomic<int> requests = 0, after_b = 0, failed = 0, mixed = 0, went_back = 0;
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_read_timeout(10, 0);
      bool seen_b = false;
      while (!stop) {
        char c = Classify(client.Get(kSearch));
        ++requests;
        if (c == 'F') ++failed;
        if (c == 'X') ++mixed;
        if (c == 'A' && seen_b) ++went_back;
        if (c == 'B') seen_b = true, ++after_b;
      }
    });
  }
  while (requests < kRequestsBefore) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  Command published = Carefinder("publish --db " + path_ + " " + b);
  EXPECT_EQ(published.exit_code, 0) << published.out;
  auto deadline = Clock::now() + kSwitchWait;
  while ((requests < kRequestsTotal || after_b < kRequestsAfter) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop = true;
  for (auto& t : clients) t.join();
  std::printf("%d requests, %d answered from the new file, %d failed, %d mixed\n", requests.load(),
              after_b.load(), failed.load(), mixed.load());
  EXPECT_GE(requests, kRequestsTotal);
  EXPECT_GE(after_b, kRequestsAfter) << "the server did not switch to the published file";
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(mixed, 0);
  EXPECT_EQ(went_back, 0);

  // publish printed what /healthz now names.
  std::string sha = Sha256OfFile(path_).value_or("?");
  EXPECT_EQ(published.out, "published " + path_ + " (import run 1, sha256 " + sha + ")\n");
  EXPECT_EQ(HealthSha(server.port()), sha);
  json h = Health(server.port());
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["database"]["import_run"], 1);
  EXPECT_EQ(h["database"]["generation"], 2);
  EXPECT_EQ(h["listings"], kB);
  EXPECT_TRUE(LogSays(log_, "carefinder serve: switched to " + path_));
  EXPECT_FALSE(fs::exists(b)) << "publish moves the new file";
}

// Issue 15 item 2: an import in place while serving left a 4.3 MB -wal that
// the server's read-only connections never checkpoint; a file moved over
// the path then read as "malformed", and the next import made it permanent.
TEST_F(DatabaseSwap, ImportInPlaceLeavesNoLogAndAPublishedFileIsNeverCorruptedByOne) {
  ASSERT_TRUE(ServeAWithB());
  const Server& server = *server_;
  const std::string& b = b_;
  std::string extra = (dir_ / "extra.csv").string(), c = (dir_ / "c.csv").string();
  testing::WriteBigCuratedCsv(extra, kA, "test-extra", "alpha-extra");
  testing::WriteBigCuratedCsv(c, kC, "test-c", "charlie");
  httplib::Client client("127.0.0.1", server.port());

  Command imported = Carefinder("import --db " + path_ + " " + extra);
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  std::error_code ec;
  EXPECT_EQ(fs::file_size(path_ + "-wal", ec), 0u)
      << "an import in place left its pages in the log, under a running server";

  Command published = Carefinder("publish --db " + path_ + " " + b);
  ASSERT_EQ(published.exit_code, 0) << published.out;
  EXPECT_FALSE(fs::exists(path_ + "-wal")) << "the old file's log is beside the new one";
  ASSERT_TRUE(WaitFor(server.port(), 'B'));
  EXPECT_EQ(testing::IntegrityCheck(path_), "ok");

  // The next import into the published file, while it is served.
  Command next = Carefinder("import --db " + path_ + " " + c);
  EXPECT_EQ(next.exit_code, 0) << next.out;
  EXPECT_EQ(next.out.find("malformed"), std::string::npos) << next.out;
  EXPECT_EQ(testing::IntegrityCheck(path_), "ok");
  EXPECT_TRUE(WaitFor(server.port(), 'D'));
  EXPECT_EQ(ReadFile(log_).find("malformed"), std::string::npos);
}

// The server's side does not depend on `publish`: a plain rename switches.
TEST_F(DatabaseSwap, PlainRenameOverThePathSwitchesToo) {
  ASSERT_TRUE(ServeAWithB());
  const Server& server = *server_;
  const std::string& b = b_;
  fs::rename(b, path_);
  // The case: more requests at once than the server has connections
  // open, so new ones are opened after the rename. They read the new file;
  // the index they were used with must be the new file's too.
  std::atomic<int> failed = 0, mixed = 0;
  std::vector<std::thread> burst;
  for (int t = 0; t < kBurstClients; ++t) {
    burst.emplace_back([&] {
      httplib::Client client("127.0.0.1", server.port());
      for (int i = 0; i < kBurstRequests; ++i) {
        char c = Classify(client.Get(kSearch));
        failed += c == 'F';
        mixed += c == 'X';
      }
    });
  }
  for (auto& t : burst) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(mixed, 0) << "answers with one file's index and the other file's rows";
  EXPECT_TRUE(WaitFor(server.port(), 'B'));
  json h = Health(server.port());
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["database"]["generation"], 2);
}

// A bad new file: publish refuses it and leaves the served file alone; put
// in place by a rename anyway, the server keeps the old one and says why.
TEST_F(DatabaseSwap, BrokenFileIsRefusedByPublishAndByTheServer) {
  fs::rename(Build(dir_, "a", kA, "alpha"), path_);
  std::string b = Build(dir_, "b", kB, "bravo");
  std::string before = Sha256OfFile(path_).value_or("?");

  std::string garbage = (dir_ / "garbage.db").string();
  {
    std::ofstream out(garbage, std::ios::binary);
    std::mt19937 rng(15);
    for (int i = 0; i < 100000; ++i) out.put(static_cast<char>(rng()));
  }
  std::string truncated = (dir_ / "truncated.db").string();
  {
    std::string bytes = ReadFile(b);
    std::ofstream(truncated, std::ios::binary).write(bytes.data(), bytes.size() / 2);
  }
  for (const std::string& bad : {garbage, truncated}) {
    Command c = Carefinder("publish --db " + path_ + " " + bad);
    EXPECT_EQ(c.exit_code, 65) << bad << ": " << c.out;
    EXPECT_NE(c.out.find("not published"), std::string::npos) << c.out;
    EXPECT_EQ(Sha256OfFile(path_).value_or("!"), before) << "a refused file changed " << path_;
    EXPECT_TRUE(fs::exists(bad));
  }

  Server server(path_, log_);
  ASSERT_GT(server.port(), 0);
  httplib::Client client("127.0.0.1", server.port());
  ASSERT_EQ(Classify(client.Get(kSearch)), 'A');
  fs::rename(garbage, path_);
  EXPECT_TRUE(LogSays(log_, "carefinder serve: not switching to " + path_ + ": "));
  for (int i = 0; i < 50; ++i) ASSERT_EQ(Classify(client.Get(kSearch)), 'A') << "request " << i;
  json h = Health(server.port());
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["database"]["generation"], 1);
  EXPECT_EQ(h["database"]["sha256"], before);
  // Refused once: the log says so once, not at every check.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  std::string log = ReadFile(log_);
  size_t first = log.find("not switching to");
  EXPECT_EQ(log.find("not switching to", first + 1), std::string::npos) << log;

  // A good file published after it is switched to.
  Command c = Carefinder("publish --db " + path_ + " " + b);
  EXPECT_EQ(c.exit_code, 0) << c.out;
  EXPECT_TRUE(WaitFor(server.port(), 'B'));
}

// `serve --immutable` on a directory nobody may write: it serves, and creates
// no -wal, -shm or journal beside the file. (The tests run as root, whom
// mode 0555 does not stop; what this shows is that the immutable open path
// writes nothing, which is what a read-only mount needs.)
TEST_F(DatabaseSwap, ImmutableServesFromAReadOnlyDirectoryAndWritesNothingThere) {
  fs::path ro = dir_ / "ro";
  fs::create_directories(ro);
  std::string db = (ro / "served.db").string();
  fs::rename(Build(dir_, "a", kA, "alpha"), db);  // as import leaves it: WAL mode
  fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                          fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  {
    Server server(db, log_, {"--immutable"});
    ASSERT_GT(server.port(), 0) << ReadFile(log_);
    httplib::Client client("127.0.0.1", server.port());
    for (int i = 0; i < 20; ++i) ASSERT_EQ(Classify(client.Get(kSearch)), 'A');
    EXPECT_EQ(HealthSha(server.port()), Sha256OfFile(db).value_or("?"));
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(ro)) files.push_back(e.path().filename().string());
    EXPECT_EQ(files, std::vector<std::string>{"served.db"});
  }
}

// The issue's own case, where the machine allows it: a read-only bind mount
// (in a private mount namespace, `unshare -m`, as root). Without
// --immutable the server cannot open the file there; with it, it serves.
TEST_F(DatabaseSwap, ImmutableServesFromAReadOnlyMount) {
  if (std::system("unshare -m true 2>/dev/null") != 0) {
    GTEST_SKIP() << "no mount namespace here (needs root and unshare)";
  }
  fs::path ro = dir_ / "ro";
  fs::create_directories(ro);
  std::string db = (ro / "served.db").string();
  fs::rename(Build(dir_, "a", kA, "alpha"), db);  // as import leaves it: WAL mode
  auto on_read_only_mount = [&](std::vector<std::string> extra) {
    std::string serve;
    for (const auto& a : ServeCommand(db, std::move(extra))) serve += "'" + a + "' ";
    std::string mount = "mount --bind '" + ro.string() + "' '" + ro.string() +
                        "' && mount -o remount,ro,bind '" + ro.string() + "' && exec " + serve;
    return std::vector<std::string>{"unshare", "-m", "sh", "-c", mount};
  };
  {
    Server plain(on_read_only_mount({}), log_);
    EXPECT_EQ(plain.port(), 0) << "served without --immutable: the issue's degraded item is gone?";
  }
  Server server(on_read_only_mount({"--immutable"}), log_);
  ASSERT_GT(server.port(), 0) << ReadFile(log_);
  httplib::Client client("127.0.0.1", server.port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Classify(client.Get(kSearch)), 'A');
}

}  // namespace
}  // namespace carefinder
