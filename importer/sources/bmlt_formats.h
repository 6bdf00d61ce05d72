// BMLT meeting format codes -> taxonomy terms: the table embedded from
// data/mappings/bmlt_formats.csv (key_string, NAWS world id, term, name).
// Used by the BMLT reader (bmlt.cc) and its tests.
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "importer/taxonomy.h"

namespace carefinder::importer::bmlt {

extern const char* const kFormatsCsv;  // generated from data/mappings/bmlt_formats.csv

class FormatTable {
 public:
  // Parses `key_string,world_id,term,name` rows, one per key->term pair (a
  // key with no term has one row, term empty); every term must be in
  // `taxonomy`, and a key must name one world id.
  static Result<FormatTable> Parse(std::istream& in, const Taxonomy& taxonomy);
  // The embedded table (parsed on first use; aborts on a broken build input).
  static const FormatTable& Embedded();

  // The terms of `code`: a key_string of the table ("O"), else a NAWS world
  // id ("OPEN") whose key_strings all map to the same terms, so a server
  // whose key_strings are its world ids still maps. nullptr when neither
  // (LANG is no answer: its keys are different languages).
  const std::vector<std::string>* Find(std::string_view code) const;
  size_t size() const { return by_key_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> by_key_;       // key -> terms
  std::unordered_map<std::string, std::string> world_id_;                  // key -> world id
  std::unordered_map<std::string, std::vector<std::string>> by_world_id_;  // unambiguous only
};

}  // namespace carefinder::importer::bmlt
