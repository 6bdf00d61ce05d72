// Timings of an import's phases, shared by the pipeline (import.cc) and the
// loader (load/load_flush.cc), which name their phases with it.
#pragma once

namespace carefinder::importer {

// With CAREFINDER_TIMINGS set in the environment, prints to stderr how long
// the import spent since the previous mark, the CPU time all its threads
// spent meanwhile and the resident size at the mark ("timing: read 1.104 s
// cpu 2.010 s rss 512 MB"): how docs/PERFORMANCE.md splits an import into
// phases. Silent otherwise.
void PhaseMark(const char* what);

// The same for a thread working beside the phases, as it ends: the CPU it
// spent since it started ("timing: thread full text  cpu 12.003 s").
void ThreadMark(const char* what);

}  // namespace carefinder::importer
