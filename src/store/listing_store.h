// ListingStore: every read the API needs, over one database file opened
// read-only. Searches run on an immutable in-memory snapshot (shared by all
// threads) plus one pooled connection per concurrent request, inside one read
// transaction with a deadline. A watcher re-checks PRAGMA data_version once a
// `refresh_interval` and swaps in a new snapshot after an import commits;
// requests keep answering from the old one meanwhile.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.h"
#include "store/connection.h"
#include "store/places.h"
#include "store/search.h"
#include "store/snapshot.h"

namespace carefinder::store {

struct StoreOptions {
  std::chrono::milliseconds query_budget{2000};      // per request, then kTimeout
  std::chrono::milliseconds refresh_interval{1000};  // 0: never re-check the file
};

struct Health {
  int schema_version = 0;
  int64_t treatments = 0, meetings = 0;
  std::string last_import;  // "" when the database has no import_run
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

  // The current snapshot; hold it for the whole request so validation and
  // search see the same vocabulary.
  std::shared_ptr<const Snapshot> snapshot() const;

  Result<SearchResult> Search(const Snapshot& snap, const SearchQuery& q);
  Result<Place> ResolvePlace(std::string_view near);                 // kNotFound, kInvalid
  Result<std::vector<Place>> SuggestPlaces(std::string_view q, size_t limit = 10);
  std::vector<Place> DidYouMean(std::string_view near, size_t limit = 5);  // for an unknown place
  Result<ListingDetail> GetListing(std::string_view id);             // kNotFound
  Health health() const;
  // Runs `fn` on a pooled connection inside one read transaction under the
  // query deadline, or `budget` when given (bulk answers such as a whole
  // ndjson list): for read modules beside the search (hsds_store.h).
  Status Read(const std::function<Status(Connection&)>& fn,
              std::chrono::milliseconds budget = std::chrono::milliseconds(0));

  // Rebuilds the snapshot when another connection committed since the last
  // build. The watcher calls this; tests call it to skip the wait.
  Status Refresh();

 private:
  ListingStore(std::string path, StoreOptions options)
      : options_(options), pool_(std::move(path)) {}
  void Watch(std::stop_token stop);
  template <class Fn>
  auto WithConnection(Fn&& fn, std::chrono::milliseconds budget = std::chrono::milliseconds(0))
      -> decltype(fn(std::declval<Connection&>()));

  StoreOptions options_;
  ConnectionPool pool_;
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::mutex watch_mutex_;                    // guards watch_db_ and data_version_
  std::unique_ptr<db::Database> watch_db_;    // only for data_version and rebuilds
  int64_t data_version_ = -1;
  std::jthread watcher_;                      // last: stops first
};

}  // namespace carefinder::store
