// The care vocabulary, one definition for every layer: the term groups (the
// filter parameters of the search API, the curated CSV's term columns, the
// page's filters; their English and Spanish names), and the taxonomy itself:
// terms by code, grouped and ordered for display, parents within a group.
// The importer parses it from data/taxonomy.csv (embedded at build), the
// store reads it back from taxonomy_term; both get this one type.
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/string_map.h"

namespace carefinder {

// A term group, in the order groups are shown and accepted.
struct TermGroupInfo {
  std::string_view name;      // "care": the search parameter and the curated column
  std::string_view label;     // "Type of care"
  std::string_view label_es;  // "Tipo de atención"
  // A curated CSV column of the group's name holds `;`-separated codes. `kind`
  // has none: its column is the listing's one kind, read on its own.
  bool curated_column = true;
  // A source states the group's services or leaves them unsaid (a listing's
  // services_stated); kind, support groups and attendance are always known.
  bool statable = true;
};

// The one list of term groups, in display order. The API serves it (GET
// /api/v1/taxonomy, its `groups`); tests check src/api/openapi.json against it.
inline constexpr TermGroupInfo kTermGroups[] = {
    {"care", "Type of care", "Tipo de atención"},
    {"medication", "Medications", "Medicamentos"},
    {"substance", "Substances", "Sustancias"},
    {"support", "Support groups", "Grupos de apoyo", true, /*statable=*/false},
    {"payment", "Payment", "Pago"},
    {"population", "Who it is for", "Para quién es"},
    {"language", "Languages", "Idiomas"},
    {"attendance", "Attendance", "Modalidad", true, /*statable=*/false},
    {"kind", "Kind of listing", "Tipo de lugar", /*curated_column=*/false, /*statable=*/false},
};

// The group named `name`; nullptr for a group not in kTermGroups.
const TermGroupInfo* FindTermGroup(std::string_view name);

struct Term {
  std::string group;        // "care"
  std::string code;         // "detox-residential"
  std::string label;        // plain-language name
  std::string explanation;  // one sentence
  std::string parent;       // parent code (same group), "" for a top-level term
  int index = 0;            // place in Taxonomy::terms(); the store's bit for the term
};

struct TermGroup {
  std::string name;               // "care"
  std::string label;              // "Type of care" (the group's name when not in kTermGroups)
  std::vector<int> term_indexes;  // into Taxonomy::terms(), display order
};

class Taxonomy {
 public:
  // Parses `group,code,label,explanation,parent` (data/taxonomy.csv): group,
  // code and label required, codes unique across groups, a parent a code of
  // the same group.
  static Result<Taxonomy> Parse(std::istream& in);
  // data/taxonomy.csv as embedded at build (parsed on first use; aborts on a
  // broken build input).
  static const Taxonomy& Embedded();
  // The terms in the order given (each one's index is set to its place),
  // unchecked: rows the importer checked when it wrote them.
  static Taxonomy FromTerms(std::vector<Term> terms);

  const std::vector<Term>& terms() const { return terms_; }
  // Groups that have terms, in kTermGroups order; groups not listed there last.
  const std::vector<TermGroup>& groups() const { return groups_; }
  const Term* Find(std::string_view code) const;
  const TermGroup* FindGroup(std::string_view name) const;
  bool InGroup(std::string_view code, std::string_view group) const;
  // Index into groups() of the group of terms()[term_index].
  int group_index_of(int term_index) const { return term_group_[term_index]; }
  // The terms of `codes` plus every ancestor, deduplicated, in taxonomy
  // order; unknown codes are left out.
  std::vector<const Term*> AncestorTerms(const std::vector<std::string>& codes) const;

 private:
  std::vector<Term> terms_;
  std::vector<TermGroup> groups_;
  std::vector<int> term_group_;  // term index -> index into groups_
  std::vector<int> parent_of_;   // term index -> its parent's, -1 for none (AncestorTerms)
  // Find's index of the codes. At 1e6 listings Find is called some 50
  // million times (every code of every record, by the readers, the docs and
  // the full text): std::unordered_map hashed each code with _Hash_bytes
  // and divided by a prime, 0.8 s in all.
  ShortKeyIndex by_code_;
  auto CodeOf() const {
    return [this](size_t i) -> std::string_view { return terms_[i].code; };
  }
};

}  // namespace carefinder
