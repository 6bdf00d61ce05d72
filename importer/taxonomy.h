// The care taxonomy in the database: stable ids for the taxonomy and its
// terms, and seeding the taxonomy / taxonomy_term tables from the one
// vocabulary of core/taxonomy.h (data/taxonomy.csv, embedded at build).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/taxonomy.h"
#include "db/database.h"

namespace carefinder::importer {

// Stable id of a term: UUIDv5 of ("taxonomy_term", "carefinder", code).
std::string TermId(std::string_view code);
std::string TaxonomyId();

// Inserts or refreshes the taxonomy row and every term (labels may be
// reworded between releases; codes and ids never change). Call inside the
// import transaction.
Status SeedTaxonomy(db::Database& db, const Taxonomy& taxonomy);

}  // namespace carefinder::importer
