// ListingStore: the database file the API reads, opened read-only. It keeps
// the current immutable in-memory snapshot (shared by all threads); a request
// reads through a ReadSession (read_session.h): one snapshot, one pooled
// connection, one read transaction with a deadline. A watcher re-checks
// PRAGMA data_version once a `refresh_interval` and swaps in a new snapshot
// after an import commits; requests keep answering from the old one
// meanwhile. It also checks which file the path names (generation.h): when
// another file was renamed over it, the new file is opened and indexed while
// the old one answers, then swapped in; a file that cannot be opened or
// indexed is refused with one log line and the old one kept. A session keeps
// its snapshot, so a request reads one file from start to end.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/file_digest.h"
#include "store/connection.h"
#include "store/generation.h"
#include "store/places.h"
#include "store/search.h"
#include "store/snapshot.h"

namespace carefinder::store {

struct StoreOptions {
  std::chrono::milliseconds query_budget{2000};      // per request, then kTimeout
  std::chrono::milliseconds refresh_interval{1000};  // 0: never re-check the file
  // Open with SQLite's immutable=1 (read-only mounts; no data_version checks).
  bool immutable = false;
  // Where a switch to a new file, or a refusal, is told ("" prefix; no
  // newline). Unset: not told.
  std::function<void(const std::string&)> log;
};

// Which data a server answers from, for /healthz.
struct DatabaseInfo {
  std::string path;
  int64_t import_run = 0;   // newest import_run id, 0 if none
  std::string imported_at;  // its finished_at, "" if none
  std::string sha256;       // of the file; "" until computed
  int64_t generation = 0;   // 1 for the file the server started with, +1 a switch
};

struct Health {
  int schema_version = 0;
  int64_t treatments = 0, meetings = 0;
  std::string last_import;  // "" when the database has no import_run
  DatabaseInfo database;
};

// Absent values are "".
struct ListingSource {
  std::string name, url, license, as_of, imported_at, last_verified;
};

struct ListingDetail {
  std::string doc;                   // listing.doc, the RESULT object
  std::vector<ListingSource> sources;
  std::vector<std::string> codes;    // listing.terms, ancestors included
};

class ListingStore {
 public:
  static Result<std::unique_ptr<ListingStore>> Open(const std::string& path,
                                                    StoreOptions options = {});
  ~ListingStore();
  ListingStore(const ListingStore&) = delete;
  ListingStore& operator=(const ListingStore&) = delete;

  // The current snapshot. A request takes it once, through its ReadSession,
  // so validation, place resolution and search see the same data.
  std::shared_ptr<const Snapshot> snapshot() const;
  // The deadline of a request's reads (StoreOptions::query_budget).
  std::chrono::milliseconds query_budget() const { return options_.query_budget; }

  // Switches to the file the path names when it is another one, else
  // rebuilds the snapshot when another connection committed since the last
  // build. The watcher calls this; tests call it to skip the wait. An error
  // means the old data is still served.
  Status Refresh();

 private:
  ListingStore(std::string path, StoreOptions options)
      : options_(std::move(options)), path_(std::move(path)) {}
  struct Opened;
  Result<Opened> OpenGeneration(int64_t number);
  Status SwitchIfReplaced();
  void Publish(std::shared_ptr<const Snapshot> snap);
  void Tell(const std::string& line) const;
  void Watch(std::stop_token stop);

  StoreOptions options_;
  std::string path_;
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::mutex watch_mutex_;                    // guards the members below
  std::shared_ptr<Generation> generation_;    // the current file
  std::unique_ptr<db::Database> watch_db_;    // on it: only for data_version and rebuilds
  int64_t data_version_ = -1;
  std::optional<FileIdentity> refused_;       // a file not switched to: not retried
  std::jthread watcher_;                      // last: stops first
};

}  // namespace carefinder::store
