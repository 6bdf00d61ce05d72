// `export --format csv`: every listing as one row of the curated format
// (data/README.md), so `carefinder import` reads it back into the same
// listings: the same ids (from the source and key its id was made from), the
// same normalised values, terms as they were given (the HSDS attributes; the
// ancestors they imply come back on import) and coordinates only where the
// source gave them (geocoded ones are geocoded again).
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "api/export.h"
#include "core/curated_columns.h"
#include "core/taxonomy.h"
#include "core/text.h"
#include "store/hsds_store.h"

namespace carefinder::api {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr std::pair<std::string_view, std::string_view> kDays[] = {
    {"MO", "Mo"}, {"TU", "Tu"}, {"WE", "We"}, {"TH", "Th"}, {"FR", "Fr"}, {"SA", "Sa"},
    {"SU", "Su"}};

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

// "main: (909) 488-7181 x 12; hotline: 988"
std::string Phones(const Json& doc) {
  std::vector<std::string> out;
  for (const auto& p : doc.value("phones", Json::array())) {
    std::string ext = Str(p, "extension");
    out.push_back(Str(p, "role") + ": " + Str(p, "display") + (ext.empty() ? "" : " x " + ext));
  }
  return Joined(out);
}

// The hours as written when the source wrote them, else the weekly times.
std::string Hours(const Json& doc) {
  const Json hours = doc.value("hours", Json::object());
  if (std::string text = Str(hours, "text"); !text.empty()) return text;
  const Json weekly = hours.value("weekly", Json::array());
  bool all_day = weekly.size() == 7;
  for (const auto& w : weekly) all_day = all_day && Str(w, "opens") == "00:00" && Str(w, "closes") == "24:00";
  if (all_day) return "24/7";
  std::vector<std::string> out;
  for (const auto& w : weekly) {
    std::string day = Str(w, "day");
    for (const auto& [ical, curated] : kDays) {
      if (day == ical) day = curated;
    }
    out.push_back(day + " " + Str(w, "opens") + "-" + Str(w, "closes"));
  }
  return Joined(out);
}

std::string Number(const Json& v) { return v.is_number() ? v.dump() : std::string(); }

// Term codes as given (HSDS attributes) grouped by the doc's term groups.
std::unordered_map<std::string, std::vector<std::string>> TermColumns(
    const Json& doc, const std::vector<std::string>& codes) {
  std::unordered_map<std::string, std::vector<std::string>> out;
  const Json groups = doc.value("terms", Json::object());
  for (const auto& [group, group_codes] : groups.items()) {
    for (const auto& code : codes) {
      for (const auto& c : group_codes) {
        if (c == code) out[group].push_back(code);
      }
    }
  }
  return out;
}

std::vector<std::string> Row(const store::ListingRow& row, const Json& doc,
                             const std::vector<std::string>& codes) {
  const Json source = doc.value("source", Json::object());
  const Json address = doc.value("address", Json::object());
  const Json conference = doc.value("conference", Json::object());
  bool exact = Str(doc, "geo_precision") == "exact";
  auto terms = TermColumns(doc, codes);
  std::vector<std::string> other;
  for (const auto& s : doc.value("other_services", Json::array())) other.push_back(s.get<std::string>());
  std::unordered_map<std::string, std::string> v = {
      {"source", row.source_name}, {"source_key", row.source_key},
      {"source_url", Str(source, "url")}, {"source_license", Str(source, "license")},
      {"as_of", Str(source, "as_of")}, {"last_verified", Str(source, "last_verified")},
      {"kind", Str(doc, "kind")}, {"status", Str(doc, "status")},
      {"organization", Str(doc, "organization")}, {"name", Str(doc, "name")},
      {"description", Str(doc, "description")}, {"address1", Str(address, "line1")},
      {"address2", Str(address, "line2")}, {"city", Str(address, "city")},
      {"state", Str(address, "state")}, {"zip", Str(address, "zip")},
      {"latitude", exact ? Number(doc.value("lat", Json())) : ""},
      {"longitude", exact ? Number(doc.value("lon", Json())) : ""},
      {"phones", Phones(doc)}, {"website", Str(doc, "website")}, {"email", Str(doc, "email")},
      {"other_services", Joined(other)}, {"hours", Hours(doc)},
      {"conference_url", Str(conference, "url")}, {"conference_phone", Str(conference, "phone")}};
  for (const TermGroupInfo& g : kTermGroups) {
    if (g.curated_column) v[std::string(g.name)] = Joined(terms[std::string(g.name)]);
  }
  std::vector<std::string> out;
  for (std::string_view column : kCuratedColumns) out.push_back(v[std::string(column)]);
  return out;
}

// Each service's term codes as given, from its HSDS attributes.
Result<std::unordered_map<std::string, std::vector<std::string>>> GivenCodes(
    store::Connection& c, const std::vector<store::ListingRow>& rows) {
  auto terms = store::ListHsds(c, store::HsdsList::kTaxonomyTerms, {}, {.all = true});
  if (!terms) return Fail(terms.error());
  std::unordered_map<std::string, std::string> code_of;
  for (const auto& t : terms->rows) code_of.emplace(t.Text("id"), t.Text("code"));
  std::vector<std::string> services;
  for (const auto& r : rows) services.push_back(r.service_id);
  auto attributes = store::LookupHsds(c, store::HsdsLookup::kAttributeByService, services);
  if (!attributes) return Fail(attributes.error());
  std::unordered_map<std::string, std::vector<std::string>> out;
  for (const auto& a : *attributes) {
    out[std::string(a.Text("link_id"))].push_back(code_of[std::string(a.Text("taxonomy_term_id"))]);
  }
  return out;
}

}  // namespace

Status ExportCuratedCsv(store::Connection& c, const fs::path& dir) {
  auto rows = store::ListListingRows(c, /*meetings_only=*/false);
  if (!rows) return Fail(rows.error());
  auto codes = GivenCodes(c, *rows);
  if (!codes) return Fail(codes.error());
  std::string out;
  for (std::string_view column : kCuratedColumns) out += (out.empty() ? "" : ",") + std::string(column);
  out += "\n";
  for (const auto& row : *rows) {
    Json doc = Json::parse(row.doc, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return Fail(Error::Internal("listing " + row.id + " has a doc that is not JSON"));
    }
    std::vector<std::string> cells = Row(row, doc, (*codes)[row.service_id]);
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out.push_back(',');
      AppendCsvField(out, cells[i]);
    }
    out += "\n";
  }
  if (auto s = WriteTextFile(dir / "listings.csv", out); !s) return s;
  std::printf("%s: %zu listings\n", (dir / "listings.csv").c_str(), rows->size());
  return {};
}

}  // namespace carefinder::api
