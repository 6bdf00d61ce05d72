// StringMap<V>: an unordered_map keyed by std::string that is looked up by
// std::string_view without making a string (C++20 transparent lookup).
// ShortKeyIndex: a few keys held elsewhere (taxonomy codes, a CSV header's
// names), each looked up millions of times.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

// Indexes into a list of keys kept by the caller, found by ShortKeyHash in
// an open-addressed table a power of two at least four times the keys.
// `key_of(index)` is the key stored at `index`.
class ShortKeyIndex {
 public:
  static constexpr size_t kNone = std::string_view::npos;

  explicit ShortKeyIndex(size_t keys = 0) {
    size_t slots = 16;
    while (slots < 4 * keys) slots *= 2;
    slots_.assign(slots, 0);
  }
  // Adds `index` under `key`, unless the key is there already: the first
  // index given a key keeps it.
  template <typename KeyOf>
  void Add(std::string_view key, size_t index, const KeyOf& key_of) {
    if (Find(key, key_of) != kNone) return;
    if (4 * (++count_) > slots_.size()) Grow(key_of);
    size_t at = Slot(key);
    slots_[at] = static_cast<uint32_t>(index + 1);
  }
  // The index of `key`, or kNone.
  template <typename KeyOf>
  size_t Find(std::string_view key, const KeyOf& key_of) const {
    const size_t mask = slots_.size() - 1;
    for (size_t at = ShortKeyHash(key) & mask; slots_[at] != 0; at = (at + 1) & mask) {
      if (key_of(slots_[at] - 1) == key) return slots_[at] - 1;
    }
    return kNone;
  }

 private:
  // The first empty slot on `key`'s probe sequence.
  size_t Slot(std::string_view key) const {
    const size_t mask = slots_.size() - 1;
    size_t at = ShortKeyHash(key) & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    return at;
  }
  template <typename KeyOf>
  void Grow(const KeyOf& key_of) {
    std::vector<uint32_t> old(2 * slots_.size(), 0);
    old.swap(slots_);
    for (uint32_t s : old) {
      if (s != 0) slots_[Slot(key_of(s - 1))] = s;
    }
  }

  std::vector<uint32_t> slots_;  // index + 1; 0: empty
  size_t count_ = 0;
};

}  // namespace carefinder
