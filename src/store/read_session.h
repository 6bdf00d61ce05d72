// One request's reads (DESIGN §4: one read transaction per request): one
// snapshot, so one database file, vocabulary, gazetteer and listing index;
// and, from the first read that needs SQLite to the session's end, one leased
// connection of that snapshot's generation, one read transaction and one
// deadline. Place resolution and the search it feeds see the same data, also
// when a new file is swapped in meanwhile (generation.h). Not thread-safe:
// one session per request thread. The server makes one per API request.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "store/connection.h"
#include "store/listing_store.h"
#include "store/places.h"
#include "store/search.h"
#include "store/snapshot.h"

namespace carefinder::store {

class ReadSession {
 public:
  // Takes the store's current snapshot; no connection until the first read.
  explicit ReadSession(const ListingStore& store);
  ~ReadSession();
  ReadSession(const ReadSession&) = delete;
  ReadSession& operator=(const ReadSession&) = delete;

  const Snapshot& snapshot() const { return *snapshot_; }
  const Taxonomy& taxonomy() const { return snapshot_->taxonomy; }

  // In memory, from the snapshot's gazetteer (places.h).
  Result<Place> ResolvePlace(std::string_view near) const;  // kNotFound, kInvalid
  std::vector<Place> DidYouMean(std::string_view near, size_t limit = 5) const;
  std::vector<Place> SuggestPlaces(std::string_view q, size_t limit = 10) const;
  Health health() const;

  // Through the session's connection and transaction.
  Result<SearchResult> Search(const SearchQuery& q);
  Result<ListingDetail> GetListing(std::string_view id);  // kNotFound
  // `fn` on the session's connection, for read modules beside the search
  // (hsds_store.h). `budget` (0: the store's query budget) is the deadline
  // when this read is the session's first; a later read keeps the one set.
  Status Read(const std::function<Status(Connection&)>& fn,
              std::chrono::milliseconds budget = std::chrono::milliseconds(0));

 private:
  // The session's connection, leased with its transaction and deadline on
  // the first call.
  Result<Connection*> Open(std::chrono::milliseconds budget);

  std::shared_ptr<const Snapshot> snapshot_;
  std::chrono::milliseconds query_budget_;
  // Destroyed in reverse: the deadline is cleared and the statements reset
  // (~ReadSession) before the ROLLBACK, then the connection goes back.
  std::optional<ConnectionPool::Lease> lease_;
  std::optional<db::Transaction> transaction_;
  std::optional<db::Deadline> deadline_;
};

}  // namespace carefinder::store
