// Query-string accessors for Request: see request.h.
#include "api/request.h"

namespace carefinder::api {

std::vector<std::string> Request::All(std::string_view key) const {
  std::vector<std::string> out;
  auto [first, last] = query.equal_range(std::string(key));
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::optional<std::string> Request::Get(std::string_view key) const {
  auto it = query.find(std::string(key));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

}  // namespace carefinder::api
