// Reads of the HSDS 3.0 tables for the HSDS API, the Meeting Guide feed and
// the exports: pages of services, service_at_locations, organizations,
// taxonomies and terms under the HSDS filters, and the rows that nest inside
// them, fetched by parent id for a whole page at once. Rows come back as
// HsdsRecords whose fields are named as HSDS 3.0 names them, NULL columns left
// out (HSDS has no nulls), so rendering needs no per-table code. The caller
// holds the read transaction and the deadline (ReadSession::Read).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/geo.h"

namespace carefinder::store {

class Connection;
struct Snapshot;

struct HsdsField {
  const char* name;  // the HSDS field name, e.g. "organization_id"
  std::string text;  // the value, when !is_number
  double number = 0;
  bool is_number = false;
};

// One row of one HSDS object: its own (scalar) fields in schema order.
struct HsdsRecord {
  std::vector<HsdsField> fields;
  const HsdsField* Find(std::string_view name) const;
  std::string_view Text(std::string_view name) const;  // "" when absent
};

// The list endpoints.
enum class HsdsList { kServices, kServiceAtLocations, kOrganizations, kTaxonomies, kTaxonomyTerms };

// Filters of the list endpoints; empty / unset means "no filter". All given
// filters must hold (HSDS: cumulative AND). Each list honours the ones HSDS
// defines for it (docs/API.md).
struct HsdsFilter {
  std::string search;            // words as typed: FTS5-quoted (fts_query.h), never raw syntax
  // Where `search` is matched (services, service_at_locations and
  // organizations): every word in a listing's text or its terms' labels, as
  // the search does (text_filter.h, MatchEveryWord). Required with words.
  const Snapshot* snapshot = nullptr;
  std::string taxonomy_term_id;  // the term or any of its descendants
  std::string taxonomy_id;
  std::string organization_id;
  std::string modified_after;    // 'YYYY-MM-DDTHH:MM:SSZ' (UTC), compared with last_modified
  std::string postal_code;       // the location's address has this postcode
  std::optional<geo::Point> center;  // with radius_metres: within; without: nearest first
  std::optional<double> radius_metres;
  std::string parent_id;         // taxonomy terms: children of this term
  bool top_only = false;         // taxonomy terms: no parent
};

struct HsdsPageRequest {
  int64_t page = 1;  // 1-based
  int64_t per_page = 50;
  bool all = false;  // every row (format=ndjson, exports): page and per_page ignored
};

struct HsdsPage {
  int64_t total_items = 0;
  std::vector<HsdsRecord> rows;
};

// Services in name order, service_at_locations nearest first with a center
// and in service-name order otherwise, the rest by name (terms in taxonomy
// order); ties by id, so pages never overlap.
Result<HsdsPage> ListHsds(Connection& c, HsdsList list, const HsdsFilter& filter,
                          const HsdsPageRequest& page);

// Rows looked up by a key: objects by id, children by their parent's id.
enum class HsdsLookup {
  kOrganizationById,
  kServiceById,
  kServiceByOrganization,
  kServiceAtLocationById,
  kServiceAtLocationByService,
  kLocationById,
  kLocationByOrganization,
  kAddressByLocation,
  kPhoneByService,
  kScheduleByService,
  kAttributeByService,  // each with a computed id: StableId("attribute", link_id, term id)
  kLanguageByService,   // StableId("language", service_id, code)
  kCostOptionByService,
  kTaxonomyById,
  kTermById,
};

// Every row whose key field (LookupKeyField) is one of `keys`, ordered by
// that key, then as the table orders its rows (phones by position, ...).
Result<std::vector<HsdsRecord>> LookupHsds(Connection& c, HsdsLookup lookup,
                                           const std::vector<std::string>& keys);

// The field a lookup matches `keys` against ("id", "service_id", ...).
const char* LookupKeyField(HsdsLookup lookup);

// ---- listings with their provenance (Meeting Guide feed, exports) ---------

// One listing with what a feed or export needs beyond its listing doc.
struct ListingRow {
  std::string id;             // service_at_location id
  std::string service_id;
  std::string doc;            // listing.doc (docs/API.md RESULT)
  std::string source_key;     // the key its source gave it (a feed's slug)
  std::string location_name;  // location.name, "" when none
  std::string last_modified;  // the service's last_modified: its import_run's started_at, ISO 8601 UTC
  std::string source_name, source_url, source_attribution;
};

// Every listing (of kind 'meeting' only, with `meetings_only`), by name then
// id. A listing merged from several sources comes with the source its id
// was made from.
Result<std::vector<ListingRow>> ListListingRows(Connection& c, bool meetings_only);

struct SourceRow {
  std::string name, url, license, attribution;  // "" when absent
};
Result<std::vector<SourceRow>> ListSources(Connection& c);  // by name

}  // namespace carefinder::store
