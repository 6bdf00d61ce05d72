// Building the in-memory search index from `listing`: see listing_index.h.
#include "store/listing_index.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "db/database.h"

namespace carefinder::store {

namespace {

// Ordered by name so the row number is the name-sort rank: SQLite does the
// collation and the index needs no strings.
constexpr const char* kLoadSql =
    "SELECT rowid, latitude, longitude, listing_terms(terms), kind, status, schedule, services_stated, doc "
    "FROM listing "
    "ORDER BY name COLLATE NOCASE, rowid";

struct Row {
  int64_t rowid;
  double lat, lon;
  bool located;
  bool active;
  bool stated;
  std::vector<uint64_t> bits;
  std::vector<WeekInterval> times;
  uint16_t zone = 0;
};

// The index of `zone` in `zones`, added when new; 0 for "".
uint16_t ZoneId(std::string_view zone, std::vector<std::string>& zones) {
  if (zone.empty()) return 0;
  auto it = std::find(zones.begin(), zones.end(), zone);
  if (it == zones.end()) it = zones.insert(zones.end(), std::string(zone));
  return static_cast<uint16_t>(it - zones.begin());
}

// Documents are appended to chunks of this size (a longer one gets its own),
// so the arena grows without moving what it holds.
constexpr size_t kDocChunkBytes = size_t{16} << 20;

void SetBit(std::vector<uint64_t>& bits, int bit) { bits[bit / 64] |= uint64_t{1} << (bit % 64); }

void ParseTerms(std::string_view terms, const Taxonomy& tax, std::vector<uint64_t>& bits) {
  size_t pos = 0;
  while (pos < terms.size()) {
    size_t end = terms.find(' ', pos);
    if (end == std::string_view::npos) end = terms.size();
    if (end > pos) {
      if (const Term* t = tax.Find(terms.substr(pos, end - pos))) SetBit(bits, t->index);
    }
    pos = end + 1;
  }
}

}  // namespace

int ListingIndex::BandOf(double lat) {
  int b = static_cast<int>(std::floor((lat + 90.0) / kBandDegrees));
  return std::clamp(b, 0, kBands - 1);
}

void ListingIndex::AddDoc(std::string_view doc) {
  if (doc_chunks_.empty() || doc_chunks_.back().size() + doc.size() > kDocChunkBytes) {
    doc_chunks_.emplace_back().reserve(std::max(kDocChunkBytes, doc.size()));
  }
  std::string& chunk = doc_chunks_.back();
  docs_.push_back({static_cast<uint32_t>(doc_chunks_.size() - 1), static_cast<uint32_t>(chunk.size()),
                   static_cast<uint32_t>(doc.size())});
  chunk += doc;
}

Result<ListingIndex> ListingIndex::Build(db::Database& db, const Taxonomy& tax) {
  auto stmt = db.Prepare(kLoadSql);
  if (!stmt) return Fail(stmt.error());
  ListingIndex index;
  index.words_ = std::max<int>(1, (static_cast<int>(tax.terms().size()) + 63) / 64);
  std::vector<Row> rows;
  std::string doc;  // each document unpacked (db/doc_pack.h), then copied into the arena
  while (true) {
    auto has = stmt->Step();
    if (!has) return Fail(has.error());
    if (!*has) break;
    Row r{stmt->ColumnInt(0), stmt->ColumnDouble(1), stmt->ColumnDouble(2),
          !stmt->ColumnIsNull(1) && !stmt->ColumnIsNull(2), stmt->ColumnText(5) == "active",
          stmt->ColumnInt(7) != 0, std::vector<uint64_t>(index.words_)};
    ParseTerms(stmt->ColumnText(3), tax, r.bits);
    r.times = ParseSchedule(stmt->ColumnText(6));
    r.zone = ZoneId(ScheduleZone(stmt->ColumnText(6)), index.zones_);
    std::string_view kind = stmt->ColumnText(4);
    if (const Term* t = tax.Find(kind)) SetBit(r.bits, t->index);  // kind is a filter group too
    (kind == "meeting" ? index.meetings_ : index.treatments_)++;
    doc.clear();
    if (auto s = db.UnpackDocAppend(stmt->ColumnText(8), doc); !s) return Fail(s.error());
    index.AddDoc(doc);
    rows.push_back(std::move(r));
  }
  // Entry order: located by (band, lon), then unlocated; name rank = row order.
  std::vector<uint32_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Row &x = rows[a], &y = rows[b];
    if (x.located != y.located) return x.located;
    if (!x.located) return false;
    int bx = BandOf(x.lat), by = BandOf(y.lat);
    return bx != by ? bx < by : x.lon < y.lon;
  });
  index.band_start_.assign(kBands + 1, 0);
  for (uint32_t rank : order) {
    const Row& r = rows[rank];
    auto i = static_cast<uint32_t>(index.rowid_.size());
    index.lat_.push_back(r.located ? r.lat : 0);
    index.lon_.push_back(r.located ? r.lon : 0);
    index.cos_lat_.push_back(geo::CosLatitude(index.lat_.back()));
    index.unit_.push_back(r.located ? geo::ToUnitVector({r.lat, r.lon}) : geo::UnitVector{});
    index.rowid_.push_back(r.rowid);
    index.name_rank_.push_back(rank);
    index.active_.push_back(r.active ? 1 : 0);
    index.stated_.push_back(r.stated ? 1 : 0);
    index.bits_.insert(index.bits_.end(), r.bits.begin(), r.bits.end());
    index.by_rowid_.emplace_back(r.rowid, i);
    index.times_.insert(index.times_.end(), r.times.begin(), r.times.end());
    index.times_start_.push_back(static_cast<uint32_t>(index.times_.size()));
    index.zone_.push_back(r.zone);
    if (r.located) {
      index.located_ = i + 1;
      index.band_start_[BandOf(r.lat) + 1] = i + 1;
    }
  }
  // Empty bands start where the previous band ended.
  for (int b = 1; b <= kBands; ++b) {
    index.band_start_[b] = std::max(index.band_start_[b], index.band_start_[b - 1]);
  }
  std::sort(index.by_rowid_.begin(), index.by_rowid_.end());
  index.BuildTermColumns(static_cast<int>(tax.terms().size()));
  return index;
}

void ListingIndex::BuildTermColumns(int term_count) {
  term_count_ = std::min(term_count, words_ * 64);
  column_words_ = (size() + 63) / 64;
  columns_.assign(size_t(term_count_) * column_words_, 0);
  for (uint32_t i = 0; i < size(); ++i) {
    for (int w = 0; w < words_; ++w) {
      for (uint64_t b = bits(i)[w]; b; b &= b - 1) {
        int term = w * 64 + __builtin_ctzll(b);
        if (term < term_count_)
          columns_[size_t(term) * column_words_ + i / 64] |= uint64_t{1} << (i % 64);
      }
    }
  }
}

std::optional<uint32_t> ListingIndex::FindRowid(int64_t rowid) const {
  auto it = std::lower_bound(by_rowid_.begin(), by_rowid_.end(),
                             std::make_pair(rowid, uint32_t{0}));
  if (it == by_rowid_.end() || it->first != rowid) return std::nullopt;
  return it->second;
}

}  // namespace carefinder::store
