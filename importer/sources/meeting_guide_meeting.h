// One Meeting Guide meeting being read (internal to the reader): its JSON
// object, field by field, with every problem recorded as a rejection; the
// signals that decide its attendance; and the place rules, address,
// coordinates and attendance, that meeting_guide_place.cc implements.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/reader.h"

namespace carefinder::importer::meeting_guide {

using json = nlohmann::json;

// A meeting being read: its JSON object, with every problem recorded.
class Meeting : public RowRejections {
 public:
  Meeting(const json& obj, std::string_view file, int line, std::vector<Rejection>& out)
      : RowRejections(file, line, out), obj_(obj) {}

  // The value of `key`; nullptr when absent or null.
  const json* Get(std::string_view key) const {
    auto it = obj_.find(key);
    return it == obj_.end() || it->is_null() ? nullptr : &*it;
  }
  // The trimmed text of `key` (a number as written); "" when absent, null or
  // empty. Any other JSON type is rejected.
  std::string Text(std::string_view key) {
    const json* v = Get(key);
    if (!v) return "";
    if (v->is_string()) return std::string(text::Trim(v->get_ref<const std::string&>()));
    if (v->is_number()) return v->dump();
    Reject(key, v->dump() + " is not text");
    return "";
  }
  // Whether `key` holds anything but null or blank text.
  bool Present(std::string_view key) const {
    const json* v = Get(key);
    return v && !(v->is_string() && text::Trim(v->get_ref<const std::string&>()).empty());
  }
  std::string Clean(std::string_view key) { return CleanText(Text(key)); }

 private:
  const json& obj_;
};

// Facts about a meeting that decide its attendance and how its address is
// checked, but are not record fields.
struct Signals {
  bool temporarily_closed = false;  // type TC
  bool online_type = false;         // the retired type ONL, still in wide use
  bool approximate = false;         // the location is an area, not a venue
  bool split_address = false;       // address/city/state/postal_code given
  bool in_us = true;
  std::string formatted, country;  // as written, for messages
  std::vector<std::string> unknown_types;
};

// Street, city, state and ZIP (the split fields, else formatted_address),
// then coordinates and `approximate`.
void ReadPlace(Meeting& m, ListingRecord& rec, Signals& sig);

// Attendance term and status from the signals and the conference fields
// already read; drops the venue of an online meeting and checks the venue
// of any other (see meeting_guide.h for the rules).
void DecideAttendance(Meeting& m, ListingRecord& rec, const Signals& sig);

}  // namespace carefinder::importer::meeting_guide
