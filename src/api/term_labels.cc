// Spanish taxonomy labels from the embedded CSV: see term_labels.h.
#include "api/term_labels.h"

#include <sstream>

#include "core/csv.h"

namespace carefinder::api {

extern const char* const kTaxonomyEsCsv;  // generated from data/taxonomy_es.csv

namespace {

// The group names of store::kFilterGroups, in Spanish.
constexpr std::pair<const char*, const char*> kGroupsEs[] = {
    {"care", "Tipo de atención"},   {"medication", "Medicamentos"},
    {"substance", "Sustancias"},    {"support", "Grupos de apoyo"},
    {"payment", "Pago"},            {"population", "Para quién es"},
    {"language", "Idiomas"},        {"attendance", "Modalidad"},
    {"kind", "Tipo de lugar"},
};

}  // namespace

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
    for (const auto& [name, label] : kGroupsEs) l.groups[name] = label;
    return l;
  }();
  return labels;
}

}  // namespace carefinder::api
