// The care taxonomy in the database: ids and seeding. See taxonomy.h.
#include "importer/taxonomy.h"

#include "core/uuid.h"

namespace carefinder::importer {

namespace {

constexpr std::string_view kTaxonomySource = "carefinder";

}  // namespace

std::string TermId(std::string_view code) {
  return StableId("taxonomy_term", kTaxonomySource, code);
}

std::string TaxonomyId() { return StableId("taxonomy", kTaxonomySource, "care"); }

Status SeedTaxonomy(db::Database& db, const Taxonomy& taxonomy) {
  auto tax = db.Prepare(
      "INSERT INTO taxonomy(id, name, description, uri, version) VALUES (?1, ?2, ?3, NULL, '1') "
      "ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description");
  if (!tax) return Fail(tax.error());
  tax->Bind(1, TaxonomyId()).Bind(2, "Carefinder care taxonomy");
  tax->Bind(3, "Plain-language terms for addiction treatment and support (data/taxonomy.csv).");
  if (auto r = tax->Run(); !r) return r;
  // Two passes so a parent listed after its child never trips the foreign key.
  auto upsert = db.Prepare(
      "INSERT INTO taxonomy_term(id, code, term_group, name, description, parent_id, "
      "taxonomy_id, position) VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7) ON CONFLICT(id) DO "
      "UPDATE SET term_group = excluded.term_group, name = excluded.name, "
      "description = excluded.description, position = excluded.position");
  auto parent = db.Prepare("UPDATE taxonomy_term SET parent_id = ?2 WHERE id = ?1");
  if (!upsert) return Fail(upsert.error());
  if (!parent) return Fail(parent.error());
  for (const Term& t : taxonomy.terms()) {
    upsert->Bind(1, TermId(t.code)).Bind(2, t.code).Bind(3, t.group).Bind(4, t.label);
    upsert->Bind(5, t.explanation).Bind(6, TaxonomyId()).Bind(7, t.index);
    if (auto r = upsert->Run(); !r) return r;
  }
  for (const Term& t : taxonomy.terms()) {
    parent->Bind(1, TermId(t.code));
    if (t.parent.empty()) parent->BindNull(2);
    else parent->Bind(2, TermId(t.parent));
    if (auto r = parent->Run(); !r) return r;
  }
  return {};
}

}  // namespace carefinder::importer
