// The derived per-listing values the loader stores in `listing`, from a
// record and the taxonomy: the listing document (written by
// core/listing_document.h, which owns its shape), the ' code code ' terms
// string, the 'MO 19:00-20:00;...' schedule string, the record's ids and the
// content hash that detects a changed record.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/listing_document.h"
#include "core/model.h"
#include "core/stable_id_maker.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

// The ids a record gets: UUIDv5 of (kind, source, key). The organisation's
// key is its folded name, so every listing of one organisation shares it.
struct RecordIds {
  std::string organization, service, location, service_at_location;
  static RecordIds For(const ListingRecord& rec, StableIdMaker& make_id);
  bool operator==(const RecordIds&) const = default;
};

// listing_document::Write with the record's service_at_location id and its
// codes with their ancestors, in taxonomy order. `imported_at` "" renders as
// null (used for the content hash).
std::string RenderListingDoc(const ListingRecord& rec, const RecordIds& ids,
                             const Taxonomy& taxonomy, std::string_view imported_at);

// The terms a listing is found by (listing.terms, the full text's labels):
// its codes plus ancestors, in taxonomy order. A hybrid listing also matches
// `in-person` and `online` (someone asking for either can attend it), so
// those are added to the search terms; the doc still says just `hybrid`.
std::vector<const Term*> SearchTerms(const ListingRecord& rec, const Taxonomy& taxonomy);

// 'MO 08:00-17:00;TU 08:00-17:00'; all day is '00:00-24:00'; "" when none.
std::string ScheduleString(const ListingRecord& rec);

// The record's normalised form (its doc without imported_at) hashed, for
// telling a changed listing from an unchanged one: "2:" and 16 hex digits
// of a 64-bit hash that takes 8 bytes a step (MurmurHash3's x64 mixing).
std::string ContentHash(std::string_view normalised);
// What imports before 2026-12-04 stored instead: 16 hex digits of FNV-1a
// 64, a byte a step (six times slower; about 1.3 s of the documents thread
// at 1e6). A database may still hold them; such a row is compared with it.
std::string LegacyContentHash(std::string_view normalised);
bool IsLegacyContentHash(std::string_view stored);

using listing_document::ChangedFields;
using listing_document::FormatAddress;

}  // namespace carefinder::importer
