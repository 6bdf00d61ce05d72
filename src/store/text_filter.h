// Full-text checks for place searches (hybrid: the place drives, FTS5 checks
// membership). Each word is checked on its own: a rare word's matches are
// read once into a sorted list of entries; a common word's matches become a
// bitset over the snapshot's entries; both are cached in the snapshot, because probing
// FTS5 per candidate is slow for common words and, for a prefix word, reads
// the whole merged doclist on every probe (measured: > 2 s for 6k probes).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace carefinder::db {
class Database;
}

namespace carefinder::store {

class Connection;
class LabelWords;
class ListingIndex;

// A place search computes the exact distance only where it decides something
// (the edge of the radius, the page): until then `distance` is
// kDistanceNotComputed and `chord2` orders the candidates by distance.
inline constexpr double kDistanceNotComputed = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kNoChord = std::numeric_limits<double>::infinity();

struct Candidate {
  uint32_t entry;
  double distance;  // < 0: no distance (no place, or no coordinates); NaN: not computed yet
  double score;     // lower is better (bm25, or minus ScoreCandidates' points); 0 = none
  double chord2 = kNoChord;  // geo::ChordSquared to the centre; kNoChord without one
};

// Words' matches, per snapshot: a common word's as a bitset (bit = entry
// index), a rare word's (at most kMinFetchBudget matches) as its sorted
// entries, so a word searched again reads no FTS5 doclist.
class WordSetCache {
 public:
  using Bits = std::vector<uint64_t>;
  using Entries = std::vector<uint32_t>;  // sorted
  using Builder = std::function<Result<std::shared_ptr<const Bits>>()>;
  std::shared_ptr<const Bits> Find(const std::string& fts_word) const;
  void Put(const std::string& fts_word, std::shared_ptr<const Bits> bits);
  std::shared_ptr<const Entries> FindRare(const std::string& fts_word) const;
  // Kept while the rare words stay under kMaxRareWords and their entries
  // under kMaxRareEntries in all: older ones make room. A word with no
  // match is kept too (an empty list), so the word count bounds them.
  void PutRare(const std::string& fts_word, std::shared_ptr<const Entries> entries);
  static constexpr size_t kMaxRareWords = size_t{1} << 14;    // their keys: at most a few MB
  static constexpr size_t kMaxRareEntries = size_t{1} << 20;  // 4 MB
  // The set for `fts_word`, built by `build` when missing. One build at a
  // time: requests that need the same common word at once (a cold server
  // under load) wait for the first build instead of each reading the word's
  // whole doclist and running out of time together.
  Result<std::shared_ptr<const Bits>> FindOrBuild(const std::string& fts_word, const Builder& build);

 private:
  static constexpr size_t kMaxWords = 64;  // 64 x 125 KB at a million listings
  mutable std::mutex mutex_;
  std::mutex build_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Bits>> sets_;
  std::unordered_map<std::string, std::shared_ptr<const Entries>> rare_;
  size_t rare_entries_ = 0;
};

// Builds, with the snapshot and before the server says it is ready, the sets
// of the words most listings contain, each as a search's last word (a
// prefix, the form a one-word search takes): at most `max_words` words found
// in more than `min_listings` listings, commonest first. Returns their FTS5
// strings (the cache's keys).
inline constexpr size_t kPrebuiltWords = 24;
inline constexpr int64_t kMinCommonListings = 2000;
Result<std::vector<std::string>> PrebuildCommonWords(db::Database& db, const ListingIndex& idx, WordSetCache& cache,
                                                     int64_t min_listings = kMinCommonListings,
                                                     size_t max_words = kPrebuiltWords);

// A search's i-th word as one FTS5 query (fts_query.h): only the last is a prefix.
std::string WordQuery(const std::vector<std::string>& words, size_t i);

// Keeps the candidates whose listing matches every word (the last as
// prefix): its text holds the word (FTS5) or the label of one of its terms
// does (label_words.h).
Status FilterByWords(Connection& c, const ListingIndex& idx, WordSetCache& cache, const LabelWords& labels,
                     const std::vector<std::string>& words, std::vector<Candidate>& cands);

// Whether some word matches a term's label.
Result<bool> AnyWordInLabels(const LabelWords& labels, const std::vector<std::string>& words);

// The entries (bit = entry index) whose listing matches every word as
// FilterByWords does, each word's full-text matches read whole (and cached
// as a common word's are): for searches no place narrows.
Result<WordSetCache::Bits> MatchEveryWord(Connection& c, const ListingIndex& idx, WordSetCache& cache,
                                          const LabelWords& labels, const std::vector<std::string>& words);

// Relevance among place candidates. bm25 needs an FTS5 probe per listing,
// and a rowid probe reads a common word's whole doclist (measured > 1 ms per
// probe at a million listings), so the score is our own: each query word
// found in the name counts 3, in the organisation 2 (the last word as a
// prefix); ties go to the nearer listing. Scores the first kMaxScored.
inline constexpr size_t kMaxScored = 2000;
Status ScoreCandidates(Connection& c, const ListingIndex& idx, const std::vector<std::string>& words,
                       std::vector<Candidate>& cands);

}  // namespace carefinder::store
