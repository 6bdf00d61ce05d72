// Labels of the taxonomy in another language than the database's English:
// Spanish from data/taxonomy_es.csv, embedded at build and parsed once, so no
// file is read at request time. GET /api/v1/taxonomy?lang=es serves them.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace carefinder::api {

struct TermText {
  std::string label;
  std::string explanation;
};

struct TermLabels {
  std::unordered_map<std::string, TermText> terms;      // code -> text
  std::unordered_map<std::string, std::string> groups;  // group name -> label
};

// Parses a code,label_es,explanation_es CSV; rows without a code or label are skipped.
TermLabels ParseTermLabels(std::string_view csv);

// The Spanish labels (data/taxonomy_es.csv and the group names).
const TermLabels& SpanishTermLabels();

}  // namespace carefinder::api
