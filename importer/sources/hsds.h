// Readers of Open Referral HSDS 3.0: a Tabular Data Package (datapackage.json
// + one CSV per table) and HSDS JSON (a service, service_at_location or
// organization object, an array of them, a Page {"contents": [...]}, or the
// tabular {"services.csv": [...]} form). One listing per service_at_location
// (DESIGN §2); hsds_listing.cc says which HSDS field fills which record field.
//
// Messages (`file:line: field 'f': reason`):
//  * rejections: a row breaking an HSDS requirement (`field 'name': required
//    by HSDS 3.0 but empty`) or a value Carefinder cannot list (non-US
//    address, bad phone, coordinates out of range). A problem of a shared row
//    (an organization, a location, a phone) is reported once, at that row,
//    and rejects every listing that uses it.
//  * warnings: dangling foreign keys (`services.csv:4: field
//    'organization_id': "..." is not an organization in this package`), terms
//    of other taxonomies kept as source attributes, schedule rules weekly
//    hours cannot show, a service without service_at_location. A
//    service_at_location that loses its service, location or organization to
//    a dangling key counts as rejected; the warning is its message.
// Records carry the file and line of their service_at_location: its CSV row
// (named by the descriptor's directory plus the resource path), or the line
// of the object's `{` in JSON.
//
// Round trip (our own HSDS export, issue 4): source_key is the
// service_at_location id, so a re-import finds the same listings (the loader
// derives its own stable ids from the key, not the exported UUIDs); terms
// come back when attributes name taxonomy id TaxonomyId() or term ids
// TermId(code); phone roles when phone.description is the role; hours from
// WEEKLY byday schedules (no times = all day); as_of from
// service.last_modified; last_verified from assured_date.
#pragma once

#include <functional>
#include <istream>
#include <memory>
#include <string_view>

#include "core/error.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

inline constexpr std::string_view kHsdsDatapackageFormat = "hsds-datapackage";
inline constexpr std::string_view kHsdsJsonFormat = "hsds-json";

// Opens one resource of a datapackage by its `path` as written in
// datapackage.json ("organizations.csv"); nullptr when it does not exist.
// Keeps the reader free of file paths (DESIGN §5): tests pass in-memory tables.
using OpenTable = std::function<std::unique_ptr<std::istream>(std::string_view resource_path)>;

// Reads the datapackage whose descriptor is `datapackage_json` (named `file`
// in messages); tables are read through `open`, only resource paths inside
// the package. The error case is a package that cannot be read at all: no
// source name, a descriptor that is not JSON or has no resources, an HSDS 1.x
// package, a path leaving the package, no service or service_at_location table.
Result<ReadResult> ReadHsdsDatapackage(std::istream& datapackage_json, std::string_view file,
                                       const OpenTable& open, const SourceInfo& source,
                                       const Taxonomy& taxonomy, SeenKeys& seen);

// Reads HSDS JSON in any of the forms above. The error case is no source
// name, text that is not JSON (with the line where parsing failed), or JSON
// of none of those forms.
Result<ReadResult> ReadHsdsJson(std::istream& in, std::string_view file, const SourceInfo& source,
                                const Taxonomy& taxonomy, SeenKeys& seen);

// Format sniffing for `import --format auto`; `head` = the first <= 4096
// bytes. Never both true for one head.
bool LooksLikeHsdsDatapackage(std::string_view head);  // a descriptor naming HSDS tables
bool LooksLikeHsdsJson(std::string_view head);         // JSON with HSDS keys

}  // namespace carefinder::importer
