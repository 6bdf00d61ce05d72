// carefinder_bench: import and search benchmark on synthetic listings.
//
//   carefinder_bench [--sizes 100000,1000000] [--out FILE] [--binary PATH]
//                    [--data DIR] [--workdir DIR] [--runs 3] [--queries 2000]
//                    [--seed 42] [--budget 60] [--keep] [--no-quickack]
//   carefinder_bench --generate N FILE     write N synthetic listings and exit
//   carefinder_bench --load DB [--paths 400] [--seconds 10] [--warmup 2] [--runs 3]
//                    [--queries 2000] [--binary PATH] [--out FILE] [--keep]
//                    [--in-process-only]
//       throughput under wrk beside bare cpp-httplib, and the same searches
//       in process (bench/load_bench.h)
//
// For each size N it:
//   1. generates N curated-CSV listings, clustered around real US places
//      (data/gazetteer/places.csv, weighted by the density of ZCTAs nearby,
//      so metros get most listings, as real directories do);
//   2. runs `carefinder import --db DB FILE` as a child process, --runs times
//      into a fresh database, and reports the median wall time and rows/s
//      (the whole command: parse, normalise, load, FTS rebuild, commit);
//      after each run it loads the same rows' indexed text into a minimal
//      SQLite table with an FTS5 index (bench/import_floor.h) and reports the
//      importer's rows/s as a ratio to that floor, which holds across machines;
//   3. starts `carefinder serve --db DB --port 0`, and sends --queries
//      sequential HTTP requests over one keep-alive connection for each
//      scenario, --runs times, reporting the median over runs of the p50 and
//      p99 client-side latency (localhost, so it includes HTTP and JSON).
// It writes a plain-text table to --out and to stdout.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench/import_floor.h"
#include "bench/load_bench.h"
#include "bench/place_bench.h"
#include "core/csv.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "carefinder_bench: %s\n", msg.c_str());
  std::exit(1);
}

std::string Fmt(const char* fmt, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

// ---- gazetteer ------------------------------------------------------------

struct Place {
  std::string name, state, zip;
  double lat = 0, lon = 0;
  double weight = 0;
};

long CellKey(double lat, double lon) {
  return static_cast<long>(std::floor(lat * 10)) * 100000 + static_cast<long>(std::floor(lon * 10));
}

std::vector<Place> LoadPlaces(const fs::path& dir) {
  struct Zcta { std::string zip; double lat, lon; };
  std::unordered_map<long, std::vector<Zcta>> cells;
  {
    std::ifstream in(dir / "zcta_centroids.csv");
    if (!in) Die("cannot read " + (dir / "zcta_centroids.csv").string());
    carefinder::CsvTable t(in);
    if (!t.ReadHeader()) Die("bad zcta header");
    while (true) {
      auto more = t.Next();
      if (!more || !*more) break;
      Zcta z{std::string(t.Get("zcta")), std::stod(std::string(t.Get("latitude"))),
             std::stod(std::string(t.Get("longitude")))};
      cells[CellKey(z.lat, z.lon)].push_back(std::move(z));
    }
  }
  std::vector<Place> places;
  std::ifstream in(dir / "places.csv");
  if (!in) Die("cannot read " + (dir / "places.csv").string());
  carefinder::CsvTable t(in);
  if (!t.ReadHeader()) Die("bad places header");
  while (true) {
    auto more = t.Next();
    if (!more || !*more) break;
    if (t.Get("country") != "US") continue;
    Place p;
    p.name = std::string(t.Get("name"));
    p.state = std::string(t.Get("state"));
    p.lat = std::stod(std::string(t.Get("latitude")));
    p.lon = std::stod(std::string(t.Get("longitude")));
    // Weight: ZCTAs in the 3x3 block of 0.1-degree cells around the place (a
    // proxy for population, which the gazetteer lacks); ZIP: the nearest one.
    int count = 0;
    double best = 1e18;
    long base_lat = static_cast<long>(std::floor(p.lat * 10));
    long base_lon = static_cast<long>(std::floor(p.lon * 10));
    for (long dl = -1; dl <= 1; ++dl)
      for (long dn = -1; dn <= 1; ++dn) {
        auto it = cells.find((base_lat + dl) * 100000 + base_lon + dn);
        if (it == cells.end()) continue;
        for (const Zcta& z : it->second) {
          ++count;
          double d = (z.lat - p.lat) * (z.lat - p.lat) + (z.lon - p.lon) * (z.lon - p.lon);
          if (d < best) { best = d; p.zip = z.zip; }
        }
      }
    if (count == 0) continue;
    p.weight = count;
    places.push_back(std::move(p));
  }
  if (places.empty()) Die("no places loaded from " + dir.string());
  // Density: ZCTAs^1.5 shared among the places in the same block, so a metro
  // with many GeoNames suburbs is not counted once per suburb. Against the
  // state shares of the 13k real SAMHSA facilities this is closer than plain
  // counts (checked when the generator was written).
  std::unordered_map<long, int> per_cell;
  for (const Place& p : places) ++per_cell[CellKey(p.lat, p.lon)];
  for (Place& p : places) {
    long base_lat = static_cast<long>(std::floor(p.lat * 10));
    long base_lon = static_cast<long>(std::floor(p.lon * 10));
    int neighbours = 0;
    for (long dl = -1; dl <= 1; ++dl)
      for (long dn = -1; dn <= 1; ++dn) {
        auto it = per_cell.find((base_lat + dl) * 100000 + base_lon + dn);
        if (it != per_cell.end()) neighbours += it->second;
      }
    p.weight = std::pow(p.weight, 1.5) / std::max(1, neighbours);
  }
  return places;
}

// ---- synthetic listings ---------------------------------------------------

struct Weighted { const char* code; double p; };

constexpr Weighted kCare[] = {
    {"outpatient", 30}, {"counseling", 25}, {"cbt", 14}, {"intensive-outpatient", 12},
    {"telehealth", 12}, {"mental-health", 14}, {"residential", 10}, {"residential-short", 6},
    {"residential-long", 6}, {"detox", 6}, {"detox-residential", 5}, {"detox-outpatient", 3},
    {"detox-hospital", 2}, {"hospital-inpatient", 2}, {"partial-hospitalization", 4},
    {"sober-living", 8}, {"aftercare", 10}, {"peer-support", 10}};
constexpr Weighted kPayment[] = {
    {"medicaid", .5}, {"medicare", .3}, {"private-insurance", .6}, {"self-pay", .8},
    {"sliding-fee", .25}, {"free", .05}, {"payment-assistance", .1},
    {"military-insurance", .15}, {"state-funded", .25}, {"ihs-tribal", .03}};
constexpr Weighted kMedication[] = {
    {"methadone", .03}, {"buprenorphine", .2}, {"naltrexone", .15}, {"aud-medication", .1},
    {"accepts-mat", .3}, {"naloxone", .25}};
constexpr Weighted kSubstance[] = {
    {"alcohol", .4}, {"opioids", .4}, {"benzodiazepines", .1}, {"stimulants", .2},
    {"cannabis", .1}, {"tobacco", .05}, {"gambling", .02}};
constexpr Weighted kPopulation[] = {
    {"adolescents", .08}, {"young-adults", .2}, {"adults", .6}, {"seniors", .1},
    {"women", .12}, {"men", .12}, {"pregnant-postpartum", .05}, {"veterans", .1},
    {"lgbtq", .05}, {"co-occurring", .3}, {"trauma", .2}, {"criminal-justice", .15}};
constexpr Weighted kLanguage[] = {
    {"en", .95}, {"es", .3}, {"zh", .02}, {"vi", .02}, {"ko", .01}, {"ru", .01},
    {"ase", .03}, {"tl", .01}, {"ar", .01}};

constexpr const char* kOrgWords[] = {
    "New", "Bright", "Harbor", "Riverside", "Pacific", "Mountain", "Valley", "Serenity",
    "Hope", "Pathways", "Cornerstone", "Horizon", "Lighthouse", "Oak", "Cedar", "Summit",
    "Bridge", "Haven", "Northside", "Community", "Unity", "Clear", "Sunrise", "Freedom",
    "Genesis", "Phoenix", "Journey", "Beacon", "Compass", "Willow", "Maple", "Grace",
    "Liberty", "Crossroads", "Renewal", "Evergreen", "Meadow", "Stone", "Lakeside",
    "Prairie", "Desert", "Coastal", "Heritage", "Open Door", "Turning Point", "Second Chance"};
constexpr const char* kOrgKinds[] = {
    "Recovery Center", "Treatment Center", "Behavioral Health", "Counseling Services",
    "Health Services", "Wellness", "Recovery Homes", "Addiction Services",
    "Community Services Board", "Medical Group", "Clinic", "Foundation", "House",
    "Family Services", "Recovery Community Center"};
constexpr const char* kServiceNames[] = {
    "Outpatient program", "Residential treatment", "Medically supervised detox",
    "Intensive outpatient program", "Sober living home", "Medication for addiction treatment",
    "Adolescent program", "Women's residential program", "Men's recovery house",
    "Family counseling", "Opioid treatment program", "Day treatment", "Recovery support",
    "Telehealth counseling", "Co-occurring disorders program"};
constexpr const char* kSentences[] = {
    "We offer individualized treatment plans for adults with substance use disorders.",
    "Our recovery center provides a safe and supportive environment.",
    "Licensed counselors lead individual and group sessions every weekday.",
    "Treatment includes relapse prevention, family education and aftercare planning.",
    "Walk-in assessments are available most mornings.",
    "We accept most insurance plans and offer a sliding fee scale.",
    "The program combines evidence-based therapy with peer support.",
    "Staff are available around the clock for residents.",
    "Medication-assisted treatment is offered on site by our medical team.",
    "Our community outreach team helps people find housing and employment.",
    "Clients build skills for long-term recovery in a structured setting.",
    "Transportation assistance is available for appointments.",
    "The center serves the surrounding county and nearby towns.",
    "Spanish-speaking counselors are available.",
    "Call ahead to check availability and intake hours.",
    "We work closely with local hospitals, courts and primary care clinics.",
    "Mindfulness, art and music groups complement clinical treatment.",
    "Family members are welcome at weekly education nights.",
    "Our team includes nurses, therapists and certified peer specialists.",
    "Discharge planning starts on the first day of treatment."};
// The rare word of the text scenarios: about 1 listing in 1,000.
constexpr const char* kRareSentence = "Equine therapy sessions take place at a partner ranch.";
constexpr const char* kStreets[] = {
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
    "Church", "Market", "Broadway", "Highland", "Sunset", "Jefferson", "Lincoln", "Center",
    "River", "Spring"};
constexpr const char* kStreetKinds[] = {"St", "Ave", "Blvd", "Rd", "Dr", "Way", "Ln"};
constexpr const char* kAreaCodes[] = {
    "212", "213", "303", "312", "404", "415", "503", "602", "617", "702", "713", "909",
    "919", "206", "305", "512", "614", "704", "801", "816", "949", "520", "615", "843"};

template <size_t N>
const char* Pick(std::mt19937_64& rng, const char* const (&arr)[N]) {
  return arr[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

std::string Bernoulli(std::mt19937_64& rng, std::span<const Weighted> list, bool at_least_one) {
  std::uniform_real_distribution<double> u(0, 1);
  std::string out;
  for (const auto& w : list)
    if (u(rng) < w.p) out += (out.empty() ? "" : "; ") + std::string(w.code);
  if (out.empty() && at_least_one) out = list[0].code;
  return out;
}

std::string Csv(std::string_view v) {
  if (v.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(v);
  std::string q = "\"";
  for (char c : v) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

class Generator {
 public:
  Generator(const std::vector<Place>& places, uint64_t seed) : places_(places), rng_(seed) {
    std::vector<double> w;
    for (const auto& p : places) w.push_back(p.weight);
    pick_place_ = std::discrete_distribution<size_t>(w.begin(), w.end());
    std::vector<double> cw;
    for (const auto& c : kCare) cw.push_back(c.p);
    pick_care_ = std::discrete_distribution<size_t>(cw.begin(), cw.end());
  }

  // A place drawn with the same weights as the listings: where people search.
  const Place& RandomPlace() { return places_[pick_place_(rng_)]; }
  std::mt19937_64& rng() { return rng_; }

  void Write(long n, const fs::path& file) {
    std::ofstream out(file, std::ios::binary);
    if (!out) Die("cannot write " + file.string());
    out << "source,source_key,as_of,kind,organization,name,description,address1,city,state,"
           "zip,latitude,longitude,phones,website,care,medication,substance,payment,"
           "population,language\n";
    std::normal_distribution<double> jitter(0, 0.04);  // ~4 km
    std::uniform_real_distribution<double> u(0, 1);
    std::uniform_int_distribution<int> d100(0, 99), d4(1, 4), d9999(1, 9999);
    std::uniform_int_distribution<int> sentences(2, 5), nsent(0, std::size(kSentences) - 1);
    std::string line;
    for (long i = 0; i < n; ++i) {
      const Place& p = RandomPlace();
      double lat = p.lat + jitter(rng_);
      double lon = p.lon + jitter(rng_) / std::max(0.2, std::cos(p.lat * M_PI / 180));
      std::string org = d100(rng_) < 25 ? p.name + " " + Pick(rng_, kOrgKinds)
                                        : std::string(Pick(rng_, kOrgWords)) + " " +
                                              Pick(rng_, kOrgKinds);
      std::string name = d100(rng_) < 30 ? org : Pick(rng_, kServiceNames);
      std::string desc;
      for (int s = sentences(rng_); s > 0; --s) desc += (desc.empty() ? "" : " ") + std::string(kSentences[nsent(rng_)]);
      if (u(rng_) < 0.001) desc += std::string(" ") + kRareSentence;
      std::string care;
      for (int k = d4(rng_); k > 0; --k) {
        std::string c = kCare[pick_care_(rng_)].code;
        if (("; " + care + ";").find("; " + c + ";") == std::string::npos)
          care += (care.empty() ? "" : "; ") + c;
      }
      char phone[32];
      std::snprintf(phone, sizeof phone, "main: (%s) %d-%04d", Pick(rng_, kAreaCodes),
                    200 + (d9999(rng_) % 700), d9999(rng_));
      line.clear();
      line += "bench-synthetic,b" + std::to_string(i) + ",2026-01-15,treatment,";
      line += Csv(org) + "," + Csv(name) + "," + Csv(desc) + ",";
      line += std::to_string(1 + d9999(rng_)) + " " + Pick(rng_, kStreets) + " " + Pick(rng_, kStreetKinds) + ",";
      line += Csv(p.name) + "," + p.state + "," + p.zip + "," + Fmt("%.6f,%.6f", lat, lon) + ",";
      line += std::string(phone) + ",";
      line += d100(rng_) < 60 ? "https://example.org/l/" + std::to_string(i) : "";
      line += "," + care + "," + Bernoulli(rng_, kMedication, false) + "," +
              Bernoulli(rng_, kSubstance, false) + "," + Bernoulli(rng_, kPayment, true) + "," +
              Bernoulli(rng_, kPopulation, false) + "," + Bernoulli(rng_, kLanguage, true) + "\n";
      out << line;
    }
    if (!out) Die("write failed: " + file.string());
  }

 private:
  const std::vector<Place>& places_;
  std::mt19937_64 rng_;
  std::discrete_distribution<size_t> pick_place_;
  std::discrete_distribution<size_t> pick_care_;
};

// ---- child processes ------------------------------------------------------

pid_t Spawn(const std::vector<std::string>& argv, int out_fd) {
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    if (out_fd >= 0) {
      dup2(out_fd, 1);
      dup2(out_fd, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::perror("execv");
    _exit(127);
  }
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Tail(const fs::path& file, size_t bytes = 2000) {
  std::ifstream in(file, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), {});
  return s.size() > bytes ? "..." + s.substr(s.size() - bytes) : s;
}

void RemoveDb(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
}

uintmax_t DbBytes(const fs::path& db) {
  uintmax_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    auto s = fs::file_size(db.string() + suffix, ec);
    if (!ec) total += s;
  }
  return total;
}

class Server {
 public:
  Server(const std::string& binary, const fs::path& db, const fs::path& log) {
    int fds[2];
    if (pipe(fds) != 0) Die("pipe failed");
    pid_ = Spawn({binary, "serve", "--db", db.string(), "--port", "0"}, fds[1]);
    close(fds[1]);
    fd_ = fds[0];
    // Read until "listening on http://HOST:PORT", then keep draining the pipe
    // into the log so a chatty server never blocks on a full pipe.
    std::string seen;
    auto deadline = Clock::now() + std::chrono::seconds(120);
    while (port_ == 0) {
      if (Clock::now() > deadline) Stop(), Die("server did not print 'listening on' in 120 s");
      char buf[4096];
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) {
        int code = WaitExit(pid_);
        pid_ = -1;
        Die(Fmt("server exited (%d) before listening; output:\n", code) + seen);
      }
      seen.append(buf, n);
      size_t at = seen.find("listening on http://");
      if (at == std::string::npos) continue;
      size_t eol = seen.find('\n', at);
      if (eol == std::string::npos) continue;
      std::string url = seen.substr(at + 20, eol - at - 20);
      size_t colon = url.rfind(':');
      host_ = url.substr(0, colon);
      port_ = std::atoi(url.c_str() + colon + 1);
      if (host_ == "0.0.0.0" || host_ == "localhost" || host_.empty()) host_ = "127.0.0.1";
    }
    drain_ = std::thread([fd = fd_, log, seen] {
      std::ofstream out(log, std::ios::binary);
      out << seen;
      char buf[65536];
      ssize_t n;
      while ((n = read(fd, buf, sizeof buf)) > 0) out.write(buf, n);
    });
  }
  ~Server() { Stop(); }
  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      WaitExit(pid_);
      pid_ = -1;
    }
    if (drain_.joinable()) drain_.join();
    if (fd_ >= 0) close(fd_), fd_ = -1;
  }
  const std::string& host() const { return host_; }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::thread drain_;
  std::string host_;
  int port_ = 0;
};

// ---- a minimal keep-alive HTTP/1.1 client ----------------------------------

class HttpClient {
 public:
  HttpClient(std::string host, int port, bool quickack)
      : host_(std::move(host)), port_(port), quickack_(quickack) {}
  ~HttpClient() { Close(); }

  // GET path; returns the status code (-1 on a transport error) and the body.
  int Get(const std::string& path, std::string& body) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0 && !Connect()) return -1;
      std::string req = "GET " + path + " HTTP/1.1\r\nHost: " + host_ + "\r\nAccept: application/json\r\n\r\n";
      if (!SendAll(req)) { Close(); continue; }
      int status = ReadResponse(body);
      if (status > 0) return status;
      Close();
    }
    return -1;
  }

 private:
  bool Connect() {
    addrinfo hints{}, *res = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &res) != 0) return false;
    for (addrinfo* a = res; a; a = a->ai_next) {
      fd_ = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
      if (fd_ < 0) continue;
      if (connect(fd_, a->ai_addr, a->ai_addrlen) == 0) break;
      close(fd_);
      fd_ = -1;
    }
    freeaddrinfo(res);
    if (fd_ < 0) return false;
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    buf_.clear();
    return true;
  }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    buf_.clear();
  }
  bool SendAll(std::string_view s) {
    while (!s.empty()) {
      ssize_t n = send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      s.remove_prefix(n);
    }
    return true;
  }
  bool Fill() {
    if (quickack_) {
      // Acknowledge at once: a server that writes headers and body in two
      // small writes with Nagle on would otherwise wait for our delayed ACK
      // (40 ms on Linux) on every request, which measures TCP, not Carefinder.
      int one = 1;
      setsockopt(fd_, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }
    char tmp[65536];
    ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, n);
    return true;
  }
  int ReadResponse(std::string& body) {
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!Fill()) return -1;
    std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    int status = std::atoi(head.c_str() + head.find(' ') + 1);
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    bool close_after = lower.find("connection: close") != std::string::npos;
    body.clear();
    if (size_t cl = lower.find("content-length:"); cl != std::string::npos) {
      size_t len = std::strtoul(lower.c_str() + cl + 15, nullptr, 10);
      while (buf_.size() < len)
        if (!Fill()) return -1;
      body = buf_.substr(0, len);
      buf_.erase(0, len);
    } else if (lower.find("transfer-encoding: chunked") != std::string::npos) {
      while (true) {
        size_t eol;
        while ((eol = buf_.find("\r\n")) == std::string::npos)
          if (!Fill()) return -1;
        size_t len = std::strtoul(buf_.c_str(), nullptr, 16);
        buf_.erase(0, eol + 2);
        while (buf_.size() < len + 2)
          if (!Fill()) return -1;
        body += buf_.substr(0, len);
        buf_.erase(0, len + 2);
        if (len == 0) break;
      }
    } else {
      while (Fill()) {}
      body = std::move(buf_);
      buf_.clear();
      close_after = true;
    }
    if (close_after) Close();
    return status;
  }

  std::string host_;
  int port_;
  bool quickack_;
  int fd_ = -1;
  std::string buf_;
};

// ---- scenarios --------------------------------------------------------------

struct Scenario {
  std::string label;
  bool geo;
  bool care;
  std::string q;
};

const std::vector<Scenario> kScenarios = {
    {"geo 25 mi + care", true, true, ""},
    {"geo 25 mi + care + q=treatment", true, true, "treatment"},
    {"geo 25 mi + care + q=equine (rare)", true, true, "equine"},
    {"text only q=treatment", false, false, "treatment"},
    {"text only q=equine (rare)", false, false, "equine"},
};
constexpr const char* kQueryCare[] = {"detox", "outpatient", "residential",
                                      "intensive-outpatient", "telehealth", "sober-living"};

std::vector<std::string> MakeQueries(const Scenario& s, Generator& gen, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    std::string path = "/api/v1/search?limit=20";
    if (s.geo) {
      const Place& p = gen.RandomPlace();
      path += Fmt("&lat=%.5f&lon=%.5f&radius=25", p.lat, p.lon);
    }
    if (s.care) path += std::string("&care=") + Pick(gen.rng(), kQueryCare);
    if (!s.q.empty()) path += "&q=" + s.q;
    out.push_back(path);
  }
  return out;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  size_t idx = static_cast<size_t>(std::ceil(p * v.size())) - 1;
  return v[std::min(idx, v.size() - 1)];
}

double Median(std::vector<double> v) { return Percentile(std::move(v), 0.5); }

long TotalOf(const std::string& body) {
  size_t at = body.find("\"total\":");
  return at == std::string::npos ? -1 : std::atol(body.c_str() + at + 8);
}

struct ScenarioResult {
  std::string label;
  double p50_ms = NAN, p99_ms = NAN, qps = NAN;
  double mean_total = NAN;
  long errors = 0;
  long requests = 0;
  bool truncated = false;
  std::string first_error;
};

ScenarioResult RunScenario(const Scenario& s, HttpClient& client, Generator& gen, int queries,
                           int runs, double budget_s) {
  ScenarioResult r;
  r.label = s.label;
  std::vector<double> p50s, p99s, qpss;
  double total_sum = 0;
  long total_n = 0;
  std::string body;
  // Warm-up: page cache and SQLite cache, not measured.
  auto warm = Clock::now();
  for (const auto& path : MakeQueries(s, gen, std::max(50, queries / 20))) {
    client.Get(path, body);
    if (budget_s > 0 && std::chrono::duration<double>(Clock::now() - warm).count() > budget_s / 4) break;
  }
  for (int run = 0; run < runs; ++run) {
    auto paths = MakeQueries(s, gen, queries);
    std::vector<double> ms;
    ms.reserve(paths.size());
    auto start = Clock::now();
    for (const auto& path : paths) {
      // A run stops early when its time budget is spent (e.g. every query
      // hitting the server's deadline); the table shows how many ran.
      if (budget_s > 0 && !ms.empty() &&
          std::chrono::duration<double>(Clock::now() - start).count() > budget_s) {
        r.truncated = true;
        break;
      }
      auto t0 = Clock::now();
      int status = client.Get(path, body);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (status != 200) {
        if (r.errors++ == 0) r.first_error = Fmt("HTTP %d for ", status) + path + ": " + body.substr(0, 300);
        continue;
      }
      long total = TotalOf(body);
      if (total >= 0) total_sum += total, ++total_n;
    }
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    p50s.push_back(Percentile(ms, 0.50));
    p99s.push_back(Percentile(ms, 0.99));
    qpss.push_back(ms.size() / secs);
    r.requests += ms.size();
  }
  r.p50_ms = Median(p50s);
  r.p99_ms = Median(p99s);
  r.qps = Median(qpss);
  r.mean_total = total_n ? total_sum / total_n : NAN;
  return r;
}

// ---- import as a ratio to the SQLite floor (bench/import_floor.h) -------------

constexpr const char* kFloorTitle =
    "import speed as a ratio: importer rows/s / SQLite floor rows/s, the floor loading the same\n"
    "rows right after each import run (one transaction of prepared INSERTs of the text the\n"
    "importer indexes into a minimal table + its FTS5 table, first-import file settings);\n"
    "ratio = median over runs of each pair's ratio, so load from other processes cancels\n";

// Times the floor right after each import run, into pairs: a machine busy
// with other work slows both sides of a pair alike.
class FloorPairs {
 public:
  // After an import run of `n` rows into `db` that took `import_s`.
  void AfterImport(long n, const fs::path& db, double import_s, const fs::path& workdir) {
    if (!input_ && error_.empty()) {
      auto in = carefinder::bench::ReadFloorInput(db);
      if (!in) {
        error_ = in.error().message;
        return;
      }
      rows_ = in->rows.size();
      input_ = std::move(*in);
    }
    if (!input_) return;
    auto s = carefinder::bench::TimeFloorLoad(*input_, workdir / Fmt("floor-%ld.db", n));
    if (!s) {
      error_ = s.error().message;
      input_.reset();
      return;
    }
    std::fprintf(stderr, "[%ld] SQLite floor after run %zu: %.2f s (ratio %.2f)\n", n,
                 floor_s_.size() + 1, *s, (n / import_s) / (rows_ / *s));
    import_s_.push_back(import_s);
    floor_s_.push_back(*s);
  }

  static std::string Header() {
    return Fmt("%-10s %10s %10s %12s %12s %8s\n", "listings", "import s", "floor s",
               "import r/s", "floor r/s", "ratio");
  }
  // The table row for `n` (medians), or FAILED with the reason added to `problems`.
  std::string Row(long n, std::vector<std::string>& problems) const {
    if (floor_s_.empty()) {
      problems.push_back(Fmt("SQLite floor at %ld rows: ", n) + error_);
      return Fmt("%-10ld %10s\n", n, "FAILED");
    }
    double rows = static_cast<double>(rows_);
    std::vector<double> ratios;
    for (size_t i = 0; i < floor_s_.size(); ++i) ratios.push_back((n / import_s_[i]) / (rows / floor_s_[i]));
    double import_s = Median(import_s_), floor_s = Median(floor_s_);
    return Fmt("%-10ld %10.2f %10.2f %12.0f %12.0f %8.2f\n", n, import_s, floor_s, n / import_s,
               rows / floor_s, Median(ratios));
  }

 private:
  std::optional<carefinder::bench::FloorInput> input_;
  std::string error_;
  std::vector<double> import_s_, floor_s_;
  size_t rows_ = 0;
};

// ---- main ---------------------------------------------------------------------

struct Options {
  std::vector<long> sizes{100000, 1000000};
  fs::path out = "bench-latest.txt";
  std::string binary;
  fs::path data;
  fs::path workdir;
  int runs = 3;
  int queries = 2000;
  uint64_t seed = 42;
  bool keep = false;
  bool quickack = true;
  double budget = 60;
};

fs::path SelfDir() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : p.parent_path();
}

fs::path FindData(const fs::path& given) {
  if (!given.empty()) return given;
  for (fs::path c : {fs::current_path() / "data" / "gazetteer", SelfDir() / ".." / "data" / "gazetteer",
                     SelfDir() / ".." / ".." / "data" / "gazetteer"})
    if (fs::exists(c / "places.csv")) return fs::weakly_canonical(c);
  Die("cannot find data/gazetteer/places.csv; pass --data DIR");
}

std::string MachineLine() {
  utsname u{};
  uname(&u);
  std::string cpu;
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) { cpu = line.substr(line.find(':') + 2); break; }
  long mem_kb = 0;
  std::ifstream mi("/proc/meminfo");
  for (std::string line; std::getline(mi, line);)
    if (line.rfind("MemTotal:", 0) == 0) { mem_kb = std::atol(line.c_str() + 9); break; }
  return Fmt("%s, %u cores, %.0f GiB RAM, %s %s", cpu.c_str(), std::thread::hardware_concurrency(),
             mem_kb / 1048576.0, u.sysname, u.release);
}

// --floor DB: what plain SQLite needs to write DB's rows (bench/import_floor.h):
// every table but the full text, then the full text alone; seconds each.
int RunFloor(const fs::path& db, const fs::path& workdir, const std::string& out_file) {
  std::ostringstream out;
  out << "whole-file floor of " << db.string() << " (bench/import_floor.h)\n";
  out << "machine:  " << MachineLine() << "\n";
  auto tables = carefinder::bench::TimeTableFloor(db, workdir / "floor-tables.db");
  if (!tables) Die(tables.error().message);
  double sum = 0;
  for (const auto& t : *tables) {
    out << Fmt("  %-40s %8.2f s %10lld rows\n", t.table.c_str(), t.seconds,
               static_cast<long long>(t.rows));
    sum += t.seconds;
  }
  auto input = carefinder::bench::ReadFloorInput(db);
  if (!input) Die(input.error().message);
  auto text = carefinder::bench::TimeFloorLoad(*input, workdir / "floor-text.db");
  if (!text) Die(text.error().message);
  out << Fmt("tables but the full text, one core: %.2f s\n", sum);
  out << Fmt("full text alone (TimeFloorLoad: %zu rows, FTS5 + a minimal table), one core: %.2f s\n",
             input->rows.size(), *text);
  out << Fmt("both on one core: %.2f s; on two cores at best: %.2f s (the longer)\n", sum + *text,
             std::max(sum, *text));
  std::cout << out.str();
  if (!out_file.empty()) std::ofstream(out_file) << out.str();
  return 0;
}

void Usage() {
  std::fputs(
      "usage: carefinder_bench [--sizes 100000,1000000] [--out FILE] [--binary PATH]\n"
      "                        [--data GAZETTEER_DIR] [--workdir DIR] [--runs 3]\n"
      "                        [--queries 2000] [--seed 42] [--budget 60] [--keep]\n"
      "                        [--no-quickack]\n"
      "       carefinder_bench --generate N FILE [--data DIR] [--seed 42]\n"
      "       carefinder_bench --load DB [--paths 400] [--seconds 10] [--warmup 2] [--runs 3]\n"
      "                        [--queries 2000] [--binary PATH] [--out FILE] [--keep]\n"
      "                        [--in-process-only]\n"
      "       carefinder_bench --floor DB [--workdir DIR]\n",
      stderr);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  long generate_n = -1;
  fs::path generate_file, floor_db;
  carefinder::bench::LoadOptions load;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Usage(), Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--sizes") {
      opt.sizes.clear();
      std::stringstream ss(next());
      for (std::string t; std::getline(ss, t, ',');) opt.sizes.push_back(std::atol(t.c_str()));
    } else if (a == "--out") opt.out = next();
    else if (a == "--binary") opt.binary = next();
    else if (a == "--data") opt.data = next();
    else if (a == "--workdir") opt.workdir = next();
    else if (a == "--runs") opt.runs = std::max(1, std::atoi(next().c_str()));
    else if (a == "--queries") opt.queries = std::max(10, std::atoi(next().c_str()));
    else if (a == "--seed") opt.seed = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--keep") opt.keep = true;
    else if (a == "--no-quickack") opt.quickack = false;
    else if (a == "--budget") opt.budget = std::atof(next().c_str());
    else if (a == "--load") load.db = next();
    else if (a == "--paths") load.paths = std::max(1, std::atoi(next().c_str()));
    else if (a == "--seconds") load.seconds = std::max(1, std::atoi(next().c_str()));
    else if (a == "--warmup") load.warmup_seconds = std::max(1, std::atoi(next().c_str()));
    else if (a == "--in-process-only") load.in_process_only = true;
    else if (a == "--floor") floor_db = next();
    else if (a == "--generate") { generate_n = std::atol(next().c_str()); generate_file = next(); }
    else if (a == "--help" || a == "-h") { Usage(); return 0; }
    else { Usage(); Die("unknown option " + a); }
  }

  // --out names a file only when given: the default is the full benchmark's.
  if (!floor_db.empty()) {
    bool out_given = opt.out != Options{}.out;
    return RunFloor(floor_db, opt.workdir.empty() ? fs::path("/tmp") : opt.workdir,
                    out_given ? opt.out.string() : std::string());
  }

  if (!load.db.empty()) {
    load.binary = opt.binary.empty() ? (SelfDir() / "carefinder").string() : opt.binary;
    load.rounds = opt.runs;
    load.inprocess_queries = opt.queries;
    load.seed = opt.seed;
    load.keep_script = opt.keep;
    signal(SIGPIPE, SIG_IGN);
    std::string report = carefinder::bench::BenchLoad(load);
    std::cout << report;
    if (!opt.out.empty()) std::ofstream(opt.out) << report;
    return 0;
  }

  fs::path data = FindData(opt.data);
  auto t0 = Clock::now();
  std::vector<Place> places = LoadPlaces(data);
  std::fprintf(stderr, "loaded %zu places from %s in %.1f s\n", places.size(), data.c_str(),
               std::chrono::duration<double>(Clock::now() - t0).count());

  if (generate_n >= 0) {
    Generator gen(places, opt.seed);
    auto g0 = Clock::now();
    gen.Write(generate_n, generate_file);
    std::fprintf(stderr, "wrote %ld listings to %s in %.1f s\n", generate_n, generate_file.c_str(),
                 std::chrono::duration<double>(Clock::now() - g0).count());
    return 0;
  }

  if (opt.binary.empty()) opt.binary = (SelfDir() / "carefinder").string();
  if (access(opt.binary.c_str(), X_OK) != 0) Die("no executable carefinder at " + opt.binary + " (use --binary)");
  bool own_workdir = opt.workdir.empty();
  if (own_workdir) {
    char tmpl[] = "/tmp/carefinder-bench-XXXXXX";
    if (!mkdtemp(tmpl)) Die("mkdtemp failed");
    opt.workdir = tmpl;
  }
  fs::create_directories(opt.workdir);
  signal(SIGPIPE, SIG_IGN);

  std::ostringstream report;
  report << "carefinder benchmark (bench/bench.cc)\n";
  report << "machine:  " << MachineLine() << "\n";
  report << "binary:   " << opt.binary << "\n";
  report << Fmt("method:   synthetic listings clustered around %zu US places (seed %llu); "
                "import timed as a child process, median of %d runs into a fresh DB;\n"
                "          search: %d sequential requests per scenario over one keep-alive "
                "connection, after a warm-up; p50/p99 = median over %d runs; limit=20\n",
                places.size(), static_cast<unsigned long long>(opt.seed), opt.runs, opt.queries, opt.runs);
  report << "\n";

  std::ostringstream imports, searches, probes, floors, place_times;
  floors << FloorPairs::Header();
  imports << Fmt("%-10s %10s %12s %12s %12s %10s\n", "listings", "CSV MB", "import s", "rows/s", "DB MB", "DB B/row");
  searches << Fmt("%-10s %-36s %9s %9s %8s %10s %8s %7s\n", "listings", "scenario", "p50 ms", "p99 ms", "req/s",
                  "avg total", "requests", "errors");
  std::vector<std::string> problems;

  for (long n : opt.sizes) {
    fs::path csv = opt.workdir / Fmt("synthetic-%ld.csv", n);
    fs::path db = opt.workdir / Fmt("bench-%ld.db", n);
    Generator gen(places, opt.seed);
    auto g0 = Clock::now();
    gen.Write(n, csv);
    std::fprintf(stderr, "[%ld] generated %s (%.1f MB) in %.1f s\n", n, csv.c_str(),
                 fs::file_size(csv) / 1e6, std::chrono::duration<double>(Clock::now() - g0).count());

    std::vector<double> secs;
    FloorPairs floor;
    bool import_ok = true;
    long rejected_rows = 0;
    for (int run = 0; run < opt.runs; ++run) {
      RemoveDb(db);
      fs::path log = opt.workdir / Fmt("import-%ld-%d.log", n, run);
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      auto i0 = Clock::now();
      pid_t pid = Spawn({opt.binary, "import", "--db", db.string(), csv.string()}, fd);
      int code = WaitExit(pid);
      double s = std::chrono::duration<double>(Clock::now() - i0).count();
      close(fd);
      std::fprintf(stderr, "[%ld] import run %d: exit %d, %.2f s\n", n, run + 1, code, s);
      // Exit 1 = some rows rejected, the good ones loaded: time it, but say so.
      if (code == 1 && run == 0) {
        std::ifstream in(log);
        long rejected = -1;
        std::map<std::string, long> reasons;
        std::set<std::string> seen_lines;
        for (std::string line; std::getline(in, line);) {
          if (line.rfind("total:", 0) == 0) {
            size_t at = line.rfind(", ");
            if (at != std::string::npos) rejected = std::atol(line.c_str() + at + 2);
          } else if (size_t f = line.find(": field '"); f != std::string::npos &&
                     line.find(".csv:") != std::string::npos) {
            // Each rejection is printed twice (report and stderr): count once.
            if (seen_lines.insert(line.substr(0, f)).second) ++reasons[line.substr(f + 2)];
          }
        }
        std::string top;
        for (const auto& [reason, count] : reasons)
          if (top.size() < 600) top += Fmt("\n    %ld x ", count) + reason;
        problems.push_back(Fmt("import of %ld rows rejected %ld rows (exit 1; the rest loaded "
                               "and were timed):", n, rejected) + top);
        rejected_rows = rejected;
      }
      if (code != 0 && code != 1) {
        problems.push_back(Fmt("import of %ld rows exited %d; log tail:\n", n, code) + Tail(log));
        import_ok = false;
        break;
      }
      secs.push_back(s);
      floor.AfterImport(n, db, s, opt.workdir);
    }
    floors << floor.Row(n, problems);
    if (!import_ok) {
      imports << Fmt("%-10ld %10.1f %12s\n", n, fs::file_size(csv) / 1e6, "FAILED");
      continue;
    }
    double med = Median(secs);
    uintmax_t bytes = DbBytes(db);
    imports << Fmt("%-10ld %10.1f %12.2f %12.0f %12.1f %10.0f%s\n", n, fs::file_size(csv) / 1e6, med,
                   n / med, bytes / 1e6, static_cast<double>(bytes) / n,
                   rejected_rows ? Fmt("  (%ld rows rejected, see problems)", rejected_rows).c_str() : "");

    Server server(opt.binary, db, opt.workdir / Fmt("serve-%ld.log", n));
    std::fprintf(stderr, "[%ld] server on %s:%d\n", n, server.host().c_str(), server.port());
    {
      // Probe: the first scenario as a client without TCP_QUICKACK sees it
      // (e.g. a browser). A p50 near 40 ms here means the server's response
      // is split into several writes with Nagle on (no TCP_NODELAY).
      HttpClient plain(server.host(), server.port(), /*quickack=*/false);
      ScenarioResult r = RunScenario(kScenarios[0], plain, gen, std::min(opt.queries, 200), 1, opt.budget);
      probes << Fmt("%-10ld %-36s %9.2f %9.2f\n", n, (kScenarios[0].label + ", no QUICKACK").c_str(),
                    r.p50_ms, r.p99_ms);
    }
    HttpClient client(server.host(), server.port(), opt.quickack);
    for (const auto& s : kScenarios) {
      ScenarioResult r = RunScenario(s, client, gen, opt.queries, opt.runs, opt.budget);
      std::fprintf(stderr, "[%ld] %-36s p50 %.2f ms  p99 %.2f ms  (%ld errors)\n", n, r.label.c_str(),
                   r.p50_ms, r.p99_ms, r.errors);
      searches << Fmt("%-10ld %-36s %9.2f %9.2f %8.0f %10.1f %8ld %7ld%s\n", n, r.label.c_str(), r.p50_ms,
                      r.p99_ms, r.qps, r.mean_total, r.requests, r.errors, r.truncated ? " *" : "");
      if (r.errors) problems.push_back(Fmt("[%ld] %s: %ld errors; first: ", n, r.label.c_str(), r.errors) + r.first_error);
    }
    server.Stop();
    place_times << carefinder::bench::BenchPlaces(db, n, opt.queries);
    if (!opt.keep) {
      fs::remove(csv);
      RemoveDb(db);
    }
  }

  report << kFloorTitle << floors.str() << "\n";
  report << "import (carefinder import --db DB FILE; includes the FTS rebuild)\n" << imports.str() << "\n";
  report << "search (GET /api/v1/search, client-side latency incl. HTTP on localhost)\n" << searches.str();
  report << "\nplace resolution vs the 25-mile search it precedes (in process, microseconds)\n"
         << Fmt("%-10s %-24s %9s %9s %11s %11s\n", "listings", "near", "res p50", "res p99",
                "search p50", "search p99")
         << place_times.str();
  report << "\n'avg total' is the mean of the response's \"total\" (matches before paging);\n"
            "'requests' counts all runs; errors are non-200 responses (their latency is included);\n"
            "* = a run stopped at its time budget (--budget seconds per scenario run).\n";
  report << (opt.quickack ? "The client sets TCP_QUICKACK (see the probe below).\n"
                          : "The client does not set TCP_QUICKACK (--no-quickack).\n");
  report << "\nprobe: 200 requests as a plain client (no TCP_QUICKACK) sees them\n" << probes.str();
  if (!problems.empty()) {
    report << "\nproblems:\n";
    for (const auto& p : problems) report << "- " << p << "\n";
  }
  std::string text = report.str();
  std::fputs(text.c_str(), stdout);
  if (!opt.out.empty()) {
    if (opt.out.has_parent_path()) fs::create_directories(opt.out.parent_path());
    std::ofstream(opt.out) << text;
  }
  if (own_workdir && !opt.keep) fs::remove_all(opt.workdir);
  return problems.empty() ? 0 : 1;
}
