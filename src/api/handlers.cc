// Handlers for /api/v1/* and /healthz: see handlers.h and docs/API.md.
#include "api/handlers.h"

#include "api/place_render.h"
#include "api/problem.h"
#include "api/render.h"
#include "api/search_params.h"
#include "core/text.h"
#include "core/uuid.h"

namespace carefinder::api {

namespace {

constexpr size_t kMaxPlaceQueryChars = 100;
constexpr size_t kPlaceSuggestions = 10;

Response Json(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

// Resolving `near`: an unknown place is the client's 400, not a 404.
ApiResult<store::Place> Resolve(store::ListingStore& store, const std::string& near) {
  auto place = store.ResolvePlace(near);
  if (place) return std::move(*place);
  Problem p = FromError(place.error());
  if (place.error().code == ErrorCode::kNotFound) {
    p.type = ProblemType::kUnknownPlace;
    for (const auto& s : store.DidYouMean(near)) p.suggestions.push_back({s.label, s.query});
  }
  return std::unexpected(std::move(p));
}

}  // namespace

Response HandleSearch(store::ListingStore& store, const Request& req) {
  auto snap = store.snapshot();
  auto params = ParseSearchParams(req, snap->taxonomy);
  if (!params) return ProblemResponse(params.error());
  std::optional<store::Place> place;
  if (params->near) {
    auto resolved = Resolve(store, *params->near);
    if (!resolved) return ProblemResponse(resolved.error());
    place = std::move(*resolved);
    params->query.center = place->point;
  } else if (params->query.center) {
    geo::Point c = *params->query.center;
    place = store::Place{*req.Get("lat") + "," + *req.Get("lon"), "point", "", c};
    place->label = place->query;
  }
  auto result = store.Search(*snap, params->query);
  if (!result) return ProblemResponse(FromError(result.error()));
  SearchView view{place ? &*place : nullptr, params->query.radius_miles, &*result, std::nullopt};
  if (result->more) view.next_cursor = EncodeCursor(params->query.offset + params->query.limit);
  std::string body = RenderSearch(view);
  if (place) AppendAlternatives(body, place->alternatives);
  return Json(std::move(body));
}

Response HandleListing(store::ListingStore& store, const Request& req) {
  auto it = req.path_params.find("id");
  std::string id = it == req.path_params.end() ? "" : it->second;
  if (!IsUuid(id)) {
    return ProblemResponse(Problem::Invalid("id must be a UUID, got " + id, "id"));
  }
  auto snap = store.snapshot();
  auto detail = store.GetListing(id);
  if (!detail) return ProblemResponse(FromError(detail.error()));
  return Json(RenderListing(*detail, snap->taxonomy));
}

Response HandleTaxonomy(store::ListingStore& store, const Request& req) {
  static constexpr std::string_view kKnown[] = {"lang"};
  if (auto unknown = UnknownParameter(req, kKnown)) return ProblemResponse(*unknown);
  std::string lang = req.Get("lang").value_or("en");
  if (lang != "en" && lang != "es") {
    return ProblemResponse(Problem::Invalid("lang must be en or es, got " + lang, "lang"));
  }
  const TermLabels* labels = lang == "es" ? &SpanishTermLabels() : nullptr;
  return Json(RenderTaxonomy(store.snapshot()->taxonomy, labels));
}

Response HandlePlaces(store::ListingStore& store, const Request& req) {
  static constexpr std::string_view kKnown[] = {"q"};
  if (auto unknown = UnknownParameter(req, kKnown)) return ProblemResponse(*unknown);
  std::string q = std::string(text::Trim(req.Get("q").value_or("")));
  if (q.empty()) return ProblemResponse(Problem::Invalid("q is required", "q"));
  if (q.size() > kMaxPlaceQueryChars) {
    return ProblemResponse(Problem::Invalid(
        "q must be at most 100 characters, got " + std::to_string(q.size()), "q"));
  }
  auto places = store.SuggestPlaces(q, kPlaceSuggestions);
  if (!places) return ProblemResponse(FromError(places.error()));
  return Json(RenderPlaces(*places));
}

Response HandleHealth(store::ListingStore& store, const Request&) {
  return HealthResponse(store, {});
}

Response HealthResponse(store::ListingStore& store, const std::vector<std::string>& problems) {
  Response r = Json(RenderHealth(store.health(), problems));
  if (!problems.empty()) r.status = 503;
  return r;
}

Response NotFoundResponse(std::string_view path) {
  return ProblemResponse({ProblemType::kNotFound, "no such path: " + std::string(path), ""});
}

Response MethodNotAllowedResponse(std::string_view method, std::string_view path) {
  Response r = ProblemResponse({ProblemType::kMethodNotAllowed,
                                std::string(method) + " is not allowed on " + std::string(path) +
                                    "; this API is read-only (GET, HEAD)",
                                ""});
  r.headers.emplace_back("Allow", "GET, HEAD");
  return r;
}

}  // namespace carefinder::api
