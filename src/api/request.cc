// Query-string accessors for Request: see request.h.
#include "api/request.h"

#include <algorithm>

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

std::optional<std::string> Request::FirstKeyNotIn(std::span<const std::string_view> known) const {
  for (const auto& [key, value] : query) {
    if (std::find(known.begin(), known.end(), key) == known.end()) return key;
  }
  return std::nullopt;
}

}  // namespace carefinder::api
