// The HSDS 3.0 API under /hsds (standards.md §2, docs/API.md): the root,
// five paginated lists and their {id} objects. Each handler parses the
// parameters, reads through store/hsds_store.h in one read transaction,
// nests the records (hsds_render.h) and renders the Page envelope or the
// object. Unknown ids are 404 and bad parameters 400, as problem+json.
#pragma once

#include "api/request.h"
#include "store/read_session.h"

namespace carefinder::api {

inline constexpr const char* kHsdsVersion = "3.0";

Response HandleHsdsRoot(store::ReadSession& session, const Request& req);  // GET /hsds/
Response HandleHsdsServices(store::ReadSession& session, const Request& req);  // lists
Response HandleHsdsServiceAtLocations(store::ReadSession& session, const Request& req);
Response HandleHsdsOrganizations(store::ReadSession& session, const Request& req);
Response HandleHsdsTaxonomies(store::ReadSession& session, const Request& req);
Response HandleHsdsTaxonomyTerms(store::ReadSession& session, const Request& req);
Response HandleHsdsService(store::ReadSession& session, const Request& req);  // {id}
Response HandleHsdsServiceAtLocation(store::ReadSession& session, const Request& req);
Response HandleHsdsOrganization(store::ReadSession& session, const Request& req);
Response HandleHsdsTaxonomy(store::ReadSession& session, const Request& req);
Response HandleHsdsTaxonomyTerm(store::ReadSession& session, const Request& req);

// The Page envelope's numbers (standards.md §2.4), for the handlers and tests.
struct PageNumbers {
  int64_t total_pages;
  bool first_page, last_page;
};
PageNumbers ComputePage(int64_t total_items, int64_t page, int64_t per_page);

}  // namespace carefinder::api
