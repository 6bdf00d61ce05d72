// What a result's "Call" button dials: the listing's first voice number, or
// SAMHSA's National Helpline when the listing has none (a result with no
// number to call fails a person in need), and whether the number is shared
// by many listings (a central intake line, not the place itself).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace carefinder::db {
class Database;
}

namespace carefinder::store {

struct CallAction {
  std::string display;  // "(909) 488-7181"
  std::string e164;     // "+19094887181"
  std::string extension;
  bool helpline = false;  // the listing has no number: SAMHSA's helpline
  int shared_by = 0;      // listings with this number, when >= kSharedPhoneListings
};

// A number this many listings (services) give is marked shared.
inline constexpr int kSharedPhoneListings = 3;
inline constexpr std::string_view kHelplineDisplay = "1-800-662-4357";
inline constexpr std::string_view kHelplineE164 = "+18006624357";

// e164 -> how many services give it, for the numbers at least
// kSharedPhoneListings give (read once per snapshot). Sorted in one array:
// every result of every search looks its number up.
class SharedPhones {
 public:
  SharedPhones() = default;
  explicit SharedPhones(std::vector<std::pair<std::string, int>> numbers);
  // How many services give `e164`; 0 when fewer than kSharedPhoneListings.
  int Listings(std::string_view e164) const;

 private:
  std::vector<std::pair<std::string, int>> sorted_;
};
Result<SharedPhones> LoadSharedPhones(db::Database& db);

// The call action of a listing document (docs/API.md RESULT): the first
// phone whose role is not fax.
CallAction CallActionOf(std::string_view doc, const SharedPhones& shared);

}  // namespace carefinder::store
