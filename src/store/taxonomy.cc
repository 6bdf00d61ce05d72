// Loading the vocabulary from taxonomy_term: see taxonomy.h.
#include "store/taxonomy.h"

#include <algorithm>

#include "db/database.h"

namespace carefinder::store {

namespace {

constexpr const char* kTermsSql =
    "SELECT t.code, t.term_group, t.name, t.description, coalesce(p.code, '') "
    "FROM taxonomy_term t LEFT JOIN taxonomy_term p ON p.id = t.parent_id "
    "ORDER BY t.term_group, t.position, t.code";

int GroupRank(std::string_view name) {
  int rank = 0;
  for (const auto& g : kFilterGroups) {
    if (name == g.name) return rank;
    ++rank;
  }
  return rank;  // unknown groups sort last
}

std::string GroupLabel(std::string_view name) {
  for (const auto& g : kFilterGroups) {
    if (name == g.name) return g.label;
  }
  return std::string(name);
}

}  // namespace

Result<Taxonomy> Taxonomy::Load(db::Database& db) {
  auto stmt = db.Prepare(kTermsSql);
  if (!stmt) return Fail(stmt.error());
  Taxonomy tax;
  while (true) {
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    Term t{stmt->ColumnString(0), stmt->ColumnString(1), stmt->ColumnString(2),
           stmt->ColumnString(3), stmt->ColumnString(4), 0};
    t.bit = static_cast<int>(tax.terms_.size());
    tax.by_code_.emplace(t.code, t.bit);
    tax.terms_.push_back(std::move(t));
  }
  std::vector<std::string> names;
  for (const auto& t : tax.terms_) {
    if (std::find(names.begin(), names.end(), t.group) == names.end()) names.push_back(t.group);
  }
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return GroupRank(a) < GroupRank(b);
  });
  for (const auto& name : names) tax.groups_.push_back({name, GroupLabel(name), {}});
  tax.bit_group_.resize(tax.terms_.size());
  for (const auto& t : tax.terms_) {
    int g = static_cast<int>(std::find(names.begin(), names.end(), t.group) - names.begin());
    tax.groups_[g].term_indexes.push_back(t.bit);
    tax.bit_group_[t.bit] = g;
  }
  return tax;
}

const Term* Taxonomy::Find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &terms_[it->second];
}

const TermGroup* Taxonomy::FindGroup(std::string_view name) const {
  for (const auto& g : groups_) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

}  // namespace carefinder::store
