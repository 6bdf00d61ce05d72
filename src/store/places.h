// Offline place resolution over the in-memory gazetteer (place_index.h):
// `near` as a ZIP anywhere in the text, "lat,lon", an alias ("NYC"), a place
// or county with or without its state, ranked by population; "did you mean"
// for typos; suggestions for the place box. Unknown places are kNotFound with
// a message naming what was typed; the API turns that into 400 unknown-place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/geo.h"
#include "store/place_index.h"

namespace carefinder::store {

struct Place {
  std::string query;  // what was asked, trimmed; for a suggestion, what to ask
  std::string kind;   // "zip" | "city" | "county" | "point"
  std::string label;  // "92374 (Redlands, CA)", "Redlands, CA", "34.06, -117.18"
  geo::Point point;
  // Other places the same words name, most populous first ("Brooklyn" ->
  // Brooklyn, NY chosen; Brooklyn Park, MN ... here). Empty after a state.
  std::vector<Place> alternatives;
};

inline constexpr size_t kMaxAlternatives = 5;

// The rules, in order (docs/API.md "Places"):
//  1. "lat,lon": two numbers, a comma between.
//  2. A ZIP or ZIP+4 anywhere in the text: its Census ZCTA centre.
//  3. A name with a state ("Denver, CO", "Denver, Colorado", "Denver CO"); in
//     "712 The Terrace, Redlands, CA" the segment before the state is the name.
//     The name is folded (case, punctuation, St./Ft./Mt.) and looked up as an
//     alias, then as a place or county of that state, most populous first.
//  4. A name alone: the same, in every state; the others become alternatives.
Result<Place> ResolvePlace(const PlaceIndex& places, std::string_view near);

// "Did you mean": up to `limit` places whose folded names are within a typo
// (core/fuzzy.h TypoBudget) of the name typed, in its state when one was
// given, then the same name in other states; closest first, then most populous.
std::vector<Place> DidYouMean(const PlaceIndex& places, std::string_view near, size_t limit);

// Up to `limit` suggestions: ZIPs by prefix for digits; otherwise what
// ResolvePlace finds with its alternatives, then places whose names start
// with what was typed (narrowed by a state after a comma: "redl, ca"), most
// populous first; failing all of those, DidYouMean.
std::vector<Place> SuggestPlaces(const PlaceIndex& places, std::string_view q, size_t limit);

}  // namespace carefinder::store
