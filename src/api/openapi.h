// GET /api/openapi.json: the OpenAPI 3.1 description of every endpoint this
// server answers (/api/v1/*, /healthz, /hsds/*, /meetings.json). The document
// is the data file src/api/openapi.json, embedded at build; a test checks it
// against the server's route table (server::RegisteredRoutes).
#pragma once

#include "api/request.h"
#include "store/read_session.h"

namespace carefinder::api {

extern const char* const kOpenApiJson;  // generated from src/api/openapi.json

Response HandleOpenApi(store::ReadSession& session, const Request& req);

}  // namespace carefinder::api
