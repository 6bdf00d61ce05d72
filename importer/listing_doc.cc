// Derived listing values: the RESULT JSON written directly (DESIGN §4: three
// times faster than building a json object), terms and schedule strings, ids
// and the content hash. See listing_doc.h.
#include "importer/listing_doc.h"

#include <algorithm>

#include <charconv>
#include <cstdint>
#include <cstdio>

#include "core/place_name.h"
#include "core/text.h"

namespace carefinder::importer {

namespace {

using text::AppendJsonString;

// Appends "key": then the value: a string, or null when empty.
void Key(std::string& out, std::string_view key) {
  AppendJsonString(out, key);
  out.push_back(':');
}
void StrOrNull(std::string& out, std::string_view key, std::string_view value) {
  Key(out, key);
  if (value.empty()) out += "null";
  else AppendJsonString(out, value);
}
void Number(std::string& out, std::string_view key, const std::optional<double>& v) {
  Key(out, key);
  if (!v) {
    out += "null";
    return;
  }
  char buf[32];  // shortest text that reads back as the same double
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *v);
  out.append(buf, ec == std::errc() ? end : buf);
}

void AppendAddress(std::string& out, const Address& a) {
  Key(out, "address");
  out.push_back('{');
  StrOrNull(out, "line1", a.line1), out.push_back(',');
  StrOrNull(out, "line2", a.line2), out.push_back(',');
  StrOrNull(out, "city", a.city), out.push_back(',');
  StrOrNull(out, "state", a.state), out.push_back(',');
  StrOrNull(out, "zip", a.postal_code), out.push_back(',');
  StrOrNull(out, "formatted", FormatAddress(a));
  out.push_back('}');
}

void AppendPhones(std::string& out, const std::vector<Phone>& phones) {
  Key(out, "phones");
  out.push_back('[');
  for (size_t i = 0; i < phones.size(); ++i) {
    if (i) out.push_back(',');
    out.push_back('{');
    StrOrNull(out, "role", phones[i].role), out.push_back(',');
    StrOrNull(out, "display", phones[i].display), out.push_back(',');
    StrOrNull(out, "e164", phones[i].e164), out.push_back(',');
    StrOrNull(out, "extension", phones[i].extension);
    out.push_back('}');
  }
  out.push_back(']');
}

// {"care": ["detox", "detox-residential"], ...}: groups in taxonomy order.
void AppendTerms(std::string& out, const ListingRecord& rec, const Taxonomy& taxonomy) {
  Key(out, "terms");
  out.push_back('{');
  std::string_view group;
  for (const auto& code : taxonomy.WithAncestors(rec.terms)) {
    const Term* t = taxonomy.Find(code);
    if (t->group != group) {
      if (!group.empty()) out += "],";
      group = t->group;
      Key(out, group);
      out.push_back('[');
    } else {
      out.push_back(',');
    }
    AppendJsonString(out, code);
  }
  if (!group.empty()) out.push_back(']');
  out.push_back('}');
}

void AppendStringList(std::string& out, std::string_view key, const std::vector<std::string>& v) {
  Key(out, key);
  out.push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(out, v[i]);
  }
  out.push_back(']');
}

void AppendHours(std::string& out, const ListingRecord& rec) {
  Key(out, "hours");
  out.push_back('{');
  StrOrNull(out, "text", rec.hours_text);
  out += ",\"weekly\":[";
  for (size_t i = 0; i < rec.hours.size(); ++i) {
    const WeeklyTime& w = rec.hours[i];
    if (i) out.push_back(',');
    out.push_back('{');
    StrOrNull(out, "day", w.day), out.push_back(',');
    StrOrNull(out, "opens", w.opens.empty() ? "00:00" : w.opens), out.push_back(',');
    StrOrNull(out, "closes", w.closes.empty() ? "24:00" : w.closes);
    out.push_back('}');
  }
  out += "],";
  StrOrNull(out, "timezone", rec.timezone);
  out.push_back('}');
}

void AppendSource(std::string& out, const ListingRecord& rec, std::string_view imported_at) {
  Key(out, "source");
  out.push_back('{');
  StrOrNull(out, "name", rec.source), out.push_back(',');
  StrOrNull(out, "url", rec.source_url), out.push_back(',');
  StrOrNull(out, "license", rec.source_license), out.push_back(',');
  StrOrNull(out, "as_of", rec.as_of), out.push_back(',');
  StrOrNull(out, "imported_at", imported_at), out.push_back(',');
  StrOrNull(out, "last_verified", rec.last_verified);
  out.push_back('}');
}

// The members of a JSON object as written by RenderListingDoc (compact, keys
// without escapes): key -> the value's text. Empty for anything else.
using Members = std::vector<std::pair<std::string_view, std::string_view>>;
Members MembersOf(std::string_view obj) {
  Members out;
  if (obj.size() < 2 || obj.front() != '{') return out;
  size_t i = 1;
  while (i < obj.size() && obj[i] == '"') {
    size_t key_end = obj.find('"', i + 1);
    if (key_end == std::string_view::npos || key_end + 1 >= obj.size()) return {};
    std::string_view key = obj.substr(i + 1, key_end - i - 1);
    size_t start = key_end + 2, j = start;  // past '":'
    int depth = 0;
    for (bool in_string = false; j < obj.size(); ++j) {
      char c = obj[j];
      if (in_string) {
        if (c == '\\') ++j;
        else if (c == '"') in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth-- == 0) break;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    out.emplace_back(key, obj.substr(start, j - start));
    i = j + 1;
  }
  return out;
}

std::string_view ValueOf(const Members& members, std::string_view key) {
  for (const auto& [k, v] : members) {
    if (k == key) return v;
  }
  return {};  // absent: never equal to a present value, which is never empty
}

// Appends the keys whose values differ, `prefix` + key, new keys' order first.
void Compare(const Members& old_members, const Members& new_members, const std::string& prefix,
             std::vector<std::string>& out) {
  for (const auto& [key, value] : new_members) {
    if (prefix == "source." && key == "imported_at") continue;
    std::string_view before = ValueOf(old_members, key);
    if (before == value) continue;
    Members old_sub = MembersOf(before), new_sub = MembersOf(value);
    if (prefix.empty() && !old_sub.empty() && !new_sub.empty())
      Compare(old_sub, new_sub, std::string(key) + ".", out);
    else
      out.push_back(prefix + std::string(key));
  }
  for (const auto& [key, value] : old_members) {
    if (ValueOf(new_members, key).empty()) out.push_back(prefix + std::string(key));
  }
}

}  // namespace

RecordIds RecordIds::For(const ListingRecord& rec, StableIdMaker& make_id) {
  return {make_id("organization", rec.source, FoldPlaceName(rec.organization)),
          make_id("service", rec.source, rec.source_key),
          make_id("location", rec.source, rec.source_key),
          make_id("address", rec.source, rec.source_key),
          make_id("service_at_location", rec.source, rec.source_key),
          make_id("source", rec.source, rec.source)};
}

std::string FormatAddress(const Address& a) {
  std::string out;
  for (const std::string* part : {&a.line1, &a.line2, &a.city}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ", ";
    out += *part;
  }
  if (!a.state.empty()) out += (out.empty() ? "" : ", ") + a.state;
  if (!a.postal_code.empty()) out += (out.empty() ? "" : " ") + a.postal_code;
  return out;
}

std::string RenderListingDoc(const ListingRecord& rec, const RecordIds& ids,
                             const Taxonomy& taxonomy, std::string_view imported_at) {
  std::string out;
  out.reserve(1536);
  out.push_back('{');
  StrOrNull(out, "id", ids.service_at_location), out.push_back(',');
  StrOrNull(out, "kind", rec.kind), out.push_back(',');
  StrOrNull(out, "status", rec.status), out.push_back(',');
  StrOrNull(out, "name", rec.name), out.push_back(',');
  StrOrNull(out, "organization", rec.organization), out.push_back(',');
  StrOrNull(out, "description", rec.description), out.push_back(',');
  // A place name that only repeats the organisation says nothing new (HSDS
  // locations often carry one), so it is null then.
  StrOrNull(out, "location_name", rec.location_name == rec.organization ? "" : rec.location_name);
  out.push_back(',');
  AppendAddress(out, rec.address), out.push_back(',');
  Number(out, "lat", rec.latitude), out.push_back(',');
  Number(out, "lon", rec.longitude), out.push_back(',');
  StrOrNull(out, "geo_precision", rec.latitude ? GeoPrecisionName(rec.precision) : "");
  out.push_back(',');
  AppendPhones(out, rec.phones), out.push_back(',');
  StrOrNull(out, "website", rec.website), out.push_back(',');
  StrOrNull(out, "email", rec.email), out.push_back(',');
  AppendTerms(out, rec, taxonomy), out.push_back(',');
  // Whether the source states every service (model.h): a missing term then
  // means "does not offer", else "not stated".
  out += rec.services_stated ? "\"services_stated\":true," : "\"services_stated\":false,";
  AppendStringList(out, "other_services", rec.source_attributes), out.push_back(',');
  AppendHours(out, rec), out.push_back(',');
  out += "\"conference\":{";
  StrOrNull(out, "url", rec.conference_url), out.push_back(',');
  StrOrNull(out, "phone", rec.conference_phone);
  out += "},";
  AppendSource(out, rec, imported_at);
  out.push_back('}');
  return out;
}

std::string TermsString(const ListingRecord& rec, const Taxonomy& taxonomy) {
  std::string out = " ";
  std::vector<std::string> codes = rec.terms;
  if (std::ranges::find(codes, "hybrid") != codes.end()) {
    codes.insert(codes.end(), {"in-person", "online"});
  }
  for (const auto& code : taxonomy.WithAncestors(codes)) out += code + " ";
  return out;
}

std::string ScheduleString(const ListingRecord& rec) {
  std::string out;
  for (const WeeklyTime& w : rec.hours) {
    if (!out.empty()) out.push_back(';');
    out += w.day + " " + (w.opens.empty() ? "00:00" : w.opens) + "-" +
           (w.closes.empty() ? "24:00" : w.closes);
  }
  // The zone rides along as a piece no day parses (store/week_schedule.h).
  if (!out.empty() && !rec.timezone.empty()) out += ";TZ " + rec.timezone;
  return out;
}

std::string ContentHash(std::string_view normalised) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : normalised) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::vector<std::string> ChangedFields(std::string_view old_doc, std::string_view new_doc) {
  std::vector<std::string> out;
  Compare(MembersOf(old_doc), MembersOf(new_doc), "", out);
  return out;
}

}  // namespace carefinder::importer
