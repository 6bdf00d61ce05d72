// Timings of an import's phases: see phase_mark.h.
#include "importer/phase_mark.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <unistd.h>

namespace carefinder::importer {

namespace {

// CPU time of every thread of the process, in seconds.
double ProcessCpu() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Resident size now, in MB (0 when /proc cannot say).
long ResidentMb() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * sysconf(_SC_PAGESIZE) / (1 << 20);
}

}  // namespace

void PhaseMark(const char* what) {
  static const bool on = std::getenv("CAREFINDER_TIMINGS") != nullptr;
  static auto last = std::chrono::steady_clock::now();
  static double last_cpu = ProcessCpu();
  if (!on) return;
  auto now = std::chrono::steady_clock::now();
  double cpu = ProcessCpu();
  std::fprintf(stderr, "timing: %-20s %7.3f s  cpu %7.3f s  rss %6ld MB\n", what,
               std::chrono::duration<double>(now - last).count(), cpu - last_cpu, ResidentMb());
  last = now;
  last_cpu = cpu;
}

}  // namespace carefinder::importer
