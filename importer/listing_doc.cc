// Derived listing values: the document through core/listing_document.h, the
// terms and schedule strings, ids and the content hash. See listing_doc.h.
#include "importer/listing_doc.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

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

std::string TermsString(const ListingRecord& rec, const Taxonomy& taxonomy) {
  const std::vector<const Term*> terms = SearchTerms(rec, taxonomy);
  std::vector<std::string_view> codes;
  codes.reserve(terms.size());
  for (const Term* t : terms) codes.push_back(t->code);
  return listing_document::TermsString(codes);
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

std::string ContentHash(std::string_view normalised) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : normalised) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace carefinder::importer
