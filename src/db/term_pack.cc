// listing.terms packed as term keys: see term_pack.h.
#include "db/term_pack.h"

#include "core/text.h"
#include "db/database.h"

namespace carefinder::db {

void AppendTermKey(std::string& out, int64_t key) {
  auto v = static_cast<uint64_t>(key);
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

Result<TermCodes> TermCodes::Load(Database& db) {
  auto read = db.Prepare("SELECT rowid, code FROM taxonomy_term");
  if (!read) return Fail(read.error());
  TermCodes out;
  while (true) {
    auto row = read->Step();
    if (!row) return Fail(row.error());
    if (!*row) return out;
    out.code_of_.emplace(read->ColumnInt(0), read->ColumnString(1));
    out.key_of_.emplace(read->ColumnString(1), read->ColumnInt(0));
  }
}

Result<std::string> TermCodes::Unpack(std::string_view packed) const {
  std::string out = " ";
  uint64_t key = 0;
  int shift = 0;
  for (unsigned char c : packed) {
    if (shift > 56) return Fail(Error::Database("listing.terms: a term key is too long"));
    key |= uint64_t{c & 0x7fu} << shift;
    shift += 7;
    if (c & 0x80) continue;
    auto code = code_of_.find(static_cast<int64_t>(key));
    if (code == code_of_.end())
      return Fail(Error::Database("listing.terms names taxonomy term " + std::to_string(key) +
                                  ", which the file does not hold"));
    (out += code->second) += ' ';
    key = 0, shift = 0;
  }
  if (shift != 0) return Fail(Error::Database("listing.terms: the last term key is cut"));
  return out;
}

Result<std::string> TermCodes::Pack(std::string_view text) const {
  std::string out;
  for (const std::string& code : text::SplitList(text, ' ')) {
    auto key = key_of_.find(code);
    if (key == key_of_.end())
      return Fail(Error::Database("listing.terms: no taxonomy term '" + code + "' in the file"));
    AppendTermKey(out, key->second);
  }
  return out;
}

}  // namespace carefinder::db
