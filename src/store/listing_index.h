// The in-memory search index: every listing's position, term bitset, status,
// name order and result document, built once from the `listing` table and then
// immutable (a new import builds a new index; readers keep the one they
// started with).
// Located entries are sorted by (0.1° latitude band, longitude) so a radius
// query reads a few contiguous runs; unlocated entries (online meetings) follow.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/geo.h"
#include "store/taxonomy.h"
#include "store/text_filter.h"
#include "store/week_schedule.h"

namespace carefinder::db {
class Database;
}

namespace carefinder::store {

class ListingIndex {
 public:
  static constexpr double kBandDegrees = 0.1;
  static constexpr int kBands = 1800;

  // Reads every row of `listing`. Codes in listing.terms that the taxonomy
  // does not know are ignored (the importer rejects them; this is defence).
  static Result<ListingIndex> Build(db::Database& db, const Taxonomy& taxonomy);

  uint32_t size() const { return static_cast<uint32_t>(rowid_.size()); }
  uint32_t located_count() const { return located_; }
  int words() const { return words_; }
  const uint64_t* bits(uint32_t i) const { return &bits_[size_t(i) * words_]; }
  // The same bits, term-major: bit i % 64 of term_column(t)[i / 64] is bit t
  // of bits(i), so a set of entries is filtered and counted 64 at a time.
  int term_count() const { return term_count_; }
  const uint64_t* term_column(int term) const { return &columns_[size_t(term) * column_words_]; }
  geo::UnitVector unit(uint32_t i) const { return unit_[i]; }
  int64_t rowid(uint32_t i) const { return rowid_[i]; }
  bool active(uint32_t i) const { return active_[i] != 0; }
  // The listing's source states every service (listing.services_stated): a
  // term it lacks means "does not offer", not "not stated".
  bool services_stated(uint32_t i) const { return stated_[i] != 0; }
  uint32_t name_rank(uint32_t i) const { return name_rank_[i]; }
  bool located(uint32_t i) const { return i < located_; }
  geo::Point point(uint32_t i) const { return {lat_[i], lon_[i]}; }
  // listing.doc, held in memory: a page of results reads no database page.
  std::string_view doc(uint32_t i) const {
    const DocRef& d = docs_[name_rank_[i]];
    return std::string_view(doc_chunks_[d.chunk]).substr(d.offset, d.length);
  }
  int64_t treatments() const { return treatments_; }
  int64_t meetings() const { return meetings_; }
  std::optional<uint32_t> FindRowid(int64_t rowid) const;
  // (rowid, entry) of every listing, in rowid order.
  std::span<const std::pair<int64_t, uint32_t>> by_rowid() const { return by_rowid_; }
  // Weekly opening or meeting times (listing.schedule); empty when unknown.
  std::span<const WeekInterval> schedule(uint32_t i) const {
    return {times_.data() + times_start_[i], times_start_[i + 1] - times_start_[i]};
  }
  // The zone of those times: an index into zones(); 0 = not known.
  uint16_t zone(uint32_t i) const { return zone_[i]; }
  // The IANA names of the zones listings name; zones()[0] is "".
  const std::vector<std::string>& zones() const { return zones_; }

  // Calls fn(entry, chord2, distance_miles) for every located entry within
  // `radius`: chord2 is geo::ChordSquared to the centre; the distance is
  // geo::DistanceMiles where the radius's edge needed it, else
  // kDistanceNotComputed (no trigonometry for entries surely inside).
  template <class Fn>
  void ForEachWithin(geo::Point center, double radius_miles, Fn&& fn) const;

 private:
  static int BandOf(double lat);
  template <class Fn>
  void ScanBand(int band, double min_lon, double max_lon, const geo::RadiusFilter& within,
                Fn& fn) const;

  // Documents in name order (row order) in chunks that are never moved.
  struct DocRef {
    uint32_t chunk, offset, length;
  };
  void AddDoc(std::string_view doc);
  void BuildTermColumns(int term_count);

  std::vector<double> lat_, lon_;
  std::vector<std::string> doc_chunks_;
  std::vector<DocRef> docs_;  // by name rank
  std::vector<double> cos_lat_;  // geo::CosLatitude(lat_), for geo::RadiusFilter
  std::vector<geo::UnitVector> unit_;  // geo::ToUnitVector of each located entry
  std::vector<int64_t> rowid_;
  std::vector<uint32_t> name_rank_;
  std::vector<uint8_t> active_;
  std::vector<uint8_t> stated_;
  std::vector<uint64_t> bits_;
  std::vector<uint64_t> columns_;  // term_count_ columns of column_words_ words
  size_t column_words_ = 0;
  int term_count_ = 0;
  std::vector<uint32_t> band_start_;  // kBands + 1 offsets into the located entries
  std::vector<std::pair<int64_t, uint32_t>> by_rowid_;  // sorted: rowid -> entry
  std::vector<WeekInterval> times_;
  std::vector<uint32_t> times_start_{0};  // size() + 1 offsets into times_
  std::vector<uint16_t> zone_;
  std::vector<std::string> zones_{""};
  uint32_t located_ = 0;
  int words_ = 1;
  int64_t treatments_ = 0, meetings_ = 0;
};

template <class Fn>
void ListingIndex::ScanBand(int band, double min_lon, double max_lon,
                            const geo::RadiusFilter& within, Fn& fn) const {
  auto first = lon_.begin() + band_start_[band];
  auto last = lon_.begin() + band_start_[band + 1];
  const geo::UnitVector centre = within.center_vector();
  for (auto it = std::lower_bound(first, last, min_lon); it != last && *it <= max_lon; ++it) {
    auto i = static_cast<uint32_t>(it - lon_.begin());
    double chord2 = geo::ChordSquared(centre, unit_[i]);
    switch (within.SideOfChord(chord2)) {
      case geo::RadiusFilter::Side::kBeyond:
        break;
      case geo::RadiusFilter::Side::kInside:
        fn(i, chord2, kDistanceNotComputed);
        break;
      case geo::RadiusFilter::Side::kEdge:
        if (double d = within.DistanceWithin({lat_[i], lon_[i]}, cos_lat_[i]); d >= 0)
          fn(i, chord2, d);
        break;
    }
  }
}

template <class Fn>
void ListingIndex::ForEachWithin(geo::Point center, double radius_miles, Fn&& fn) const {
  geo::BoundingBox box = geo::BoxAround(center, radius_miles);
  geo::RadiusFilter within(center, radius_miles);
  for (int b = BandOf(box.min_lat); b <= BandOf(box.max_lat); ++b) {
    if (box.min_lon <= box.max_lon) {
      ScanBand(b, box.min_lon, box.max_lon, within, fn);
    } else {  // the box crosses 180°: two runs
      ScanBand(b, box.min_lon, 180.0, within, fn);
      ScanBand(b, -180.0, box.max_lon, within, fn);
    }
  }
}

}  // namespace carefinder::store
