// One consistent, immutable view of the searchable data: the vocabulary, the
// listing index and the gazetteer index, all built from the same read
// transaction. Requests hold a shared_ptr to the snapshot they started with;
// an import produces a new snapshot that replaces it for later requests.
// A snapshot belongs to one database file (its generation, generation.h):
// a request reads only through that generation's connections.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store/call_action.h"
#include "store/label_words.h"
#include "store/listing_index.h"
#include "store/places.h"
#include "store/taxonomy.h"
#include "store/text_filter.h"

namespace carefinder::store {

class Generation;

struct Snapshot {
  Taxonomy taxonomy;
  ListingIndex index;
  PlaceIndex places;
  std::string last_import;  // finished_at of the newest import_run, "" if none
  int64_t import_run = 0;   // id of the newest import_run, 0 if none
  std::shared_ptr<Generation> generation;  // the file the rest was read from
  std::shared_ptr<const LabelWords> labels;  // the taxonomy's labels, as search text
  mutable WordSetCache word_sets;  // common words' matches: valid for this index only
  SharedPhones shared_phones;      // numbers many listings give (call_action.h)
};

}  // namespace carefinder::store
