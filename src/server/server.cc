// The route table and the httplib adapter: see server.h. Every request goes
// through Dispatch (a pre-routing handler), so one place decides 404/405,
// headers and which handler runs; httplib's own routing is not used.
#include "server/server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <thread>

#include <unistd.h>

#include "api/feedback.h"
#include "api/first_answer.h"
#include "api/handlers.h"
#include "api/hsds_handlers.h"
#include "api/meetings_feed.h"
#include "api/openapi.h"
#include "api/problem.h"
#include "core/text.h"
#include "server/http_guard.h"
#include "server/static_files.h"
#include "store/listing_store.h"
#include "store/read_session.h"

namespace carefinder::server {

namespace {

using Clock = std::chrono::steady_clock;
using ApiHandler = api::Response (*)(store::ReadSession&, const api::Request&);

struct Route {
  const char* path;     // exact path, or a prefix when it ends with '/' and has a param
  const char* param;    // for a prefix route: the name of the one segment after it
  ApiHandler handler;
};

constexpr Route kRoutes[] = {
    {"/api/v1/search", nullptr, api::HandleSearch},
    {"/api/v1/listings/", "id", api::HandleListing},
    {"/api/v1/taxonomy", nullptr, api::HandleTaxonomy},
    {"/api/v1/places", nullptr, api::HandlePlaces},
    {"/healthz", nullptr, api::HandleHealth},
    {"/api/openapi.json", nullptr, api::HandleOpenApi},
    {"/meetings.json", nullptr, api::HandleMeetingsFeed},
    {"/hsds/", nullptr, api::HandleHsdsRoot},
    {"/hsds/services", nullptr, api::HandleHsdsServices},
    {"/hsds/services/", "id", api::HandleHsdsService},
    {"/hsds/service_at_locations", nullptr, api::HandleHsdsServiceAtLocations},
    {"/hsds/service_at_locations/", "id", api::HandleHsdsServiceAtLocation},
    {"/hsds/organizations", nullptr, api::HandleHsdsOrganizations},
    {"/hsds/organizations/", "id", api::HandleHsdsOrganization},
    {"/hsds/taxonomies", nullptr, api::HandleHsdsTaxonomies},
    {"/hsds/taxonomies/", "id", api::HandleHsdsTaxonomy},
    {"/hsds/taxonomy_terms", nullptr, api::HandleHsdsTaxonomyTerms},
    {"/hsds/taxonomy_terms/", "id", api::HandleHsdsTaxonomyTerm},
};

// Open data for other software: CORS on every answer, errors included.
bool IsOpenDataPath(std::string_view path) {
  return text::StartsWith(path, "/hsds") || path == "/meetings.json";
}

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'";

// The one write: problem reports (api/feedback.h). httplib's own routing
// serves it, because only that reads the request body.
constexpr const char* kFeedbackRoute = R"(/api/v1/listings/([^/]+)/feedback)";

bool IsFeedbackPath(std::string_view path) {
  return text::StartsWith(path, "/api/v1/listings/") && path.ends_with("/feedback");
}

// The client's address for per-client limits: the peer, or behind a trusted
// proxy the last X-Forwarded-For entry (the one that proxy appended).
std::string ClientAddress(const httplib::Request& req, const std::vector<std::string>& proxies) {
  size_t forwarded = req.get_header_value_count("X-Forwarded-For");
  if (forwarded == 0 || std::ranges::find(proxies, req.remote_addr) == proxies.end()) {
    return req.remote_addr;
  }
  std::string_view last = req.get_header_value("X-Forwarded-For", forwarded - 1);
  if (size_t comma = last.rfind(','); comma != std::string_view::npos) last.remove_prefix(comma + 1);
  return std::string(text::Trim(last));
}

// Set when Dispatch starts, read by the logger on the same worker thread.
thread_local Clock::time_point request_start{};

// Matches `path` against the table; fills path params for prefix routes.
const Route* FindRoute(std::string_view path, api::Request& req) {
  for (const auto& r : kRoutes) {
    std::string_view rp = r.path;
    if (rp.back() != '/' || r.param == nullptr) {
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

// "http://" + the Host header when it is a plain host[:port]; "" otherwise
// (the value is echoed into bodies, so nothing else may pass).
std::string Origin(std::string_view host) {
  bool plain = !host.empty() && host.size() <= 255;
  for (char c : host) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                      c == ':' || c == '[' || c == ']');
  }
  return plain ? "http://" + std::string(host) : "";
}

// The body is moved, not copied (httplib 0.11's set_content only copies);
// the Content-Type is replaced as set_content does.
void SetBody(std::string body, std::string_view content_type, httplib::Response& to) {
  to.body = std::move(body);
  auto [first, last] = to.headers.equal_range("Content-Type");
  to.headers.erase(first, last);
  to.set_header("Content-Type", std::string(content_type));
}

void Send(api::Response from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [k, v] : from.headers) to.set_header(k, v);
  SetBody(std::move(from.body), from.content_type, to);
}

api::Response ProblemForStatus(int status, const httplib::Request& req) {
  using api::ProblemType;
  if (status == 404) return api::NotFoundResponse(req.path);
  if (status == 405) return api::MethodNotAllowedResponse(req.method, req.path);
  if (status == 408) {
    return api::ProblemResponse({ProblemType::kRequestTimeout,
                                 "the request headers did not arrive in time", ""});
  }
  if (status == 413 || status == 414 || status == 431) {
    const char* what = status == 413 ? "the request body" : status == 414 ? "the URL" : "the headers";
    return api::ProblemResponse(
        {ProblemType::kTooLarge, std::string(what) + " exceeded the server's limit", ""}, status);
  }
  ProblemType type = status == 503 ? ProblemType::kTimeout
                     : status >= 500 ? ProblemType::kInternal
                                     : ProblemType::kInvalidParameter;
  // Keep httplib's own status (400, 416, ...), in the body too.
  return api::ProblemResponse({type, "the request could not be handled", ""}, status);
}

// One range of a 200 answer is a 206 (httplib slices the body; http_guard
// already dropped requests for several). A range past the end, or on any
// other answer, is ignored, as RFC 9110 allows: the whole body. The Request
// is process_request's own non-const object; httplib 0.11 offers no other
// way to drop a range once the body's size is known.
void FitRange(const httplib::Request& req, httplib::Response& res) {
  if (req.ranges.empty()) return;
  auto [first, last] = req.ranges[0];
  auto size = static_cast<ssize_t>(res.body.size());
  bool fits = res.status == 200 && req.method == "GET" &&
              (first >= 0 ? first < size && (last < 0 || first <= last) : last > 0 && size > 0);
  auto& ranges = const_cast<httplib::Request&>(req).ranges;
  if (!fits) return ranges.clear();
  res.status = 206;
  // A last byte past the end means the end (RFC 9110 14.1.2); httplib 0.11
  // would name it in Content-Range (bytes 0-99/2, found by fuzz_http_request).
  if (first >= 0 && last >= size) ranges[0].second = size - 1;
}

// What /healthz must not call "ok": files the server needs, gone.
std::vector<std::string> HealthProblems(const ServerOptions& o) {
  std::vector<std::string> problems;
  if (!o.db_path.empty() && ::access(o.db_path.c_str(), R_OK) != 0) {
    problems.push_back("the database file is missing or unreadable");
  }
  if (!o.web_dir.empty() && ::access((o.web_dir + "/index.html").c_str(), R_OK) != 0) {
    problems.push_back("the web folder is missing or unreadable");
  }
  return problems;
}

// Server limits (http_guard.h) from the options: a pool of `threads`
// workers, and as many connections again (at least 64) waiting for one.
HttpLimits LimitsFor(const ServerOptions& o) {
  HttpLimits limits;
  if (o.threads > 0) {
    limits.workers = o.threads;
    limits.max_waiting = std::max(64, o.threads);
  }
  return limits;
}

}  // namespace

struct Server::Impl {
  store::ListingStore& store;
  ServerOptions options;
  GuardedHttpServer http;
  std::unique_ptr<api::FeedbackHandler> feedback;
  api::PageStrings strings;  // web/js/i18n*.js, for the search page (api/first_answer.h)

  Impl(store::ListingStore& s, ServerOptions o)
      : store(s), options(std::move(o)), http(LimitsFor(options)) {}
  void Configure();
  bool MakeSearchPage(const httplib::Request& req, std::string& html, httplib::Response& res);
  void ServeFeedback(const httplib::Request& req, httplib::Response& res);
  httplib::Server::HandlerResponse Dispatch(const httplib::Request& req, httplib::Response& res);
  void ServeApi(const Route& route, const httplib::Request& hreq, api::Request& req,
                httplib::Response& res);
};

void Server::Impl::Configure() {
  strings = api::PageStrings::Load(options.web_dir);
  // Workers, timeouts and keep-alive: http_guard.h. Many requests per
  // connection and no Nagle delay were the measured wins (DESIGN §6).
  http.set_tcp_nodelay(true);
  http.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"}});
  if (options.feedback) {
    api::FeedbackLimits limits;
    if (options.feedback_per_client) limits.per_client_per_minute = options.feedback_per_client;
    if (options.feedback_per_minute) limits.per_minute = options.feedback_per_minute;
    feedback = std::make_unique<api::FeedbackHandler>(store, *options.feedback, limits);
    http.set_payload_max_length(4 * api::kMaxFeedbackBodyBytes);  // larger: 413
    http.Post(kFeedbackRoute, [this](const httplib::Request& req, httplib::Response& res) {
      ServeFeedback(req, res);
    });
  }
  http.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return Dispatch(req, res); });
  // httplib calls this for every status >= 400: keep a body a handler set.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        // A head the guard cut off reaches httplib as a read error (400).
        if (CurrentHeadVerdict() == HeadVerdict::kTooLarge) res.status = 431;
        if (CurrentHeadVerdict() == HeadVerdict::kTimedOut) res.status = 408;
        if (CurrentHeadVerdict() != HeadVerdict::kOk || res.status == 413 || res.status == 414) {
          CloseAfterThisAnswer();
        }
        Send(ProblemForStatus(res.status, req), res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  // A handler that throws (std::bad_alloc, a bug) answers 500 problem+json;
  // httplib's default would put the exception's text in a response header.
  http.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr thrown) {
        std::string what = "unknown exception";
        try {
          if (thrown) std::rethrow_exception(thrown);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        std::fprintf(stderr, "internal error: %s %s: %s\n", req.method.c_str(),
                     req.path.c_str(), what.c_str());
        res.status = 500;
        Send(ProblemForStatus(500, req), res);
      });
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

namespace {

// Debian's cpp-httplib 0.11 compresses with brotli at its highest quality
// when a client accepts it, with no knob: about 100 ms of CPU for a 65 KB
// search answer, against 2-3 ms for gzip, whose answer is 1.4 KB larger
// (docs/PERFORMANCE.md, "Cold start"). So a client that accepts gzip gets
// gzip: "br" is taken out of the Accept-Encoding httplib reads when it
// writes the answer. (Dispatch is handed the request as const; httplib's
// own request object is not.)
void PreferGzip(const httplib::Request& req) {
  auto it = req.headers.find("Accept-Encoding");
  if (it == req.headers.end() || it->second.find("gzip") == std::string::npos ||
      it->second.find("br") == std::string::npos) {
    return;
  }
  std::string kept;
  for (const std::string& token : text::SplitList(it->second, ',')) {
    if (token == "br" || text::StartsWith(token, "br;")) continue;
    if (!kept.empty()) kept += ", ";
    kept += token;
  }
  const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
  const_cast<httplib::Request&>(req).headers.emplace("Accept-Encoding", kept);
}

}  // namespace

httplib::Server::HandlerResponse Server::Impl::Dispatch(const httplib::Request& req,
                                                        httplib::Response& res) {
  request_start = Clock::now();
  PreferGzip(req);
  if (feedback && req.method == "POST" && IsFeedbackPath(req.path)) {
    return httplib::Server::HandlerResponse::Unhandled;  // to kFeedbackRoute, body read
  }
  if (req.method != "GET" && req.method != "HEAD") {
    Send(api::MethodNotAllowedResponse(req.method, req.path), res);
    res.set_header("Connection", "close");  // any request body stays unread
    CloseAfterThisAnswer();
    if (IsOpenDataPath(req.path)) res.set_header("Access-Control-Allow-Origin", "*");
    return httplib::Server::HandlerResponse::Handled;
  }
  api::Request areq{req.path, {}, {}};
  if (const Route* route = FindRoute(req.path, areq)) {
    ServeApi(*route, req, areq, res);
  } else if (auto file = text::StartsWith(req.path, "/api/")
                            ? std::nullopt
                            : LoadStaticFile(options.web_dir, req.path)) {
    res.status = 200;
    bool html = file->content_type.starts_with("text/html");
    bool answered = html && req.path == "/" && MakeSearchPage(req, file->body, res);
    res.set_header("Cache-Control", answered ? "no-store" : html ? "no-cache" : "max-age=300");
    SetBody(std::move(file->body), file->content_type, res);
  } else {
    Send(api::NotFoundResponse(req.path), res);
    if (IsOpenDataPath(req.path)) res.set_header("Access-Control-Allow-Origin", "*");
  }
  FitRange(req, res);
  return httplib::Server::HandlerResponse::Handled;
}

// The search page for its URL (api/first_answer.h): in the page's
// language, with the first search's answer inside; whether it has one (which
// makes the page as private as the API's answers: no-store).
bool Server::Impl::MakeSearchPage(const httplib::Request& req, std::string& html,
                                  httplib::Response& res) {
  api::Request page{req.path, {}, {}};
  for (const auto& [k, v] : req.params) page.query.emplace(k, v);
  page.origin = Origin(req.get_header_value("Host"));
  if (!page.Get("lang")) res.set_header("Vary", "Accept-Language");
  std::string_view lang = api::PageLanguage(page, req.get_header_value("Accept-Language"));
  api::PageInLanguage(lang, strings, html);
  if (req.params.empty()) return false;  // nothing to search: no snapshot taken
  store::ReadSession session(store);
  return api::EmbedFirstSearch(session, page, lang, strings, html);
}

void Server::Impl::ServeApi(const Route& route, const httplib::Request& hreq, api::Request& req,
                            httplib::Response& res) {
  for (const auto& [k, v] : hreq.params) req.query.emplace(k, v);
  req.origin = Origin(hreq.get_header_value("Host"));
  if (options.before_api_handler) options.before_api_handler(req.path);
  store::ReadSession session(store);  // one snapshot, connection and transaction
  Send(route.handler == api::HandleHealth ? api::HealthResponse(session, HealthProblems(options))
                                          : route.handler(session, req),
       res);
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Cache-Control", "no-store");
}

// JSON only: a cross-site form cannot send it without a preflight, which
// this server refuses.
void Server::Impl::ServeFeedback(const httplib::Request& req, httplib::Response& res) {
  if (!text::StartsWith(req.get_header_value("Content-Type"), "application/json")) {
    Send(api::ProblemResponse(api::Problem::Invalid(
             "a report must be sent as Content-Type: application/json", "body")),
         res);
  } else {
    api::Request areq{req.path, {{"id", req.matches[1]}}, {}, req.body};
    areq.client = ClientAddress(req, options.trusted_proxies);
    Send(feedback->Handle(areq), res);
  }
  res.set_header("Cache-Control", "no-store");
}

std::vector<RouteInfo> RegisteredRoutes() {
  std::vector<RouteInfo> out;
  for (const auto& r : kRoutes) {
    out.push_back({"GET", r.param ? std::string(r.path) + "{" + r.param + "}" : r.path});
  }
  out.push_back({"POST", "/api/v1/listings/{id}/feedback"});  // kFeedbackRoute
  return out;
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
    impl_->http.WidenBacklog();
    return port;
  }
  if (!impl_->http.bind_to_port(impl_->options.host, port)) {
    return Fail(Error::Io("cannot bind " + impl_->options.host + ":" + std::to_string(port) +
                          " (in use, or not allowed)"));
  }
  impl_->http.WidenBacklog();
  return port;
}

void Server::Run() { impl_->http.listen_after_bind(); }

void Server::ServeConnection(int fd) { impl_->http.ServeConnection(fd); }

void Server::Stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace carefinder::server
