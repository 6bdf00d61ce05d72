// Spanish taxonomy labels from the embedded CSV: see term_labels.h.
#include "api/term_labels.h"

#include <sstream>

#include "core/csv.h"
#include "core/taxonomy.h"

namespace carefinder::api {

extern const char* const kTaxonomyEsCsv;  // generated from data/taxonomy_es.csv

TermLabels ParseTermLabels(std::string_view csv) {
  TermLabels out;
  std::istringstream in{std::string(csv)};
  CsvTable table(in);
  if (!table.ReadHeader()) return out;
  while (true) {
    auto more = table.Next();
    if (!more || !*more) break;
    std::string code(table.Get("code")), label(table.Get("label_es"));
    if (code.empty() || label.empty()) continue;
    out.terms[code] = {label, std::string(table.Get("explanation_es"))};
  }
  return out;
}

const TermLabels& SpanishTermLabels() {
  static const TermLabels labels = [] {
    TermLabels l = ParseTermLabels(kTaxonomyEsCsv);
    for (const auto& g : kTermGroups) l.groups[std::string(g.name)] = g.label_es;
    return l;
  }();
  return labels;
}

}  // namespace carefinder::api
