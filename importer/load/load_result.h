// What the loader tells its caller about a load: the counts, each listing's
// outcome and the listings --prune marked inactive. The import report
// (report.h) is made of these, so they live apart from the Loader itself.
#pragma once

#include <string>
#include <vector>

namespace carefinder::importer {

struct LoadCounts {
  int added = 0;      // a listing none of whose records had a provenance row
  int changed = 0;    // content hash differs, or its set of records did: every table rewritten
  int unchanged = 0;  // same hash: only provenance.imported_at and the doc's imported_at move
  // Written again, but only source.as_of differs: a newer edition of the
  // source says the same of it (not counted in `changed`).
  int restated = 0;
};

struct Loaded {
  enum class Kind { kAdded, kChanged, kRestated, kUnchanged } kind = Kind::kAdded;
  std::string id;  // the listing's (service_at_location) id
  // kChanged: "phones", "address.line1", "terms.care", "source.as_of"; "sources"
  // when only the set of records behind the listing changed.
  std::vector<std::string> changed_fields;
};

// A listing --prune marked inactive, with where its last record was seen.
struct Inactivated {
  std::string id, source, source_key, file;
  int line = 0;
};

}  // namespace carefinder::importer
