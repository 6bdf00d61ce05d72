// Throughput beside bare cpp-httplib, and the same searches in process: see
// load_bench.h.
#include "bench/load_bench.h"

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "api/handlers.h"
#include "db/database.h"
#include "store/listing_store.h"
#include "store/read_session.h"
#include "store/taxonomy.h"

namespace carefinder::bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kBaselineWorkers = 256;          // as http_guard.h's HttpLimits::workers
constexpr int kBaselineBacklog = 512;          // carefinder widens httplib's 5 (WidenBacklog)
constexpr size_t kKeepAliveRequests = 10000;   // as server.cc
constexpr const char* kWrk = "/usr/bin/wrk";

// The query classes of issue 12's load, each a path builder over one listing.
enum QueryClass { kCare, kCareMedication, kKind, kKeyword, kClasses };
constexpr const char* kClassNames[kClasses] = {"near ZIP + care", "+ medication", "near ZIP + kind",
                                               "+ care + keyword"};

struct SearchPath {
  QueryClass cls;
  std::string path;
  size_t body_bytes = 0;
};

struct Sampled {
  std::string zip, terms, name, kind;
};

std::string Fmt(const char* fmt, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

double Median(std::vector<double> v) { return Percentile(std::move(v), 0.5); }

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// Active located listings with a 5-digit ZIP, drawn at random by id (the
// first listing whose UUID follows a random one): the same draws pick the
// same listings in files whose keys differ (a first import keys listings in
// input order, another import by id).
std::vector<Sampled> SampleListings(db::Database& db, size_t want, std::mt19937_64& rng) {
  std::vector<Sampled> out;
  auto stmt = db.Prepare(
      "SELECT l.postal_code, listing_terms(l.terms), l.name, l.kind FROM service_at_location sal "
      "JOIN listing l ON l.rowid = sal.rowid WHERE sal.id >= ? AND l.status = 'active' "
      "AND l.latitude IS NOT NULL AND length(l.postal_code) = 5 ORDER BY sal.id LIMIT 1");
  if (!stmt) return out;
  for (size_t tries = 0; out.size() < want && tries < want * 20; ++tries) {
    char from[9];
    std::snprintf(from, sizeof from, "%08x", static_cast<unsigned>(rng() >> 32));
    stmt->Reset();
    stmt->Bind(1, std::string(from));
    auto row = stmt->Step();
    if (!row || !*row) continue;
    out.push_back({stmt->ColumnString(0), stmt->ColumnString(1), stmt->ColumnString(2),
                   stmt->ColumnString(3)});
  }
  return out;
}

std::vector<std::string> CodesIn(const Taxonomy& tax, const std::string& terms,
                                 std::string_view group) {
  std::vector<std::string> out;
  std::istringstream in(terms);
  for (std::string code; in >> code;) {
    if (const Term* t = tax.Find(code); t && t->group == group) out.push_back(code);
  }
  return out;
}

// The longest plain word (4+ letters) of the listing's name, lower case.
std::string KeywordOf(const std::string& name) {
  std::string best, word;
  for (size_t i = 0; i <= name.size(); ++i) {
    char c = i < name.size() ? name[i] : ' ';
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      if (word.size() >= 4 && word.size() > best.size()) best = word;
      word.clear();
    }
  }
  return best;
}

std::vector<SearchPath> BuildPaths(const std::vector<Sampled>& listings, const Taxonomy& tax,
                                   std::mt19937_64& rng) {
  std::vector<SearchPath> out;
  auto any = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  for (size_t i = 0; i < listings.size(); ++i) {
    const Sampled& l = listings[i];
    std::string base = "/api/v1/search?near=" + l.zip;
    auto care = CodesIn(tax, l.terms, "care");
    auto meds = CodesIn(tax, l.terms, "medication");
    auto cls = static_cast<QueryClass>(i % kClasses);
    if (cls == kKind || care.empty()) {
      out.push_back({kKind, base + "&kind=" + l.kind});
    } else if (cls == kCare || (cls == kCareMedication && meds.empty())) {
      out.push_back({kCare, base + "&care=" + any(care)});
    } else if (cls == kCareMedication) {
      out.push_back({kCareMedication, base + "&care=" + any(care) + "&medication=" + any(meds)});
    } else if (std::string w = KeywordOf(l.name); !w.empty()) {
      out.push_back({kKeyword, base + "&care=" + any(care) + "&q=" + w});
    }
  }
  return out;
}

api::Request RequestFor(const std::string& path) {
  api::Request req{path.substr(0, path.find('?')), {}, {}, {}, ""};
  std::istringstream in(path.substr(path.find('?') + 1));
  for (std::string kv; std::getline(in, kv, '&');) {
    size_t eq = kv.find('=');
    req.query.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return req;
}

long TotalOf(const std::string& body) {
  size_t at = body.find("\"total\":");
  return at == std::string::npos ? -1 : std::atol(body.c_str() + at + 8);
}

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t Fnv1a(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) h = (h ^ c) * kFnvPrime;
  return h;
}

// Keeps the paths whose search answers 200 with results; records body sizes
// and folds every kept answer into `digest` (two builds that answer the same
// bytes print the same digest).
std::vector<SearchPath> KeepWithResults(store::ListingStore& store, std::vector<SearchPath> paths,
                                        uint64_t& digest) {
  std::vector<SearchPath> kept;
  for (auto& p : paths) {
    store::ReadSession session(store);
    api::Response r = api::HandleSearch(session, RequestFor(p.path));
    if (r.status != 200 || TotalOf(r.body) <= 0) continue;
    p.body_bytes = r.body.size();
    digest = Fnv1a(Fnv1a(digest, p.path), r.body);
    kept.push_back(std::move(p));
  }
  return kept;
}

// This thread's CPU time: unlike the wall clock, it leaves out the time the
// thread waited for a core, which on a shared 2-core machine is most of p99.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string InProcess(store::ListingStore& store, const std::vector<SearchPath>& paths, int n) {
  std::string out = Fmt("in process (api::HandleSearch: parse, resolve, search, render; %d per class;\n"
                        "  wall clock, and this thread's CPU time, which leaves out waits for a core)\n", n);
  out += Fmt("%-20s %6s %9s %9s %9s %9s %9s\n", "class", "paths", "p50 ms", "p99 ms", "max ms",
             "cpu p50", "cpu p99");
  std::string slowest;
  for (int c = 0; c < kClasses; ++c) {
    std::vector<api::Request> reqs;
    std::vector<const std::string*> targets;
    for (const auto& p : paths) {
      if (p.cls == c) reqs.push_back(RequestFor(p.path)), targets.push_back(&p.path);
    }
    if (reqs.empty()) continue;
    std::vector<double> ms, cpu;
    std::vector<double> path_cpu(reqs.size(), 0);  // each path's CPU, summed over its runs
    for (int i = 0; i < n; ++i) {
      auto t0 = Clock::now();
      double c0 = ThreadCpuMs();
      api::Response r = [&] {
        store::ReadSession session(store);  // as the server makes one a request
        return api::HandleSearch(session, reqs[i % reqs.size()]);
      }();
      cpu.push_back(ThreadCpuMs() - c0);
      path_cpu[i % reqs.size()] += cpu.back();
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    out += Fmt("%-20s %6zu %9.3f %9.3f %9.3f %9.3f %9.3f\n", kClassNames[c], reqs.size(),
               Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0), Percentile(cpu, 0.5),
               Percentile(cpu, 0.99));
    // The query behind a p99: the path with the most CPU a run.
    size_t runs = (static_cast<size_t>(n) + reqs.size() - 1) / reqs.size();
    size_t worst = static_cast<size_t>(std::max_element(path_cpu.begin(), path_cpu.end()) - path_cpu.begin());
    slowest += Fmt("  %-18s %.3f ms cpu a run: %s\n", kClassNames[c],
                   path_cpu[worst] / static_cast<double>(runs), targets[worst]->c_str());
  }
  return out + "slowest path of each class:\n" + slowest;
}

// wrk rotates through the paths; both servers get the same script.
std::filesystem::path WriteScript(const std::vector<SearchPath>& paths) {
  char tmpl[] = "/tmp/carefinder-load-XXXXXX.lua";
  int fd = mkstemps(tmpl, 4);
  if (fd < 0) return {};
  close(fd);
  std::ofstream out(tmpl);
  out << "local paths = {\n";
  for (const auto& p : paths) out << "  \"" << p.path << "\",\n";
  out << "}\nlocal i = math.random(#paths)\n"
         "request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n";
  return tmpl;
}

struct WrkResult {
  double rps = 0, p99_ms = 0;
  long non2xx = 0, socket_errors = 0;
  bool ok = false;
};

double ToMs(const std::string& v) {
  double x = std::atof(v.c_str());
  if (v.ends_with("us")) return x / 1000;
  if (v.ends_with("ms")) return x;
  if (v.ends_with("s")) return x * 1000;
  return x;
}

WrkResult RunWrk(const LoadOptions& o, int port, const std::filesystem::path& script, int seconds) {
  std::string cmd = Fmt("%s -t%d -c%d -d%ds --latency -s %s http://127.0.0.1:%d/ 2>&1", kWrk,
                        o.wrk_threads, o.connections, seconds, script.c_str(), port);
  WrkResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char line[512];
  while (std::fgets(line, sizeof line, p)) {
    std::string s(line);
    std::istringstream in(s);
    std::string first;
    in >> first;
    if (first == "Requests/sec:") in >> r.rps, r.ok = true;
    else if (first == "99%") { std::string v; in >> v; r.p99_ms = ToMs(v); }
    else if (first == "Non-2xx") r.non2xx = std::atol(s.c_str() + s.find(':') + 1);
    else if (first == "Socket") {
      // "Socket errors: connect 0, read 0, write 0, timeout 0"
      for (std::string w; in >> w;) {
        if (std::isdigit(static_cast<unsigned char>(w[0]))) r.socket_errors += std::atol(w.c_str());
      }
    }
  }
  pclose(p);
  return r;
}

// `carefinder serve --db DB --port 0` as a child; its output is drained to /dev/null.
class ServeProcess {
 public:
  ServeProcess(const std::string& binary, const std::filesystem::path& db) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      dup2(fds[1], 2);
      execl(binary.c_str(), binary.c_str(), "serve", "--db", db.c_str(), "--port", "0",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    fd_ = fds[0];
    std::string seen;
    char buf[4096];
    while (port_ == 0) {
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return;
      seen.append(buf, n);
      size_t at = seen.find("listening on http://");
      size_t eol = at == std::string::npos ? at : seen.find('\n', at);
      if (eol == std::string::npos) continue;
      std::string url = seen.substr(at, eol - at);
      port_ = std::atoi(url.c_str() + url.rfind(':') + 1);
    }
    drain_ = std::thread([fd = fd_] {
      char b[65536];
      while (read(fd, b, sizeof b) > 0) {}
    });
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (drain_.joinable()) drain_.join();
    if (fd_ >= 0) close(fd_);
  }
  int port() const { return port_; }
  // "VmRSS" or "VmHWM" from /proc/PID/status, in MB.
  double MemoryMb(const char* field) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with(field)) return std::atof(line.c_str() + line.find(':') + 1) / 1024;
    }
    return 0;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  int port_ = 0;
  std::thread drain_;
};

// Bare cpp-httplib: one route answering the same bytes, with carefinder's
// tuning (worker count, TCP_NODELAY, keep-alive), in a thread of this process.
class BaselineServer {
 public:
  explicit BaselineServer(std::string body) : body_(std::move(body)) {
    http_.new_task_queue = [] { return new httplib::ThreadPool(kBaselineWorkers); };
    http_.set_tcp_nodelay(true);
    http_.set_keep_alive_max_count(kKeepAliveRequests);
    http_.Get("/api/v1/search", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(body_, "application/json");
    });
    port_ = http_.bind_to_any_port("127.0.0.1");
    http_.WidenBacklog();
    thread_ = std::thread([this] { http_.listen_after_bind(); });
  }
  ~BaselineServer() {
    http_.stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }

 private:
  // httplib 0.11 listens with a backlog of 5: 64 connections opened at once
  // would wait for SYN retransmits (1 s), which carefinder does not.
  struct Http : httplib::Server {
    void WidenBacklog() { ::listen(svr_sock_, kBaselineBacklog); }
  };
  std::string body_;
  Http http_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace

std::string BenchLoad(const LoadOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::string report = "carefinder load benchmark (bench/load_bench.cc)\n";
  report += "database: " + o.db.string() +
            Fmt(" (%.1f MB)\n", static_cast<double>(std::filesystem::file_size(o.db)) / 1e6);
  report += "load average at start: " + LoadAverage() + "\n";
  std::vector<SearchPath> paths;
  {
    auto db = db::Database::Open(o.db.string(), db::OpenMode::kReadOnly);
    if (!db) return report + "cannot open the database: " + db.error().message + "\n";
    auto tax = store::LoadTaxonomy(**db);
    if (!tax) return report + "cannot read the taxonomy: " + tax.error().message + "\n";
    paths = BuildPaths(SampleListings(**db, static_cast<size_t>(o.paths) * 2, rng), *tax, rng);
  }
  {
    auto t0 = Clock::now();
    auto store = store::ListingStore::Open(o.db.string(), {std::chrono::milliseconds(2000),
                                                           std::chrono::milliseconds(0)});
    if (!store) return report + "cannot open the store: " + store.error().message + "\n";
    report += Fmt("store opened (index built) in %.2f s\n",
                  std::chrono::duration<double>(Clock::now() - t0).count());
    uint64_t digest = kFnvOffset;
    paths = KeepWithResults(**store, std::move(paths), digest);
    report += Fmt("answers digest (FNV-1a of the %zu answers with results, paths and bodies): %016llx\n",
                  paths.size(), static_cast<unsigned long long>(digest));
    if (paths.size() > static_cast<size_t>(o.paths)) paths.resize(o.paths);
    if (paths.empty()) return report + "no search with results\n";
    report += InProcess(**store, paths, o.inprocess_queries) + "\n";
  }
  if (o.in_process_only) return report + "load average at end: " + LoadAverage() + "\n";
  std::vector<double> sizes;
  for (const auto& p : paths) sizes.push_back(static_cast<double>(p.body_bytes));
  auto median_body = static_cast<size_t>(Median(sizes));
  auto script = WriteScript(paths);

  BaselineServer baseline(std::string(median_body, 'x'));
  ServeProcess serve(o.binary, o.db);
  if (serve.port() == 0 || baseline.port() <= 0) return report + "a server did not start\n";
  report += Fmt("HTTP (wrk -t%d -c%d -d%ds, %zu search paths with results rotated; "
                "baseline: bare cpp-httplib answering a %zu-byte body, the median of the paths')\n",
                o.wrk_threads, o.connections, o.seconds, paths.size(), median_body);
  WrkResult warm_baseline = RunWrk(o, baseline.port(), script, o.warmup_seconds);
  WrkResult warm = RunWrk(o, serve.port(), script, o.warmup_seconds);
  // No "Requests/sec:" line: wrk is missing or failed. Say so instead of a
  // table of zeros that reads as a measurement.
  if (!warm_baseline.ok || !warm.ok) {
    std::filesystem::remove(script);
    return report + Fmt("wrk did not run (%s not found or failed; `make bench-load` installs it): "
                        "no HTTP figures\n", kWrk);
  }
  report += Fmt("warm-up %d s: carefinder %.0f req/s, p99 %.2f ms, non-2xx %ld, socket errors %ld\n",
                o.warmup_seconds, warm.rps, warm.p99_ms, warm.non2xx, warm.socket_errors);
  report += Fmt("%-6s %12s %12s %7s %11s %11s %9s %9s\n", "round", "baseline/s", "carefinder/s",
                "ratio", "base p99ms", "cf p99ms", "cf non2xx", "cf sockerr");
  std::vector<double> ratios, base_rps, cf_rps, cf_p99;
  long non2xx = 0, errors = 0;
  for (int r = 0; r < o.rounds; ++r) {
    WrkResult b, c;
    if (r % 2 == 0) b = RunWrk(o, baseline.port(), script, o.seconds), c = RunWrk(o, serve.port(), script, o.seconds);
    else c = RunWrk(o, serve.port(), script, o.seconds), b = RunWrk(o, baseline.port(), script, o.seconds);
    if (!b.ok || !c.ok) report += Fmt("round %d: wrk printed no result\n", r + 1);
    double ratio = b.rps > 0 ? c.rps / b.rps : 0;
    ratios.push_back(ratio), base_rps.push_back(b.rps), cf_rps.push_back(c.rps), cf_p99.push_back(c.p99_ms);
    non2xx += c.non2xx + b.non2xx, errors += c.socket_errors;
    report += Fmt("%-6d %12.0f %12.0f %7.3f %11.2f %11.2f %9ld %9ld\n", r + 1, b.rps, c.rps, ratio,
                  b.p99_ms, c.p99_ms, c.non2xx, c.socket_errors);
  }
  report += Fmt("median: baseline %.0f req/s, carefinder %.0f req/s, ratio %.3f (goal >= 0.35); "
                "carefinder p99 %.2f ms at %d connections; non-2xx %ld, socket errors %ld\n",
                Median(base_rps), Median(cf_rps), Median(ratios), Median(cf_p99), o.connections,
                non2xx, errors);
  report += Fmt("carefinder serve resident size after the load: VmRSS %.0f MB, peak VmHWM %.0f MB\n",
                serve.MemoryMb("VmRSS"), serve.MemoryMb("VmHWM"));
  report += "load average at end: " + LoadAverage() + "\n";
  if (o.keep_script) report += "wrk script kept: " + script.string() + "\n";
  else std::filesystem::remove(script);
  return report;
}

}  // namespace carefinder::bench
