// Call actions and shared numbers: see call_action.h.
#include "store/call_action.h"

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace carefinder::store {

namespace {

constexpr const char* kSharedPhonesSql =
    "SELECT e164, COUNT(DISTINCT service_id) FROM phone WHERE e164 IS NOT NULL "
    "AND coalesce(description, '') <> 'fax' GROUP BY e164 HAVING COUNT(DISTINCT service_id) >= ?";

std::string StringOr(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
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
  if (end != std::string_view::npos) {
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
