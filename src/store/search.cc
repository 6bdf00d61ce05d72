// The search pipeline: candidates (place or text) -> text membership ->
// filters and facets on bitsets -> sort -> page -> documents. See search.h.
#include "store/search.h"

#include <algorithm>

#include "db/database.h"
#include "store/connection.h"
#include "store/fts_query.h"
#include "store/snapshot.h"
#include "store/text_filter.h"

namespace carefinder::store {

namespace {

constexpr const char* kFtsRankedSql =
    "SELECT rowid, bm25(listing_fts) FROM listing_fts WHERE listing_fts MATCH ? LIMIT ?";
constexpr const char* kDocSql = "SELECT doc FROM listing WHERE rowid = ?";

struct CompiledGroup {
  int group_index;  // into Taxonomy::groups()
  std::vector<uint64_t> include, exclude;
  bool has_include = false;
};

struct Compiled {
  std::vector<CompiledGroup> groups;
  bool want_unlocated = false;  // attendance asks for online
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

Compiled Compile(const Snapshot& snap, const SearchQuery& q) {
  const Taxonomy& tax = snap.taxonomy;
  Compiled out;
  for (const auto& f : q.filters) {
    const TermGroup* group = tax.FindGroup(f.group);
    if (!group) continue;
    CompiledGroup g{static_cast<int>(group - tax.groups().data()),
                    std::vector<uint64_t>(snap.index.words()),
                    std::vector<uint64_t>(snap.index.words())};
    for (const auto& code : f.include) {
      if (const Term* t = tax.Find(code)) SetBit(g.include, t->bit), g.has_include = true;
      if (f.group == "attendance" && code == "online") out.want_unlocated = true;
    }
    for (const auto& code : f.exclude) {
      if (const Term* t = tax.Find(code)) SetBit(g.exclude, t->bit);
    }
    out.groups.push_back(std::move(g));
  }
  return out;
}

std::vector<Candidate> PlaceCandidates(const ListingIndex& idx, const SearchQuery& q,
                                       const Compiled& cf) {
  std::vector<Candidate> out;
  idx.ForEachWithin(*q.center, q.radius_miles, [&](uint32_t i, double d) {
    if (q.any_status || idx.active(i)) out.push_back({i, d, 0});
  });
  if (cf.want_unlocated) {
    for (uint32_t i = idx.located_count(); i < idx.size(); ++i) {
      if (q.any_status || idx.active(i)) out.push_back({i, -1, 0});
    }
  }
  return out;
}

// Text drives (no place): the first kMaxTextOnlyMatches matches, with bm25.
Result<std::vector<Candidate>> TextCandidates(Connection& c, const ListingIndex& idx,
                                              const std::string& fts, const SearchQuery& q,
                                              const Compiled& cf) {
  auto stmt = c.Get(kFtsRankedSql);
  if (!stmt) return Fail(stmt.error());
  (*stmt)->Bind(1, fts).Bind(2, static_cast<int64_t>(kMaxTextOnlyMatches));
  std::vector<Candidate> out;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto i = idx.FindRowid((*stmt)->ColumnInt(0));
    if (!i || !(q.any_status || idx.active(*i))) continue;
    if (!idx.located(*i) && !cf.want_unlocated) continue;
    out.push_back({*i, -1, (*stmt)->ColumnDouble(1)});
  }
  return out;
}

// Keeps the candidates with a weekly time overlapping `w`.
void KeepOpenDuring(const ListingIndex& idx, WeekWindow w, std::vector<Candidate>& cands) {
  std::erase_if(cands, [&](const Candidate& c) { return !OpenDuring(idx.schedule(c.entry), w); });
}

// kNext's key: minutes to the next weekly time; unknown times after all others.
void ScoreByNextTime(const ListingIndex& idx, int minute, std::vector<Candidate>& cands) {
  for (auto& c : cands) {
    c.score = MinutesToNext(idx.schedule(c.entry), minute).value_or(kMinutesPerWeek);
  }
}

// Applies the filters and counts facets: a candidate failing no group counts
// in every group; failing exactly one group, it counts in that group only.
std::vector<Candidate> FilterAndCount(const Snapshot& snap, const Compiled& cf,
                                      const std::vector<Candidate>& cands,
                                      std::vector<int64_t>& counts) {
  const ListingIndex& idx = snap.index;
  const int words = idx.words();
  std::vector<Candidate> matches;
  for (const auto& cand : cands) {
    const uint64_t* bits = idx.bits(cand.entry);
    int failed = 0, failed_group = -1;
    for (const auto& g : cf.groups) {
      if (!Passes(g, bits) && ++failed == 1) failed_group = g.group_index;
      if (failed > 1) break;
    }
    if (failed > 1) continue;
    if (failed == 0) matches.push_back(cand);
    for (int w = 0; w < words; ++w) {
      for (uint64_t b = bits[w]; b; b &= b - 1) {
        int bit = w * 64 + __builtin_ctzll(b);
        if (failed == 0 || snap.taxonomy.group_index_of_bit(bit) == failed_group) ++counts[bit];
      }
    }
  }
  return matches;
}

std::vector<Facet> RenderFacets(const Taxonomy& tax, const std::vector<int64_t>& counts) {
  std::vector<Facet> out;
  for (const auto& g : tax.groups()) {
    Facet f{g.name, {}};
    for (int i : g.term_indexes) {
      if (counts[i] > 0) f.counts.push_back({tax.terms()[i].code, counts[i]});
    }
    if (!f.counts.empty()) out.push_back(std::move(f));
  }
  return out;
}

void SortPage(const ListingIndex& idx, SortOrder sort, size_t end, std::vector<Candidate>& m) {
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
  auto middle = m.begin() + std::min(end, m.size());
  if (sort == SortOrder::kName) std::partial_sort(m.begin(), middle, m.end(), by_name);
  else if (sort == SortOrder::kRelevance || sort == SortOrder::kNext)
    std::partial_sort(m.begin(), middle, m.end(), by_score);
  else std::partial_sort(m.begin(), middle, m.end(), by_distance);
}

Result<std::vector<SearchHit>> FetchDocs(Connection& c, const ListingIndex& idx,
                                         const std::vector<Candidate>& page) {
  auto stmt = c.Get(kDocSql);
  if (!stmt) return Fail(stmt.error());
  std::vector<SearchHit> hits;
  for (const auto& cand : page) {
    (*stmt)->Reset();
    (*stmt)->Bind(1, idx.rowid(cand.entry));
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) continue;  // replaced by an import since the snapshot was built
    SearchHit hit{(*stmt)->ColumnString(0), std::nullopt};
    if (cand.distance >= 0) hit.distance_miles = cand.distance;
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace

Result<SearchResult> RunSearch(Connection& c, const Snapshot& snap, const SearchQuery& q) {
  const ListingIndex& idx = snap.index;
  Compiled cf = Compile(snap, q);
  std::vector<std::string> words = SplitWords(q.text);
  std::string fts = BuildFtsQuery(words);
  std::vector<Candidate> cands;
  if (q.center) {
    cands = PlaceCandidates(idx, q, cf);
    if (!words.empty()) {
      if (auto s = FilterByWords(c, idx, snap.word_sets, words, cands); !s) return Fail(s.error());
    }
  } else if (!fts.empty()) {
    auto found = TextCandidates(c, idx, fts, q, cf);
    if (!found) return Fail(found.error());
    cands = std::move(*found);
  }
  if (q.open_during) KeepOpenDuring(idx, *q.open_during, cands);
  std::vector<int64_t> counts(snap.taxonomy.terms().size());
  std::vector<Candidate> matches = FilterAndCount(snap, cf, cands, counts);
  if (q.center && !words.empty() && q.sort == SortOrder::kRelevance) {
    if (auto s = ScoreCandidates(c, idx, words, matches); !s) return Fail(s.error());
  }
  if (q.sort == SortOrder::kNext) ScoreByNextTime(idx, q.week_minute, matches);
  SearchResult result;
  result.total = matches.size();
  result.facets = RenderFacets(snap.taxonomy, counts);
  size_t end = std::min(matches.size(), q.offset + q.limit);
  SortPage(idx, q.sort, end, matches);
  result.more = end < matches.size();
  if (q.offset >= end) return result;
  std::vector<Candidate> page(matches.begin() + q.offset, matches.begin() + end);
  auto hits = FetchDocs(c, idx, page);
  if (!hits) return Fail(hits.error());
  result.hits = std::move(*hits);
  return result;
}

}  // namespace carefinder::store
