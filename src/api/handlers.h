// The API's handlers: plain functions from Request to Response, each
// parse -> validate -> run (store) -> render. No HTTP library types here;
// src/server/ maps paths and methods to these, with one store::ReadSession a
// request (one snapshot, connection, read transaction and deadline).
#pragma once

#include <string_view>

#include "api/request.h"
#include "store/read_session.h"

namespace carefinder::api {

Response HandleSearch(store::ReadSession& session, const Request& req);    // /api/v1/search
Response HandleListing(store::ReadSession& session, const Request& req);   // path_params["id"]
Response HandleTaxonomy(store::ReadSession& session, const Request& req);  // /api/v1/taxonomy
Response HandlePlaces(store::ReadSession& session, const Request& req);    // /api/v1/places
Response HandleHealth(store::ReadSession& session, const Request& req);    // GET /healthz
// /healthz with what the caller found wrong (the server checks its files):
// 503 "degraded" naming each problem, or 200 "ok" when there are none.
Response HealthResponse(const store::ReadSession& session,
                        const std::vector<std::string>& problems);

Response NotFoundResponse(std::string_view path);
Response MethodNotAllowedResponse(std::string_view method, std::string_view path);

}  // namespace carefinder::api
