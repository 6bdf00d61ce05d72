// UUIDv5 (RFC 4122, SHA-1 name-based) ids: the same source name and source
// key give the same id on every import, so permalinks survive re-imports.
#pragma once

#include <string>
#include <string_view>

namespace carefinder {

// Carefinder's own namespace UUID (fixed forever: changing it changes every id).
inline constexpr std::string_view kCarefinderNamespace = "5b0c7a3e-2d41-5f8e-9c6a-0e1f4a7d2b90";

// UUIDv5 of `name` in `namespace_uuid` (canonical lower-case text form).
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);

// The id of an entity (kind = "organization", "service", "location", ...)
// from its source's name and the source's own key.
std::string StableId(std::string_view kind, std::string_view source, std::string_view key);

bool IsUuid(std::string_view s);

}  // namespace carefinder
