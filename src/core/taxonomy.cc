// The care vocabulary: parsing, grouping, lookup and ancestors. See taxonomy.h.
#include "core/taxonomy.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/csv.h"

namespace carefinder {

extern const char* const kTaxonomyCsv;  // generated from data/taxonomy.csv

namespace {

constexpr const char* kTaxonomyColumns[] = {"group", "code", "label", "explanation", "parent"};

int GroupRank(std::string_view name) {
  const TermGroupInfo* g = FindTermGroup(name);
  return g ? static_cast<int>(g - std::begin(kTermGroups)) : static_cast<int>(std::size(kTermGroups));
}

std::string GroupLabel(std::string_view name) {
  const TermGroupInfo* g = FindTermGroup(name);
  return std::string(g ? g->label : name);
}

Status CheckParents(const Taxonomy& tax) {
  for (const Term& t : tax.terms()) {
    if (t.parent.empty()) continue;
    const Term* parent = tax.Find(t.parent);
    if (parent == nullptr || parent->group != t.group) {
      return Fail(Error::Invalid("taxonomy: term '" + t.code + "' has parent '" + t.parent +
                                 "', which is not a code of group '" + t.group + "'"));
    }
  }
  return {};
}

}  // namespace

const TermGroupInfo* FindTermGroup(std::string_view name) {
  for (const auto& g : kTermGroups) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

Result<Taxonomy> Taxonomy::Parse(std::istream& in) {
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s) return Fail(s.error());
  for (const char* column : kTaxonomyColumns) {
    if (!table.Has(column)) {
      return Fail(Error::Invalid(std::string("taxonomy: missing column '") + column + "'"));
    }
  }
  std::vector<Term> terms;
  std::unordered_map<std::string, int> seen;
  while (true) {
    auto more = table.Next();
    if (!more) return Fail(more.error());
    if (!*more) break;
    Term t{std::string(table.Get("group")), std::string(table.Get("code")),
           std::string(table.Get("label")), std::string(table.Get("explanation")),
           std::string(table.Get("parent")), static_cast<int>(terms.size())};
    if (t.group.empty() || t.code.empty() || t.label.empty()) {
      return Fail(Error::Invalid("taxonomy:" + std::to_string(table.line()) +
                                 ": group, code and label are required"));
    }
    if (!seen.emplace(t.code, t.index).second) {
      return Fail(Error::Invalid("taxonomy: duplicate code '" + t.code + "'"));
    }
    terms.push_back(std::move(t));
  }
  Taxonomy tax = FromTerms(std::move(terms));
  if (auto s = CheckParents(tax); !s) return Fail(s.error());
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

Taxonomy Taxonomy::FromTerms(std::vector<Term> terms) {
  Taxonomy tax;
  tax.terms_ = std::move(terms);
  std::vector<std::string> names;
  tax.by_code_ = ShortKeyIndex(tax.terms_.size());
  for (size_t i = 0; i < tax.terms_.size(); ++i) {
    Term& t = tax.terms_[i];
    t.index = static_cast<int>(i);
    tax.by_code_.Add(t.code, i, tax.CodeOf());  // a repeated code: the first keeps it
    if (std::find(names.begin(), names.end(), t.group) == names.end()) names.push_back(t.group);
  }
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return GroupRank(a) < GroupRank(b);
  });
  for (const auto& name : names) tax.groups_.push_back({name, GroupLabel(name), {}});
  tax.parent_of_.assign(tax.terms_.size(), -1);
  for (const Term& t : tax.terms_) {
    if (const Term* parent = t.parent.empty() ? nullptr : tax.Find(t.parent)) tax.parent_of_[t.index] = parent->index;
  }
  tax.term_group_.resize(tax.terms_.size());
  for (const Term& t : tax.terms_) {
    int g = static_cast<int>(std::find(names.begin(), names.end(), t.group) - names.begin());
    tax.groups_[g].term_indexes.push_back(t.index);
    tax.term_group_[t.index] = g;
  }
  return tax;
}

const Term* Taxonomy::Find(std::string_view code) const {
  size_t index = by_code_.Find(code, CodeOf());
  return index == ShortKeyIndex::kNone ? nullptr : &terms_[index];
}

const TermGroup* Taxonomy::FindGroup(std::string_view name) const {
  for (const auto& g : groups_) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

bool Taxonomy::InGroup(std::string_view code, std::string_view group) const {
  const Term* t = Find(code);
  return t != nullptr && t->group == group;
}

std::vector<const Term*> Taxonomy::AncestorTerms(const std::vector<std::string>& codes) const {
  // A bit a term (a few hundred terms: a few words, on the stack), read back
  // in index order, which is taxonomy order. Parents by index: each step up
  // looked its code up again. Runs three times a listing in an import (its
  // terms, its doc, its full text): a short list searched for each term and
  // sorted took 0.65 s of CPU at 1e6 listings.
  constexpr size_t kStackWords = 8;
  const size_t words = (terms_.size() + 63) / 64;
  uint64_t on_stack[kStackWords] = {};
  std::vector<uint64_t> on_heap;
  uint64_t* marks = on_stack;
  if (words > kStackWords) {
    on_heap.assign(words, 0);
    marks = on_heap.data();
  }
  size_t count = 0;
  for (const auto& code : codes) {
    const Term* t = Find(code);
    for (int i = t ? t->index : -1; i >= 0; i = parent_of_[static_cast<size_t>(i)]) {
      uint64_t& word = marks[static_cast<size_t>(i) / 64];
      const uint64_t bit = uint64_t{1} << (static_cast<size_t>(i) % 64);
      if (word & bit) break;  // and its ancestors
      word |= bit;
      ++count;
    }
  }
  std::vector<const Term*> out;
  out.reserve(count);
  for (size_t w = 0; w < words; ++w) {
    for (uint64_t m = marks[w]; m != 0; m &= m - 1)
      out.push_back(&terms_[w * 64 + static_cast<size_t>(std::countr_zero(m))]);
  }
  return out;
}

}  // namespace carefinder
