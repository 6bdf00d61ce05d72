// The connection loop, stream and worker pool behind GuardedHttpServer: see
// http_guard.h. Replaces httplib 0.11's own per-connection loop (a private
// virtual) and keeps its request parser (process_request, protected).
#include "server/http_guard.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "api/problem.h"

namespace carefinder::server {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

thread_local HeadVerdict tl_verdict = HeadVerdict::kOk;
thread_local bool tl_close = false;
thread_local bool tl_reject = false;
thread_local Clock::time_point tl_accepted{};  // when the worker's connection was accepted  // set on the accept thread for a refused connection

// The whole answer to a connection refused for capacity, written at once.
std::string BusyAnswer() {
  std::string body = api::ProblemResponse(
      {api::ProblemType::kBusy, "too many connections; retry in a second", ""}).body;
  return "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n"
         "Content-Type: application/problem+json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

bool Poll(int fd, short events, milliseconds wait) {
  pollfd p{fd, events, 0};
  int n = ::poll(&p, 1, static_cast<int>(std::max<milliseconds::rep>(wait.count(), 0)));
  return n > 0;
}

void Address(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) return;
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  if (::getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(serv);
  }
}

// More than one range would build the whole body once per range (500 ranges
// of /meetings.json were 1.42 GB): such a request gets the body once, 200.
void BoundRanges(httplib::Request& req) {
  if (req.ranges.size() > 1) req.ranges.clear();
}

}  // namespace

HeadVerdict CurrentHeadVerdict() { return tl_verdict; }
void CloseAfterThisAnswer() { tl_close = true; }

// A buffered socket stream that bounds the request head while it is read:
// its bytes, its lines and the time it takes (a slow-loris head ends here).
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int fd, const HttpLimits& limits, const std::atomic<socket_t>& server)
      : fd_(fd), limits_(limits), server_(server) {}

  void BeginRequest() {
    in_head_ = true;
    head_bytes_ = lines_ = line_len_ = 0;
    tl_verdict = HeadVerdict::kOk;
    head_deadline_ = Clock::now() + limits_.head_timeout;
  }
  bool HasBuffered() const { return pos_ < end_; }
  // Reads what has arrived without waiting: kRead when bytes are buffered,
  // kClosed at the end of the stream or an error, kNothing when none came.
  enum class Arrived { kRead, kClosed, kNothing };
  Arrived TryFill() {
    ssize_t n;
    do n = ::recv(fd_, buf_, sizeof buf_, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
      pos_ = 0;
      end_ = static_cast<size_t>(n);
      return Arrived::kRead;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? Arrived::kNothing : Arrived::kClosed;
  }

  bool is_readable() const override { return HasBuffered() || Poll(fd_, POLLIN, limits_.read_timeout); }
  bool is_writable() const override { return Poll(fd_, POLLOUT, limits_.write_timeout); }
  ssize_t read(char* ptr, size_t size) override {
    if (!Flush()) return -1;  // e.g. a "100 Continue" the client waits for
    if (!HasBuffered() && !Fill()) return -1;
    size_t n = std::min(size, end_ - pos_);
    if (in_head_ && !ScanHead(n)) return -1;
    std::memcpy(ptr, buf_ + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  // An answer is gathered and leaves in one send() when it ends (Flush):
  // httplib writes the head and the body apart, and a process killed between
  // the two left a proxy with a head it had already passed on and could not
  // retry (the replica test saw it). Now a killed replica has sent a small
  // answer whole or not at all. A body (one write of kSendAtOnce bytes or
  // more) leaves at once with the head gathered before it, in one sendmsg,
  // not copied; a large answer goes out every kMaxPendingOut.
  ssize_t write(const char* ptr, size_t size) override {
    if (size >= kSendAtOnce) return SendAll(ptr, size) ? static_cast<ssize_t>(size) : -1;
    out_.append(ptr, size);
    if (out_.size() >= kMaxPendingOut && !Flush()) return -1;
    return static_cast<ssize_t>(size);
  }
  bool Flush() { return SendAll(nullptr, 0); }
  // The peer's and this end's address are the connection's: looked up once
  // they are known (httplib asks for both on every request).
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (!remote_ || remote_->first.empty()) remote_ = Endpoint(true);
    ip = remote_->first;
    port = remote_->second;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (!local_ || local_->first.empty()) local_ = Endpoint(false);
    ip = local_->first;
    port = local_->second;
  }
  socket_t socket() const override { return fd_; }

 private:
  std::pair<std::string, int> Endpoint(bool peer) const {
    std::pair<std::string, int> out{"", 0};
    Address(fd_, peer, out.first, out.second);
    return out;
  }
  // Sends what is gathered, then `size` bytes at `ptr`, in one sendmsg when
  // the socket takes it all; waits for room (write_timeout) only when the
  // socket has none. False when not everything left.
  bool SendAll(const char* ptr, size_t size) {
    iovec iov[2] = {{out_.data(), out_.size()}, {const_cast<char*>(ptr), size}};
    int first = 0;
    while (first < 2) {
      if (iov[first].iov_len == 0) {
        ++first;
        continue;
      }
      msghdr msg{};
      msg.msg_iov = iov + first;
      msg.msg_iovlen = static_cast<size_t>(2 - first);
      ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!is_writable()) break;
        continue;
      }
      if (n <= 0) break;
      for (auto left = static_cast<size_t>(n); left > 0 && first < 2;) {
        size_t step = std::min(left, iov[first].iov_len);
        iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + step;
        iov[first].iov_len -= step;
        left -= step;
        if (iov[first].iov_len == 0) ++first;
      }
    }
    out_.clear();
    return first == 2;
  }
  // Bytes that arrived are read at once; only when none has does the read
  // wait (poll), within the head's deadline.
  bool Fill() {
    switch (TryFill()) {
      case Arrived::kRead: return true;
      case Arrived::kClosed: return false;
      case Arrived::kNothing: break;
    }
    milliseconds wait = limits_.read_timeout;
    if (in_head_) {
      wait = std::min(wait, std::chrono::duration_cast<milliseconds>(head_deadline_ - Clock::now()));
    }
    if (!PollUnlessStopped(wait)) {
      if (in_head_ && Clock::now() >= head_deadline_) tl_verdict = HeadVerdict::kTimedOut;
      return false;
    }
    ssize_t n = ::recv(fd_, buf_, sizeof buf_, 0);
    if (n <= 0) return false;
    pos_ = 0;
    end_ = static_cast<size_t>(n);
    return true;
  }
  // Waits in slices so that a stopping server (SIGTERM) is not held up by
  // a client that trickles bytes.
  bool PollUnlessStopped(milliseconds wait) {
    auto until = Clock::now() + wait;
    for (;;) {
      auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now());
      if (Poll(fd_, POLLIN, std::min(left, milliseconds(100)))) return true;
      if (server_ == INVALID_SOCKET || left <= milliseconds(100)) return false;
    }
  }
  // Counts the next `n` buffered bytes of the head; false once over a limit.
  bool ScanHead(size_t n) {
    for (size_t i = pos_; i < pos_ + n && in_head_; ++i) {
      ++head_bytes_;
      if (buf_[i] == '\n') {
        if (line_len_ == 0) in_head_ = false;  // the empty line: the head is complete
        ++lines_;
        line_len_ = 0;
      } else if (buf_[i] != '\r') {
        ++line_len_;
      }
    }
    // The request line plus the headers plus the empty line.
    if (head_bytes_ > limits_.max_head_bytes || lines_ > size_t(limits_.max_header_lines) + 2) {
      tl_verdict = HeadVerdict::kTooLarge;
      return false;
    }
    return true;
  }

  int fd_;
  const HttpLimits& limits_;
  const std::atomic<socket_t>& server_;  // INVALID_SOCKET once the server stops
  static constexpr size_t kMaxPendingOut = 64 * 1024;
  static constexpr size_t kSendAtOnce = 4096;
  mutable std::optional<std::pair<std::string, int>> remote_, local_;
  char buf_[4096];
  size_t pos_ = 0, end_ = 0;
  std::string out_;  // the answer being written, sent by Flush
  bool in_head_ = true;
  size_t head_bytes_ = 0, lines_ = 0, line_len_ = 0;
  Clock::time_point head_deadline_{};
};

// A fixed pool of workers and a bounded line of accepted connections; past
// it a connection is answered 503 on the accept thread and closed at once.
class GuardedHttpServer::Queue final : public httplib::TaskQueue {
 public:
  Queue(int workers, int max_waiting) : max_waiting_(size_t(max_waiting)) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
  }
  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mu_);
      if (jobs_.size() < max_waiting_) {
        jobs_.push_back({std::move(fn), Clock::now()});
        waiting_ = jobs_.size();
        cv_.notify_one();
        return;
      }
    }
    tl_reject = true;  // process_and_close_socket answers 503 and returns
    fn();
    tl_reject = false;
  }
  void shutdown() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  bool SomeoneWaits() const { return waiting_.load() > 0; }

 private:
  void Work() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and nothing left to close
        job = std::move(jobs_.front());
        jobs_.pop_front();
        waiting_ = jobs_.size();
      }
      tl_accepted = job.accepted;
      job.fn();
    }
  }

  struct Job {
    std::function<void()> fn;
    Clock::time_point accepted;  // time in the line counts as idle time
  };
  size_t max_waiting_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  std::vector<std::thread> threads_;
  std::atomic<size_t> waiting_{0};
  bool stopping_ = false;
};

GuardedHttpServer::GuardedHttpServer(HttpLimits limits) : limits_(limits) {
  new_task_queue = [this] { return queue_ = new Queue(limits_.workers, limits_.max_waiting); };
  set_keep_alive_max_count(limits_.keep_alive_max_requests);
  set_read_timeout(limits_.read_timeout);
  set_write_timeout(limits_.write_timeout);
  // httplib's default sets SO_REUSEPORT: a second server on the port would
  // start and the kernel would split the traffic. SO_REUSEADDR only allows a
  // restart over connections in TIME_WAIT.
  set_socket_options([this](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = fd;
  });
}

// Linux applies a second listen() to a listening socket as a new backlog.
void GuardedHttpServer::WidenBacklog() {
  if (listen_fd_ >= 0) ::listen(listen_fd_, limits_.listen_backlog);
}

// Idle between requests: give the worker up after the keep-alive timeout,
// when the server stops, or soon when other connections wait for a worker.
bool GuardedHttpServer::WaitForRequest(ConnectionStream& stream, Clock::time_point start) {
  if (stream.HasBuffered()) return true;  // a pipelined request
  switch (stream.TryFill()) {  // sent while in the line, or while the answer left
    case ConnectionStream::Arrived::kRead: return true;
    case ConnectionStream::Arrived::kClosed: return false;
    case ConnectionStream::Arrived::kNothing: break;
  }
  for (;;) {
    if (svr_sock_ == INVALID_SOCKET) return false;
    auto idle = Clock::now() - start;
    if (idle >= limits_.keep_alive_timeout) return false;
    if (idle >= limits_.idle_under_pressure && queue_ && queue_->SomeoneWaits()) return false;
    if (Poll(stream.socket(), POLLIN, milliseconds(50))) return true;
  }
}

bool GuardedHttpServer::process_and_close_socket(socket_t sock) {
  bool ok = false;
  if (tl_reject) {
    static const std::string busy = BusyAnswer();
    ::send(sock, busy.data(), busy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  } else {
    ConnectionStream stream(sock, limits_, svr_sock_);
    auto idle_since = tl_accepted;  // a connection's first wait began in the line
    for (size_t left = limits_.keep_alive_max_requests;
         left > 0 && WaitForRequest(stream, idle_since); --left, idle_since = Clock::now()) {
      stream.BeginRequest();
      bool closed = false;
      tl_close = false;
      ok = process_request(stream, left == 1, closed, BoundRanges);
      ok = stream.Flush() && ok;  // an answer to a bad request goes out too
      if (!ok || closed || tl_close || tl_verdict != HeadVerdict::kOk) break;
    }
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace carefinder::server
