// cpp-httplib hardened for the open internet (issue 15): each connection is
// read through our own stream (request-head size, line count and deadline),
// idle connections give their worker up when others wait, a bounded worker
// pool answers 503 beyond its capacity, and the port is exclusive with a
// listen backlog that fits bursts. Only src/server includes this header.
#pragma once

#include <httplib.h>

#include <chrono>

namespace carefinder::server {

struct HttpLimits {
  int workers = 256;                  // threads; one per connection being served
  int max_waiting = 256;              // accepted connections waiting for a worker; more: 503
  size_t max_head_bytes = 16 * 1024;  // request line + headers: more is 431
  int max_header_lines = 100;         // headers: more is 431
  std::chrono::milliseconds head_timeout{10000};   // the whole request head, from its first byte
  std::chrono::milliseconds read_timeout{5000};    // one read of a body or head
  std::chrono::milliseconds write_timeout{5000};   // one write of an answer
  std::chrono::milliseconds keep_alive_timeout{5000};  // idle between requests
  std::chrono::milliseconds idle_under_pressure{200};  // idle, while others wait for a worker
  size_t keep_alive_max_requests = 10000;
  int listen_backlog = 512;
};

// The why of a 4xx the guard itself decided, for the error handler (which
// runs on the same worker thread, before the status line is written).
enum class HeadVerdict { kOk, kTooLarge, kTimedOut };
HeadVerdict CurrentHeadVerdict();
// Ends the connection after the answer being written (a request whose head
// or body was left unread must not be taken for the next one).
void CloseAfterThisAnswer();

class ConnectionStream;

class GuardedHttpServer : public httplib::Server {
 public:
  explicit GuardedHttpServer(HttpLimits limits);

  // After bind_to_port: the backlog httplib 0.11 hard-codes (5) widened.
  void WidenBacklog();
  // Serves one accepted connection on the calling thread as a worker would,
  // then closes it; while the server is not listening, only what the peer
  // already sent is read (the fuzzer feeds a socketpair this way).
  void ServeConnection(int fd) { process_and_close_socket(fd); }

 private:
  class Queue;
  bool process_and_close_socket(socket_t sock) override;
  bool WaitForRequest(ConnectionStream& stream, std::chrono::steady_clock::time_point idle_since);

  HttpLimits limits_;
  Queue* queue_ = nullptr;  // owned by httplib while it listens
  int listen_fd_ = -1;
};

}  // namespace carefinder::server
