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
ApiResult<store::Place> Resolve(const store::ReadSession& session, const std::string& near) {
  auto place = session.ResolvePlace(near);
  if (place) return std::move(*place);
  Problem p = FromError(place.error());
  if (place.error().code == ErrorCode::kNotFound) {
    p.type = ProblemType::kUnknownPlace;
    for (const auto& s : session.DidYouMean(near)) p.suggestions.push_back({s.label, s.query});
  }
  return std::unexpected(std::move(p));
}

// The place searched from: `near` resolved, or lat and lon as given.
ApiResult<std::optional<store::Place>> PlaceOf(const store::ReadSession& session,
                                               SearchParams& params) {
  if (params.near) {
    auto resolved = Resolve(session, *params.near);
    if (!resolved) return std::unexpected(std::move(resolved.error()));
    params.query.center = resolved->point;
    return std::optional<store::Place>(std::move(*resolved));
  }
  if (!params.query.center) return std::optional<store::Place>();
  return std::optional<store::Place>(
      store::Place{params.point_text, "point", params.point_text, *params.query.center, {}});
}

}  // namespace

Response HandleSearch(store::ReadSession& session, const Request& req) {
  auto params = ParseSearchParams(req, session.taxonomy());
  if (!params) return ProblemResponse(params.error());
  auto place = PlaceOf(session, *params);
  if (!place) return ProblemResponse(place.error());
  auto result = session.Search(params->query);
  if (!result) return ProblemResponse(FromError(result.error()));
  const store::Place* at = *place ? &**place : nullptr;
  SearchView view{at, params->query.radius_miles, &*result, std::nullopt};
  if (result->more) view.next_cursor = EncodeCursor(params->query.offset + params->query.limit);
  std::string body = RenderSearch(view);
  if (at) AppendAlternatives(body, at->alternatives);
  return Json(std::move(body));
}

Response HandleListing(store::ReadSession& session, const Request& req) {
  auto it = req.path_params.find("id");
  std::string id = it == req.path_params.end() ? "" : it->second;
  if (!IsUuid(id)) {
    return ProblemResponse(Problem::Invalid("id must be a UUID, got " + id, "id"));
  }
  auto detail = session.GetListing(id);
  if (!detail) return ProblemResponse(FromError(detail.error()));
  return Json(RenderListing(*detail, session.taxonomy()));
}

Response HandleTaxonomy(store::ReadSession& session, const Request& req) {
  static constexpr std::string_view kKnown[] = {"lang"};
  if (auto unknown = UnknownParameter(req, kKnown)) return ProblemResponse(*unknown);
  std::string lang = req.Get("lang").value_or("en");
  if (lang != "en" && lang != "es") {
    return ProblemResponse(Problem::Invalid("lang must be en or es, got " + lang, "lang"));
  }
  const TermLabels* labels = lang == "es" ? &SpanishTermLabels() : nullptr;
  return Json(RenderTaxonomy(session.taxonomy(), labels));
}

Response HandlePlaces(store::ReadSession& session, const Request& req) {
  static constexpr std::string_view kKnown[] = {"q"};
  if (auto unknown = UnknownParameter(req, kKnown)) return ProblemResponse(*unknown);
  std::string q = std::string(text::Trim(req.Get("q").value_or("")));
  if (q.empty()) return ProblemResponse(Problem::Invalid("q is required", "q"));
  if (q.size() > kMaxPlaceQueryChars) {
    return ProblemResponse(Problem::Invalid(
        "q must be at most 100 characters, got " + std::to_string(q.size()), "q"));
  }
  return Json(RenderPlaces(session.SuggestPlaces(q, kPlaceSuggestions)));
}

Response HandleHealth(store::ReadSession& session, const Request&) {
  return HealthResponse(session, {});
}

Response HealthResponse(const store::ReadSession& session,
                        const std::vector<std::string>& problems) {
  Response r = Json(RenderHealth(session.health(), problems));
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
