// De-duplication: grouping by folded name + ZIP, then street or distance, and
// the field-by-field merge. See dedup.h for the rules.
#include "importer/dedup.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <thread>
#include <utility>

#include "core/geo.h"
#include "importer/normalise.h"

namespace carefinder::importer {

namespace {

// Lower-case ASCII words separated by single spaces; every byte that is not
// a letter, digit or '&' separates words.
std::string Fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '&') {
      out.push_back(c);
    } else if (!out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Calls `f(word)` for each word of folded text until it returns false.
template <typename F>
void ForEachWord(std::string_view folded, F f) {
  while (!folded.empty()) {
    size_t end = folded.find(' ');
    if (!f(folded.substr(0, end)) || end == std::string_view::npos) return;
    folded.remove_prefix(end + 1);
  }
}

void AppendWord(std::string& out, std::string_view word) {
  if (!out.empty()) out.push_back(' ');
  out += word;
}

// USPS street suffixes and directionals, so "Avenue" meets "Ave".
const std::unordered_map<std::string_view, std::string_view>& StreetAbbreviations() {
  static const std::unordered_map<std::string_view, std::string_view> kMap = {
      {"street", "st"},    {"avenue", "ave"},   {"av", "ave"},       {"road", "rd"},
      {"boulevard", "blvd"}, {"drive", "dr"},   {"lane", "ln"},      {"court", "ct"},
      {"place", "pl"},     {"parkway", "pkwy"}, {"highway", "hwy"},  {"circle", "cir"},
      {"terrace", "ter"},  {"square", "sq"},    {"trail", "trl"},    {"turnpike", "tpke"},
      {"expressway", "expy"}, {"freeway", "fwy"}, {"plaza", "plz"},  {"point", "pt"},
      {"north", "n"},      {"south", "s"},      {"east", "e"},       {"west", "w"},
      {"northeast", "ne"}, {"northwest", "nw"}, {"southeast", "se"}, {"southwest", "sw"},
      {"mount", "mt"},     {"saint", "st"},     {"fort", "ft"},      {"center", "ctr"},
      {"centre", "ctr"},
  };
  return kMap;
}

// Words that start the unit part of an address line: it and what follows
// are left out ("Suite 200", "Bldg 9", "# 4").
bool IsUnitWord(std::string_view w) {
  static const std::unordered_set<std::string_view> kUnits = {
      "suite", "ste", "unit", "apt", "apartment", "room", "rm", "bldg", "building",
      "floor", "fl", "flr", "dept", "po"};
  return kUnits.contains(w);
}

bool IsCompanySuffix(std::string_view w) {
  static const std::unordered_set<std::string_view> kSuffixes = {
      "inc", "incorporated", "llc", "lp", "llp", "corp", "corporation", "ltd", "pc", "pllc"};
  return kSuffixes.contains(w);
}

// Person-verified first (newest check first), then the newest as_of, then
// by source name and key, so the result never depends on the order of the
// files. "" sorts after every date.
bool Precedes(const ListingRecord* a, const ListingRecord* b) {
  if (a->last_verified != b->last_verified) return a->last_verified > b->last_verified;
  if (a->as_of != b->as_of) return a->as_of > b->as_of;
  if (a->source != b->source) return a->source < b->source;
  return a->source_key < b->source_key;
}

double MetresApart(const ListingRecord& a, const ListingRecord& b) {
  return geo::DistanceMiles({*a.latitude, *a.longitude}, {*b.latitude, *b.longitude}) *
         geo::kKmPerMile * 1000;
}

bool HasExactPoint(const ListingRecord& r) {
  return r.latitude && r.longitude && r.precision == GeoPrecision::kExact;
}

bool Mergeable(const ListingRecord& r) {
  return r.kind == "treatment" && !r.address.postal_code.empty() &&
         !(r.address.line1.empty() && IsOnlineOnly(r));
}

// One record that may be merged, with its folded keys.
struct Candidate {
  const ListingRecord* rec;
  size_t index;  // import order
  std::string bucket, street;  // "name|zip", folded street ("" when none)
};

// A group being formed inside one bucket: its members' candidates.
struct Forming {
  std::vector<const Candidate*> members;
  std::string street;  // its founder's street key; "" for a group without one
};

// A source's records at one address with different service names are
// different services (an HSDS organisation's detox and outpatient
// programmes); with the same name, the source listed one facility twice.
bool HasSource(const Forming& g, const ListingRecord& r) {
  return std::any_of(g.members.begin(), g.members.end(),
                     [&](const Candidate* m) { return m->rec->source == r.source; });
}

bool SameService(const Forming& g, const ListingRecord& r) {
  return NameKey(g.members[0]->rec->name) == NameKey(r.name);
}

bool SharesSource(const Forming& a, const Forming& b) {
  return std::any_of(a.members.begin(), a.members.end(),
                     [&](const Candidate* m) { return HasSource(b, *m->rec); });
}

// The nearest group that `c` may join (no source in common, or the same
// service) with an exact point within kNearMetres of `c`; -1 when none.
// Sets `metres`.
int Nearest(const Candidate& c, const std::vector<Forming>& groups, double& metres) {
  int best = -1;
  metres = kNearMetres;
  if (!HasExactPoint(*c.rec)) return best;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (HasSource(groups[g], *c.rec) && !SameService(groups[g], *c.rec)) continue;
    for (const Candidate* m : groups[g].members) {
      if (!HasExactPoint(*m->rec)) continue;
      double d = MetresApart(*c.rec, *m->rec);
      if (d <= metres) metres = d, best = static_cast<int>(g);
    }
  }
  return best;
}

std::string NearReason(double metres) {
  return "same name and ZIP, " + std::to_string(static_cast<int>(std::lround(metres))) +
         " m apart, no street address on one";
}

// Groups the candidates of one bucket, in an order of their own (by source
// and key), so the groups are the same whatever the order of the files:
//  1. records of the same street and service name;
//  2. then groups of the same street with no source in common;
//  3. then each record without a street joins the nearest group (kNearMetres).
// Sets founder[i] (the group's earliest member in import order) and
// reason[i] for every member but that one.
void GroupBucket(std::vector<const Candidate*> bucket, std::vector<size_t>& founder,
                 std::unordered_map<size_t, std::string>& reason) {
  std::sort(bucket.begin(), bucket.end(), [](const Candidate* a, const Candidate* b) {
    if (a->rec->source != b->rec->source) return a->rec->source < b->rec->source;
    return a->rec->source_key < b->rec->source_key;
  });
  std::vector<Forming> groups;
  std::unordered_map<const Candidate*, std::string> why;
  for (const Candidate* c : bucket) {
    if (c->street.empty()) continue;
    auto same = std::find_if(groups.begin(), groups.end(), [&](const Forming& g) {
      return g.street == c->street && SameService(g, *c->rec);
    });
    if (same == groups.end()) {
      groups.push_back({{c}, c->street});
      continue;
    }
    same->members.push_back(c);
    why[c] = "same name and address";
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t h = g + 1; h < groups.size(); ++h) {
      if (groups[h].street != groups[g].street || SharesSource(groups[g], groups[h])) continue;
      for (const Candidate* m : groups[h].members) why.try_emplace(m, "same name and address");
      groups[g].members.insert(groups[g].members.end(), groups[h].members.begin(), groups[h].members.end());
      groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(h--));
    }
  }
  for (const Candidate* c : bucket) {
    if (!c->street.empty()) continue;
    double metres = 0;
    int into = Nearest(*c, groups, metres);
    if (into < 0) {
      groups.push_back({{c}, ""});
      continue;
    }
    groups[into].members.push_back(c);
    why[c] = NearReason(metres);
  }
  for (const Forming& g : groups) {
    if (g.members.size() < 2) continue;
    const Candidate* first = *std::min_element(
        g.members.begin(), g.members.end(),
        [](const Candidate* a, const Candidate* b) { return a->index < b->index; });
    for (const Candidate* m : g.members) {
      if (m == first) continue;
      founder[m->index] = first->index;
      // The one that founded the group has no reason of its own: the first
      // that joined it says how they met.
      reason[m->index] = why.contains(m) ? why[m] : why[g.members[1]];
    }
  }
}


template <typename T, typename Key>
void AppendUnique(std::vector<T>& into, const std::vector<T>& from, Key key) {
  for (const T& v : from) {
    auto k = key(v);
    if (std::none_of(into.begin(), into.end(), [&](const T& have) { return key(have) == k; }))
      into.push_back(v);
  }
}

ListingRecord Merge(const std::vector<const ListingRecord*>& m) {
  ListingRecord out = *m[0];
  auto first = [&](std::string ListingRecord::*field) {
    for (const ListingRecord* r : m) {
      if (!(r->*field).empty()) return r->*field;
    }
    return std::string();
  };
  out.description = first(&ListingRecord::description);
  out.location_name = first(&ListingRecord::location_name);
  out.website = first(&ListingRecord::website);
  out.email = first(&ListingRecord::email);
  out.conference_url = first(&ListingRecord::conference_url);
  out.conference_phone = first(&ListingRecord::conference_phone);
  for (const ListingRecord* r : m) {
    if (r->address.line1.empty()) continue;
    out.address = r->address;
    break;
  }
  const ListingRecord* placed = nullptr;
  for (const ListingRecord* r : m) {
    if (r->latitude && (!placed || r->precision < placed->precision)) placed = r;
  }
  if (placed) out.latitude = placed->latitude, out.longitude = placed->longitude, out.precision = placed->precision;
  for (const ListingRecord* r : m) {
    if (r->hours.empty() && r->hours_text.empty()) continue;
    out.hours = r->hours, out.hours_text = r->hours_text;
    break;
  }
  for (size_t i = 1; i < m.size(); ++i) {
    AppendUnique(out.terms, m[i]->terms, [](const std::string& s) { return s; });
    out.services_stated = out.services_stated || m[i]->services_stated;
    AppendUnique(out.source_attributes, m[i]->source_attributes, [](const std::string& s) { return s; });
    AppendUnique(out.phones, m[i]->phones, [](const Phone& p) {
      return p.e164.empty() ? p.display : p.e164 + "x" + p.extension;
    });
  }
  return out;
}

}  // namespace

std::string NameKey(std::string_view organization) {
  std::string out;
  ForEachWord(Fold(organization), [&](std::string_view w) {
    if (w == "&") w = "and";
    if (!IsCompanySuffix(w) && w != "the") AppendWord(out, w);
    return true;
  });
  return out;
}

std::string StreetKey(std::string_view line1) {
  std::string out;
  ForEachWord(Fold(line1.substr(0, line1.find(','))), [&](std::string_view w) {
    if (IsUnitWord(w)) return false;
    auto abbreviation = StreetAbbreviations().find(w);
    AppendWord(out, abbreviation == StreetAbbreviations().end() ? w : abbreviation->second);
    return true;
  });
  return out;
}

std::vector<ListingGroup> GroupDuplicates(const std::vector<ReadResult>& files) {
  std::vector<const ListingRecord*> records;
  for (const ReadResult& file : files) records.reserve(records.size() + file.records.size());
  for (const ReadResult& file : files) {
    for (const ListingRecord& rec : file.records) records.push_back(&rec);
  }
  // Every mergeable record's bucket ("name|zip") hashed on every core (pure
  // work; 1e6 records: about 1 s on one), kept as (hash, index) and sorted:
  // a run of equal hashes is almost always a run of one. Only a longer run's
  // buckets are made again, to group them by their text. Keeping every
  // bucket's text to sort by took about 150 MB of new memory at 1e6, most
  // of this phase's time (pages the kernel had to clear).
  auto bucket_of = [&records](size_t i, std::string& bucket) {
    bucket.clear();
    if (!Mergeable(*records[i])) return false;
    bucket = NameKey(records[i]->organization);
    if (bucket.empty()) return false;
    (bucket += '|') += records[i]->address.postal_code;
    return true;
  };
  auto hash_buckets = [&](size_t from, size_t to, std::vector<std::pair<uint64_t, size_t>>& out) {
    out.reserve(to - from);
    std::string bucket;
    for (size_t i = from; i < to; ++i) {
      if (bucket_of(i, bucket)) out.emplace_back(std::hash<std::string>()(bucket), i);
    }
  };
  size_t parts = records.size() < 4096 ? 1 : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<std::vector<std::pair<uint64_t, size_t>>> part(parts);
  {
    std::vector<std::jthread> workers;
    size_t step = (records.size() + parts - 1) / parts;
    for (size_t t = 1; t < parts; ++t)
      workers.emplace_back(hash_buckets, std::min(t * step, records.size()),
                           std::min((t + 1) * step, records.size()), std::ref(part[t]));
    hash_buckets(0, std::min(step, records.size()), part[0]);
  }
  std::vector<std::pair<uint64_t, size_t>> hashed = std::move(part[0]);
  for (size_t t = 1; t < parts; ++t) hashed.insert(hashed.end(), part[t].begin(), part[t].end());
  std::sort(hashed.begin(), hashed.end());
  std::vector<size_t> founder(records.size(), SIZE_MAX);  // SIZE_MAX: founds its own group
  // The runs of two or more (at 1e6 about a quarter of the records: their
  // buckets and streets made again, then grouped), shared by the same cores,
  // each part with reasons of its own: a run's grouping writes only its own
  // records' founders.
  auto group_runs = [&](size_t from, size_t to, std::unordered_map<size_t, std::string>& reasons) {
    std::vector<Candidate> candidates;
    for (size_t i = from, j; i < to; i = j) {
      for (j = i + 1; j < to && hashed[j].first == hashed[i].first; ++j) {}
      if (j - i < 2) continue;
      // The run's candidates by bucket, each bucket's in import order.
      candidates.clear();
      for (size_t k = i; k < j; ++k) {
        const size_t index = hashed[k].second;
        std::string bucket;
        bucket_of(index, bucket);
        candidates.push_back({records[index], index, std::move(bucket), ""});
      }
      std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return a.bucket != b.bucket ? a.bucket < b.bucket : a.index < b.index;
      });
      for (size_t b = 0, e; b < candidates.size(); b = e) {
        for (e = b + 1; e < candidates.size() && candidates[e].bucket == candidates[b].bucket; ++e) {}
        if (e - b < 2) continue;
        std::vector<const Candidate*> bucket;
        for (size_t k = b; k < e; ++k) {
          candidates[k].street = StreetKey(candidates[k].rec->address.line1);
          bucket.push_back(&candidates[k]);
        }
        GroupBucket(bucket, founder, reasons);
      }
    }
  };
  std::vector<size_t> run_parts{0};  // where each part starts: never inside a run
  for (size_t t = 1; t < parts; ++t) {
    size_t at = std::max(run_parts.back(), hashed.size() * t / parts);
    while (at > 0 && at < hashed.size() && hashed[at].first == hashed[at - 1].first) ++at;
    run_parts.push_back(at);
  }
  run_parts.push_back(hashed.size());
  std::vector<std::unordered_map<size_t, std::string>> part_reasons(parts);
  {
    std::vector<std::jthread> workers;
    for (size_t t = 1; t < parts; ++t)
      workers.emplace_back(group_runs, run_parts[t], run_parts[t + 1], std::ref(part_reasons[t]));
    group_runs(run_parts[0], run_parts[1], part_reasons[0]);
  }
  std::unordered_map<size_t, std::string> reason = std::move(part_reasons[0]);
  for (size_t t = 1; t < parts; ++t) reason.merge(part_reasons[t]);
  // Groups in the import order of their founders, members in import order.
  std::vector<ListingGroup> groups;
  groups.reserve(records.size() - reason.size());
  std::vector<size_t> group_of(records.size());  // a founder's group
  for (size_t i = 0; i < records.size(); ++i) {
    if (founder[i] == SIZE_MAX) {
      group_of[i] = groups.size();
      groups.push_back({{records[i]}, {}, nullptr});
      continue;
    }
    ListingGroup& g = groups[group_of[founder[i]]];
    if (g.reasons.empty()) g.reasons.push_back("");
    g.members.push_back(records[i]);
    g.reasons.push_back(std::move(reason[i]));
  }
  for (ListingGroup& g : groups) {
    if (g.members.size() < 2) continue;
    std::vector<size_t> idx(g.members.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(),
                     [&](size_t x, size_t y) { return Precedes(g.members[x], g.members[y]); });
    ListingGroup sorted;
    for (size_t i : idx) sorted.members.push_back(g.members[i]), sorted.reasons.push_back(g.reasons[i]);
    sorted.merged = std::make_shared<const ListingRecord>(Merge(sorted.members));
    g = std::move(sorted);
  }
  return groups;
}

std::vector<MergeNote> MergeNotes(const ListingGroup& g) {
  std::vector<MergeNote> notes;
  auto where = [](const ListingRecord* r) { return r->file + ":" + std::to_string(r->line); };
  for (size_t i = 1; i < g.members.size(); ++i) {
    // The founder has no reason of its own; the first member's says how they met.
    const std::string& reason = g.reasons[i].empty() ? g.reasons[0] : g.reasons[i];
    notes.push_back({where(g.members[i]), where(g.members[0]), reason});
  }
  return notes;
}

}  // namespace carefinder::importer
