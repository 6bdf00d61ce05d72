// The gazetteer in memory (zip_centroid, place, place_alias), built once per
// snapshot so that resolving `near` costs a few hash lookups rather than SQL:
// places by folded name, most populous first; counties as the
// population-weighted centre of their places; ZIPs sorted for prefixes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/geo.h"

namespace carefinder::db {
class Database;
}

namespace carefinder::store {

struct GazPlace {
  std::string name, state, key;  // key: FoldPlaceName(name)
  int64_t population = 0;
  geo::Point point;
  bool county = false;  // a county (centre of its places), not a populated place
  std::string Label() const { return name + ", " + state; }
};

// A ZIP is labelled with the nearest town within this many miles.
inline constexpr double kZipLabelMiles = 20;

class PlaceIndex {
 public:
  static Result<PlaceIndex> Build(db::Database& db);

  // "Redlands, CA" for the nearest place within `max_miles`, if any.
  std::optional<std::string> NearestLabel(geo::Point p, double max_miles) const;
  const geo::Point* Zip(std::string_view zip) const;
  // NearestLabel(Zip(zip), kZipLabelMiles), computed once when the index is
  // built (every search near a ZIP asks for it); "" when none or no such ZIP.
  std::string_view ZipLabel(std::string_view zip) const;
  // ZIPs starting with `prefix`, in order, at most `limit`.
  std::vector<std::pair<std::string, geo::Point>> ZipsWithPrefix(std::string_view prefix,
                                                                 size_t limit) const;

  // Places and counties whose folded name is `key`, most populous first.
  std::span<const uint32_t> Named(std::string_view key) const;
  // Places whose folded name starts with `prefix` (a whole-word prefix when
  // it ends in ' '), unordered.
  std::vector<uint32_t> NamedWithPrefix(std::string_view prefix) const;
  // The place an alias names ("nyc" -> New York City, NY), if any.
  std::optional<uint32_t> Alias(std::string_view key) const;
  const GazPlace& at(uint32_t i) const { return places_[i]; }

  // Each distinct folded name once, with its places: the typo scan's list.
  struct NameEntry {
    std::string key;
    std::vector<uint32_t> places;  // most populous first
    uint64_t chars = 0;            // LetterMask(key): a cheap filter before EditDistance
  };
  const std::vector<NameEntry>& names() const { return names_; }

 private:
  void Finish(size_t towns);  // the first `towns` places are towns, the rest counties

  std::vector<GazPlace> places_;
  std::vector<NameEntry> names_;  // sorted by key
  std::unordered_map<std::string, uint32_t> name_of_key_;  // key -> names_ index
  std::unordered_map<std::string, uint32_t> aliases_;
  std::vector<std::pair<std::string, geo::Point>> zips_;  // sorted
  std::vector<std::string> zip_labels_;                   // ZipLabel, by zips_ index
  std::vector<uint32_t> by_lat_;  // places (not counties) by latitude
};

}  // namespace carefinder::store
