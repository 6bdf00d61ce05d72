// libFuzzer target: the HTTP request path, raw bytes in, answers out. The
// input is sent on a socketpair to the real server (src/server: the guarded
// connection that bounds the head, httplib's request-line, header, query and
// Range parsing, the route table, the API parameter parsing of
// src/api/search_params.cc and request.cc, the handlers over a small fixture
// database), which answers every request in it on this thread. Invariants of
// every answer: a status line with a 2xx, 3xx or 4xx status (never 5xx: no
// input may be an internal error); a problem+json body is valid UTF-8 and a
// JSON object whose "status" is the answer's; a 206 carries one range that
// lies within the body it names, and its body is that range's length.
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "server/server.h"
#include "store/listing_store.h"
#include "tests/fixtures/api/fixture_db.h"

namespace {

constexpr size_t kMaxInput = 64 * 1024;  // fits the socketpair's buffer: written before serving

void Require(bool ok) {
  if (!ok) std::abort();
}

carefinder::server::Server& TheServer() {
  static auto* server = [] {
    std::string db = carefinder::testing::UniqueTempPath("fuzz_http_request.db");
    carefinder::testing::WriteFixtureDb(db, carefinder::testing::DefaultListings());
    auto store = carefinder::store::ListingStore::Open(db);
    Require(store.has_value());
    carefinder::store::ListingStore* kept = store->release();  // lives as long as the process
    return new carefinder::server::Server(*kept, {.port = 0, .threads = 1, .access_log = false});
  }();
  return *server;
}

// The value of header `name` (lower-case) in `head`, "" when absent.
std::string_view Header(std::string_view head, std::string_view name) {
  size_t at = 0;
  while ((at = head.find("\r\n", at)) != std::string_view::npos) {
    at += 2;
    std::string_view line = head.substr(at, head.find("\r\n", at) - at);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (carefinder::text::ToLower(line.substr(0, colon)) != name) continue;
    return carefinder::text::Trim(line.substr(colon + 1));
  }
  return {};
}

// Checks one answer at the start of `out`; returns its length, 0 when `out`
// holds no whole answer (the last may be cut where the connection ended).
size_t CheckAnswer(std::string_view out) {
  size_t head_end = out.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return 0;
  std::string_view head = out.substr(0, head_end);
  Require(head.starts_with("HTTP/1.1 ") && head.size() >= 12);
  int status = std::atoi(std::string(head.substr(9, 3)).c_str());
  Require(status >= 200 && status < 500);
  std::string_view length = Header(head, "content-length");
  if (length.empty()) return 0;  // (a chunked answer: not made by our routes)
  size_t size = std::strtoull(std::string(length).c_str(), nullptr, 10);
  if (out.size() < head_end + 4 + size) return 0;
  std::string_view body = out.substr(head_end + 4, size);
  if (Header(head, "content-type").starts_with("application/problem+json")) {
    Require(!carefinder::text::FindInvalidUtf8(body));
    auto problem = nlohmann::json::parse(body, nullptr, false);
    Require(problem.is_object() && problem.value("status", 0) == status);
  }
  if (status == 206) {  // "bytes first-last/total", one range, within the body
    std::string range(Header(head, "content-range"));
    unsigned long long first = 0, last = 0, total = 0;
    Require(std::sscanf(range.c_str(), "bytes %llu-%llu/%llu", &first, &last, &total) == 3);
    Require(first <= last && last < total && size == last - first + 1);
  }
  return head_end + 4 + size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  carefinder::server::Server& server = TheServer();
  int fds[2];
  Require(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  Require(::send(fds[0], data, size, MSG_NOSIGNAL) == static_cast<ssize_t>(size));
  ::shutdown(fds[0], SHUT_WR);  // all sent: the server reads to the end, then stops
  std::string out;
  std::thread reader([&] {  // drains the answers while the server writes them
    char buf[65536];
    for (ssize_t n; (n = ::recv(fds[0], buf, sizeof buf, 0)) > 0;) out.append(buf, size_t(n));
  });
  server.ServeConnection(fds[1]);  // closes fds[1]
  reader.join();
  ::close(fds[0]);
  if (std::getenv("FUZZ_HTTP_DUMP")) std::fwrite(out.data(), 1, out.size(), stderr);  // to read a crash
  for (std::string_view rest = out; !rest.empty();) {
    size_t used = CheckAnswer(rest);
    if (used == 0) break;
    rest.remove_prefix(used);
  }
  return 0;
}
