// The taxonomy's labels as search text. A search word matches a listing when
// the listing's name, organisation, description or place holds it (FTS5,
// listing_fts) or the label of one of its terms does ("detox" finds a listing
// offering "Hospital detox" or, through its parent, "Detox (withdrawal
// management)"). A label is the same for every listing with the term, so it
// is not indexed a million times over: the labels are matched here, once per
// word, and a listing's terms (its bits in the listing index, ancestors
// included) say which listings that gives. At 1e6 listings the labels were
// 37% of the full-text index's tokens and 39% of its bytes
// (docs/PERFORMANCE.md, "Goal 4, eleventh pass").
//
// The labels are tokenised by FTS5 itself, with listing_fts's tokenizer
// (kFullTextTokenizer), so a word or a prefix matches a label exactly as it
// matches a listing's text: case and diacritics folded, "detox"* a prefix.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/taxonomy.h"

namespace carefinder::db {
class Database;
class Statement;
}

namespace carefinder::store {

// listing_fts's `tokenize` option (schema.sql); a test holds them equal.
inline constexpr const char* kFullTextTokenizer = "unicode61 remove_diacritics 2";

class LabelWords {
 public:
  // The labels of `taxonomy`'s terms, in a private in-memory FTS5 table.
  static Result<std::shared_ptr<const LabelWords>> Build(const Taxonomy& taxonomy);
  ~LabelWords();

  // The indices (ascending) of the terms whose label matches `fts`: one
  // word as BuildFtsQuery quotes it (fts_query.h), the last of a search as a
  // prefix. A word of ASCII letters and digits (what people type, nearly
  // always) is looked up among the labels' tokens, as FTS5 folded them when
  // the labels were indexed: no lock, no query (under load every request
  // thread asks, some words each). Any other word is matched by FTS5.
  Result<std::vector<int>> Terms(const std::string& fts) const;
  // The same, always by an FTS5 MATCH on the labels: the reference Terms is
  // tested against, and its way for words with other characters.
  Result<std::vector<int>> MatchedByFts5(const std::string& fts) const;

 private:
  LabelWords() = default;
  // Every token of the labels (sorted) and the terms whose label has it (ascending).
  std::vector<std::pair<std::string, std::vector<int>>> tokens_;
  mutable std::mutex mutex_;  // one connection, used by any request thread
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::Statement> match_;  // kMatchSql, prepared once
};

}  // namespace carefinder::store
