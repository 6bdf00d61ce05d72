// Call actions and shared numbers: see call_action.h.
#include "store/call_action.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/listing_document.h"
#include "db/database.h"

namespace carefinder::store {

SharedPhones::SharedPhones(std::vector<std::pair<std::string, int>> numbers)
    : sorted_(std::move(numbers)) {
  std::ranges::sort(sorted_);
}

int SharedPhones::Listings(std::string_view e164) const {
  auto it = std::ranges::lower_bound(sorted_, e164, {}, [](const auto& n) { return std::string_view(n.first); });
  return it != sorted_.end() && it->first == e164 ? it->second : 0;
}

namespace {

constexpr const char* kSharedPhonesSql =
    "SELECT e164, COUNT(DISTINCT service) FROM phone WHERE e164 IS NOT NULL "
    "AND coalesce(description, '') <> 'fax' GROUP BY e164 HAVING COUNT(DISTINCT service) >= ?";

std::string StringOr(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The fields of a phone object the call action reads, each the last value
// its key has (as nlohmann keeps the last); "" when absent or not a string.
struct PhoneFields {
  std::string_view role, display, e164, extension;
};

enum class PlainPhones { kNotPlain, kNoVoice, kFound };

// Reads the phones array when it is the plain shape the importer writes:
// objects of strings and literals, printable ASCII with no backslash (so no
// string needs unescaping or UTF-8 checks). kFound puts the first object
// whose role is not fax in `first`; kNoVoice: the array is empty or all fax.
// The whole array is read either way, so a malformed one is kNotPlain and
// goes through nlohmann, which gives the same answer slower (it was 15% of a
// loaded server's time, parsing every result's phones). Allocates nothing.
PlainPhones ReadPlainPhones(std::string_view a, PhoneFields& first) {
  for (char c : a) {  // escapes, control bytes or non-ASCII: nlohmann decides
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) {
      if (c != '\n' && c != ' ') return PlainPhones::kNotPlain;
    }
  }
  size_t i = 0;
  auto skip = [&] {
    while (i < a.size() && (a[i] == ' ' || a[i] == '\n' || a[i] == '\t' || a[i] == '\r')) ++i;
  };
  auto string_at = [&](std::string_view& v) {  // a[i] == '"'
    size_t close = a.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    v = a.substr(i + 1, close - i - 1);
    i = close + 1;
    return true;
  };
  bool found = false, any = false;
  skip();
  if (i >= a.size() || a[i++] != '[') return PlainPhones::kNotPlain;
  for (skip(); i < a.size() && a[i] != ']'; skip()) {
    if (any) {
      if (a[i++] != ',') return PlainPhones::kNotPlain;
      skip();
    }
    any = true;
    if (i >= a.size() || a[i++] != '{') return PlainPhones::kNotPlain;
    PhoneFields obj;
    bool members = false;
    for (skip(); i < a.size() && a[i] != '}'; skip()) {
      if (members) {
        if (a[i++] != ',') return PlainPhones::kNotPlain;
        skip();
      }
      members = true;
      std::string_view key, value;
      if (i >= a.size() || a[i] != '"' || !string_at(key)) return PlainPhones::kNotPlain;
      skip();
      if (i >= a.size() || a[i++] != ':') return PlainPhones::kNotPlain;
      skip();
      if (i >= a.size()) return PlainPhones::kNotPlain;
      if (a[i] == '"') {
        if (!string_at(value)) return PlainPhones::kNotPlain;
      } else {
        size_t end = a.find_first_of(",}", i);
        if (end == std::string_view::npos) return PlainPhones::kNotPlain;
        std::string_view literal = a.substr(i, end - i);
        while (!literal.empty() && (literal.back() == ' ' || literal.back() == '\n')) literal.remove_suffix(1);
        if (literal != "null" && literal != "true" && literal != "false") return PlainPhones::kNotPlain;
        i = end;
      }
      if (key == "role") obj.role = value;
      else if (key == "display") obj.display = value;
      else if (key == "e164") obj.e164 = value;
      else if (key == "extension") obj.extension = value;
    }
    if (i >= a.size()) return PlainPhones::kNotPlain;
    ++i;  // '}'
    if (!found && obj.role != "fax") {
      first = obj;
      found = true;
    }
  }
  if (i >= a.size()) return PlainPhones::kNotPlain;
  ++i;  // ']'
  skip();
  if (i != a.size()) return PlainPhones::kNotPlain;  // nothing after ']'
  return found ? PlainPhones::kFound : PlainPhones::kNoVoice;
}

}  // namespace

Result<SharedPhones> LoadSharedPhones(db::Database& db) {
  auto stmt = db.Prepare(kSharedPhonesSql);
  if (!stmt) return Fail(stmt.error());
  stmt->Bind(1, int64_t{kSharedPhoneListings});
  std::vector<std::pair<std::string, int>> numbers;
  while (true) {
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    numbers.emplace_back(stmt->ColumnString(0), static_cast<int>(stmt->ColumnInt(1)));
  }
  return SharedPhones(std::move(numbers));
}

CallAction CallActionOf(std::string_view doc, const SharedPhones& shared) {
  // Only the phones array is read: the rest of the document is not needed.
  CallAction out;
  if (std::string_view phones = listing_document::MemberOf(doc, "phones"); !phones.empty()) {
    PhoneFields first;
    switch (ReadPlainPhones(phones, first)) {
      case PlainPhones::kFound:
        out.display = first.display;
        out.e164 = first.e164;
        out.extension = first.extension;
        out.shared_by = shared.Listings(out.e164);
        return out;
      case PlainPhones::kNoVoice:
        break;
      case PlainPhones::kNotPlain:
        auto parsed = nlohmann::json::parse(phones, nullptr, false);
        if (!parsed.is_array()) break;
        for (const auto& p : parsed) {
          if (!p.is_object() || StringOr(p, "role") == "fax") continue;
          out.display = StringOr(p, "display");
          out.e164 = StringOr(p, "e164");
          out.extension = StringOr(p, "extension");
          out.shared_by = shared.Listings(out.e164);
          return out;
        }
        break;
    }
  }
  out.display = kHelplineDisplay;
  out.e164 = kHelplineE164;
  out.helpline = true;
  return out;
}

}  // namespace carefinder::store
