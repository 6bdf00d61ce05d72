// The parts of the Meeting Guide reader that stand on their own: splitting a
// feed into its meetings (with the line each starts on), clock times, one-line
// addresses, and the type-code table embedded from
// data/mappings/meeting_guide_types.csv. Used by meeting_guide.cc and tests.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <istream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "importer/taxonomy.h"

namespace carefinder::importer::meeting_guide {

extern const char* const kTypesCsv;  // generated from data/mappings/meeting_guide_types.csv

// Day 0 = Sunday ... 6 = Saturday: the schedule's day code, and how
// hours_text writes it.
inline constexpr std::array<const char*, 7> kDayCodes = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
inline constexpr std::array<const char*, 7> kDayNames = {"Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"};

// One element of the feed's top-level array: its JSON text, unparsed.
struct Element {
  std::string_view json;
  int line = 0;  // where the element starts
};

// Splits a JSON array into its elements without parsing them, so that one bad
// meeting (a syntax error, invalid UTF-8) costs only that meeting. Strings
// and nesting are followed; a leading UTF-8 BOM is skipped. The error case is
// text that is not an array, an element that never ends, or text after the
// array; its message starts with the line: "3: expected ',' or ']' ...".
Result<std::vector<Element>> SplitArray(std::string_view text);

// "19:30", "7:30", "19:30:00", "7:30 PM", "7:30pm", "7 p.m.", "12:00 AM" ->
// "HH:MM" (24 h). The error is the reason: "\"25:00\" is not a time ...".
Result<std::string> ParseClockTime(std::string_view text);

// "23:30" + 60 -> "00:30": minutes added, wrapping at midnight.
std::string AddMinutes(std::string_view hhmm, int minutes);

// A one-line address as geocoders write it: "3186 Pullman St, Costa Mesa, CA
// 92626, USA". The state must be a two-letter code, with or without a ZIP,
// as US geocoders write it, or with the ZIP in a part of its own ("979 West
// County Line Road, Hatboro, PA, 19040, USA"); a last part that is neither that nor "USA"
// names another country ("Berlin, Germany", "London WC2H 0EW, UK",
// "Tbilisi, Georgia"). Parts before the city are the street.
struct OneLineAddress {
  std::string street, city, state, postal_code;  // postal_code as written
  bool in_us = true;
};
OneLineAddress ParseOneLineAddress(std::string_view formatted);

// Whether `head` (after an optional UTF-8 BOM and spaces) opens an array
// whose first element is an object: "[ {".
bool StartsArrayOfObjects(std::string_view head);

// Whether `"key"` followed by a colon occurs somewhere in `text`: how the
// JSON readers' LooksLike tests sniff a file's first 4 KB.
bool HasJsonKey(std::string_view text, std::string_view key);

// "USA", "US", "United States", "United States of America" (any case).
bool IsUsCountry(std::string_view country);

// A mapping table embedded at build time (meeting_guide_types.csv,
// bmlt_formats.csv), parsed with Table::Parse(in, Taxonomy::Embedded()); a
// broken one aborts, since it is a build input.
template <typename Table>
Table ParseEmbedded(const char* csv) {
  std::istringstream in(csv);
  auto parsed = Table::Parse(in, Taxonomy::Embedded());
  if (!parsed) {
    std::fprintf(stderr, "carefinder: embedded %s\n", parsed.error().message.c_str());
    std::abort();
  }
  return std::move(*parsed);
}

// Meeting Guide type codes: the 87 official codes of code4recovery/spec plus
// the retired ONL and NS, each with its English name and the taxonomy terms
// it maps to (none for most).
class TypeTable {
 public:
  // Parses `code,term,name` rows; every term must be in `taxonomy`.
  static Result<TypeTable> Parse(std::istream& in, const Taxonomy& taxonomy);
  // The embedded table (parsed on first use; aborts on a broken build input).
  static const TypeTable& Embedded();

  // The code as the spec spells it, matching `raw` exactly, then ignoring
  // case ("onl" -> "ONL"), then by English name ("open" -> "O"); "" when
  // `raw` is none of these.
  std::string Resolve(std::string_view raw) const;
  // The terms of a code Resolve returned (empty for most codes).
  const std::vector<std::string>& Terms(const std::string& code) const;
  size_t size() const { return terms_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> terms_;  // code -> terms
  std::unordered_map<std::string, std::string> by_folded_;  // lower-case code or name -> code
};

}  // namespace carefinder::importer::meeting_guide
