// The one error shape of the HTTP API (application/problem+json, RFC 9457)
// and the one table of problem types (docs/API.md "type suffix" table).
#pragma once

#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "core/error.h"

namespace carefinder::api {

enum class ProblemType {
  kInvalidParameter,  // 400: malformed or out of range
  kUnknownPlace,      // 400: `near` names no place we know
  kUnknownTerm,       // 400: a filter value is not a code of its group
  kNotFound,          // 404: unknown path or listing id
  kMethodNotAllowed,  // 405
  kRequestTimeout,    // 408: the request head took too long to arrive
  kTooLarge,          // 413 (body), 414 (URL), 431 (headers): over a limit
  kTooManyRequests,   // 429: too many problem reports for now (per process)
  kTimeout,           // 503: a query ran past its deadline
  kBusy,              // 503: more connections than the server takes (http_guard.h)
  kInternal,          // 500: a bug
};

struct ProblemInfo {
  ProblemType type;
  const char* slug;   // the type URI's last segment
  const char* title;
  int status;
};

inline constexpr std::string_view kProblemTypeBase = "https://carefinder.example/problems/";

inline constexpr ProblemInfo kProblems[] = {
    {ProblemType::kInvalidParameter, "invalid-parameter", "Invalid parameter", 400},
    {ProblemType::kUnknownPlace, "unknown-place", "Unknown place", 400},
    {ProblemType::kUnknownTerm, "unknown-term", "Unknown filter term", 400},
    {ProblemType::kNotFound, "not-found", "Not found", 404},
    {ProblemType::kMethodNotAllowed, "method-not-allowed", "Method not allowed", 405},
    {ProblemType::kRequestTimeout, "request-timeout", "Request too slow", 408},
    {ProblemType::kTooLarge, "too-large", "Request too large", 413},
    {ProblemType::kTooManyRequests, "too-many-requests", "Too many requests", 429},
    {ProblemType::kTimeout, "timeout", "Query took too long", 503},
    {ProblemType::kBusy, "busy", "Server busy", 503},
    {ProblemType::kInternal, "internal", "Internal error", 500},
};

const ProblemInfo& InfoFor(ProblemType type);

// "Did you mean": what to show, and the value to send instead.
struct ProblemSuggestion {
  std::string label;  // "Phoenix, AZ"
  std::string value;  // "Phoenix, AZ" (the `param`'s new value)
};

struct Problem {
  ProblemType type = ProblemType::kInternal;
  std::string detail;
  std::string param;  // "" when no single parameter is at fault
  std::vector<ProblemSuggestion> suggestions;  // rendered only when there are some

  static Problem Invalid(std::string detail, std::string param) {
    return {ProblemType::kInvalidParameter, std::move(detail), std::move(param)};
  }
};

template <typename T>
using ApiResult = std::expected<T, Problem>;

// A store/db error as a problem: kInvalidArgument -> invalid-parameter,
// kNotFound -> not-found, kTimeout -> timeout, anything else -> internal.
Problem FromError(const Error& e);

// {"type", "title", "status", "detail", "param"} as application/problem+json,
// with "suggestions": [{"label", "near"}] when there are any. `status` (0: the
// type's own) is both the HTTP status and the body's "status", e.g. 414 for
// kTooLarge. Text is valid UTF-8 JSON whatever the client sent: an invalid
// byte becomes U+FFFD.
Response ProblemResponse(const Problem& p, int status = 0);

// A 400 for the first query parameter that is not in `known`, naming the
// closest known one: "unknown parameter 'medications' (did you mean
// 'medication'?)". Parameters are never silently ignored.
std::optional<Problem> UnknownParameter(const Request& req,
                                        std::span<const std::string_view> known);

}  // namespace carefinder::api
