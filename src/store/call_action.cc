// Call actions and shared numbers: see call_action.h.
#include "store/call_action.h"

#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace carefinder::store {

namespace {

constexpr const char* kSharedPhonesSql =
    "SELECT e164, COUNT(DISTINCT service) FROM phone WHERE e164 IS NOT NULL "
    "AND coalesce(description, '') <> 'fax' GROUP BY e164 HAVING COUNT(DISTINCT service) >= ?";

std::string StringOr(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The phones array's objects as key -> string value (null, true, false:
// absent), when the array is the plain shape the importer writes: objects of
// strings and literals, printable ASCII with no backslash (so no string needs
// unescaping or UTF-8 checks). Anything else is nullopt and goes through
// nlohmann, which gives the same answer slower (it was 15% of a loaded
// server's time, parsing every result's phones).
using FlatObject = std::vector<std::pair<std::string_view, std::optional<std::string_view>>>;

std::optional<std::vector<FlatObject>> ParsePlainPhones(std::string_view a) {
  for (char c : a) {  // escapes, control bytes or non-ASCII: nlohmann decides
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) {
      if (c != '\n' && c != ' ') return std::nullopt;
    }
  }
  size_t i = 0;
  auto skip = [&] {
    while (i < a.size() && (a[i] == ' ' || a[i] == '\n' || a[i] == '\t' || a[i] == '\r')) ++i;
  };
  auto string_at = [&]() -> std::optional<std::string_view> {  // a[i] == '"'
    size_t close = a.find('"', i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view v = a.substr(i + 1, close - i - 1);
    i = close + 1;
    return v;
  };
  std::vector<FlatObject> out;
  skip();
  if (i >= a.size() || a[i++] != '[') return std::nullopt;
  for (skip(); i < a.size() && a[i] != ']'; skip()) {
    if (!out.empty()) {
      if (a[i++] != ',') return std::nullopt;
      skip();
    }
    if (i >= a.size() || a[i++] != '{') return std::nullopt;
    FlatObject& obj = out.emplace_back();
    for (skip(); i < a.size() && a[i] != '}'; skip()) {
      if (!obj.empty()) {
        if (a[i++] != ',') return std::nullopt;
        skip();
      }
      if (i >= a.size() || a[i] != '"') return std::nullopt;
      auto key = string_at();
      skip();
      if (!key || i >= a.size() || a[i++] != ':') return std::nullopt;
      skip();
      if (i >= a.size()) return std::nullopt;
      if (a[i] == '"') {
        auto value = string_at();
        if (!value) return std::nullopt;
        obj.emplace_back(*key, value);
        continue;
      }
      size_t end = a.find_first_of(",}", i);
      if (end == std::string_view::npos) return std::nullopt;
      std::string_view literal = a.substr(i, end - i);
      while (!literal.empty() && (literal.back() == ' ' || literal.back() == '\n')) literal.remove_suffix(1);
      if (literal != "null" && literal != "true" && literal != "false") return std::nullopt;
      obj.emplace_back(*key, std::nullopt);
      i = end;
    }
    if (i >= a.size()) return std::nullopt;
    ++i;  // '}'
  }
  if (i >= a.size()) return std::nullopt;
  skip();
  return ++i == a.size() ? std::optional(std::move(out)) : std::nullopt;  // nothing after ']'
}

// The last value of `key` when it is a string (as nlohmann keeps the last).
std::string_view FlatString(const FlatObject& obj, std::string_view key) {
  std::string_view out;
  for (const auto& [k, v] : obj) {
    if (k == key) out = v.value_or("");
  }
  return out;
}

}  // namespace

Result<SharedPhones> LoadSharedPhones(db::Database& db) {
  auto stmt = db.Prepare(kSharedPhonesSql);
  if (!stmt) return Fail(stmt.error());
  stmt->Bind(1, int64_t{kSharedPhoneListings});
  SharedPhones out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    out.emplace(stmt->ColumnString(0), static_cast<int>(stmt->ColumnInt(1)));
  }
  return out;
}

CallAction CallActionOf(std::string_view doc, const SharedPhones& shared) {
  // Only the phones array is parsed: the rest of the document is not needed.
  CallAction out;
  size_t start = doc.find("\"phones\":[");
  size_t end = start == std::string_view::npos ? start : doc.find(']', start);
  std::optional<std::vector<FlatObject>> plain;
  if (end != std::string_view::npos) plain = ParsePlainPhones(doc.substr(start + 9, end - start - 8));
  if (plain) {
    for (const FlatObject& p : *plain) {
      if (FlatString(p, "role") == "fax") continue;
      out.display = FlatString(p, "display");
      out.e164 = FlatString(p, "e164");
      out.extension = FlatString(p, "extension");
      if (auto it = shared.find(out.e164); it != shared.end()) out.shared_by = it->second;
      return out;
    }
  } else if (end != std::string_view::npos) {
    auto phones = nlohmann::json::parse(doc.substr(start + 9, end - start - 8), nullptr, false);
    if (phones.is_array()) {
      for (const auto& p : phones) {
        if (!p.is_object() || StringOr(p, "role") == "fax") continue;
        out.display = StringOr(p, "display");
        out.e164 = StringOr(p, "e164");
        out.extension = StringOr(p, "extension");
        if (auto it = shared.find(out.e164); it != shared.end()) out.shared_by = it->second;
        return out;
      }
    }
  }
  out.display = kHelplineDisplay;
  out.e164 = kHelplineE164;
  out.helpline = true;
  return out;
}

}  // namespace carefinder::store
