// The care taxonomy: parsing, ancestor expansion and seeding. See taxonomy.h.
#include "importer/taxonomy.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/csv.h"
#include "core/uuid.h"

namespace carefinder::importer {

namespace {

constexpr std::string_view kTaxonomySource = "carefinder";

Status CheckParents(const std::vector<Term>& terms,
                    const std::unordered_map<std::string, size_t>& by_code) {
  for (const Term& t : terms) {
    if (t.parent.empty()) continue;
    auto it = by_code.find(t.parent);
    if (it == by_code.end() || terms[it->second].group != t.group) {
      return Fail(Error::Invalid("taxonomy: term '" + t.code + "' has parent '" + t.parent +
                                 "', which is not a code of group '" + t.group + "'"));
    }
  }
  return {};
}

}  // namespace

Result<Taxonomy> Taxonomy::Parse(std::istream& in) {
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s) return Fail(s.error());
  for (const char* column : {"group", "code", "label", "explanation", "parent"}) {
    if (!table.Has(column)) {
      return Fail(Error::Invalid(std::string("taxonomy: missing column '") + column + "'"));
    }
  }
  Taxonomy tax;
  while (true) {
    auto more = table.Next();
    if (!more) return Fail(more.error());
    if (!*more) break;
    Term t{std::string(table.Get("group")), std::string(table.Get("code")),
           std::string(table.Get("label")), std::string(table.Get("explanation")),
           std::string(table.Get("parent")), static_cast<int>(tax.terms_.size())};
    if (t.group.empty() || t.code.empty() || t.label.empty()) {
      return Fail(Error::Invalid("taxonomy:" + std::to_string(table.line()) +
                                 ": group, code and label are required"));
    }
    if (!tax.by_code_.emplace(t.code, tax.terms_.size()).second) {
      return Fail(Error::Invalid("taxonomy: duplicate code '" + t.code + "'"));
    }
    tax.terms_.push_back(std::move(t));
  }
  if (auto s = CheckParents(tax.terms_, tax.by_code_); !s) return Fail(s.error());
  return tax;
}

const Taxonomy& Taxonomy::Embedded() {
  static const Taxonomy taxonomy = [] {
    std::istringstream in(kTaxonomyCsv);
    auto parsed = Parse(in);
    if (!parsed) {  // data/taxonomy.csv is a build input: broken means a broken build
      std::fprintf(stderr, "carefinder: embedded %s\n", parsed.error().message.c_str());
      std::abort();
    }
    return std::move(*parsed);
  }();
  return taxonomy;
}

const Term* Taxonomy::Find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &terms_[it->second];
}

bool Taxonomy::InGroup(std::string_view code, std::string_view group) const {
  const Term* t = Find(code);
  return t != nullptr && t->group == group;
}

std::vector<std::string> Taxonomy::WithAncestors(const std::vector<std::string>& codes) const {
  std::vector<bool> wanted(terms_.size(), false);
  for (const auto& code : codes) {
    for (const Term* t = Find(code); t != nullptr && !wanted[t->position];
         t = t->parent.empty() ? nullptr : Find(t->parent)) {
      wanted[t->position] = true;
    }
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < terms_.size(); ++i) {
    if (wanted[i]) out.push_back(terms_[i].code);
  }
  return out;
}

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
    upsert->Bind(5, t.explanation).Bind(6, TaxonomyId()).Bind(7, t.position);
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
