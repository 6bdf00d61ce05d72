// Timings of an import's phases: see phase_mark.h.
#include "importer/phase_mark.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace carefinder::importer {

void PhaseMark(const char* what) {
  static const bool on = std::getenv("CAREFINDER_TIMINGS") != nullptr;
  static auto last = std::chrono::steady_clock::now();
  if (!on) return;
  auto now = std::chrono::steady_clock::now();
  std::fprintf(stderr, "timing: %-20s %7.3f s\n", what,
               std::chrono::duration<double>(now - last).count());
  last = now;
}

}  // namespace carefinder::importer
