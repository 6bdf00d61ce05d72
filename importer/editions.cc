// Placing records by address and marking listings of superseded editions: see editions.h.
#include "importer/editions.h"

#include <map>
#include <unordered_map>
#include <unordered_set>

namespace carefinder::importer {

namespace {

// "92374|712 the ter": the door a record is at; "" when it names no street.
std::string AddressKey(const ListingRecord& r) {
  if (r.address.line1.empty() || r.address.postal_code.size() < 5) return "";
  std::string street = StreetKey(r.address.line1);
  if (street.empty()) return "";
  return r.address.postal_code.substr(0, 5) + '|' + street;
}

struct Family {
  std::string as_of;
  std::vector<std::string> current;
};

// Where one group's records come from, per edition family.
struct GroupEditions {
  std::map<std::string, bool> families;  // family -> has a current-edition record
  bool other_source = false;             // a record of a source that is no edition
};

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::vector<std::pair<std::string, int>> PlaceByAddress(std::vector<ReadResult>& files) {
  // Only the addresses a record without coordinates has are looked for:
  // usually few, and none in a file that gives every listing's (1e6
  // located listings: 1.5 s of keys hashed for nothing).
  std::unordered_set<std::string> wanted;
  for (const ReadResult& f : files) {
    for (const ListingRecord& r : f.records) {
      if (r.latitude) continue;
      if (std::string key = AddressKey(r); !key.empty()) wanted.insert(std::move(key));
    }
  }
  if (wanted.empty()) return {};
  std::unordered_map<std::string, const ListingRecord*> located;
  for (const ReadResult& f : files) {
    for (const ListingRecord& r : f.records) {
      if (!r.latitude || r.precision != GeoPrecision::kExact) continue;
      std::string key = AddressKey(r);
      if (wanted.contains(key)) located.emplace(std::move(key), &r);
    }
  }
  std::map<std::string, int> counts;
  for (ReadResult& f : files) {
    for (ListingRecord& r : f.records) {
      if (r.latitude) continue;
      auto it = located.find(AddressKey(r));
      if (it == located.end()) continue;
      r.latitude = it->second->latitude;
      r.longitude = it->second->longitude;
      r.precision = GeoPrecision::kExact;
      ++counts[r.source];
    }
  }
  return {counts.begin(), counts.end()};
}

std::vector<EditionSummary> ApplyEditions(const std::vector<SourceInfo>& sources,
                                          std::vector<ListingGroup>& groups,
                                          const std::vector<std::pair<std::string, int>>& placed) {
  std::map<std::string, Family> families;
  std::unordered_map<std::string, std::string> family_of;  // source name -> family
  for (const SourceInfo& s : sources) {
    if (s.edition_of.empty() || s.name.empty()) continue;
    family_of[s.name] = s.edition_of;
    Family& f = families[s.edition_of];
    if (s.as_of > f.as_of) f = {s.as_of, {}};
    if (s.as_of == f.as_of && !Contains(f.current, s.name)) f.current.push_back(s.name);
  }
  std::map<std::string, EditionSummary> out;
  for (const auto& [name, f] : families) out[name] = {name, f.current, f.as_of};
  if (families.empty()) return {};
  for (ListingGroup& g : groups) {
    GroupEditions e;
    for (const ListingRecord* m : g.members) {
      auto it = family_of.find(m->source);
      if (it == family_of.end()) {
        e.other_source = true;
        continue;
      }
      e.families[it->second] |= Contains(families[it->second].current, m->source);
    }
    bool any_current = false;
    for (const auto& [family, current] : e.families) {
      EditionSummary& sum = out[family];
      any_current |= current;
      if (!current) continue;
      ++sum.listings;
      if (g.members.size() > 1) {
        for (const ListingRecord* m : g.members) {
          auto it = family_of.find(m->source);
          if (it != family_of.end() && it->second == family && !Contains(sum.current, m->source)) {
            ++sum.matched;
            break;
          }
        }
      }
      if (g.listing().precision == GeoPrecision::kPostalCodeCentroid) ++sum.placed_at_zip;
    }
    if (e.families.empty() || any_current || e.other_source) continue;
    if (g.listing().status != "active") continue;
    auto copy = std::make_shared<ListingRecord>(g.listing());
    copy->status = "inactive";
    g.merged = std::move(copy);
    for (const auto& [family, current] : e.families) ++out[family].superseded;
  }
  std::vector<EditionSummary> summaries;
  for (auto& [name, sum] : out) {
    for (const auto& [source, n] : placed) {
      if (Contains(sum.current, source)) sum.placed_by_address += n;
    }
    summaries.push_back(std::move(sum));
  }
  return summaries;
}

}  // namespace carefinder::importer
