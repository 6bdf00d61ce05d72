// The SAMHSA service vocabulary -> taxonomy terms (data/mappings/samhsa_codes.csv,
// embedded at build), shared by the readers of SAMHSA's locator JSON and of its
// National Directory workbooks.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

// Label or code -> terms (empty = known, no term). Labels are keyed with runs
// of spaces collapsed: SAMHSA writes "Buprenorphine with naloxone  (Suboxone®)"
// with two spaces in some years. A code's terms are those of all its rows.
struct SamhsaServiceMap {
  std::unordered_map<std::string, std::vector<std::string>> by_label, by_code;
  std::unordered_map<std::string, std::string> label_by_code;  // the code's first label

  // The terms of a label, else of a code; nullptr when it is neither.
  const std::vector<std::string>* Find(const std::string& value) const;
  // The terms of a code only; nullptr when the mapping has no such code.
  const std::vector<std::string>* FindCode(const std::string& code) const;
};

// The embedded mapping, parsed once; an internal error when it does not parse
// or maps to a term that `taxonomy` lacks.
Result<const SamhsaServiceMap*> SamhsaServices(const Taxonomy& taxonomy);

}  // namespace carefinder::importer
