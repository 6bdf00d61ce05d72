// Problem reports ("report a problem" on the listing page) kept for
// maintainers in their OWN SQLite file, next to the listings database by
// default (`<db>.feedback.db`): the listings file stays read-only for the
// server and an import replaces it whole, so nothing visitors write may live
// in it. A report says which field is wrong, what is right and an optional
// note; no name, e-mail, client address or other personal data is asked for
// or stored. Safe to use from many threads (one connection behind a mutex).
//
// With several replicas each writes its own file; every report carries a
// random 128-bit `report_id`, so `carefinder feedback --gather A B ...` copies
// each report into one file exactly once, however often it is run. A report
// is committed with synchronous=FULL before its page is told "received".
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
  std::string report_id;     // 32 hex digits; Add() makes one when empty
  std::string listing_id;
  std::string listing_name;  // as shown when reported: the listing may change or go
  std::string source;        // the listing's source then ("" when unknown)
  std::string field;         // one of kFeedbackFields
  std::string correction;    // what is right ("" allowed when field is "closed")
  std::string note;          // optional
};

struct StoredFeedback {
  int64_t id = 0;          // this file's own number (not the same in another file)
  std::string created_at;  // ISO 8601 UTC, to the minute
  FeedbackReport report;
};

struct AddedFeedback {
  int64_t id = 0;
  std::string report_id;
  bool is_new = true;  // false: a report with this report_id was already here
};

// What `carefinder feedback --prune` removes: the union of the rules given.
struct PruneRule {
  std::string before;                // "YYYY-MM-DD": reports created before that day (UTC)
  std::vector<std::string> done;     // report_ids, or this file's ids, handled by a maintainer
  std::vector<std::string> gathered; // report_ids known to be kept elsewhere (--gathered-in)
  int64_t keep_newest = -1;          // >= 0: all but the newest N
};

// Default location of the feedback file for a listings database.
std::string DefaultFeedbackPath(std::string_view listings_db);

class FeedbackStore {
 public:
  // Creates the file (and its one table) when missing.
  static Result<std::unique_ptr<FeedbackStore>> Open(const std::string& path);
  // Opens an existing file (`carefinder feedback`): to read, or to write
  // (--gather into it, --prune); kNotFound when there is none yet.
  enum class Access { kRead, kWrite };
  static Result<std::unique_ptr<FeedbackStore>> OpenExisting(const std::string& path,
                                                             Access access = Access::kRead);
  ~FeedbackStore();
  FeedbackStore(const FeedbackStore&) = delete;
  FeedbackStore& operator=(const FeedbackStore&) = delete;

  // Stores `r` (validated by the caller), committed durably before it
  // returns. The same report_id twice stores it once (a retried POST).
  Result<AddedFeedback> Add(const FeedbackReport& r);
  Result<int64_t> Count();
  // Every report, oldest first.
  Result<std::vector<StoredFeedback>> List();
  // Copies in, in one transaction, the reports whose report_id this file
  // does not hold yet (created_at kept); returns how many were new.
  Result<int64_t> Gather(const std::vector<StoredFeedback>& reports);
  // Deletes what `rule` names, in one transaction; returns how many.
  Result<int64_t> Prune(const PruneRule& rule);

 private:
  explicit FeedbackStore(std::unique_ptr<db::Database> db);
  std::mutex mutex_;
  std::unique_ptr<db::Database> db_;
};

}  // namespace carefinder::store
