// The API's handlers: plain functions from Request to Response, each
// parse -> validate -> run (store) -> render. No HTTP library types here;
// src/server/ maps paths and methods to these.
#pragma once

#include <string_view>

#include "api/request.h"
#include "store/listing_store.h"

namespace carefinder::api {

Response HandleSearch(store::ListingStore& store, const Request& req);    // GET /api/v1/search
Response HandleListing(store::ListingStore& store, const Request& req);   // path_params["id"]
Response HandleTaxonomy(store::ListingStore& store, const Request& req);  // GET /api/v1/taxonomy
Response HandlePlaces(store::ListingStore& store, const Request& req);    // GET /api/v1/places
Response HandleHealth(store::ListingStore& store, const Request& req);    // GET /healthz
// /healthz with what the caller found wrong (the server checks its files):
// 503 "degraded" naming each problem, or 200 "ok" when there are none.
Response HealthResponse(store::ListingStore& store, const std::vector<std::string>& problems);

Response NotFoundResponse(std::string_view path);
Response MethodNotAllowedResponse(std::string_view method, std::string_view path);

}  // namespace carefinder::api
