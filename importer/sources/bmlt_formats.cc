// The BMLT format table: see bmlt_formats.h.
#include "importer/sources/bmlt_formats.h"

#include <algorithm>
#include <set>

#include "core/csv.h"
#include "importer/sources/meeting_guide_parts.h"

namespace carefinder::importer::bmlt {

namespace {

// World ids whose key_strings map to the same terms; ambiguous ones dropped.
std::unordered_map<std::string, std::vector<std::string>> ByWorldId(
    const std::unordered_map<std::string, std::vector<std::string>>& by_key,
    const std::unordered_map<std::string, std::string>& world_id) {
  std::unordered_map<std::string, std::vector<std::string>> out;
  std::set<std::string> ambiguous;
  for (const auto& [key, id] : world_id) {
    if (id.empty()) continue;
    std::vector<std::string> terms = by_key.at(key);
    std::sort(terms.begin(), terms.end());
    auto [it, inserted] = out.try_emplace(id, terms);
    if (!inserted && it->second != terms) ambiguous.insert(id);
  }
  for (const auto& id : ambiguous) out.erase(id);
  return out;
}

}  // namespace

Result<FormatTable> FormatTable::Parse(std::istream& in, const Taxonomy& taxonomy) {
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s) return Fail(s.error());
  for (const char* column : {"key_string", "world_id", "term", "name"}) {
    if (!table.Has(column)) {
      return Fail(Error::Invalid(std::string("bmlt_formats: missing column '") + column + "'"));
    }
  }
  FormatTable formats;
  while (true) {
    auto more = table.Next();
    if (!more) return Fail(more.error());
    if (!*more) break;
    std::string key(table.Get("key_string")), id(table.Get("world_id")), term(table.Get("term"));
    std::string where = "bmlt_formats:" + std::to_string(table.line()) + ": ";
    if (key.empty() || table.Get("name").empty()) {
      return Fail(Error::Invalid(where + "key_string and name are required"));
    }
    if (!term.empty() && !taxonomy.Find(term)) {
      return Fail(Error::Invalid(where + "term '" + term + "' is not in the taxonomy"));
    }
    auto [known, first] = formats.world_id_.try_emplace(key, id);
    if (!first && known->second != id) {
      return Fail(Error::Invalid(where + "key_string '" + key + "' has two world ids"));
    }
    auto& terms = formats.by_key_[key];
    if (!term.empty()) terms.push_back(term);
  }
  formats.by_world_id_ = ByWorldId(formats.by_key_, formats.world_id_);
  return formats;
}

const FormatTable& FormatTable::Embedded() {
  static const FormatTable table = meeting_guide::ParseEmbedded<FormatTable>(kFormatsCsv);
  return table;
}

const std::vector<std::string>* FormatTable::Find(std::string_view code) const {
  if (auto it = by_key_.find(std::string(code)); it != by_key_.end()) return &it->second;
  auto it = by_world_id_.find(std::string(code));
  return it == by_world_id_.end() ? nullptr : &it->second;
}

}  // namespace carefinder::importer::bmlt
