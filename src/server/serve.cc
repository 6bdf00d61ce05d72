// `carefinder serve`: parses the command line, opens the store, binds, prints
// exactly one `listening on http://HOST:PORT` line (tests parse it) and serves
// until SIGINT or SIGTERM.
#include "server/serve.h"

#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <thread>

#include "core/args.h"
#include "core/exit_code.h"
#include "server/server.h"
#include "store/feedback_store.h"
#include "store/listing_store.h"

namespace carefinder::server {

namespace {

constexpr const char* kUsage =
    "usage: carefinder serve [--db PATH] [--port 8080] [--web DIR] [--threads N]\n"
    "                        [--host 127.0.0.1|0.0.0.0] [--feedback PATH|off]\n"
    "                        [--refresh SECONDS] [--immutable]\n"
    "  --port 0 picks a free port; the first line on stdout says which.\n"
    "  --refresh: how often the database path is checked for a new import or a\n"
    "  new file published over it (default 1; 0: never). See docs/OPERATIONS.md.\n"
    "  --immutable: the file never changes in place (a read-only mount): opened\n"
    "  without locks, -wal or -shm; a new file renamed over the path still switches.\n"
    "  --feedback: where problem reports from the page are kept (default: the\n"
    "  database path + .feedback.db; 'off' refuses them). See `carefinder feedback`.\n"
    "  --trusted-proxy ADDR (repeatable): a proxy in front (e.g. HAProxy on\n"
    "  127.0.0.1) whose X-Forwarded-For names the client for per-client limits.\n"
    "  --feedback-per-client N, --feedback-per-minute N: reports accepted per\n"
    "  minute from one client (default 5) and from everyone (default 60).\n";

struct ServeArgs {
  std::string db = "carefinder.db";
  std::string feedback;  // "" = next to db
  ServerOptions server;
  store::StoreOptions store;
};

constexpr int64_t kMaxRefreshSeconds = 3600;
constexpr int64_t kMaxPort = 65535, kMaxThreads = 1024;

// Returns the exit code to stop with, or nullopt to carry on.
std::optional<int> ParseArgs(const std::vector<std::string>& args, ServeArgs& out) {
  std::optional<int64_t> refresh_seconds;  // the store's default unless given
  args::Parser parser("serve", kUsage);
  parser.Value("--db", out.db)
      .Value("--web", out.server.web_dir)
      .Value("--host", out.server.host)
      .Value("--feedback", out.feedback)
      .Repeated("--trusted-proxy", out.server.trusted_proxies)
      .Flag("--immutable", out.store.immutable)
      .Number("--port", out.server.port, 0, kMaxPort)
      .Number("--refresh", refresh_seconds, 0, kMaxRefreshSeconds)
      .Number("--threads", out.server.threads, 1, kMaxThreads)
      .Number("--feedback-per-client", out.server.feedback_per_client, 1)
      .Number("--feedback-per-minute", out.server.feedback_per_minute, 1);
  if (auto code = parser.Parse(args)) return code;
  if (refresh_seconds) out.store.refresh_interval = std::chrono::seconds(*refresh_seconds);
  return std::nullopt;
}

}  // namespace

int RunServeCommand(const std::vector<std::string>& args) {
  ServeArgs opts;
  if (auto code = ParseArgs(args, opts)) return *code;
  // Block the stop signals in every thread (threads inherit the mask); one
  // thread waits for them and stops the server from ordinary code.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  opts.store.log = [](const std::string& line) {
    std::fprintf(stderr, "carefinder serve: %s\n", line.c_str());
  };
  auto store = store::ListingStore::Open(opts.db, opts.store);
  if (!store) {
    std::fprintf(stderr, "carefinder serve: %s\n", store.error().message.c_str());
    return exit_code::kNoInput;
  }
  std::unique_ptr<store::FeedbackStore> feedback;
  if (opts.feedback != "off") {
    std::string path = opts.feedback.empty() ? store::DefaultFeedbackPath(opts.db) : opts.feedback;
    auto opened = store::FeedbackStore::Open(path);
    if (!opened) {
      std::fprintf(stderr, "carefinder serve: feedback file: %s (use --feedback PATH or off)\n",
                   opened.error().message.c_str());
      return exit_code::kCantCreate;
    }
    feedback = std::move(*opened);
    opts.server.feedback = feedback.get();
  }
  opts.server.db_path = opts.db;
  Server server(**store, opts.server);
  auto port = server.Bind();
  if (!port) {
    std::fprintf(stderr, "carefinder serve: %s\n", port.error().message.c_str());
    return exit_code::kUnavailable;
  }
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.Stop();
  });
  std::printf("listening on http://%s:%d\n", opts.server.host.c_str(), *port);
  std::fflush(stdout);
  server.Run();
  // Run also returns when listening failed: wake the waiter so it can end.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::fputs("stopped\n", stderr);
  return exit_code::kOk;
}

}  // namespace carefinder::server
