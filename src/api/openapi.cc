// Serving the embedded OpenAPI document: see openapi.h.
#include "api/openapi.h"

namespace carefinder::api {

Response HandleOpenApi(store::ReadSession&, const Request&) {
  Response r;
  r.content_type = "application/json; charset=utf-8";
  r.body = kOpenApiJson;
  return r;
}

}  // namespace carefinder::api
