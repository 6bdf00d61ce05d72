// One Meeting Guide meeting being read (internal to the Meeting Guide and
// BMLT readers): its JSON
// object, field by field, with every problem recorded as a rejection; the
// signals that decide its attendance; and the place rules, address,
// coordinates and attendance, that meeting_guide_place.cc implements.
#pragma once

#include <functional>
#include <istream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/meeting_guide_parts.h"
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

// The keys a feed writes a venue under: Meeting Guide's by default; the BMLT
// reader names its own. `formatted` "" = the feed has no one-line address,
// so the split keys are always read (and named when missing).
struct PlaceKeys {
  std::string_view street = "address", city = "city", state = "state";
  std::string_view postal_code = "postal_code", country = "country";
  std::string_view formatted = "formatted_address";
};

// Facts about a meeting that decide its attendance and how its address is
// checked, but are not record fields.
struct Signals {
  PlaceKeys keys;
  bool temporarily_closed = false;  // type TC
  bool online_type = false;         // the retired type ONL, still in wide use
  bool approximate = false;         // the location is an area, not a venue
  bool split_address = false;       // address/city/state/postal_code given
  bool in_us = true;
  std::string formatted, country;  // as written, for messages
  std::vector<std::string> unknown_types;  // or BMLT format codes
};

// Street, city, state and ZIP (the split fields, else formatted_address),
// then coordinates and `approximate`.
void ReadPlace(Meeting& m, ListingRecord& rec, Signals& sig);

// The IANA zone of the meeting's times into rec.timezone, the first of: the
// feed's own `key` ("timezone"; a zone the table in core/time_zone.h does
// not know is passed over), the zone of its US state (split states by
// longitude), the source sidecar's `timezone`. Call after ReadPlace and
// before DecideAttendance drops an online meeting's venue.
void ReadTimeZone(Meeting& m, std::string_view key, const SourceInfo& source,
                  ListingRecord& rec, const Signals& sig);

// Attendance term and status from the signals and the conference fields
// already read; drops the venue of an online meeting and checks the venue
// of any other (see meeting_guide.h for the rules).
void DecideAttendance(Meeting& m, ListingRecord& rec, const Signals& sig);

// The helpers below are shared with the BMLT reader (bmlt.cc), whose
// meetings are JSON objects read the same way.

// Why `el` is not a JSON object, or "" when it parsed into `obj`: "invalid
// UTF-8 on line 4 (0xE9): ...", "not valid JSON on line 43: ...".
std::string ParseElement(const Element& el, json& obj);

// `key` as a dial-in number into rec.conference_phone; rejected unless it has
// 10 or more digits and only + , * # ; - ( ) . and spaces besides.
void ReadDialIn(Meeting& m, std::string_view key, ListingRecord& rec);

// Rejects `key_field` when (source, source_key) was seen before, naming where
// ("repeats line 12", or "other.json:12" in another file); else records it.
void CheckUnique(Meeting& m, const ListingRecord& rec, SeenKeys& seen, std::string_view key_field);

// How a reader names a code its table does not know, in the one warning per
// code: `field`: "\"XYZ\" is not a `what`: kept as \"`prefix`XYZ\" on 3 meetings".
struct UnknownCodeWarning {
  std::string_view field, what, prefix;
};
// Reads one element into `rec` and `sig`; false when it was rejected.
using ReadOne = std::function<bool(const Element& el, std::vector<Rejection>& out,
                                   ListingRecord& rec, Signals& sig)>;
// The loop both readers share: splits `in` into its elements (the error case
// is text that is not an array), reads each with `read_one`, counts rows and
// rejections, and warns once per unknown code (sig.unknown_types).
Result<ReadResult> ReadMeetings(std::istream& in, std::string_view file, std::string_view format,
                                const UnknownCodeWarning& warning, const ReadOne& read_one);

}  // namespace carefinder::importer::meeting_guide
