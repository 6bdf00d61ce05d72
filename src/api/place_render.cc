// Alternatives of the resolved place in a search body: see place_render.h.
#include "api/place_render.h"

#include "api/render.h"
#include "core/text.h"

namespace carefinder::api {

namespace {

constexpr std::string_view kLocationEnd = "},\"radius_miles\":";

}  // namespace

void AppendAlternatives(std::string& body, const std::vector<store::Place>& alternatives) {
  // The location object holds no nested object, and a quote inside one of its
  // strings is escaped, so its end is the first '}' before "radius_miles".
  if (!body.starts_with("{\"location\":{")) return;
  size_t end = body.find(kLocationEnd);
  if (end == std::string::npos) return;
  std::string field = ",\"alternatives\":[";
  for (size_t i = 0; i < alternatives.size(); ++i) {
    const store::Place& p = alternatives[i];
    field += i ? ",{\"label\":" : "{\"label\":";
    text::AppendJsonString(field, p.label);
    field += ",\"kind\":";
    text::AppendJsonString(field, p.kind);
    field += ",\"near\":";  // what to send as `near` to search there instead
    text::AppendJsonString(field, p.label);
    field += ",\"lat\":";
    AppendNumber(field, p.point.lat, 6);
    field += ",\"lon\":";
    AppendNumber(field, p.point.lon, 6);
    field += '}';
  }
  field += ']';
  body.insert(end, field);
}

}  // namespace carefinder::api
