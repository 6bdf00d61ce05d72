// The search pipeline: candidates (place or text) -> text membership ->
// filters and facets on bitsets -> sort -> page -> documents. See search.h.
#include "store/search.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "db/database.h"
#include "store/connection.h"
#include "store/fts_query.h"
#include "store/snapshot.h"
#include "store/text_filter.h"

namespace carefinder::store {

namespace {

constexpr const char* kFtsRankedSql =
    "SELECT rowid, bm25(listing_fts) FROM listing_fts WHERE listing_fts MATCH ? LIMIT ?";

struct CompiledGroup {
  int group_index;  // into Taxonomy::groups()
  std::vector<uint64_t> include, exclude;
  std::vector<uint64_t> all;  // every term of the group
  std::vector<int> include_terms, exclude_terms;  // the bits of include and exclude
  bool has_include = false;
  bool statable = false;  // a group a source may leave unsaid (TermGroupInfo::statable)
};

struct Compiled {
  std::vector<CompiledGroup> groups;
  bool asks_statable = false;   // some statable group has an include
  int treatment_bit = -1;       // kind "treatment": only treatment states services
};

void SetBit(std::vector<uint64_t>& m, int bit) { m[bit / 64] |= uint64_t{1} << (bit % 64); }

bool Intersects(const uint64_t* bits, const std::vector<uint64_t>& mask) {
  for (size_t w = 0; w < mask.size(); ++w) {
    if (bits[w] & mask[w]) return true;
  }
  return false;
}

bool Passes(const CompiledGroup& g, const uint64_t* bits) {
  if (g.has_include && !Intersects(bits, g.include)) return false;
  return !Intersects(bits, g.exclude);
}

bool PassesAll(const Compiled& cf, const uint64_t* bits) {
  return std::all_of(cf.groups.begin(), cf.groups.end(),
                     [&](const CompiledGroup& g) { return Passes(g, bits); });
}

// A listing whose source does not state its services passes a statable group
// it fails when it says nothing at all in that group: unknown, not no.
bool PassesUnstated(const Compiled& cf, const uint64_t* bits) {
  return std::all_of(cf.groups.begin(), cf.groups.end(), [&](const CompiledGroup& g) {
    return Passes(g, bits) || (g.statable && !Intersects(bits, g.all));
  });
}

Compiled Compile(const Snapshot& snap, const SearchQuery& q) {
  const Taxonomy& tax = snap.taxonomy;
  Compiled out;
  if (const Term* t = tax.Find("treatment")) out.treatment_bit = t->index;
  for (const auto& f : q.filters) {
    const TermGroup* group = tax.FindGroup(f.group);
    if (!group) continue;
    CompiledGroup g{static_cast<int>(group - tax.groups().data()),
                    std::vector<uint64_t>(snap.index.words()),
                    std::vector<uint64_t>(snap.index.words()),
                    std::vector<uint64_t>(snap.index.words())};
    for (int t : group->term_indexes) SetBit(g.all, t);
    const TermGroupInfo* info = FindTermGroup(f.group);
    g.statable = info != nullptr && info->statable;
    for (const auto& code : f.include) {
      if (const Term* t = tax.Find(code)) {
        SetBit(g.include, t->index);
        g.has_include = true;
        g.include_terms.push_back(t->index);
      }
    }
    for (const auto& code : f.exclude) {
      if (const Term* t = tax.Find(code)) {
        SetBit(g.exclude, t->index);
        g.exclude_terms.push_back(t->index);
      }
    }
    out.asks_statable |= g.statable && g.has_include;
    out.groups.push_back(std::move(g));
  }
  return out;
}

void PlaceCandidates(const ListingIndex& idx, const SearchQuery& q, std::vector<Candidate>& out) {
  idx.ForEachWithin(*q.center, q.radius_miles, [&](uint32_t i, double chord2, double d) {
    if (q.any_status || idx.active(i)) out.push_back({i, d, 0, chord2});
  });
  if (q.include_unlocated) {
    for (uint32_t i = idx.located_count(); i < idx.size(); ++i) {
      if (q.any_status || idx.active(i)) out.push_back({i, -1, 0});
    }
  }
}

// Candidate vectors reused by the thread that searches: a dense place search
// gathers tens of thousands, and a new vector each time pays its growth
// copies and page faults. One larger than kKeptCandidates is freed after use,
// so an idle worker holds at most a few MB.
constexpr size_t kKeptCandidates = size_t{1} << 17;

class CandidateBuffer {
 public:
  CandidateBuffer() {
    if (!Free().empty()) {
      v_ = std::move(Free().back());
      Free().pop_back();
    }
    v_.clear();
  }
  ~CandidateBuffer() {
    if (v_.capacity() <= kKeptCandidates) Free().push_back(std::move(v_));
  }
  CandidateBuffer(const CandidateBuffer&) = delete;
  CandidateBuffer& operator=(const CandidateBuffer&) = delete;
  std::vector<Candidate>& operator*() { return v_; }
  std::vector<Candidate>* operator->() { return &v_; }

 private:
  static std::vector<std::vector<Candidate>>& Free() {
    thread_local std::vector<std::vector<Candidate>> free;
    return free;
  }
  std::vector<Candidate> v_;
};

// The exact distance of candidates that have not computed it yet (only place
// candidates can be in that state, so `center` is set when one is).
void ComputeDistances(const ListingIndex& idx, const std::optional<geo::Point>& center,
                      std::vector<Candidate>::iterator first,
                      std::vector<Candidate>::iterator last) {
  for (auto it = first; it != last; ++it) {
    if (std::isnan(it->distance)) it->distance = geo::DistanceMiles(*center, idx.point(it->entry));
  }
}

// Text drives (no place): the first kMaxTextOnlyMatches matches in rowid
// order. A word matches a listing's text (FTS5) or a label of its terms
// (label_words.h); bm25 ranks the text matches, and a listing that matches
// some word only through a label scores 0, after them.
Result<std::vector<Candidate>> TextCandidates(Connection& c, const Snapshot& snap,
                                              const std::vector<std::string>& words, const std::string& fts,
                                              const SearchQuery& q) {
  const ListingIndex& idx = snap.index;
  auto keep = [&](uint32_t i) {
    return (q.any_status || idx.active(i)) && (idx.located(i) || q.include_unlocated);
  };
  auto stmt = c.Get(kFtsRankedSql);
  if (!stmt) return Fail(stmt.error());
  (*stmt)->Bind(1, fts).Bind(2, static_cast<int64_t>(kMaxTextOnlyMatches));
  std::vector<Candidate> out;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto i = idx.FindRowid((*stmt)->ColumnInt(0));
    if (!i || !keep(*i)) continue;
    out.push_back({*i, -1, (*stmt)->ColumnDouble(1)});
  }
  (*stmt)->Reset();
  auto in_labels = AnyWordInLabels(*snap.labels, words);
  if (!in_labels) return Fail(in_labels.error());
  if (!*in_labels) return out;
  auto every = MatchEveryWord(c, idx, snap.word_sets, *snap.labels, words);
  if (!every) return Fail(every.error());
  std::unordered_map<uint32_t, double> bm25;
  for (const Candidate& k : out) bm25.emplace(k.entry, k.score);
  // The first matches in rowid order: the index is walked in that order and
  // stops at the last one kept (a common word: after a few thousand
  // listings, not all of them gathered and sorted).
  out.clear();
  for (const auto& [rowid, i] : idx.by_rowid()) {
    if (out.size() == kMaxTextOnlyMatches) break;
    if (!(((*every)[i / 64] >> (i % 64)) & 1) || !keep(i)) continue;
    auto found = bm25.find(i);
    out.push_back({i, -1, found == bm25.end() ? 0.0 : found->second});
  }
  return out;
}

// Keeps the candidates with a weekly time overlapping `w` (in their own zone).
void KeepOpenDuring(const ListingIndex& idx, const ZoneShift& shift, WeekWindow w,
                    std::vector<Candidate>& cands) {
  std::erase_if(cands, [&](const Candidate& c) {
    return !OpenDuringShifted(idx.schedule(c.entry), w, shift.Minutes(c.entry));
  });
}

// The weekday and time-of-day filters (store/meeting_times.h).
void KeepStartingWithin(const ListingIndex& idx, const std::vector<WeekWindow>& windows,
                        std::vector<Candidate>& cands) {
  std::erase_if(cands, [&](const Candidate& c) { return !StartsWithin(idx.schedule(c.entry), windows); });
}

// kNext's key: minutes to the next weekly time; unknown times after all others.
void ScoreByNextTime(const ListingIndex& idx, const ZoneShift& shift, int minute,
                     std::vector<Candidate>& cands) {
  for (auto& c : cands) {
    int local = ((minute + shift.Minutes(c.entry)) % kMinutesPerWeek + kMinutesPerWeek) % kMinutesPerWeek;
    c.score = MinutesToNext(idx.schedule(c.entry), local).value_or(kMinutesPerWeek);
  }
}

// spread[b]: byte i is bit i of b.
constexpr std::array<uint64_t, 256> kSpreadBits = [] {
  std::array<uint64_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    for (int i = 0; i < 8; ++i) t[b] |= uint64_t((b >> i) & 1) << (8 * i);
  }
  return t;
}();

// Applies the filters and counts facets, one candidate at a time: a
// candidate failing no group is a match and counts in every group; failing
// exactly one group, it counts in that group only. Counts are kept as bytes,
// eight terms to a 64-bit lane: a candidate adds one table word per eight
// terms instead of a branch per term, and the lanes spill into 64-bit counts
// before a byte can overflow. W is the words of a term set (ListingIndex::
// words()) when known at compile time (WithWordCount), 0 when not.
template <int W>
class FacetSieve {
 public:
  FacetSieve(const ListingIndex& idx, const Compiled& cf, std::vector<Candidate>& matches)
      : idx_(idx),
        cf_(cf),
        matches_(matches),
        words_(W ? W : idx.words()),
        every_term_(words_, ~uint64_t{0}),
        lanes_(size_t(words_) * 8),
        totals_(size_t(words_) * 64) {}

  void Offer(const Candidate& cand) {
    const uint64_t* bits = idx_.bits(cand.entry);
    const uint64_t* counted = every_term_.data();
    int failed = 0;
    for (const auto& g : cf_.groups) {
      if (Passes(g, bits)) continue;
      if (++failed > 1) return;
      counted = g.all.data();
    }
    if (failed == 0) matches_.push_back(cand);
    for (int w = 0; w < words(); ++w) {
      uint64_t v = bits[w] & counted[w];
      uint64_t* lane = &lanes_[size_t(w) * 8];
      for (int j = 0; j < 8; ++j) lane[j] += kSpreadBits[(v >> (8 * j)) & 0xFF];
    }
    if (++pending_ == kMaxPending) Spill();
  }

  // Adds the counts to `counts` (indexed by term bit).
  void AddTo(std::vector<int64_t>& counts) {
    Spill();
    for (size_t i = 0; i < counts.size() && i < totals_.size(); ++i) counts[i] += totals_[i];
  }

 private:
  static constexpr int kMaxPending = 255;  // a byte's largest count

  int words() const { return W ? W : words_; }
  bool Intersects(const uint64_t* bits, const std::vector<uint64_t>& mask) const {
    uint64_t any = 0;
    for (int w = 0; w < words(); ++w) any |= bits[w] & mask[w];
    return any != 0;
  }
  bool Passes(const CompiledGroup& g, const uint64_t* bits) const {
    return (!g.has_include || Intersects(bits, g.include)) && !Intersects(bits, g.exclude);
  }
  void Spill() {
    for (size_t l = 0; l < lanes_.size(); ++l) {
      for (int b = 0; b < 8; ++b)
        totals_[l * 8 + b] += static_cast<int64_t>((lanes_[l] >> (8 * b)) & 0xFF);
      lanes_[l] = 0;
    }
    pending_ = 0;
  }

  const ListingIndex& idx_;
  const Compiled& cf_;
  std::vector<Candidate>& matches_;
  int words_;
  int pending_ = 0;
  std::vector<uint64_t> every_term_;
  std::vector<uint64_t> lanes_;
  std::vector<int64_t> totals_;
};

// Calls fn.template operator()<W>() with W = `words` when it is small (the
// loops over a term set unroll), else with W = 0.
template <class Fn>
void WithWordCount(int words, Fn&& fn) {
  switch (words) {
    case 1:
      return fn.template operator()<1>();
    case 2:
      return fn.template operator()<2>();
    case 3:
      return fn.template operator()<3>();
    case 4:
      return fn.template operator()<4>();
    default:
      return fn.template operator()<0>();
  }
}

void FilterAndCount(const Snapshot& snap, const Compiled& cf, const std::vector<Candidate>& cands,
                    std::vector<Candidate>& matches, std::vector<int64_t>& counts) {
  WithWordCount(snap.index.words(), [&]<int W>() {
    FacetSieve<W> sieve(snap.index, cf, matches);
    for (const Candidate& cand : cands) sieve.Offer(cand);
    sieve.AddTo(counts);
  });
}

// A set of index entries, 64 to a word, in rising word order: bit k of
// `bits` is entry 64 * word + k.
struct EntryWord {
  uint32_t word;
  uint64_t bits;
};

// The entries a place search starts from (within the radius, or unlocated
// when asked; active unless any status), as entry words.
std::vector<EntryWord> PlaceEntryWords(const ListingIndex& idx, const SearchQuery& q) {
  std::vector<EntryWord> in;
  auto add = [&](uint32_t i) {
    if (!q.any_status && !idx.active(i)) return;
    if (in.empty() || in.back().word != i / 64) in.push_back({i / 64, 0});
    in.back().bits |= uint64_t{1} << (i % 64);
  };
  idx.ForEachWithin(*q.center, q.radius_miles, [&](uint32_t i, double, double) { add(i); });
  if (q.include_unlocated) {
    for (uint32_t i = idx.located_count(); i < idx.size(); ++i) add(i);
  }
  // A box across 180° scans a band in two runs, the second from lower entries.
  auto by_word = [](const EntryWord& a, const EntryWord& b) { return a.word < b.word; };
  if (!std::is_sorted(in.begin(), in.end(), by_word)) {
    std::sort(in.begin(), in.end(), by_word);
    size_t out = 0;
    for (size_t k = 0; k < in.size(); ++k) {
      if (out > 0 && in[out - 1].word == in[k].word)
        in[out - 1].bits |= in[k].bits;
      else
        in[out++] = in[k];
    }
    in.resize(out);
  }
  return in;
}

// The entries of `column` among in[k].bits & mask[k], summed over k. On
// x86-64 with the popcnt instruction: without it GCC calls a library routine
// per word (the whole build targets baseline x86-64), three times slower here.
#if defined(__x86_64__)
__attribute__((target("popcnt")))
#endif
int64_t
CountIn(const uint64_t* column, const std::vector<EntryWord>& in, const uint64_t* mask) {
  int64_t sum = 0;
  for (size_t k = 0; k < in.size(); ++k) sum += __builtin_popcountll(column[in[k].word] & mask[k]);
  return sum;
}

// A place search with no words and no times, on the index's term columns,
// 64 entries at a time: which entries pass each group, the matches (passing
// every group), and for each filtered group those failing only it; a term's
// count is the number of its entries among the matches, or, for a term of a
// filtered group, among the matches and those failing only that group (the
// rule of FacetSieve). Returns the number of matches; only those that can be
// among the nearest `keep` become candidates (all of them when keep is 0).
size_t ScanFilterAndCount(const Snapshot& snap, const Compiled& cf, const SearchQuery& q,
                          size_t keep, std::vector<Candidate>& matches,
                          std::vector<int64_t>& counts) {
  const ListingIndex& idx = snap.index;
  const std::vector<EntryWord> in = PlaceEntryWords(idx, q);
  const size_t n = in.size(), groups = cf.groups.size();
  auto column_or = [&](const std::vector<int>& terms, uint32_t word) {
    uint64_t v = 0;
    for (int t : terms) v |= idx.term_column(t)[word];
    return v;
  };
  std::vector<uint64_t> pass(groups * n);  // pass[g * n + k]: entries of in[k] passing group g
  for (size_t g = 0; g < groups; ++g) {
    const CompiledGroup& cg = cf.groups[g];
    for (size_t k = 0; k < n; ++k) {
      uint64_t include = cg.has_include ? column_or(cg.include_terms, in[k].word) : ~uint64_t{0};
      pass[g * n + k] = include & ~column_or(cg.exclude_terms, in[k].word);
    }
  }
  auto passing_all_but = [&](size_t skip, size_t k) {
    uint64_t v = in[k].bits;
    for (size_t g = 0; g < groups; ++g) {
      if (g != skip) v &= pass[g * n + k];
    }
    return v;
  };
  std::vector<uint64_t> matched(n);
  for (size_t k = 0; k < n; ++k) matched[k] = passing_all_but(groups, k);
  // Per taxonomy group with a filter: matches plus those failing only that group.
  std::vector<std::vector<uint64_t>> counted_in(snap.taxonomy.groups().size());
  for (size_t g = 0; g < groups; ++g) {
    auto& mask = counted_in[cf.groups[g].group_index];
    if (mask.empty()) mask = matched;
    for (size_t k = 0; k < n; ++k) mask[k] |= passing_all_but(g, k);
  }
  for (int t = 0; t < idx.term_count() && t < static_cast<int>(counts.size()); ++t) {
    const auto& group_mask = counted_in[snap.taxonomy.group_index_of(t)];
    counts[t] +=
        CountIn(idx.term_column(t), in, group_mask.empty() ? matched.data() : group_mask.data());
  }
  size_t total = 0;
  for (uint64_t m : matched) total += static_cast<size_t>(__builtin_popcountll(m));
  const geo::UnitVector centre = geo::ToUnitVector(*q.center);
  auto chord2_of = [&](uint32_t i) {
    return idx.located(i) ? geo::ChordSquared(centre, idx.unit(i)) : kNoChord;
  };
  auto for_each_match = [&](auto&& fn) {
    for (size_t k = 0; k < n; ++k) {
      for (uint64_t b = matched[k]; b; b &= b - 1) fn(in[k].word * 64 + __builtin_ctzll(b));
    }
  };
  double bound = kNoChord;  // keep the matches up to this chord²
  if (keep > 0 && total > keep) {
    std::vector<double> smallest;  // a max-heap of the `keep` smallest chord² (as SelectNearest)
    smallest.reserve(keep);
    for_each_match([&](uint32_t i) {
      double chord2 = chord2_of(i);
      if (smallest.size() < keep) {
        smallest.push_back(chord2);
        std::push_heap(smallest.begin(), smallest.end());
      } else if (chord2 < smallest.front()) {
        std::pop_heap(smallest.begin(), smallest.end());
        smallest.back() = chord2;
        std::push_heap(smallest.begin(), smallest.end());
      }
    });
    bound = geo::FartherChordBound(smallest.front());
  }
  for_each_match([&](uint32_t i) {
    double chord2 = chord2_of(i);
    if (chord2 > bound) return;
    if (idx.located(i))
      matches.push_back({i, kDistanceNotComputed, 0, chord2});
    else
      matches.push_back({i, -1, 0});
  });
  return total;
}

std::vector<Facet> RenderFacets(const Taxonomy& tax, const std::vector<int64_t>& counts) {
  std::vector<Facet> out;
  out.reserve(tax.groups().size());
  for (const auto& g : tax.groups()) {
    Facet f{g.name, {}};
    f.counts.reserve(g.term_indexes.size());
    for (int i : g.term_indexes) {
      if (counts[i] > 0) f.counts.push_back({tax.terms()[i].code, counts[i]});
    }
    if (!f.counts.empty()) out.push_back(std::move(f));
  }
  return out;
}

// The nearest `end` of `m` in order, first: the end-th smallest chord² bounds
// which candidates can be among them (geo::FartherChordBound), and only those
// get their exact distance and are sorted by it, then by name.
template <class Less>
void SelectNearest(const ListingIndex& idx, const std::optional<geo::Point>& center, size_t end,
                   std::vector<Candidate>& m, Less by_distance) {
  auto last = m.end();
  if (m.size() > end) {
    std::vector<double> smallest;  // a max-heap of the `end` smallest chord² seen
    smallest.reserve(end);
    for (const Candidate& c : m) {
      if (smallest.size() < end) {
        smallest.push_back(c.chord2);
        std::push_heap(smallest.begin(), smallest.end());
      } else if (c.chord2 < smallest.front()) {
        std::pop_heap(smallest.begin(), smallest.end());
        smallest.back() = c.chord2;
        std::push_heap(smallest.begin(), smallest.end());
      }
    }
    double bound = geo::FartherChordBound(smallest.front());  // kNoChord stays infinite
    last =
        std::partition(m.begin(), m.end(), [&](const Candidate& c) { return c.chord2 <= bound; });
  }
  ComputeDistances(idx, center, m.begin(), last);
  std::partial_sort(m.begin(), m.begin() + std::min(end, m.size()), last, by_distance);
}

void SortPage(const ListingIndex& idx, const std::optional<geo::Point>& center, SortOrder sort,
              size_t end, std::vector<Candidate>& m) {
  auto by_name = [&](const Candidate& a, const Candidate& b) {
    return idx.name_rank(a.entry) < idx.name_rank(b.entry);
  };
  auto by_distance = [&](const Candidate& a, const Candidate& b) {
    if ((a.distance < 0) != (b.distance < 0)) return b.distance < 0;  // unlocated last
    if (a.distance != b.distance) return a.distance < b.distance;
    return by_name(a, b);
  };
  auto by_score = [&](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score < b.score : by_distance(a, b);
  };
  if (end == 0) return;
  if (sort == SortOrder::kDistance) return SelectNearest(idx, center, end, m, by_distance);
  ComputeDistances(idx, center, m.begin(), m.end());
  auto middle = m.begin() + std::min(end, m.size());
  if (sort == SortOrder::kName) std::partial_sort(m.begin(), middle, m.end(), by_name);
  else
    std::partial_sort(m.begin(), middle, m.end(), by_score);
}

// The page's documents come from the snapshot's index, so they always agree
// with the index that picked them (no database read).
std::vector<SearchHit> FetchDocs(const Snapshot& snap, const std::vector<Candidate>& page) {
  const ListingIndex& idx = snap.index;
  std::vector<SearchHit> hits;
  hits.reserve(page.size());
  for (const auto& cand : page) {
    SearchHit hit{idx.doc(cand.entry), std::nullopt, {}};
    if (cand.distance >= 0) hit.distance_miles = cand.distance;
    hit.call = CallActionOf(hit.doc, snap.shared_phones);
    hits.push_back(std::move(hit));
  }
  return hits;
}

// The candidates of `q` within `radius` of its centre (or by text without
// one), after the text and open_during checks; `hours_unknown` (may be null)
// counts those open_during left out for unknown hours that pass every filter.
Status Candidates(Connection* c, const Snapshot& snap, const SearchQuery& q, const Compiled& cf,
                  const std::vector<std::string>& words, double radius, size_t* hours_unknown,
                  std::vector<Candidate>& cands) {
  const ListingIndex& idx = snap.index;
  if (q.center) {
    SearchQuery wide = q;
    wide.radius_miles = radius;
    PlaceCandidates(idx, wide, cands);
    if (!words.empty()) {
      if (auto s = FilterByWords(*c, idx, snap.word_sets, *snap.labels, words, cands); !s) return Fail(s.error());
    }
  } else if (std::string fts = BuildFtsQuery(words); !fts.empty()) {
    auto found = TextCandidates(*c, snap, words, fts, q);
    if (!found) return Fail(found.error());
    cands = std::move(*found);
  } else if (q.include_unlocated) {
    // Online with no place and no words: every listing, for the filters to
    // keep the online ones (hybrid meetings have coordinates too).
    for (uint32_t i = 0; i < idx.size(); ++i) {
      if (q.any_status || idx.active(i)) cands.push_back({i, -1, 0});
    }
  }
  if (q.open_during || !q.starts_within.empty()) {
    if (hours_unknown) {
      *hours_unknown = std::count_if(cands.begin(), cands.end(), [&](const Candidate& k) {
        return idx.schedule(k.entry).empty() && PassesAll(cf, idx.bits(k.entry));
      });
    }
    if (q.open_during) KeepOpenDuring(idx, ZoneShift(idx, q.now), *q.open_during, cands);
    if (!q.starts_within.empty()) KeepStartingWithin(idx, q.starts_within, cands);
  }
  return {};
}

// The nearest `n` of `cands` that `keep` accepts, with their documents.
template <class Keep>
std::vector<SearchHit> Nearest(const Snapshot& snap, const SearchQuery& q,
                               const std::vector<Candidate>& cands, size_t n, Keep keep, size_t* total) {
  const ListingIndex& idx = snap.index;
  std::vector<Candidate> picked;
  for (const Candidate& k : cands) {
    if (keep(k.entry)) picked.push_back(k);
  }
  if (total) *total = picked.size();
  SortPage(idx, q.center, SortOrder::kDistance, n, picked);
  picked.resize(std::min(n, picked.size()));
  return FetchDocs(snap, picked);
}

// Unknown is not no: see SearchResult::not_stated.
void AddNotStated(const Snapshot& snap, const SearchQuery& q, const Compiled& cf,
                  const std::vector<Candidate>& cands, SearchResult& result) {
  const ListingIndex& idx = snap.index;
  result.not_stated = Nearest(
      snap, q, cands, kNotStatedShown,
      [&](uint32_t i) {
        const uint64_t* bits = idx.bits(i);
        bool treatment =
            cf.treatment_bit >= 0 && (bits[cf.treatment_bit / 64] >> (cf.treatment_bit % 64)) & 1;
        return treatment && !idx.services_stated(i) && !PassesAll(cf, bits) &&
               PassesUnstated(cf, bits);
      },
      &result.not_stated_total);
}

// Nothing within the radius: the nearest matches of the first wider step that has any.
Status AddBeyond(Connection* c, const Snapshot& snap, const SearchQuery& q, const Compiled& cf,
                 const std::vector<std::string>& words, SearchResult& result) {
  const ListingIndex& idx = snap.index;
  for (double radius : kWidenSteps) {
    if (radius <= q.radius_miles) continue;
    CandidateBuffer cands;
    if (auto s = Candidates(c, snap, q, cf, words, radius, nullptr, *cands); !s)
      return Fail(s.error());
    auto hits = Nearest(
        snap, q, *cands, kNearestBeyond, [&](uint32_t i) { return PassesAll(cf, idx.bits(i)); },
        nullptr);
    if (hits.empty()) continue;
    result.beyond = std::move(hits);
    result.beyond_radius_miles = radius;
    break;
  }
  return {};
}

}  // namespace

Result<SearchResult> RunSearch(const ConnectionSource& connect, std::shared_ptr<const Snapshot> shared,
                               const SearchQuery& q) {
  const Snapshot& snap = *shared;
  const ListingIndex& idx = snap.index;
  Compiled cf = Compile(snap, q);
  std::vector<std::string> words = SplitWords(q.text);
  Connection* c = nullptr;  // only words read the database
  if (!words.empty()) {
    auto opened = connect();
    if (!opened) return Fail(opened.error());
    c = *opened;
  }
  SearchResult result;
  result.snapshot = std::move(shared);
  CandidateBuffer cands, found;
  std::vector<int64_t> counts(snap.taxonomy.terms().size());
  // Without words or times nothing needs every candidate first (AddNotStated
  // gathers them again when it runs).
  bool one_pass = q.center && words.empty() && !q.open_during && q.starts_within.empty();
  size_t total = 0;  // matches holds them all, or (one pass, by distance) the nearest
  if (one_pass) {
    size_t keep = q.sort == SortOrder::kDistance ? q.offset + q.limit : 0;
    total = ScanFilterAndCount(snap, cf, q, keep, *found, counts);
  } else {
    if (auto s = Candidates(c, snap, q, cf, words, q.radius_miles, &result.hours_unknown, *cands);
        !s) {
      return Fail(s.error());
    }
    FilterAndCount(snap, cf, *cands, *found, counts);
    total = found->size();
  }
  std::vector<Candidate>& matches = *found;
  if (q.center && !words.empty() && q.sort == SortOrder::kRelevance) {
    if (auto s = ScoreCandidates(*c, idx, words, matches); !s) return Fail(s.error());
  }
  if (q.sort == SortOrder::kNext) ScoreByNextTime(idx, ZoneShift(idx, q.now), q.week_minute, matches);
  result.total = total;
  result.facets = RenderFacets(snap.taxonomy, counts);
  if (q.center && q.offset == 0) {
    if (cf.asks_statable && total < kFewStated) {
      if (one_pass) {
        if (auto s = Candidates(c, snap, q, cf, words, q.radius_miles, nullptr, *cands); !s) {
          return Fail(s.error());
        }
      }
      AddNotStated(snap, q, cf, *cands, result);
    }
    if (total == 0) {
      if (auto s = AddBeyond(c, snap, q, cf, words, result); !s) return Fail(s.error());
    }
  }
  size_t end = std::min(total, q.offset + q.limit);
  SortPage(idx, q.center, q.sort, end, matches);
  result.more = end < total;
  if (q.offset >= end) return result;
  std::vector<Candidate> page(matches.begin() + q.offset, matches.begin() + end);
  result.hits = FetchDocs(snap, page);
  return result;
}

}  // namespace carefinder::store
