// Throughput under load beside its baseline (issue 12): real searches against
// `carefinder serve`, and bare cpp-httplib serving a body of the same size
// with the same tuning, under the same wrk load in one run, so the ratio of
// the two is printed every time; plus the same searches timed in process.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace carefinder::bench {

struct LoadOptions {
  std::filesystem::path db;   // an imported database (the shipped one: build/carefinder.db)
  std::string binary;         // the carefinder executable
  int paths = 400;            // distinct search paths wrk rotates through
  int rounds = 3;             // baseline/carefinder pairs; the table gives their median
  int seconds = 10;           // per wrk run
  int warmup_seconds = 2;     // one wrk run per server before the rounds (a cold
                              // server builds common words' match sets first)
  int connections = 64;
  int wrk_threads = 2;
  int inprocess_queries = 2000;  // per query class, timed through api::HandleSearch
  uint64_t seed = 42;
  bool keep_script = false;   // keep wrk's Lua script (its path is in the report)
  bool in_process_only = false;  // stop after the in-process table (no servers, no wrk)
};

// Picks real searches from `o.db` (ZIPs of active listings with their care,
// medication, kind and keyword filters; only searches with results), times
// them in process, then runs wrk against the baseline and `carefinder serve`
// alternately, and returns the report (also the server's resident size).
std::string BenchLoad(const LoadOptions& o);

}  // namespace carefinder::bench
