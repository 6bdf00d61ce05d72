// `export --format hsds-csv`: an HSDS 3.0 Tabular Data Package. The columns
// of each CSV are the official datapackage's fields of that table, in its
// order (tests/compliance/datapackage_check.py holds them to the official
// descriptor); values come from the same records as the HSDS API
// (store/hsds_store.h), so the JSON and the CSV forms agree.
#include <charconv>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <tuple>
#include <unordered_set>

#include "api/export.h"
#include "store/hsds_store.h"

namespace carefinder::api {

namespace {

namespace fs = std::filesystem;
using store::HsdsLookup;
using store::HsdsRecord;
using Json = nlohmann::ordered_json;

enum FieldType { kString, kUuid, kEmail, kUri, kNumber, kDate, kTime, kDateTime };

struct CsvField {
  const char* name;
  FieldType type;
  bool required = false;
};

constexpr CsvField kOrganizationFields[] = {
    {"id", kUuid, true}, {"name", kString, true}, {"alternate_name", kString},
    {"description", kString, true}, {"email", kEmail}, {"website", kUri}, {"tax_status", kString},
    {"tax_id", kString}, {"year_incorporated", kNumber}, {"legal_status", kString},
    {"logo", kString}, {"uri", kUri}, {"parent_organization_id", kUuid},
};
constexpr CsvField kServiceFields[] = {
    {"id", kUuid, true}, {"organization_id", kUuid, true}, {"program_id", kUuid},
    {"name", kString, true}, {"alternate_name", kString}, {"description", kString}, {"url", kUri},
    {"email", kEmail}, {"status", kString, true}, {"interpretation_services", kString},
    {"application_process", kString}, {"fees_description", kString}, {"wait_time", kString},
    {"fees", kString}, {"accreditations", kString}, {"eligibility_description", kString},
    {"minimum_age", kNumber}, {"maximum_age", kNumber}, {"assured_date", kDate},
    {"assurer_email", kEmail}, {"licenses", kString}, {"alert", kString},
    {"last_modified", kDateTime},
};
constexpr CsvField kLocationFields[] = {
    {"id", kUuid, true}, {"location_type", kString, true}, {"url", kUri},
    {"organization_id", kUuid}, {"name", kString}, {"alternate_name", kString},
    {"description", kString}, {"transportation", kString}, {"latitude", kNumber},
    {"longitude", kNumber}, {"external_identifier", kString},
    {"external_identifier_type", kString},
};
constexpr CsvField kAddressFields[] = {
    {"id", kUuid, true}, {"location_id", kUuid}, {"attention", kString},
    {"address_1", kString, true}, {"address_2", kString}, {"city", kString, true},
    {"region", kString}, {"state_province", kString, true}, {"postal_code", kString, true},
    {"country", kString, true}, {"address_type", kString, true},
};
constexpr CsvField kServiceAtLocationFields[] = {
    {"id", kUuid, true}, {"service_id", kUuid, true}, {"location_id", kUuid, true},
    {"description", kString},
};
constexpr CsvField kPhoneFields[] = {
    {"id", kUuid, true}, {"location_id", kUuid}, {"service_id", kUuid},
    {"organization_id", kUuid}, {"contact_id", kUuid}, {"service_at_location_id", kUuid},
    {"number", kString, true}, {"extension", kNumber}, {"type", kString},
    {"description", kString},
};
constexpr CsvField kScheduleFields[] = {
    {"id", kUuid, true}, {"service_id", kUuid}, {"location_id", kUuid},
    {"service_at_location_id", kUuid}, {"valid_from", kDate}, {"valid_to", kDate},
    {"dtstart", kDate}, {"timezone", kNumber}, {"until", kDate}, {"count", kNumber},
    {"wkst", kString}, {"freq", kString}, {"interval", kNumber}, {"byday", kString},
    {"byweekno", kString}, {"bymonthday", kString}, {"byyearday", kString},
    {"description", kString}, {"opens_at", kTime}, {"closes_at", kTime}, {"schedule_link", kUri},
    {"attending_type", kString}, {"notes", kString},
};
constexpr CsvField kAttributeFields[] = {
    {"id", kUuid, true}, {"link_id", kUuid, true}, {"taxonomy_term_id", kUuid, true},
    {"link_type", kString}, {"link_entity", kString, true}, {"value", kString},
};
constexpr CsvField kLanguageFields[] = {
    {"id", kUuid, true}, {"service_id", kUuid}, {"location_id", kUuid}, {"phone_id", kUuid},
    {"name", kString}, {"code", kString}, {"note", kString},
};
constexpr CsvField kCostOptionFields[] = {
    {"id", kUuid, true}, {"service_id", kUuid, true}, {"valid_from", kDate}, {"valid_to", kDate},
    {"option", kString}, {"currency", kString}, {"amount", kNumber},
    {"amount_description", kString},
};
constexpr CsvField kTaxonomyFields[] = {
    {"id", kUuid, true}, {"name", kString, true}, {"description", kString, true}, {"uri", kUri},
    {"version", kString},
};
constexpr CsvField kTaxonomyTermFields[] = {
    {"id", kUuid, true}, {"code", kString}, {"name", kString, true},
    {"description", kString, true}, {"parent_id", kUuid}, {"taxonomy", kString},
    {"language", kString}, {"taxonomy_id", kUuid}, {"term_uri", kUri},
};

struct ForeignKey {
  const char* field;
  const char* resource;
};

struct CsvResource {
  const char* name;  // the HSDS object, the resource's name in datapackage.json
  const char* path;
  std::span<const CsvField> fields;
  std::vector<ForeignKey> foreign_keys;  // only to tables this package has
};

const CsvResource kResources[] = {
    {"organization", "organizations.csv", kOrganizationFields, {}},
    {"service", "services.csv", kServiceFields, {{"organization_id", "organization"}}},
    {"location", "locations.csv", kLocationFields, {{"organization_id", "organization"}}},
    {"address", "addresses.csv", kAddressFields, {{"location_id", "location"}}},
    {"service_at_location", "service_at_location.csv", kServiceAtLocationFields,
     {{"service_id", "service"}, {"location_id", "location"}}},
    {"phone", "phones.csv", kPhoneFields, {{"service_id", "service"}, {"location_id", "location"}}},
    {"schedule", "schedules.csv", kScheduleFields, {{"service_id", "service"}}},
    {"taxonomy", "taxonomies.csv", kTaxonomyFields, {}},
    {"taxonomy_term", "taxonomy_terms.csv", kTaxonomyTermFields, {{"taxonomy_id", "taxonomy"}}},
    {"attribute", "attributes.csv", kAttributeFields, {{"taxonomy_term_id", "taxonomy_term"}}},
    {"language", "languages.csv", kLanguageFields, {{"service_id", "service"}}},
    {"cost_option", "cost_options.csv", kCostOptionFields, {{"service_id", "service"}}},
};

// Table Schema type and format of a field.
std::pair<const char*, const char*> TypeOf(FieldType t) {
  switch (t) {
    case kUuid: return {"string", "uuid"};
    case kEmail: return {"string", "email"};
    case kUri: return {"string", "uri"};
    case kNumber: return {"number", nullptr};
    case kDate: return {"date", nullptr};
    case kTime: return {"time", nullptr};
    case kDateTime: return {"datetime", nullptr};
    case kString: break;
  }
  return {"string", nullptr};
}

std::string NumberText(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

// One cell. Table Schema times are HH:MM:SS; ours are HH:MM.
std::string Cell(const HsdsRecord& r, const CsvField& f) {
  const store::HsdsField* v = r.Find(f.name);
  if (!v) return "";
  if (v->is_number) return NumberText(v->number);
  if (f.type == kTime && v->text.size() == 5) return v->text + ":00";
  return v->text;
}

std::string CsvText(const CsvResource& res, const std::vector<HsdsRecord>& rows) {
  std::string out;
  for (const auto& f : res.fields) out += (out.empty() ? "" : ",") + std::string(f.name);
  out += "\r\n";
  for (const auto& r : rows) {
    for (size_t i = 0; i < res.fields.size(); ++i) {
      if (i) out.push_back(',');
      AppendCsvField(out, Cell(r, res.fields[i]));
    }
    out += "\r\n";
  }
  return out;
}

Json Descriptor(const std::vector<store::SourceRow>& sources) {
  Json d = Json::object();
  d["profile"] = "tabular-data-package";
  d["name"] = "carefinder-hsds";
  d["title"] = "Carefinder directory as HSDS 3.0 tables";
  d["description"] =
      "Addiction-treatment listings and support-group meetings exported by Carefinder in the "
      "Open Referral Human Services Data Specification 3.0 tabular form. Each source keeps "
      "its own licence (see sources).";
  d["sources"] = Json::array();
  for (const auto& s : sources) {
    Json j = {{"title", s.name + (s.license.empty() ? "" : " (" + s.license + ")")}};
    if (!s.url.empty()) j["path"] = s.url;
    d["sources"].push_back(std::move(j));
  }
  d["resources"] = Json::array();
  for (const auto& res : kResources) {
    Json fields = Json::array();
    for (const auto& f : res.fields) {
      auto [type, format] = TypeOf(f.type);
      Json field = {{"name", f.name}, {"type", type}};
      if (format) field["format"] = format;
      field["constraints"] = {{"required", f.required}, {"unique", std::string_view(f.name) == "id"}};
      fields.push_back(std::move(field));
    }
    Json schema = {{"fields", std::move(fields)}, {"primaryKey", "id"}};
    schema["foreignKeys"] = Json::array();
    for (const auto& fk : res.foreign_keys) {
      schema["foreignKeys"].push_back(
          {{"fields", fk.field}, {"reference", {{"resource", fk.resource}, {"fields", "id"}}}});
    }
    d["resources"].push_back({{"name", res.name}, {"path", res.path},
                              {"profile", "tabular-data-resource"}, {"format", "csv"},
                              {"mediatype", "text/csv"}, {"encoding", "utf-8"},
                              {"schema", std::move(schema)}});
  }
  return d;
}

std::vector<std::string> Values(const std::vector<HsdsRecord>& rows, std::string_view field) {
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  for (const auto& r : rows) {
    if (seen.insert(r.Text(field)).second) out.emplace_back(r.Text(field));
  }
  return out;
}

// Every table's rows, by resource name.
Result<std::map<std::string, std::vector<HsdsRecord>>> Collect(store::Connection& c) {
  std::map<std::string, std::vector<HsdsRecord>> t;
  const std::pair<const char*, store::HsdsList> lists[] = {
      {"organization", store::HsdsList::kOrganizations},
      {"service", store::HsdsList::kServices},
      {"service_at_location", store::HsdsList::kServiceAtLocations},
      {"taxonomy", store::HsdsList::kTaxonomies},
      {"taxonomy_term", store::HsdsList::kTaxonomyTerms}};
  for (const auto& [name, list] : lists) {
    auto page = store::ListHsds(c, list, {}, {.all = true});
    if (!page) return Fail(page.error());
    t[name] = std::move(page->rows);
  }
  std::vector<std::string> services = Values(t["service"], "id");
  std::vector<std::string> locations = Values(t["service_at_location"], "location_id");
  const std::tuple<const char*, HsdsLookup, const std::vector<std::string>*> lookups[] = {
      {"location", HsdsLookup::kLocationById, &locations},
      {"address", HsdsLookup::kAddressByLocation, &locations},
      {"phone", HsdsLookup::kPhoneByService, &services},
      {"schedule", HsdsLookup::kScheduleByService, &services},
      {"attribute", HsdsLookup::kAttributeByService, &services},
      {"language", HsdsLookup::kLanguageByService, &services},
      {"cost_option", HsdsLookup::kCostOptionByService, &services}};
  for (const auto& [name, lookup, keys] : lookups) {
    auto rows = store::LookupHsds(c, lookup, *keys);
    if (!rows) return Fail(rows.error());
    t[name] = std::move(*rows);
  }
  // address_1 is required and an empty cell is a missing value: an address
  // without its street line cannot be written (store/hsds_store.cc).
  std::erase_if(t["address"], [](const HsdsRecord& r) { return r.Text("address_1").empty(); });
  return t;
}

}  // namespace

Status ExportHsdsCsv(store::Connection& c, const fs::path& dir) {
  auto tables = Collect(c);
  if (!tables) return Fail(tables.error());
  auto sources = store::ListSources(c);
  if (!sources) return Fail(sources.error());
  for (const auto& res : kResources) {
    const auto& rows = (*tables)[res.name];
    if (auto s = WriteTextFile(dir / res.path, CsvText(res, rows)); !s) return s;
    std::printf("%s: %zu rows\n", (dir / res.path).c_str(), rows.size());
  }
  std::string descriptor = Descriptor(*sources).dump(2) + "\n";
  return WriteTextFile(dir / "datapackage.json", descriptor);
}

}  // namespace carefinder::api
