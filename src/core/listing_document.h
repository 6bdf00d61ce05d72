// The listing document: the RESULT object of docs/API.md (without
// distance_miles) that the importer stores in listing.doc and the API serves
// as it is. This file is the one owner of its field names and shape: the
// writer (importer, test fixtures), the reader (exports), splicing a member
// into it (render), and the derived strings stored beside it (listing.terms,
// the listing_fts terms and place columns).
// Invariant: Read(Write(r, ...)) gives back every field Write wrote.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace carefinder::listing_document {

// One term group's codes in taxonomy order: {"care", {"detox", "detox-residential"}}.
struct TermGroup {
  std::string group;
  std::vector<std::string> codes;
  bool operator==(const TermGroup&) const = default;
};

// One code of a term group, as Write takes them: {"care", "detox"}.
struct TermCode {
  std::string_view group, code;
};

// The document of `rec`, compact, keys in a fixed order (ChangedFields and
// the content hash rely on it). `id` is the listing's service_at_location id;
// `terms` the record's codes with their ancestors in taxonomy order, each
// group's codes together. `imported_at` "" writes null (the importer hashes
// that form). Empty strings write null; hours that are all day write
// "00:00"-"24:00".
std::string Write(const ListingRecord& rec, std::string_view id, std::span<const TermCode> terms,
                  std::string_view imported_at);
// The same with the codes grouped (test fixtures, which build them by hand).
std::string Write(const ListingRecord& rec, std::string_view id,
                  const std::vector<TermGroup>& terms, std::string_view imported_at);

// A document read back. `record` holds what the document states (no file,
// line, source_key or terms: those are not in it); `record.terms` is empty,
// the codes are in `terms`.
struct Document {
  std::string id;
  ListingRecord record;
  std::vector<TermGroup> terms;
  std::string imported_at;
};
Result<Document> Read(std::string_view doc);

// The "id" member without parsing the rest ("" when there is none).
std::string_view IdOf(std::string_view doc);

// The JSON text of the top-level member `key` of a document as Write writes
// it (compact); "" when there is none or the document is not such an object.
// Strings are skipped, not read: the "phones" of a result, past its
// description, is found without a parse.
std::string_view MemberOf(std::string_view doc, std::string_view key);

// Appends `doc` with `"key": raw_json` added as its last member. `raw_json`
// is already JSON (it may hold further members: `1.5,"call":{...}`).
void AppendWithField(std::string& out, std::string_view doc, std::string_view key,
                     std::string_view raw_json);

// The fields that differ between two documents Write wrote: top-level keys
// in the new document's order ("phones"), and for object values the changed
// members ("address.line1", "terms.care", "source.as_of"); a key present in
// only one counts as changed. source.imported_at is never a change.
std::vector<std::string> ChangedFields(std::string_view old_doc, std::string_view new_doc);

// "712 The Terrace, Suite 2, Redlands, CA 92374"; absent parts are left out.
std::string FormatAddress(const Address& a);

// listing.terms: ' detox detox-residential medicaid ', every code between
// spaces so `LIKE '% code %'`-style membership needs no parsing.
std::string TermsString(const std::vector<std::string_view>& codes);

// The listing_fts `place` column: "Redlands CA 92374", absent parts left out.
std::string FullTextPlace(std::string_view city, std::string_view state, std::string_view zip);
// The same into `out`, replacing what it held.
void FullTextPlaceInto(std::string& out, std::string_view city, std::string_view state,
                       std::string_view zip);

}  // namespace carefinder::listing_document
