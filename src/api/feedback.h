// POST /api/v1/listings/{id}/feedback: a "report a problem" from the
// listing page, validated, rate-limited per client and per process, and kept
// in the feedback file (store/feedback_store.h) for maintainers. The body is
// JSON with `field`, `correction`, `note` and an optional `report_id` only:
// any other member is refused, so no personal data can arrive by accident.
// The page makes one report_id per form, so a report sent again (a retry by
// the page or by a proxy) is stored once. See docs/API.md.
//
// Per-client limit: the client address (Request::client) is turned into a
// keyed hash whose key is random per process and never leaves memory; only
// the hash is counted, for the current minute, and nothing about the client
// is written anywhere.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "api/request.h"
#include "core/random_id.h"
#include "store/feedback_store.h"
#include "store/listing_store.h"

namespace carefinder::api {

inline constexpr size_t kMaxFeedbackBodyBytes = 4096;
inline constexpr size_t kMaxCorrectionChars = 500;
inline constexpr size_t kMaxNoteChars = 1000;

struct FeedbackLimits {
  size_t per_client_per_minute = 5;  // reports accepted per minute from one client
  size_t per_minute = 60;            // from all clients together, by this process
  int64_t max_stored = 100000;       // then refuse until maintainers prune the file
  size_t max_tracked_clients = 20000;  // per minute; clients past it share one count
};

class FeedbackHandler {
 public:
  FeedbackHandler(store::ListingStore& listings, store::FeedbackStore& feedback,
                  FeedbackLimits limits = {});

  // req.path_params["id"], req.body, req.client. 201 {"id": N,
  // "report_id": "HEX", "status": "received"}; 400 invalid-parameter,
  // 404 not-found, 429 too-many-requests.
  Response Handle(const Request& req);

 private:
  // false when the client's, this minute's or the file's quota is used up.
  bool TakeSlot(std::string_view client);

  store::ListingStore& listings_;
  store::FeedbackStore& feedback_;
  FeedbackLimits limits_;
  KeyedHasher client_hasher_;
  std::mutex mutex_;  // guards the counters below
  std::chrono::steady_clock::time_point window_start_{};
  size_t in_window_ = 0;
  std::unordered_map<uint64_t, size_t> per_client_;  // keyed hash -> reports this minute
  int64_t stored_ = -1;  // -1: not counted yet; counted again at the cap (a prune frees room)
};

}  // namespace carefinder::api
