// The care taxonomy (data/taxonomy.csv, embedded at build): parsed once, used
// to validate term codes per group, expand ancestors, label terms for full
// text, and seed the taxonomy / taxonomy_term tables with stable ids.
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "db/database.h"

namespace carefinder::importer {

extern const char* const kTaxonomyCsv;  // generated from data/taxonomy.csv

struct Term {
  std::string group, code, label, explanation, parent;  // parent "" = none
  int position = 0;  // row order in taxonomy.csv
};

class Taxonomy {
 public:
  // Parses `group,code,label,explanation,parent`; a parent must be a code of
  // the same group, codes are unique across groups.
  static Result<Taxonomy> Parse(std::istream& in);
  // The embedded taxonomy (parsed on first use; aborts on a broken build input).
  static const Taxonomy& Embedded();

  const Term* Find(std::string_view code) const;
  bool InGroup(std::string_view code, std::string_view group) const;
  // The codes plus every ancestor, deduplicated, in taxonomy order.
  std::vector<std::string> WithAncestors(const std::vector<std::string>& codes) const;
  const std::vector<Term>& terms() const { return terms_; }

 private:
  std::vector<Term> terms_;
  std::unordered_map<std::string, size_t> by_code_;
};

// Stable id of a term: UUIDv5 of ("taxonomy_term", "carefinder", code).
std::string TermId(std::string_view code);
std::string TaxonomyId();

// Inserts or refreshes the taxonomy row and every term (labels may be
// reworded between releases; codes and ids never change). Call inside the
// import transaction.
Status SeedTaxonomy(db::Database& db, const Taxonomy& taxonomy);

}  // namespace carefinder::importer
