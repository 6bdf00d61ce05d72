// Word-by-word FTS5 membership and bm25 scoring for place searches: see
// text_filter.h.
#include "store/text_filter.h"

#include <algorithm>

#include "core/text.h"
#include "db/database.h"
#include "store/connection.h"
#include "store/fts_query.h"
#include "store/label_words.h"
#include "store/listing_index.h"

namespace carefinder::store {

namespace {

constexpr const char* kWordRowidsSql =
    "SELECT rowid FROM listing_fts WHERE listing_fts MATCH ? LIMIT ?";
constexpr const char* kNamesSql = "SELECT name, organization FROM listing WHERE rowid = ?";

// Past this many matching rows (or 4 per candidate) a word counts as common.
constexpr size_t kMinFetchBudget = 2000;

// Calls fn(rowid) for up to `limit` matches of `fts`; returns how many.
template <class Fn>
Result<size_t> ForEachMatch(Connection& c, const std::string& fts, int64_t limit, Fn&& fn) {
  auto stmt = c.Get(kWordRowidsSql);
  if (!stmt) return Fail(stmt.error());
  (*stmt)->Bind(1, fts).Bind(2, limit);
  size_t n = 0;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    fn((*stmt)->ColumnInt(0));
    ++n;
  }
  (*stmt)->Reset();
  return n;
}

// Sets the bit of every index entry whose rowid `stmt` (bound, not yet
// stepped) yields in column 0.
Result<std::shared_ptr<const WordSetCache::Bits>> BitsOfRows(db::Statement& stmt, const ListingIndex& idx) {
  auto bits = std::make_shared<WordSetCache::Bits>((idx.size() + 63) / 64);
  while (true) {
    auto row = stmt.Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if (auto i = idx.FindRowid(stmt.ColumnInt(0))) (*bits)[*i / 64] |= uint64_t{1} << (*i % 64);
  }
  stmt.Reset();
  return std::shared_ptr<const WordSetCache::Bits>(std::move(bits));
}

Result<std::shared_ptr<const WordSetCache::Bits>> CommonWordBits(Connection& c,
                                                                 const ListingIndex& idx,
                                                                 WordSetCache& cache,
                                                                 const std::string& fts) {
  return cache.FindOrBuild(fts, [&]() -> Result<std::shared_ptr<const WordSetCache::Bits>> {
    auto stmt = c.Get(kWordRowidsSql);
    if (!stmt) return Fail(stmt.error());
    (*stmt)->Bind(1, fts).Bind(2, int64_t{-1});
    return BitsOfRows(**stmt, idx);
  });
}

// The term bits (ListingIndex::bits' layout) of the labels `fts` matches;
// empty when it matches none.
Result<std::vector<uint64_t>> LabelMask(const ListingIndex& idx, const LabelWords& labels, const std::string& fts) {
  auto terms = labels.Terms(fts);
  if (!terms) return Fail(terms.error());
  std::vector<uint64_t> mask;
  for (int t : *terms) {
    if (t < 0 || t >= idx.term_count()) continue;  // a term the index does not have
    if (mask.empty()) mask.assign(static_cast<size_t>(idx.words()), 0);
    mask[static_cast<size_t>(t) / 64] |= uint64_t{1} << (t % 64);
  }
  return mask;
}

bool HasAny(const uint64_t* bits, const std::vector<uint64_t>& mask) {
  for (size_t w = 0; w < mask.size(); ++w) {
    if (bits[w] & mask[w]) return true;
  }
  return false;
}

Status FilterByWord(Connection& c, const ListingIndex& idx, WordSetCache& cache, const LabelWords& labels,
                    const std::string& fts, std::vector<Candidate>& cands) {
  auto mask = LabelMask(idx, labels, fts);
  if (!mask) return Fail(mask.error());
  // A candidate stays when its text holds the word or one of its terms' labels does.
  auto by_label = [&](const Candidate& x) { return !mask->empty() && HasAny(idx.bits(x.entry), *mask); };
  std::shared_ptr<const WordSetCache::Bits> bits = cache.Find(fts);
  std::shared_ptr<const WordSetCache::Entries> rare = bits ? nullptr : cache.FindRare(fts);
  if (!bits && !rare) {
    size_t budget = std::max(kMinFetchBudget, cands.size() * 4);
    WordSetCache::Entries entries;
    auto n = ForEachMatch(c, fts, static_cast<int64_t>(budget + 1), [&](int64_t rowid) {
      if (auto i = idx.FindRowid(rowid)) entries.push_back(*i);
    });
    if (!n) return Fail(n.error());
    if (*n <= kMinFetchBudget) {
      // Every match was read: kept as the word's entries, so the next search
      // with it reads no doclist.
      std::ranges::sort(entries);
      auto read = std::make_shared<const WordSetCache::Entries>(std::move(entries));
      cache.PutRare(fts, read);
      rare = std::move(read);
    } else if (*n <= budget) {
      // Kept as the word's set, so the next search with it does not read its
      // thousands of rows again (1e6: a word with ~10k matches took ~6 ms a
      // search, every time).
      auto read = std::make_shared<WordSetCache::Bits>((idx.size() + 63) / 64);
      for (uint32_t i : entries) (*read)[i / 64] |= uint64_t{1} << (i % 64);
      bits = read;
      cache.Put(fts, std::move(read));
    } else {
      auto common = CommonWordBits(c, idx, cache, fts);
      if (!common) return Fail(common.error());
      bits = std::move(*common);
    }
  }
  if (rare) {
    std::erase_if(cands, [&](const Candidate& x) {
      return !std::ranges::binary_search(*rare, x.entry) && !by_label(x);
    });
    return {};
  }
  std::erase_if(cands, [&](const Candidate& x) {
    return !(((*bits)[x.entry / 64] >> (x.entry % 64)) & 1) && !by_label(x);
  });
  return {};
}

}  // namespace

std::shared_ptr<const WordSetCache::Bits> WordSetCache::Find(const std::string& fts_word) const {
  std::lock_guard lock(mutex_);
  auto it = sets_.find(fts_word);
  return it == sets_.end() ? nullptr : it->second;
}

void WordSetCache::Put(const std::string& fts_word, std::shared_ptr<const Bits> bits) {
  std::lock_guard lock(mutex_);
  if (sets_.size() >= kMaxWords) sets_.erase(sets_.begin());  // any one: the cache is a hint
  sets_[fts_word] = std::move(bits);
}

std::shared_ptr<const WordSetCache::Entries> WordSetCache::FindRare(const std::string& fts_word) const {
  std::lock_guard lock(mutex_);
  auto it = rare_.find(fts_word);
  return it == rare_.end() ? nullptr : it->second;
}

void WordSetCache::PutRare(const std::string& fts_word, std::shared_ptr<const Entries> entries) {
  std::lock_guard lock(mutex_);
  // Any ones make room: the cache is a hint.
  while (!rare_.empty() &&
         (rare_.size() >= kMaxRareWords || rare_entries_ + entries->size() > kMaxRareEntries)) {
    rare_entries_ -= rare_.begin()->second->size();
    rare_.erase(rare_.begin());
  }
  if (auto [it, added] = rare_.try_emplace(fts_word, entries); added) rare_entries_ += entries->size();
}

Result<std::shared_ptr<const WordSetCache::Bits>> WordSetCache::FindOrBuild(const std::string& fts_word,
                                                                            const Builder& build) {
  if (auto hit = Find(fts_word)) return hit;
  std::lock_guard building(build_mutex_);
  if (auto hit = Find(fts_word)) return hit;  // built while this request waited
  auto bits = build();
  if (!bits) return Fail(bits.error());
  Put(fts_word, *bits);
  return bits;
}

Result<std::vector<std::string>> PrebuildCommonWords(db::Database& db, const ListingIndex& idx, WordSetCache& cache,
                                                     int64_t min_listings, size_t max_words) {
  // fts5vocab lists the index's terms with the number of rows holding each;
  // a temp table, so nothing is written to the database file.
  if (auto s = db.Exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.listing_fts_terms "
                       "USING fts5vocab(main, listing_fts, row)");
      !s) {
    return Fail(s.error());
  }
  auto common = db.Prepare("SELECT term FROM temp.listing_fts_terms WHERE doc > ? ORDER BY doc DESC LIMIT ?");
  if (!common) return Fail(common.error());
  common->Bind(1, min_listings).Bind(2, static_cast<int64_t>(max_words));
  std::vector<std::string> terms;
  while (true) {
    auto row = common->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    terms.emplace_back(common->ColumnText(0));
  }
  auto rows = db.Prepare(kWordRowidsSql);
  if (!rows) return Fail(rows.error());
  std::vector<std::string> built;
  for (const std::string& term : terms) {
    std::string fts = BuildFtsQuery({term});  // "term"*: a last word is a prefix
    rows->Reset();
    rows->Bind(1, fts).Bind(2, int64_t{-1});
    auto bits = BitsOfRows(*rows, idx);
    if (!bits) return Fail(bits.error());
    cache.Put(fts, std::move(*bits));
    built.push_back(std::move(fts));
  }
  return built;
}

std::string WordQuery(const std::vector<std::string>& words, size_t i) {
  std::string fts = BuildFtsQuery({words[i]});
  if (i + 1 < words.size()) fts.pop_back();  // only the last word is a prefix
  return fts;
}

Status FilterByWords(Connection& c, const ListingIndex& idx, WordSetCache& cache, const LabelWords& labels,
                     const std::vector<std::string>& words, std::vector<Candidate>& cands) {
  for (size_t i = 0; i < words.size() && !cands.empty(); ++i) {
    if (auto s = FilterByWord(c, idx, cache, labels, WordQuery(words, i), cands); !s) return s;
  }
  return {};
}

Result<bool> AnyWordInLabels(const LabelWords& labels, const std::vector<std::string>& words) {
  for (size_t i = 0; i < words.size(); ++i) {
    auto terms = labels.Terms(WordQuery(words, i));
    if (!terms) return Fail(terms.error());
    if (!terms->empty()) return true;
  }
  return false;
}

Result<WordSetCache::Bits> MatchEveryWord(Connection& c, const ListingIndex& idx, WordSetCache& cache,
                                          const LabelWords& labels, const std::vector<std::string>& words) {
  WordSetCache::Bits every((idx.size() + 63) / 64, ~uint64_t{0});
  if (!every.empty() && idx.size() % 64 != 0) every.back() = (uint64_t{1} << (idx.size() % 64)) - 1;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string fts = WordQuery(words, i);
    auto text = CommonWordBits(c, idx, cache, fts);
    if (!text) return Fail(text.error());
    WordSetCache::Bits word = **text;
    auto terms = labels.Terms(fts);
    if (!terms) return Fail(terms.error());
    for (int t : *terms) {
      if (t < 0 || t >= idx.term_count()) continue;
      const uint64_t* column = idx.term_column(t);
      for (size_t w = 0; w < word.size(); ++w) word[w] |= column[w];
    }
    for (size_t w = 0; w < every.size(); ++w) every[w] &= word[w];
  }
  return every;
}

Status ScoreCandidates(Connection& c, const ListingIndex& idx, const std::vector<std::string>& words,
                       std::vector<Candidate>& cands) {
  std::vector<std::string> wanted;
  for (const auto& w : words) wanted.push_back(text::ToLower(w));
  auto points = [&](std::string_view field) {
    int n = 0;
    std::vector<std::string> have = SplitWords(text::ToLower(field));
    for (size_t i = 0; i < wanted.size(); ++i) {
      bool prefix = i + 1 == wanted.size();
      n += std::any_of(have.begin(), have.end(), [&](const std::string& h) {
        return prefix ? text::StartsWith(h, wanted[i]) : h == wanted[i];
      });
    }
    return n;
  };
  auto stmt = c.Get(kNamesSql);
  if (!stmt) return Fail(stmt.error());
  size_t n = std::min(cands.size(), kMaxScored);
  for (size_t i = 0; i < n; ++i) {
    (*stmt)->Reset();
    (*stmt)->Bind(1, idx.rowid(cands[i].entry));
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (*row) cands[i].score = -(3.0 * points((*stmt)->ColumnText(0)) + 2.0 * points((*stmt)->ColumnText(1)));
  }
  return {};
}

}  // namespace carefinder::store
