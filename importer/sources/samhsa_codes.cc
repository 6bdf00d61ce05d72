// Parsing and checking the embedded SAMHSA service mapping: see samhsa_codes.h.
#include "importer/sources/samhsa_codes.h"

#include <algorithm>
#include <sstream>

#include "core/csv.h"
#include "core/text.h"

namespace carefinder::importer {

extern const char* const kSamhsaCodesCsv;  // generated from data/mappings/samhsa_codes.csv

namespace {

Result<SamhsaServiceMap> ParseServiceMap() {
  std::istringstream in(kSamhsaCodesCsv);
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s) return Fail(s.error());
  SamhsaServiceMap map;
  while (true) {
    auto more = table.Next();
    if (!more) return Fail(more.error());
    if (!*more) break;
    auto add = [&](auto& index, std::string_view key) {
      auto& terms = index[std::string(key)];
      std::string term(table.Get("term"));
      if (!term.empty() && std::ranges::find(terms, term) == terms.end()) terms.push_back(term);
    };
    add(map.by_label, text::CollapseSpace(table.Get("label")));
    std::string code(table.Get("code"));
    if (code.empty()) continue;
    add(map.by_code, code);
    map.label_by_code.try_emplace(code, text::CollapseSpace(table.Get("label")));
  }
  return map;
}

}  // namespace

const std::vector<std::string>* SamhsaServiceMap::Find(const std::string& value) const {
  if (auto it = by_label.find(value); it != by_label.end()) return &it->second;
  return FindCode(value);
}

const std::vector<std::string>* SamhsaServiceMap::FindCode(const std::string& code) const {
  auto it = by_code.find(code);
  return it == by_code.end() ? nullptr : &it->second;
}

Result<const SamhsaServiceMap*> SamhsaServices(const Taxonomy& taxonomy) {
  static const Result<SamhsaServiceMap> parsed = ParseServiceMap();
  if (!parsed)
    return Fail(Error::Internal("data/mappings/samhsa_codes.csv: " + parsed.error().message));
  for (const auto& [label, terms] : parsed->by_label) {
    for (const auto& term : terms) {
      if (!taxonomy.Find(term))
        return Fail(Error::Internal("data/mappings/samhsa_codes.csv: \"" + label +
                                    "\" maps to '" + term + "', which is not in the taxonomy"));
    }
  }
  return &*parsed;
}

}  // namespace carefinder::importer
