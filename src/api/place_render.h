// The resolved place's alternatives in a search response: "location" gains
// "alternatives": [{"label", "kind", "near", "lat", "lon"}] (docs/API.md),
// added to the body render.cc wrote, so that file stays the results' own.
#pragma once

#include <string>
#include <vector>

#include "store/places.h"

namespace carefinder::api {

// Adds "alternatives" (always, [] when none) to the "location" object at the
// start of a RenderSearch body; a body without a location is left alone.
void AppendAlternatives(std::string& search_body, const std::vector<store::Place>& alternatives);

}  // namespace carefinder::api
