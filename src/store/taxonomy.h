// The care vocabulary as the store sees it: terms from taxonomy_term, grouped
// and ordered for display, each with a bit position for the in-memory index.
// Immutable once loaded; shared by every request through a snapshot.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace carefinder::db {
class Database;
}

namespace carefinder::store {

struct Term {
  std::string code;         // "detox-residential"
  std::string group;        // "care"
  std::string label;        // plain-language name
  std::string explanation;  // one sentence
  std::string parent;       // parent code, "" for a top-level term
  int bit = 0;              // position in a listing's term bitset
};

struct TermGroup {
  std::string name;               // "care"
  std::string label;              // "Type of care"
  std::vector<int> term_indexes;  // into Taxonomy::terms(), display order
};

class Taxonomy {
 public:
  // Reads taxonomy_term (ordered by group, position). Groups come in the
  // order of kFilterGroups below; a group not listed there goes last.
  static Result<Taxonomy> Load(db::Database& db);

  const std::vector<Term>& terms() const { return terms_; }
  const std::vector<TermGroup>& groups() const { return groups_; }
  const Term* Find(std::string_view code) const;
  const TermGroup* FindGroup(std::string_view name) const;
  int group_index_of_bit(int bit) const { return bit_group_[bit]; }

 private:
  std::vector<Term> terms_;
  std::vector<TermGroup> groups_;
  std::vector<int> bit_group_;  // bit -> index into groups_
  std::unordered_map<std::string, int> by_code_;
};

// The filter groups the search API accepts, in display order, with labels.
struct GroupInfo {
  const char* name;
  const char* label;
};
inline constexpr GroupInfo kFilterGroups[] = {
    {"care", "Type of care"},      {"medication", "Medications"},
    {"substance", "Substances"},   {"support", "Support groups"},
    {"payment", "Payment"},        {"population", "Who it is for"},
    {"language", "Languages"},     {"attendance", "Attendance"},
    {"kind", "Kind of listing"},
};

}  // namespace carefinder::store
