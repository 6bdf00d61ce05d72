// The care vocabulary as the store reads it back: the terms of taxonomy_term
// as core's Taxonomy, ordered by group and position, so that a term's index
// is its bit in the in-memory listing index. Immutable once loaded; shared by
// every request through a snapshot.
#pragma once

#include "core/error.h"
#include "core/taxonomy.h"

namespace carefinder::db {
class Database;
}

namespace carefinder::store {

// Reads taxonomy_term (ordered by group, position, code).
Result<Taxonomy> LoadTaxonomy(db::Database& db);

}  // namespace carefinder::store
