// Timings of an import's phases: see phase_mark.h.
#include "importer/phase_mark.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <unistd.h>

namespace carefinder::importer {

namespace {

// CPU time of every thread of the process, or of the calling thread, in seconds.
double CpuSeconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
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
  static double last_cpu = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  static double last_own = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
  if (!on) return;
  auto now = std::chrono::steady_clock::now();
  double cpu = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID), own = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
  // "this thread": the caller's (the import's main thread) share of "cpu";
  // the rest ran on the threads working beside it.
  std::fprintf(stderr, "timing: %-20s %7.3f s  cpu %7.3f s  this thread %7.3f s  rss %6ld MB\n",
               what, std::chrono::duration<double>(now - last).count(), cpu - last_cpu,
               own - last_own, ResidentMb());
  last = now;
  last_cpu = cpu;
  last_own = own;
}

void ThreadMark(const char* what) {
  static const bool on = std::getenv("CAREFINDER_TIMINGS") != nullptr;
  if (!on) return;
  std::fprintf(stderr, "timing: thread %-13s         cpu %7.3f s\n", what,
               CpuSeconds(CLOCK_THREAD_CPUTIME_ID));
}

}  // namespace carefinder::importer
