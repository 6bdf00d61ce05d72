// The HTTP server: the one place that knows cpp-httplib. Owns the route
// table (paths -> api handlers), static files for the web page, security and
// CORS headers, the access log and the socket settings (DESIGN §6).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"

namespace carefinder::store {
class FeedbackStore;
class ListingStore;
}

namespace carefinder::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;       // 0: any free port (Bind returns it)
  std::string web_dir;   // "" serves no static files
  int threads = 0;       // workers, one a connection being served; 0: 256 (http_guard.h)
  bool access_log = true;
  store::FeedbackStore* feedback = nullptr;  // null: POST .../feedback is 405 like any write
  std::string db_path;   // checked by /healthz ("": not checked)
  // Peers (e.g. "127.0.0.1", the HAProxy in front) whose last X-Forwarded-For
  // entry is taken as the client's address for per-client limits.
  std::vector<std::string> trusted_proxies;
  // Problem reports accepted per minute from one client / from everyone
  // (0: api::FeedbackLimits' defaults).
  size_t feedback_per_client = 0;
  size_t feedback_per_minute = 0;
  // Tests only: runs on the worker thread just before each API handler;
  // what it throws stands for a handler that throws (a bug, std::bad_alloc).
  std::function<void(const std::string& path)> before_api_handler;
};

// A route the server answers, its path written as OpenAPI writes it
// ("/hsds/services/{id}"): for the test that holds the OpenAPI document to it.
struct RouteInfo {
  std::string method;
  std::string path;
};
std::vector<RouteInfo> RegisteredRoutes();  // GET routes, then the feedback POST

class Server {
 public:
  Server(store::ListingStore& store, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Result<int> Bind();  // the bound port
  void Run();          // serves until Stop(); call after Bind
  void Stop();         // safe from any thread
  // One connection whose requests were all sent already, answered on this
  // thread and closed, without Bind (tests/fuzz/fuzz_http_request.cc).
  void ServeConnection(int fd);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace carefinder::server
