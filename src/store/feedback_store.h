// Problem reports ("report a problem" on the listing page) kept for
// maintainers in their OWN SQLite file, next to the listings database by
// default (`<db>.feedback.db`): the listings file stays read-only for the
// server and an import replaces it whole, so nothing visitors write may live
// in it. A report says which field is wrong, what is right and an optional
// note; no name, e-mail, client address or other personal data is asked for
// or stored. Safe to use from many threads (one connection behind a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace carefinder::db {
class Database;
}

namespace carefinder::store {

// The fields a report may name, in the order the page offers them.
inline constexpr std::string_view kFeedbackFields[] = {
    "closed", "name", "address", "phone", "website", "hours", "services", "payment", "other"};

struct FeedbackReport {
  std::string listing_id;
  std::string listing_name;  // as shown when reported: the listing may change or go
  std::string source;        // the listing's source then ("" when unknown)
  std::string field;         // one of kFeedbackFields
  std::string correction;    // what is right ("" allowed when field is "closed")
  std::string note;          // optional
};

struct StoredFeedback {
  int64_t id = 0;
  std::string created_at;  // ISO 8601 UTC, to the minute
  FeedbackReport report;
};

// Default location of the feedback file for a listings database.
std::string DefaultFeedbackPath(std::string_view listings_db);

class FeedbackStore {
 public:
  // Creates the file (and its one table) when missing.
  static Result<std::unique_ptr<FeedbackStore>> Open(const std::string& path);
  // Opens an existing file for reading (`carefinder feedback`); kNotFound
  // when there is none yet.
  static Result<std::unique_ptr<FeedbackStore>> OpenExisting(const std::string& path);
  ~FeedbackStore();
  FeedbackStore(const FeedbackStore&) = delete;
  FeedbackStore& operator=(const FeedbackStore&) = delete;

  // Stores `r` (validated by the caller) and returns its id.
  Result<int64_t> Add(const FeedbackReport& r);
  Result<int64_t> Count();
  // Every report, oldest first.
  Result<std::vector<StoredFeedback>> List();

 private:
  explicit FeedbackStore(std::unique_ptr<db::Database> db);
  std::mutex mutex_;
  std::unique_ptr<db::Database> db_;
};

}  // namespace carefinder::store
