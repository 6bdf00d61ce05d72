// Nesting HSDS records into the official JSON shapes: see hsds_render.h.
#include "api/hsds_render.h"

#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace carefinder::api {

using store::HsdsLookup;
using store::HsdsRecord;

HsdsJson RecordJson(const HsdsRecord& r) {
  HsdsJson j = HsdsJson::object();
  for (const auto& f : r.fields) {
    if (!f.is_number) j[f.name] = f.text;
    else if (std::trunc(f.number) == f.number && std::fabs(f.number) < 9e15)
      j[f.name] = static_cast<int64_t>(f.number);
    else j[f.name] = f.number;
  }
  return j;
}

std::string HsdsText(const HsdsJson& j) {
  return j.dump(-1, ' ', false, HsdsJson::error_handler_t::replace);
}

namespace {

// The distinct non-empty values of `field` over `rows`, first-seen order.
std::vector<std::string> Distinct(const std::vector<HsdsRecord>& rows, std::string_view field) {
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  for (const auto& r : rows) {
    std::string_view v = r.Text(field);
    if (!v.empty() && seen.insert(v).second) out.emplace_back(v);
  }
  return out;
}

// The rows of one lookup, grouped by the lookup's key field.
class Grouped {
 public:
  static Result<Grouped> Load(store::Connection& c, HsdsLookup lookup,
                              const std::vector<std::string>& keys) {
    auto rows = store::LookupHsds(c, lookup, keys);
    if (!rows) return Fail(rows.error());
    Grouped g;
    g.rows_ = std::move(*rows);
    const char* key = store::LookupKeyField(lookup);
    for (size_t i = 0; i < g.rows_.size(); ++i) {
      g.by_key_[std::string(g.rows_[i].Text(key))].push_back(i);
    }
    return g;
  }

  const std::vector<HsdsRecord>& rows() const { return rows_; }

  // key's rows as JSON objects; `extend` may add nested members to each.
  template <class Extend>
  HsdsJson Array(std::string_view key, Extend&& extend) const {
    HsdsJson out = HsdsJson::array();
    auto it = by_key_.find(std::string(key));
    if (it == by_key_.end()) return out;
    for (size_t i : it->second) {
      HsdsJson j = RecordJson(rows_[i]);
      extend(rows_[i], j);
      out.push_back(std::move(j));
    }
    return out;
  }
  HsdsJson Array(std::string_view key) const {
    return Array(key, [](const HsdsRecord&, HsdsJson&) {});
  }
  const HsdsRecord* First(std::string_view key) const {
    auto it = by_key_.find(std::string(key));
    return it == by_key_.end() ? nullptr : &rows_[it->second.front()];
  }

 private:
  std::vector<HsdsRecord> rows_;
  std::unordered_map<std::string, std::vector<size_t>> by_key_;
};

using JsonById = std::unordered_map<std::string, HsdsJson>;

JsonById ById(const std::vector<HsdsRecord>& rows, std::vector<HsdsJson> json) {
  JsonById out;
  for (size_t i = 0; i < rows.size(); ++i) out.emplace(rows[i].Text("id"), std::move(json[i]));
  return out;
}

HsdsJson Minimal(const HsdsRecord& r) {
  HsdsJson j = HsdsJson::object();
  for (const char* field : {"id", "name", "status", "last_modified"}) {
    if (const auto* f = r.Find(field)) j[field] = f->text;
  }
  return j;
}

// Locations with their addresses, by id.
Result<JsonById> LocationsById(store::Connection& c, const std::vector<std::string>& ids) {
  auto rows = store::LookupHsds(c, HsdsLookup::kLocationById, ids);
  if (!rows) return Fail(rows.error());
  auto addresses = Grouped::Load(c, HsdsLookup::kAddressByLocation, ids);
  if (!addresses) return Fail(addresses.error());
  std::vector<HsdsJson> json;
  for (const auto& r : *rows) {
    json.push_back(RecordJson(r));
    json.back()["addresses"] = addresses->Array(r.Text("id"));
  }
  return ById(*rows, std::move(json));
}

// What a batch of full services nests, one query per table.
struct ServiceParts {
  Grouped phones, schedules, languages, costs, attributes, terms, sals;
  JsonById locations;  // of `sals`
};

Result<ServiceParts> LoadServiceParts(store::Connection& c, const std::vector<std::string>& ids,
                                      bool with_locations) {
  ServiceParts p;
  const std::pair<Grouped*, HsdsLookup> by_service[] = {
      {&p.phones, HsdsLookup::kPhoneByService},
      {&p.schedules, HsdsLookup::kScheduleByService},
      {&p.languages, HsdsLookup::kLanguageByService},
      {&p.costs, HsdsLookup::kCostOptionByService},
      {&p.attributes, HsdsLookup::kAttributeByService}};
  for (const auto& [target, lookup] : by_service) {
    auto g = Grouped::Load(c, lookup, ids);
    if (!g) return Fail(g.error());
    *target = std::move(*g);
  }
  auto terms = Grouped::Load(c, HsdsLookup::kTermById, Distinct(p.attributes.rows(), "taxonomy_term_id"));
  if (!terms) return Fail(terms.error());
  p.terms = std::move(*terms);
  auto sals = Grouped::Load(c, HsdsLookup::kServiceAtLocationByService,
                            with_locations ? ids : std::vector<std::string>{});
  if (!sals) return Fail(sals.error());
  p.sals = std::move(*sals);
  auto locations = LocationsById(c, Distinct(p.sals.rows(), "location_id"));
  if (!locations) return Fail(locations.error());
  p.locations = std::move(*locations);
  return p;
}

// One full service, its members in the schema's order; `organization` is
// nested where the schema puts it.
HsdsJson FullService(const HsdsRecord& r, const ServiceParts& p, bool with_locations,
                     const HsdsRecord* organization) {
  auto add_term = [&](const HsdsRecord& a, HsdsJson& j) {
    if (const auto* t = p.terms.First(a.Text("taxonomy_term_id"))) j["taxonomy_term"] = RecordJson(*t);
  };
  auto add_location = [&](const HsdsRecord& sal, HsdsJson& j) {
    auto it = p.locations.find(std::string(sal.Text("location_id")));
    if (it != p.locations.end()) j["location"] = it->second;
  };
  std::string_view id = r.Text("id");
  HsdsJson j = RecordJson(r);
  j["phones"] = p.phones.Array(id);
  j["schedules"] = p.schedules.Array(id);
  if (with_locations) j["service_at_locations"] = p.sals.Array(id, add_location);
  j["languages"] = p.languages.Array(id);
  if (organization) j["organization"] = RecordJson(*organization);
  j["cost_options"] = p.costs.Array(id);
  j["attributes"] = p.attributes.Array(id, add_term);
  return j;
}

}  // namespace

std::vector<HsdsJson> HsdsNester::Plain(const std::vector<HsdsRecord>& rows) {
  std::vector<HsdsJson> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(RecordJson(r));
  return out;
}

Result<std::vector<HsdsJson>> HsdsNester::Services(const std::vector<HsdsRecord>& rows,
                                                   ServiceShape shape) {
  std::vector<HsdsJson> out;
  if (shape == ServiceShape::kMinimal) {
    for (const auto& r : rows) out.push_back(Minimal(r));
    return out;
  }
  auto orgs = Grouped::Load(c_, HsdsLookup::kOrganizationById, Distinct(rows, "organization_id"));
  if (!orgs) return Fail(orgs.error());
  if (shape == ServiceShape::kList) {
    for (const auto& r : rows) {
      out.push_back(RecordJson(r));
      if (const auto* org = orgs->First(r.Text("organization_id")))
        out.back()["organization"] = RecordJson(*org);
    }
    return out;
  }
  bool with_locations = shape == ServiceShape::kFull;
  auto parts = LoadServiceParts(c_, Distinct(rows, "id"), with_locations);
  if (!parts) return Fail(parts.error());
  for (const auto& r : rows) {
    out.push_back(FullService(r, *parts, with_locations, orgs->First(r.Text("organization_id"))));
  }
  return out;
}

Result<std::vector<HsdsJson>> HsdsNester::ServiceAtLocations(const std::vector<HsdsRecord>& rows,
                                                             bool full) {
  auto services = store::LookupHsds(c_, HsdsLookup::kServiceById, Distinct(rows, "service_id"));
  if (!services) return Fail(services.error());
  auto service_json =
      Services(*services, full ? ServiceShape::kFullNoLocations : ServiceShape::kList);
  if (!service_json) return Fail(service_json.error());
  JsonById by_service = ById(*services, std::move(*service_json));

  std::vector<std::string> location_ids = Distinct(rows, "location_id");
  JsonById by_location;
  if (full) {
    auto locations = LocationsById(c_, location_ids);
    if (!locations) return Fail(locations.error());
    by_location = std::move(*locations);
  } else {
    auto locations = store::LookupHsds(c_, HsdsLookup::kLocationById, location_ids);
    if (!locations) return Fail(locations.error());
    by_location = ById(*locations, Plain(*locations));
  }
  std::vector<HsdsJson> out;
  for (const auto& r : rows) {
    HsdsJson j = RecordJson(r);
    if (auto it = by_location.find(std::string(r.Text("location_id"))); it != by_location.end())
      j["location"] = it->second;
    if (auto it = by_service.find(std::string(r.Text("service_id"))); it != by_service.end())
      j["service"] = it->second;
    out.push_back(std::move(j));
  }
  return out;
}

Result<std::vector<HsdsJson>> HsdsNester::Organizations(const std::vector<HsdsRecord>& rows,
                                                        bool full, bool full_service) {
  if (!full) return Plain(rows);
  std::vector<std::string> ids = Distinct(rows, "id");
  auto services = store::LookupHsds(c_, HsdsLookup::kServiceByOrganization, ids);
  if (!services) return Fail(services.error());
  auto service_json =
      Services(*services, full_service ? ServiceShape::kFull : ServiceShape::kList);
  if (!service_json) return Fail(service_json.error());
  auto location_rows = store::LookupHsds(c_, HsdsLookup::kLocationByOrganization, ids);
  if (!location_rows) return Fail(location_rows.error());
  auto locations = LocationsById(c_, Distinct(*location_rows, "id"));
  if (!locations) return Fail(locations.error());

  std::unordered_map<std::string, HsdsJson> services_of, locations_of;
  for (size_t i = 0; i < services->size(); ++i) {
    auto& list = services_of[std::string((*services)[i].Text("organization_id"))];
    if (list.is_null()) list = HsdsJson::array();
    list.push_back(std::move((*service_json)[i]));
  }
  for (const auto& r : *location_rows) {
    auto& list = locations_of[std::string(r.Text("organization_id"))];
    if (list.is_null()) list = HsdsJson::array();
    list.push_back((*locations)[std::string(r.Text("id"))]);
  }
  std::vector<HsdsJson> out;
  for (const auto& r : rows) {
    HsdsJson j = RecordJson(r);
    std::string id(r.Text("id"));
    j["locations"] = locations_of.contains(id) ? locations_of[id] : HsdsJson::array();
    j["services"] = services_of.contains(id) ? services_of[id] : HsdsJson::array();
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace carefinder::api
