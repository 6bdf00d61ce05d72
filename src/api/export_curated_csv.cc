// `export --format csv`: every listing as one row of the curated format
// (data/README.md), so `carefinder import` reads it back into the same
// listings: the same ids (from the source and key its id was made from), the
// same normalised values, terms as they were given (the HSDS attributes; the
// ancestors they imply come back on import) and coordinates only where the
// source gave them (geocoded ones are geocoded again). Each listing's values
// come from its document, read by core/listing_document.h.
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "api/export.h"
#include "core/listing_document.h"
#include "core/text.h"
#include "store/hsds_store.h"

namespace carefinder::api {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kColumns[] = {
    "source", "source_key", "source_url", "source_license", "as_of", "last_verified",
    "kind", "status", "organization", "name", "description", "address1", "address2",
    "city", "state", "zip", "latitude", "longitude", "phones", "website", "email",
    "care", "medication", "substance", "support", "payment", "population", "language",
    "attendance", "other_services", "hours", "conference_url", "conference_phone"};
constexpr const char* kTermColumns[] = {"care", "medication", "substance", "support",
                                        "payment", "population", "language", "attendance"};
constexpr std::pair<std::string_view, std::string_view> kDays[] = {
    {"MO", "Mo"}, {"TU", "Tu"}, {"WE", "We"}, {"TH", "Th"}, {"FR", "Fr"}, {"SA", "Sa"},
    {"SU", "Su"}};

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

// "main: (909) 488-7181 x 12; hotline: 988"
std::string Phones(const std::vector<Phone>& phones) {
  std::vector<std::string> out;
  for (const auto& p : phones) {
    out.push_back(p.role + ": " + p.display + (p.extension.empty() ? "" : " x " + p.extension));
  }
  return Joined(out);
}

// The hours as written when the source wrote them, else the weekly times.
std::string Hours(const ListingRecord& rec) {
  if (!rec.hours_text.empty()) return rec.hours_text;
  bool all_day = rec.hours.size() == 7;
  for (const auto& w : rec.hours) all_day = all_day && w.opens == "00:00" && w.closes == "24:00";
  if (all_day) return "24/7";
  std::vector<std::string> out;
  for (const auto& w : rec.hours) {
    std::string day = w.day;
    for (const auto& [ical, curated] : kDays) {
      if (day == ical) day = curated;
    }
    out.push_back(day + " " + w.opens + "-" + w.closes);
  }
  return Joined(out);
}

// As nlohmann writes a double (the export's format since it began).
std::string Number(const std::optional<double>& v) { return v ? Json(*v).dump() : std::string(); }

// Term codes as given (HSDS attributes) grouped by the document's term groups.
std::unordered_map<std::string, std::vector<std::string>> TermColumns(
    const std::vector<listing_document::TermGroup>& groups, const std::vector<std::string>& codes) {
  std::unordered_map<std::string, std::vector<std::string>> out;
  for (const auto& [group, group_codes] : groups) {
    for (const auto& code : codes) {
      for (const auto& c : group_codes) {
        if (c == code) out[group].push_back(code);
      }
    }
  }
  return out;
}

std::vector<std::string> Row(const store::ListingRow& row, const listing_document::Document& doc,
                             const std::vector<std::string>& codes) {
  const ListingRecord& r = doc.record;
  bool exact = r.latitude && r.precision == GeoPrecision::kExact;
  auto terms = TermColumns(doc.terms, codes);
  std::unordered_map<std::string, std::string> v = {
      {"source", row.source_name}, {"source_key", row.source_key},
      {"source_url", r.source_url}, {"source_license", r.source_license},
      {"as_of", r.as_of}, {"last_verified", r.last_verified},
      {"kind", r.kind}, {"status", r.status},
      {"organization", r.organization}, {"name", r.name},
      {"description", r.description}, {"address1", r.address.line1},
      {"address2", r.address.line2}, {"city", r.address.city},
      {"state", r.address.state}, {"zip", r.address.postal_code},
      {"latitude", exact ? Number(r.latitude) : ""},
      {"longitude", exact ? Number(r.longitude) : ""},
      {"phones", Phones(r.phones)}, {"website", r.website}, {"email", r.email},
      {"other_services", Joined(r.source_attributes)}, {"hours", Hours(r)},
      {"conference_url", r.conference_url}, {"conference_phone", r.conference_phone}};
  for (const char* group : kTermColumns) v[group] = Joined(terms[group]);
  std::vector<std::string> out;
  for (const char* column : kColumns) out.push_back(v[column]);
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
  for (const char* column : kColumns) out += (out.empty() ? "" : ",") + std::string(column);
  out += "\n";
  for (const auto& row : *rows) {
    auto doc = listing_document::Read(row.doc);
    if (!doc) return Fail(Error::Internal("listing " + row.id + " has a doc that is not JSON"));
    std::vector<std::string> cells = Row(row, *doc, (*codes)[row.service_id]);
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
