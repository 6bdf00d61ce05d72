// HSDS graph to listings: one ListingRecord per service_at_location, from it,
// its service, location and the service's organization (DESIGN §2):
//   source_key      service_at_location.id (re-importing our own HSDS export
//                   gives the same keys; the loader then derives its own
//                   stable ids from them, not the exported UUIDs)
//   organization    organization.name; name / description: the service's
//                   (description falls back to the service_at_location's)
//   location_name   location.name; address: the location's physical address,
//                   else its postal one; coordinates: the location's (exact)
//   phones          the service_at_location's, the service's, the location's,
//                   then the organization's, without repeats; role from
//                   description when it is one of ours (main, intake,
//                   hotline, fax, tty, sms: what our export writes), else from
//                   type (fax; textphone -> tty; text -> sms; others main)
//   website, email  the service's url / email, else the organization's
//   hours           schedules of the service_at_location, else of the
//                   service, else of the location (hsds_schedule.cc)
//   terms, kind     attributes and languages (hsds_terms.cc); a virtual
//                   location adds attendance `online`, its url is the
//                   conference URL
//   status          service.status (HSDS enum)
//   as_of           service.last_modified (its date), else the latest metadata
//                   last_action_date of the service or service_at_location,
//                   else the source's; last_verified: service.assured_date,
//                   only when it is a real date (a person checked the data)
// HSDS-required fields enforced (an empty one rejects): the
// service_at_location id (and in CSV the key columns), organization
// name, service name and status, location_type, and address_1, city,
// state_province, postal_code, country, address_type of the address used,
// phone number. Not enforced: organization and taxonomy_term descriptions.
#include <algorithm>
#include <array>
#include <unordered_set>

#include "core/place_name.h"
#include "core/date.h"
#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/hsds_graph.h"

namespace carefinder::importer::hsds {

namespace {

constexpr std::array<std::string_view, 4> kStatus = {"active", "inactive", "defunct",
                                                     "temporarily closed"};
constexpr std::array<std::string_view, 6> kRoles = {"main", "intake", "hotline",
                                                    "fax",  "tty",    "sms"};

// What one read keeps between listings.
struct Build {
  const Graph& g;
  const Context& ctx;
  Report& report;
  TermMapper terms;
};

const Node* At(const Build& b, Kind kind, const std::optional<size_t>& i) {
  return i ? &b.g.nodes[kind][*i] : nullptr;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string Required(Problems& p, const Node& n, std::string_view field) {
  std::string v = CleanText(n.Get(field));
  if (v.empty()) p.Reject(n, field, std::string(kRequired));
  return v;
}

template <typename T>
T Take(Problems& p, const Node& n, std::string_view field, Result<T> r) {
  if (r) return std::move(*r);
  p.Reject(n, field, r.error().message);
  return T{};
}

// One of latitude/longitude; nullopt when absent or bad (bad is rejected).
std::optional<double> Degrees(Problems& p, const Node& loc, std::string_view field, double limit) {
  std::string_view raw = loc.Get(field);
  if (raw.empty()) return std::nullopt;
  auto v = text::ParseDouble(raw);
  if (!v) {
    p.Reject(loc, field, Quoted(raw) + " is not a number");
    return std::nullopt;
  }
  if (*v < -limit || *v > limit) {
    std::string range = limit == 90 ? " (-90 to 90)" : " (-180 to 180)";
    p.Reject(loc, field, std::string(raw) + " is out of range" + range);
    return std::nullopt;
  }
  return v;
}

void ReadCoordinates(Problems& p, const Node& loc, ListingRecord& rec) {
  bool lat = !loc.Get("latitude").empty(), lon = !loc.Get("longitude").empty();
  if (lat != lon) {
    p.Reject(loc, lat ? "longitude" : "latitude",
             std::string("is missing while ") + (lat ? "latitude" : "longitude") +
                 " is given: give both or neither");
    return;
  }
  rec.latitude = Degrees(p, loc, "latitude", 90);
  rec.longitude = Degrees(p, loc, "longitude", 180);
  if (!rec.latitude || !rec.longitude) rec.latitude = rec.longitude = std::nullopt;
  rec.precision = GeoPrecision::kExact;
}

// The physical address, else the postal one, else any but a virtual one (so
// a missing or wrong address_type is reported); nullptr when none.
const Node* ChooseAddress(const Build& b, const Node& loc) {
  for (std::string_view type : {"physical", "postal"}) {
    for (size_t i : loc.addresses) {
      if (text::ToLower(b.g.nodes[kAddress][i].Get("address_type")) == type)
        return &b.g.nodes[kAddress][i];
    }
  }
  for (size_t i : loc.addresses) {
    if (text::ToLower(b.g.nodes[kAddress][i].Get("address_type")) != "virtual")
      return &b.g.nodes[kAddress][i];
  }
  return nullptr;
}

void ReadAddress(Problems& p, const Node& a, ListingRecord& rec) {
  if (!p.Use(a)) return;
  rec.address.line1 = Required(p, a, "address_1");
  rec.address.line2 = CleanText(a.Get("address_2"));
  rec.address.city = Required(p, a, "city");
  std::string type = Required(p, a, "address_type");
  if (!type.empty() && text::ToLower(type) != "physical" && text::ToLower(type) != "postal")
    p.Reject(a, "address_type",
             Quoted(type) + " is not an address type (physical, postal, virtual)");
  std::string state = Required(p, a, "state_province");
  if (!state.empty()) {
    auto code = NormalizeState(state);
    if (code)
      rec.address.state = *code;
    else
      p.Reject(a, "state_province", Quoted(state) + " is not a US state");
  }
  std::string zip = Required(p, a, "postal_code");
  if (!zip.empty()) rec.address.postal_code = Take(p, a, "postal_code", NormalizeZip(zip));
  std::string country = Required(p, a, "country");
  if (!country.empty() && !text::EqualsIgnoreCase(country, "US"))
    p.Reject(a, "country", Quoted(country) + " is not US: Carefinder lists US services only");
}

void ReadLocation(Build& b, Problems& p, const Node& loc, ListingRecord& rec) {
  rec.location_name = CleanText(loc.Get("name"));
  std::string type = text::ToLower(Required(p, loc, "location_type"));
  if (type == "virtual") {
    if (!Contains(rec.terms, "online") && !Contains(rec.terms, "hybrid"))
      rec.terms.push_back("online");
    if (!loc.Get("url").empty()) rec.conference_url = Take(p, loc, "url", CheckUrl(loc.Get("url")));
  } else if (!type.empty() && type != "physical" && type != "postal") {
    p.Reject(
        loc, "location_type",
        Quoted(loc.Get("location_type")) + " is not a location type (physical, postal, virtual)");
  }
  ReadCoordinates(p, loc, rec);
  if (const Node* a = ChooseAddress(b, loc)) ReadAddress(p, *a, rec);
}

std::string PhoneRole(const Node& ph) {
  std::string described = text::ToLower(ph.Get("description"));
  if (std::find(kRoles.begin(), kRoles.end(), described) != kRoles.end()) return described;
  std::string type = text::ToLower(ph.Get("type"));
  if (type == "fax") return "fax";
  if (type == "textphone") return "tty";
  if (type == "text") return "sms";
  return "main";
}

// `done`: ids of phones already taken; HSDS JSON embeds one phone in the
// service, its location and its organization alike.
void AddPhones(Build& b, Problems& p, const Node* owner, std::unordered_set<std::string>& done,
               ListingRecord& rec) {
  if (owner == nullptr) return;
  for (size_t i : owner->phones) {
    const Node& ph = b.g.nodes[kPhone][i];
    if (!ph.Get("id").empty() && !done.insert(std::string(ph.Get("id"))).second) continue;
    if (!p.Use(ph)) continue;
    std::string number = Required(p, ph, "number");
    if (number.empty()) continue;
    auto phone = ParsePhone(number, PhoneRole(ph));
    if (!phone) {
      p.Reject(ph, "number", phone.error().message);
      continue;
    }
    if (std::string_view ext = ph.Get("extension"); !ext.empty()) {
      auto digits = text::ParseInt(ext);
      if (!digits || *digits < 0)
        p.Reject(ph, "extension", Quoted(ext) + " is not a number");
      else
        phone->extension = std::to_string(*digits);
    }
    bool repeat = std::any_of(rec.phones.begin(), rec.phones.end(), [&](const Phone& q) {
      return q.display == phone->display && q.extension == phone->extension;
    });
    if (!repeat) rec.phones.push_back(std::move(*phone));
  }
}

// The date part of an RFC 3339 date-time, or "" when it is not one.
std::string DateOf(std::string_view datetime) {
  std::string_view date = datetime.substr(0, 10);
  bool ok = carefinder::date::IsIsoDate(date) && (datetime.size() == 10 || datetime[10] == 'T' ||
                                datetime[10] == 't' || datetime[10] == ' ');
  return ok ? std::string(date) : "";
}

void ReadDates(Build& b, Problems& p, const Node& sal, const Node& svc, ListingRecord& rec) {
  if (std::string_view modified = svc.Get("last_modified"); !modified.empty()) {
    rec.as_of = DateOf(modified);
    if (rec.as_of.empty())
      p.Warn(svc, "last_modified",
             Quoted(modified) + " is not a date-time; the as-of date comes from the source");
  }
  if (rec.as_of.empty()) {
    for (const Node* owner : {&svc, &sal}) {
      for (size_t i : owner->metadata) {
        std::string_view date = b.g.nodes[kMetadata][i].Get("last_action_date");
        if (carefinder::date::IsIsoDate(date) && date > rec.as_of) rec.as_of = date;
      }
    }
  }
  if (rec.as_of.empty()) rec.as_of = b.ctx.source.as_of;
  if (rec.as_of.empty()) {
    p.Reject(svc, "last_modified",
             "no date: the service has no last_modified or metadata date and the source no "
             "as-of date");
  }
  if (std::string_view assured = svc.Get("assured_date"); !assured.empty()) {
    if (carefinder::date::IsIsoDate(assured))
      rec.last_verified = assured;
    else
      p.Warn(svc, "assured_date",
             Quoted(assured) + " is not a date (YYYY-MM-DD); not marked verified");
  }
}

void ReadService(Build& b, Problems& p, const Node& sal, const Node& svc, const Node* org,
                 ListingRecord& rec) {
  rec.name = Required(p, svc, "name");
  rec.description = CleanText(svc.Get("description"));
  if (rec.description.empty()) rec.description = CleanText(sal.Get("description"));
  std::string status = text::ToLower(text::CollapseSpace(Required(p, svc, "status")));
  if (!status.empty() && std::find(kStatus.begin(), kStatus.end(), status) == kStatus.end()) {
    p.Reject(svc, "status",
             Quoted(svc.Get("status")) +
                 " is not an HSDS status (active, inactive, defunct, temporarily closed)");
  }
  if (!status.empty()) rec.status = status;
  if (org) rec.organization = Required(p, *org, "name");
  if (!svc.Get("url").empty()) {
    rec.website = Take(p, svc, "url", CheckUrl(svc.Get("url")));
  } else if (org && !org->Get("website").empty()) {
    rec.website = Take(p, *org, "website", CheckUrl(org->Get("website")));
  }
  if (!svc.Get("email").empty()) {
    rec.email = Take(p, svc, "email", CheckEmail(svc.Get("email")));
  } else if (org && !org->Get("email").empty()) {
    rec.email = Take(p, *org, "email", CheckEmail(org->Get("email")));
  }
  ReadDates(b, p, sal, svc, rec);
}

void CheckUnique(Build& b, Problems& p, const Node& sal, const ListingRecord& rec) {
  if (auto first = b.ctx.seen.Claim(rec.source, rec.source_key, sal.file, sal.line)) {
    p.Reject(sal, "id",
             "duplicate " + Quoted(rec.source_key) + " for source " + Quoted(rec.source) +
                 " (first on " + *first + ")");
  }
}

void BuildOne(Build& b, const Node& sal) {
  ReadResult& out = b.report.out();
  ++out.rows;
  Problems p(b.report);
  const Node* svc = At(b, kService, sal.service);
  const Node* loc = At(b, kLocation, sal.location);
  const Node* org = svc ? At(b, kOrganization, svc->organization) : nullptr;
  bool used = p.Use(sal);
  for (const Node* n : {svc, loc, org}) used = (n && p.Use(*n)) && used;
  if (!used || !svc || !loc || !org) {  // a missing link was warned about, or is a problem
    ++out.rejected_rows;
    return;
  }
  ListingRecord rec;
  rec.file = sal.file;
  rec.line = sal.line;
  rec.source = b.ctx.source.name;
  rec.source_key = Required(p, sal, "id");
  rec.source_url = b.ctx.source.url;
  rec.source_license = b.ctx.source.license.empty() ? b.ctx.license : b.ctx.source.license;
  ReadService(b, p, sal, *svc, org, rec);
  b.terms.Read(p, sal, *svc, *loc, org, rec);
  ReadLocation(b, p, *loc, rec);
  std::unordered_set<std::string> phone_ids;
  for (const Node* owner : {&sal, svc, loc, org}) AddPhones(b, p, owner, phone_ids, rec);
  const Node* timed = !sal.schedules.empty() ? &sal : !svc->schedules.empty() ? svc : loc;
  rec.hours = WeeklyHours(b.g, timed->schedules, p);
  rec.hours_text = HoursText(rec.hours);
  if (!p.bad() && !rec.source_key.empty()) CheckUnique(b, p, sal, rec);
  if (p.bad())
    ++out.rejected_rows;
  else
    out.records.push_back(std::move(rec));
}

// A service no service_at_location uses (HSDS allows it) lists nothing.
void WarnUnlisted(const Graph& g, Report& report) {
  std::vector<bool> listed(g.nodes[kService].size(), false);
  std::unordered_set<std::string> listed_ids;
  for (const Node& sal : g.nodes[kServiceAtLocation]) {
    if (!sal.service) continue;
    listed[*sal.service] = true;
    listed_ids.insert(std::string(g.nodes[kService][*sal.service].Get("id")));
  }
  for (size_t i = 0; i < listed.size(); ++i) {
    const Node& svc = g.nodes[kService][i];
    std::string id(svc.Get("id"));
    if (listed[i] || listed_ids.contains(id) || (!id.empty() && g.Find(kService, id) != i))
      continue;
    report.Warn(svc, "id",
                "service " + Quoted(id) + " has no service_at_location, so it is not listed");
  }
}

}  // namespace

void BuildListings(const Graph& graph, const Context& context, Report& report) {
  Build b{graph, context, report, TermMapper(graph, context.taxonomy)};
  for (const Node& sal : graph.nodes[kServiceAtLocation]) BuildOne(b, sal);
  WarnUnlisted(graph, report);
}

}  // namespace carefinder::importer::hsds
