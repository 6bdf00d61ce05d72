// Alternatives of the resolved place in a search body: see place_render.h.
#include "api/place_render.h"

#include "api/render.h"

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
  // The items are RenderPlaces' own: label, kind, near (what to send), lat, lon.
  std::string places = RenderPlaces(alternatives);
  constexpr std::string_view kOpen = "{\"places\":";
  std::string field =
      ",\"alternatives\":" + places.substr(kOpen.size(), places.size() - kOpen.size() - 1);
  body.insert(end, field);
}

}  // namespace carefinder::api
