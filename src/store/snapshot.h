// One consistent, immutable view of the searchable data: the vocabulary, the
// listing index and the gazetteer index, all built from the same read
// transaction. Requests hold a shared_ptr to the snapshot they started with;
// an import produces a new snapshot that replaces it for later requests.
#pragma once

#include <cstdint>
#include <string>

#include "store/call_action.h"
#include "store/listing_index.h"
#include "store/places.h"
#include "store/taxonomy.h"
#include "store/text_filter.h"

namespace carefinder::store {

struct Snapshot {
  Taxonomy taxonomy;
  ListingIndex index;
  PlaceIndex places;
  std::string last_import;  // finished_at of the newest import_run, "" if none
  mutable WordSetCache word_sets;  // common words' matches: valid for this index only
  SharedPhones shared_phones;      // numbers many listings give (call_action.h)
};

}  // namespace carefinder::store
