// Memory an import no longer needs, when its process ends right after (the
// command-line import: ImportOptions::ends_process). Freeing a million
// records object by object took about 1 s, and the loader's pending
// listings 0.3 s, at the very end of an import with the other core idle;
// the system takes the memory back with the process at once.
#pragma once

#include <type_traits>
#include <utility>
#include <vector>

namespace carefinder::importer {

// Keeps `value` alive and unfreed until the process exits. Call it from one
// thread at a time (the import's own).
template <typename T>
void KeepUntilExit(T&& value) {
  // Reachable to the end (a leak checker says so), never destroyed.
  static auto* const kept = new std::vector<std::decay_t<T>>;
  kept->push_back(std::forward<T>(value));
}

}  // namespace carefinder::importer
