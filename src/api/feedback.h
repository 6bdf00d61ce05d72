// POST /api/v1/listings/{id}/feedback: a "report a problem" from the
// listing page, validated, rate-limited per process and kept in the feedback
// file (store/feedback_store.h) for maintainers. The body is JSON with
// `field`, `correction` and `note` only: any other member is refused, so no
// personal data can arrive by accident. See docs/API.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

#include "api/request.h"
#include "store/feedback_store.h"
#include "store/listing_store.h"

namespace carefinder::api {

inline constexpr size_t kMaxFeedbackBodyBytes = 4096;
inline constexpr size_t kMaxCorrectionChars = 500;
inline constexpr size_t kMaxNoteChars = 1000;

struct FeedbackLimits {
  size_t per_minute = 30;        // reports accepted per minute by this process
  int64_t max_stored = 100000;   // then refuse until maintainers empty the file
};

class FeedbackHandler {
 public:
  FeedbackHandler(store::ListingStore& listings, store::FeedbackStore& feedback,
                  FeedbackLimits limits = {});

  // req.path_params["id"], req.body. 201 {"id": N, "status": "received"};
  // 400 invalid-parameter, 404 not-found, 429 too-many-requests.
  Response Handle(const Request& req);

 private:
  bool TakeSlot();  // false when this minute's or the file's quota is used up

  store::ListingStore& listings_;
  store::FeedbackStore& feedback_;
  FeedbackLimits limits_;
  std::mutex mutex_;  // guards the counters below
  std::chrono::steady_clock::time_point window_start_{};
  size_t in_window_ = 0;
  int64_t stored_ = -1;  // -1: not counted yet
};

}  // namespace carefinder::api
