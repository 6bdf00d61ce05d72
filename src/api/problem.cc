// Rendering problems as application/problem+json: see problem.h.
#include "api/problem.h"

#include <cstdio>

#include "core/fuzzy.h"
#include "core/text.h"

namespace carefinder::api {

const ProblemInfo& InfoFor(ProblemType type) {
  for (const auto& info : kProblems) {
    if (info.type == type) return info;
  }
  return kProblems[std::size(kProblems) - 1];
}

Problem FromError(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidArgument: return {ProblemType::kInvalidParameter, e.message, e.param};
    case ErrorCode::kNotFound: return {ProblemType::kNotFound, e.message, e.param};
    case ErrorCode::kTimeout:
      return {ProblemType::kTimeout, "the search took too long; try a smaller radius or fewer words",
              ""};
    case ErrorCode::kBusy:
      return {ProblemType::kBusy, "the database is being updated; retry in a second", ""};
    default:
      // The cause goes to the log, not to the client (paths, SQL).
      std::fprintf(stderr, "internal error: %s\n", e.message.c_str());
      return {ProblemType::kInternal, "something went wrong on our side", ""};
  }
}

namespace {

// Parameters echo what the client sent; a JSON body must be UTF-8.
void AppendJsonText(std::string& out, std::string_view s) {
  std::string valid;
  while (auto at = text::FindInvalidUtf8(s)) {
    valid.append(s.substr(0, *at)).append("\xEF\xBF\xBD");  // U+FFFD
    s.remove_prefix(*at + 1);
  }
  text::AppendJsonString(out, valid.append(s));
}

}  // namespace

Response ProblemResponse(const Problem& p, int status) {
  const ProblemInfo& info = InfoFor(p.type);
  Response r;
  r.status = status ? status : info.status;
  r.content_type = "application/problem+json";
  std::string& b = r.body;
  b = "{\"type\":";
  text::AppendJsonString(b, std::string(kProblemTypeBase) + info.slug);
  b += ",\"title\":";
  text::AppendJsonString(b, info.title);
  b += ",\"status\":" + std::to_string(r.status) + ",\"detail\":";
  AppendJsonText(b, p.detail);
  b += ",\"param\":";
  if (p.param.empty()) b += "null";
  else AppendJsonText(b, p.param);
  if (!p.suggestions.empty()) {
    b += ",\"suggestions\":[";
    for (size_t i = 0; i < p.suggestions.size(); ++i) {
      b += i ? ",{\"label\":" : "{\"label\":";
      AppendJsonText(b, p.suggestions[i].label);
      b += ',';
      AppendJsonText(b, p.param);  // the value to send as that parameter
      b += ':';
      AppendJsonText(b, p.suggestions[i].value);
      b += '}';
    }
    b += ']';
  }
  b += "}";
  return r;
}

std::optional<Problem> UnknownParameter(const Request& req,
                                        std::span<const std::string_view> known) {
  auto key = req.FirstKeyNotIn(known);
  if (!key) return std::nullopt;
  std::string detail = "unknown parameter '" + *key + "'";
  if (auto close = ClosestWord(*key, known)) detail += " (did you mean '" + *close + "'?)";
  return Problem::Invalid(detail, *key);
}

}  // namespace carefinder::api
