// The API's own request and response types: plain data, so handlers are
// plain functions that tests call without sockets and the server adapts to
// httplib in one place.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace carefinder::api {

struct Request {
  std::string path;
  std::map<std::string, std::string> path_params;     // {"id": "…"} for /listings/{id}
  std::multimap<std::string, std::string> query;      // decoded, repeats kept in order
  std::string body;                                   // POST only
  std::string origin;  // "http://host:port" the client used (Host header), "" if unknown
  // The client's address (behind a trusted proxy: the one it forwarded), for
  // per-client limits only: hashed there, never logged or stored.
  std::string client;

  // Every value of `key`, in order.
  std::vector<std::string> All(std::string_view key) const;
  // The value of `key` when given (the first when repeated).
  std::optional<std::string> Get(std::string_view key) const;
  // The first query key (in key order) that is not one of `known`.
  std::optional<std::string> FirstKeyNotIn(std::span<const std::string_view> known) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

}  // namespace carefinder::api
