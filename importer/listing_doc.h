// The derived per-listing values the loader stores in `listing`: the RESULT
// JSON of docs/API.md (without distance_miles), the ' code code ' terms
// string, the 'MO 19:00-20:00;...' schedule string, and the content hash that
// detects a changed record, and which fields of a changed one differ.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/stable_id_maker.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

// The ids a record gets: UUIDv5 of (kind, source, key). The organisation's
// key is its folded name, so every listing of one organisation shares it.
struct RecordIds {
  std::string organization, service, location, address, service_at_location, source;
  static RecordIds For(const ListingRecord& rec, StableIdMaker& make_id);
  bool operator==(const RecordIds&) const = default;
};

// RESULT JSON. `imported_at` "" renders as null (used for the content hash).
// Hours that are all day render as opens "00:00", closes "24:00".
std::string RenderListingDoc(const ListingRecord& rec, const RecordIds& ids,
                             const Taxonomy& taxonomy, std::string_view imported_at);

// ' detox detox-residential medicaid ': codes plus ancestors, taxonomy order.
// A hybrid listing also matches `in-person` and `online` (someone asking for
// either can attend it), so those are added to the search terms; the doc
// still says just `hybrid`.
std::string TermsString(const ListingRecord& rec, const Taxonomy& taxonomy);

// 'MO 08:00-17:00;TU 08:00-17:00'; all day is '00:00-24:00'; "" when none.
std::string ScheduleString(const ListingRecord& rec);

// Hex FNV-1a 64 of the record's normalised form (its doc without imported_at).
std::string ContentHash(std::string_view normalised);

// The fields that differ between two docs RenderListingDoc wrote: top-level
// keys in the new doc's order ("phones"), and for object values the changed
// members ("address.line1", "terms.care", "source.as_of"); a key present in
// only one doc counts as changed. source.imported_at is never a change.
std::vector<std::string> ChangedFields(std::string_view old_doc, std::string_view new_doc);

// "712 The Terrace, Suite 2, Redlands, CA 92374"; parts that are absent are left out.
std::string FormatAddress(const Address& a);

}  // namespace carefinder::importer
