// Derived listing values: the document through core/listing_document.h, the
// terms and schedule strings, ids and the content hash. See listing_doc.h.
#include "importer/listing_doc.h"

#include <algorithm>
#include <cstdint>
#include <bit>
#include <cstring>

#include "core/place_name.h"

namespace carefinder::importer {

RecordIds RecordIds::For(const ListingRecord& rec, StableIdMaker& make_id) {
  return {make_id("organization", rec.source, FoldPlaceName(rec.organization)),
          make_id("service", rec.source, rec.source_key),
          make_id("location", rec.source, rec.source_key),
          make_id("service_at_location", rec.source, rec.source_key)};
}

std::string RenderListingDoc(const ListingRecord& rec, const RecordIds& ids,
                             const Taxonomy& taxonomy, std::string_view imported_at) {
  // AncestorTerms keeps each group's terms together, in taxonomy order.
  std::vector<listing_document::TermCode> codes;
  for (const Term* t : taxonomy.AncestorTerms(rec.terms)) codes.push_back({t->group, t->code});
  return listing_document::Write(rec, ids.service_at_location, codes, imported_at);
}

std::vector<const Term*> SearchTerms(const ListingRecord& rec, const Taxonomy& taxonomy) {
  if (std::ranges::find(rec.terms, "hybrid") == rec.terms.end()) return taxonomy.AncestorTerms(rec.terms);
  std::vector<std::string> codes = rec.terms;
  codes.insert(codes.end(), {"in-person", "online"});
  return taxonomy.AncestorTerms(codes);
}

std::string ScheduleString(const ListingRecord& rec) {
  std::string out;
  for (const WeeklyTime& w : rec.hours) {
    if (!out.empty()) out.push_back(';');
    out += w.day + " " + (w.opens.empty() ? "00:00" : w.opens) + "-" +
           (w.closes.empty() ? "24:00" : w.closes);
  }
  // The zone rides along as a piece no day parses (store/week_schedule.h).
  if (!out.empty() && !rec.timezone.empty()) out += ";TZ " + rec.timezone;
  return out;
}

namespace {

uint64_t RotateLeft(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// `n` (at most 8) bytes as a little-endian number, on any machine (the
// stored hashes must not depend on where they were made).
uint64_t LittleEndian(const char* p, size_t n) {
  uint64_t out = 0;
  for (size_t b = 0; b < n; ++b) out |= static_cast<uint64_t>(static_cast<unsigned char>(p[b])) << (8 * b);
  return out;
}

// The same of 8 bytes: one load where the machine is little-endian (the
// loop above took about half of ContentHash's time, 0.5 s at 1e6).
uint64_t LittleEndian8(const char* p) {
  if constexpr (std::endian::native == std::endian::little) {
    uint64_t out;
    std::memcpy(&out, p, sizeof out);
    return out;
  }
  return LittleEndian(p, 8);
}

uint64_t Mix(uint64_t h) {  // MurmurHash3's fmix64
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

std::string Hex16(uint64_t h) {
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = "0123456789abcdef"[h & 0xf];
  return out;
}

}  // namespace

std::string ContentHash(std::string_view normalised) {
  constexpr uint64_t kC1 = 0x87c37b91114253d5ULL, kC2 = 0x4cf5ad432745937fULL;
  uint64_t h = 0;
  auto step = [&h](uint64_t k) {
    k *= kC1;
    k = RotateLeft(k, 31);
    k *= kC2;
    h ^= k;
    h = RotateLeft(h, 27) * 5 + 0x52dce729;
  };
  size_t i = 0;
  for (; i + 8 <= normalised.size(); i += 8) step(LittleEndian8(normalised.data() + i));
  // The last 0-7 bytes, zero-padded; the length, mixed in last, tells "ab"
  // from "ab\0".
  step(LittleEndian(normalised.data() + i, normalised.size() - i));
  return "2:" + Hex16(Mix(h ^ normalised.size()));
}

bool IsLegacyContentHash(std::string_view stored) { return stored.size() == 16; }

std::string LegacyContentHash(std::string_view normalised) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : normalised) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return Hex16(h);
}

}  // namespace carefinder::importer
