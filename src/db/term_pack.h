// How a listing's taxonomy terms are stored (schema v6): `listing.terms` is
// the terms' keys (taxonomy_term.rowid), each a LEB128 varint (7 bits a byte,
// the high bit set on every byte but a key's last), in the order of the text
// form ' code code ' (codes with their ancestors, taxonomy order).
//
// Why (issue 12, goal 3): the text form took 129 B a listing at 1e6 (17
// codes); the keys take about 25. Readers want the codes: SQL reads them
// as listing_terms(terms) -> ' code code ', and listing_terms_pack(text)
// packs them (both on every connection, database.cc); text stored as it is
// (a file edited by hand) is read as it is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"

namespace carefinder::db {

class Database;

// Appends `key` (>= 0) as a varint.
void AppendTermKey(std::string& out, int64_t key);

// The file's taxonomy terms by key and by code (read from taxonomy_term).
class TermCodes {
 public:
  static Result<TermCodes> Load(Database& db);
  // ' code code ' of packed keys: a kDatabase error for a cut varint or a key
  // the file has no term for.
  Result<std::string> Unpack(std::string_view packed) const;
  // The keys of ' code code ': a kDatabase error naming an unknown code.
  Result<std::string> Pack(std::string_view text) const;
  bool empty() const { return code_of_.empty(); }

 private:
  std::unordered_map<int64_t, std::string> code_of_;
  std::unordered_map<std::string, int64_t> key_of_;
};

}  // namespace carefinder::db
