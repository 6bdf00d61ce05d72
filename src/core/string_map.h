// StringMap<V>: an unordered_map keyed by std::string that is looked up by
// std::string_view without making a string (C++20 transparent lookup).
// ShortKeyHash: for the small open-addressed tables of a few known keys
// that are looked up millions of times (taxonomy codes, CSV column names).
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace carefinder {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// A key's first and last 8 bytes (the whole of a shorter one) and its
// length, mixed (splitmix64's finaliser): a few cycles where std::hash reads
// every byte and the map then divides by a prime. Keys that share all three
// hash alike, so a table using it compares keys.
inline uint64_t ShortKeyHash(std::string_view key) {
  uint64_t head = 0, tail = 0;
  if (key.size() >= 8) {
    std::memcpy(&head, key.data(), 8);
    std::memcpy(&tail, key.data() + key.size() - 8, 8);
  } else if (!key.empty()) {
    std::memcpy(&head, key.data(), key.size());
  }
  uint64_t h = (head ^ (tail * 0x9e3779b97f4a7c15ULL)) + key.size();
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

}  // namespace carefinder
