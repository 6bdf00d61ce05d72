// Handlers of the HSDS API: see hsds_handlers.h.
#include "api/hsds_handlers.h"

#include <chrono>

#include "api/hsds_params.h"
#include "api/hsds_render.h"
#include "api/problem.h"
#include "core/text.h"
#include "core/uuid.h"
#include "store/hsds_store.h"

namespace carefinder::api {

namespace {

using store::HsdsList;
using store::HsdsLookup;
using store::HsdsRecord;

constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr const char* kNdjsonType = "application/x-ndjson; charset=utf-8";
constexpr const char* kProfileUrl = "https://docs.openreferral.org/en/v3.0/";
constexpr size_t kNdjsonBatch = 500;  // records nested per round of child queries
// format=ndjson answers every item at once: a national list takes about a
// second on its own, more on a busy machine, so it gets more than a page.
constexpr std::chrono::seconds kNdjsonBudget{30};

Response Body(std::string body, const char* type) {
  Response r;
  r.content_type = type;
  r.body = std::move(body);
  return r;
}

Result<std::vector<HsdsJson>> Nest(store::Connection& c, HsdsList list,
                                   const HsdsListParams& p, const std::vector<HsdsRecord>& rows) {
  HsdsNester nester(c);
  switch (list) {
    case HsdsList::kServices:
      return nester.Services(rows, p.minimal ? ServiceShape::kMinimal
                                   : p.full  ? ServiceShape::kFull
                                             : ServiceShape::kList);
    case HsdsList::kServiceAtLocations: return nester.ServiceAtLocations(rows, p.full);
    case HsdsList::kOrganizations:
      return nester.Organizations(rows, p.full || p.full_service, p.full_service);
    case HsdsList::kTaxonomies:
    case HsdsList::kTaxonomyTerms: return HsdsNester::Plain(rows);
  }
  return std::vector<HsdsJson>();
}

std::string Envelope(int64_t total_items, const store::HsdsPageRequest& page,
                     std::vector<HsdsJson> items) {
  PageNumbers n = ComputePage(total_items, page.page, page.per_page);
  HsdsJson j = HsdsJson::object();
  j["total_items"] = total_items;
  j["total_pages"] = n.total_pages;
  j["page_number"] = page.page;
  j["size"] = items.size();
  j["first_page"] = n.first_page;
  j["last_page"] = n.last_page;
  j["empty"] = items.empty();
  j["contents"] = HsdsJson::array();
  for (auto& item : items) j["contents"].push_back(std::move(item));
  return HsdsText(j);
}

// Every row, one JSON object a line, nested a batch at a time.
Status Ndjson(store::Connection& c, HsdsList list, const HsdsListParams& p,
              std::vector<HsdsRecord> rows, std::string& out) {
  for (size_t start = 0; start < rows.size(); start += kNdjsonBatch) {
    size_t end = std::min(rows.size(), start + kNdjsonBatch);
    std::vector<HsdsRecord> batch(std::make_move_iterator(rows.begin() + start),
                                  std::make_move_iterator(rows.begin() + end));
    auto items = Nest(c, list, p, batch);
    if (!items) return Fail(items.error());
    for (const auto& item : *items) out += HsdsText(item) + "\n";
  }
  return {};
}

// The postcode's centroid as the centre of a proximity search.
ApiResult<void> ResolveCentre(store::ReadSession& session, HsdsListParams& p) {
  if (p.postcode_centre.empty()) return {};
  auto place = session.ResolvePlace(p.postcode_centre);
  if (!place) {
    Problem problem = FromError(place.error());
    if (place.error().code == ErrorCode::kNotFound) problem.type = ProblemType::kUnknownPlace;
    problem.param = "postcode";
    return std::unexpected(std::move(problem));
  }
  p.filter.center = place->point;
  return {};
}

Response List(store::ReadSession& session, const Request& req, HsdsList list) {
  auto params = ParseHsdsListParams(req, list);
  if (!params) return ProblemResponse(params.error());
  if (auto s = ResolveCentre(session, *params); !s) return ProblemResponse(s.error());
  params->filter.snapshot = &session.snapshot();  // words are matched as the search matches them
  std::string body;
  auto status = session.Read([&](store::Connection& c) -> Status {
    auto page = store::ListHsds(c, list, params->filter, params->page);
    if (!page) return Fail(page.error());
    if (params->ndjson) return Ndjson(c, list, *params, std::move(page->rows), body);
    auto items = Nest(c, list, *params, page->rows);
    if (!items) return Fail(items.error());
    body = Envelope(page->total_items, params->page, std::move(*items));
    return {};
  }, params->ndjson ? kNdjsonBudget : std::chrono::milliseconds(0));
  if (!status) return ProblemResponse(FromError(status.error()));
  return Body(std::move(body), params->ndjson ? kNdjsonType : kJsonType);
}

// One object by id: 404 when there is none (or the id is not a UUID).
// `nest(nester, rows)` renders the one row found.
template <class Nest>
Response Detail(store::ReadSession& session, const Request& req, HsdsLookup lookup,
                const char* what, Nest&& nest) {
  auto it = req.path_params.find("id");
  std::string id = text::ToLower(it == req.path_params.end() ? "" : it->second);
  auto not_found = Error::NotFound("no " + std::string(what) + " with id " + id, "id");
  if (!IsUuid(id)) return ProblemResponse(FromError(not_found));
  std::string body;
  auto status = session.Read([&](store::Connection& c) -> Status {
    auto rows = store::LookupHsds(c, lookup, {id});
    if (!rows) return Fail(rows.error());
    if (rows->empty()) return Fail(not_found);
    HsdsNester nester(c);
    Result<std::vector<HsdsJson>> items = nest(nester, *rows);
    if (!items) return Fail(items.error());
    body = HsdsText(items->front());
    return {};
  });
  if (!status) return ProblemResponse(FromError(status.error()));
  return Body(std::move(body), kJsonType);
}

Result<std::vector<HsdsJson>> Plain(HsdsNester&, const std::vector<HsdsRecord>& rows) {
  return HsdsNester::Plain(rows);
}

}  // namespace

PageNumbers ComputePage(int64_t total_items, int64_t page, int64_t per_page) {
  int64_t total_pages = (total_items + per_page - 1) / per_page;
  return {total_pages, page == 1, page >= total_pages};
}

Response HandleHsdsRoot(store::ReadSession&, const Request& req) {
  HsdsJson j = HsdsJson::object();
  j["version"] = kHsdsVersion;
  j["profile"] = kProfileUrl;
  std::string origin = req.origin.empty() ? "http://localhost:8080" : req.origin;
  j["openapi_url"] = origin + "/api/openapi.json";
  return Body(HsdsText(j), kJsonType);
}

Response HandleHsdsServices(store::ReadSession& session, const Request& req) {
  return List(session, req, HsdsList::kServices);
}
Response HandleHsdsServiceAtLocations(store::ReadSession& session, const Request& req) {
  return List(session, req, HsdsList::kServiceAtLocations);
}
Response HandleHsdsOrganizations(store::ReadSession& session, const Request& req) {
  return List(session, req, HsdsList::kOrganizations);
}
Response HandleHsdsTaxonomies(store::ReadSession& session, const Request& req) {
  return List(session, req, HsdsList::kTaxonomies);
}
Response HandleHsdsTaxonomyTerms(store::ReadSession& session, const Request& req) {
  return List(session, req, HsdsList::kTaxonomyTerms);
}

Response HandleHsdsService(store::ReadSession& session, const Request& req) {
  return Detail(session, req, HsdsLookup::kServiceById, "service",
                [](HsdsNester& n, const std::vector<HsdsRecord>& rows) {
                  return n.Services(rows, ServiceShape::kFull);
                });
}

Response HandleHsdsServiceAtLocation(store::ReadSession& session, const Request& req) {
  return Detail(session, req, HsdsLookup::kServiceAtLocationById, "service_at_location",
                [](HsdsNester& n, const std::vector<HsdsRecord>& rows) {
                  return n.ServiceAtLocations(rows, /*full=*/true);
                });
}

// full_service=true nests each service fully.
Response HandleHsdsOrganization(store::ReadSession& session, const Request& req) {
  auto full_service = ParseHsdsFlag(req, "full_service");
  if (!full_service) return ProblemResponse(full_service.error());
  return Detail(session, req, HsdsLookup::kOrganizationById, "organization",
                [&](HsdsNester& n, const std::vector<HsdsRecord>& rows) {
                  return n.Organizations(rows, /*full=*/true, *full_service);
                });
}

Response HandleHsdsTaxonomy(store::ReadSession& session, const Request& req) {
  return Detail(session, req, HsdsLookup::kTaxonomyById, "taxonomy", Plain);
}

Response HandleHsdsTaxonomyTerm(store::ReadSession& session, const Request& req) {
  return Detail(session, req, HsdsLookup::kTermById, "taxonomy_term", Plain);
}

}  // namespace carefinder::api
