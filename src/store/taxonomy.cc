// Loading the vocabulary from taxonomy_term: see taxonomy.h.
#include "store/taxonomy.h"

#include "db/database.h"

namespace carefinder::store {

namespace {

constexpr const char* kTermsSql =
    "SELECT t.term_group, t.code, t.name, t.description, coalesce(p.code, '') "
    "FROM taxonomy_term t LEFT JOIN taxonomy_term p ON p.id = t.parent_id "
    "ORDER BY t.term_group, t.position, t.code";

}  // namespace

Result<Taxonomy> LoadTaxonomy(db::Database& db) {
  auto stmt = db.Prepare(kTermsSql);
  if (!stmt) return Fail(stmt.error());
  std::vector<Term> terms;
  while (true) {
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    terms.push_back({stmt->ColumnString(0), stmt->ColumnString(1), stmt->ColumnString(2),
                     stmt->ColumnString(3), stmt->ColumnString(4)});
  }
  return Taxonomy::FromTerms(std::move(terms));
}

}  // namespace carefinder::store
