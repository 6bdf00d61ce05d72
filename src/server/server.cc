// The route table and the httplib adapter: see server.h. Every request goes
// through Dispatch (a pre-routing handler), so one place decides 404/405,
// headers and which handler runs; httplib's own routing is not used.
#include "server/server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "api/handlers.h"
#include "api/problem.h"
#include "core/text.h"
#include "server/static_files.h"
#include "store/listing_store.h"

namespace carefinder::server {

namespace {

using Clock = std::chrono::steady_clock;
using ApiHandler = api::Response (*)(store::ListingStore&, const api::Request&);

struct Route {
  const char* path;     // exact path, or a prefix when it ends with '/'
  const char* param;    // for a prefix route: the name of the one segment after it
  ApiHandler handler;
};

constexpr Route kRoutes[] = {
    {"/api/v1/search", nullptr, api::HandleSearch},
    {"/api/v1/listings/", "id", api::HandleListing},
    {"/api/v1/taxonomy", nullptr, api::HandleTaxonomy},
    {"/api/v1/places", nullptr, api::HandlePlaces},
    {"/healthz", nullptr, api::HandleHealth},
};

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'";

// Keep-alive: the measured win is many requests per connection (DESIGN §6).
// cpp-httplib parks a worker on each open connection until it idles out, so
// the idle timeout stays short (a browser reuses a connection within seconds)
// and the pool is much larger than the core count.
constexpr size_t kKeepAliveMaxCount = 10000;
constexpr time_t kKeepAliveSeconds = 5;

// Set when Dispatch starts, read by the logger on the same worker thread.
thread_local Clock::time_point request_start{};

// Matches `path` against the table; fills path params for prefix routes.
const Route* FindRoute(std::string_view path, api::Request& req) {
  for (const auto& r : kRoutes) {
    std::string_view rp = r.path;
    if (rp.back() != '/') {
      if (path == rp) return &r;
      continue;
    }
    if (!text::StartsWith(path, rp)) continue;
    std::string_view rest = path.substr(rp.size());
    if (rest.empty() || rest.find('/') != std::string_view::npos) continue;
    req.path_params.emplace(r.param, std::string(rest));
    return &r;
  }
  return nullptr;
}

void Send(const api::Response& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [k, v] : from.headers) to.set_header(k, v);
  to.set_content(from.body, from.content_type);
}

api::Response ProblemForStatus(int status, const httplib::Request& req) {
  using api::ProblemType;
  if (status == 404) return api::NotFoundResponse(req.path);
  if (status == 405) return api::MethodNotAllowedResponse(req.method, req.path);
  ProblemType type = status == 503 ? ProblemType::kTimeout
                     : status >= 500 ? ProblemType::kInternal
                                     : ProblemType::kInvalidParameter;
  api::Response r = api::ProblemResponse({type, "the request could not be handled", ""});
  r.status = status;  // keep httplib's own status (400, 413, 414, ...)
  return r;
}

}  // namespace

struct Server::Impl {
  store::ListingStore& store;
  ServerOptions options;
  httplib::Server http;

  Impl(store::ListingStore& s, ServerOptions o) : store(s), options(std::move(o)) {}
  void Configure();
  httplib::Server::HandlerResponse Dispatch(const httplib::Request& req, httplib::Response& res);
  void ServeApi(const Route& route, const httplib::Request& hreq, api::Request& req,
                httplib::Response& res);
};

void Server::Impl::Configure() {
  int threads = options.threads;
  if (threads <= 0) {
    // A keep-alive connection holds its worker while idle, so many more
    // workers than cores keep idle browsers from starving other clients;
    // an idle worker costs a stack and nothing else (connections to the
    // database are leased per request, not per worker).
    threads = std::max(64, 16 * static_cast<int>(std::thread::hardware_concurrency()));
  }
  // httplib owns and deletes the queue it gets here.
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(kKeepAliveMaxCount);
  http.set_keep_alive_timeout(kKeepAliveSeconds);
  http.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"}});
  http.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return Dispatch(req, res); });
  // httplib calls this for every status >= 400: keep a body a handler set.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        Send(ProblemForStatus(res.status, req), res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  if (options.access_log) {
    // No query string and no client address: searches name places and needs.
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      long long us = request_start == Clock::time_point{}
                         ? -1
                         : std::chrono::duration_cast<std::chrono::microseconds>(
                               Clock::now() - request_start).count();
      request_start = {};
      std::fprintf(stderr, "%s %s %d %lldus\n", req.method.c_str(), req.path.c_str(), res.status,
                   us);
    });
  }
}

httplib::Server::HandlerResponse Server::Impl::Dispatch(const httplib::Request& req,
                                                        httplib::Response& res) {
  request_start = Clock::now();
  if (req.method != "GET" && req.method != "HEAD") {
    Send(api::MethodNotAllowedResponse(req.method, req.path), res);
    res.set_header("Connection", "close");  // any request body stays unread
    return httplib::Server::HandlerResponse::Handled;
  }
  api::Request areq{req.path, {}, {}};
  if (const Route* route = FindRoute(req.path, areq)) {
    ServeApi(*route, req, areq, res);
  } else if (auto file = text::StartsWith(req.path, "/api/")
                            ? std::nullopt
                            : LoadStaticFile(options.web_dir, req.path)) {
    res.status = 200;
    res.set_header("Cache-Control", file->content_type.starts_with("text/html")
                                        ? "no-cache" : "max-age=300");
    res.set_content(std::move(file->body), file->content_type);
  } else {
    Send(api::NotFoundResponse(req.path), res);
  }
  return httplib::Server::HandlerResponse::Handled;
}

void Server::Impl::ServeApi(const Route& route, const httplib::Request& hreq, api::Request& req,
                            httplib::Response& res) {
  for (const auto& [k, v] : hreq.params) req.query.emplace(k, v);
  Send(route.handler(store, req), res);
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Cache-Control", "no-store");
}

Server::Server(store::ListingStore& store, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {
  impl_->Configure();
}

Server::~Server() { Stop(); }

Result<int> Server::Bind() {
  int port = impl_->options.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(impl_->options.host);
    if (port < 0) return Fail(Error::Io("cannot bind " + impl_->options.host + " to a free port"));
    return port;
  }
  if (!impl_->http.bind_to_port(impl_->options.host, port)) {
    return Fail(Error::Io("cannot bind " + impl_->options.host + ":" + std::to_string(port) +
                          " (in use, or not allowed)"));
  }
  return port;
}

void Server::Run() { impl_->http.listen_after_bind(); }

void Server::Stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace carefinder::server
