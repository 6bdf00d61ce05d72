// The listing document's writer, the comparison of two documents and the
// derived strings stored beside it: see listing_document.h. Written directly,
// not through a json object (DESIGN §4: three times faster).
#include "core/listing_document.h"

#include <charconv>
#include <initializer_list>
#include <utility>

#include "core/text.h"

namespace carefinder::listing_document {

namespace {

using text::AppendJsonString;

// Appends "key": then the value: a string, or null when empty. Keys are
// this file's names and taxonomy group names, none of which needs an escape.
void Key(std::string& out, std::string_view key) {
  out.push_back('"');
  out.append(key).append("\":");
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

// {"key":"value",...}: each value a string, or null when empty.
using Members = std::initializer_list<std::pair<std::string_view, std::string_view>>;
void AppendMembers(std::string& out, Members members) {
  out.push_back('{');
  bool first = true;
  for (const auto& [key, value] : members) {
    if (!first) out.push_back(',');
    first = false;
    StrOrNull(out, key, value);
  }
  out.push_back('}');
}
void AppendObject(std::string& out, std::string_view key, Members members) {
  Key(out, key);
  AppendMembers(out, members);
}

void AppendAddress(std::string& out, const Address& a) {
  AppendObject(out, "address", {{"line1", a.line1}, {"line2", a.line2}, {"city", a.city},
                                {"state", a.state}, {"zip", a.postal_code},
                                {"formatted", FormatAddress(a)}});
}

void AppendPhones(std::string& out, const std::vector<Phone>& phones) {
  Key(out, "phones");
  out.push_back('[');
  for (size_t i = 0; i < phones.size(); ++i) {
    const Phone& p = phones[i];
    if (i) out.push_back(',');
    AppendMembers(out, {{"role", p.role}, {"display", p.display}, {"e164", p.e164},
                        {"extension", p.extension}});
  }
  out.push_back(']');
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

// {"care": ["detox", "detox-residential"], ...}: groups in the order given,
// each group's codes together; a group with no codes is left out.
void AppendTerms(std::string& out, std::span<const TermCode> terms) {
  Key(out, "terms");
  out.push_back('{');
  for (size_t i = 0; i < terms.size(); ++i) {
    bool opens = i == 0 || terms[i].group != terms[i - 1].group;
    if (opens) {
      if (i) out += "],";
      Key(out, terms[i].group);
      out.push_back('[');
    } else {
      out.push_back(',');
    }
    AppendJsonString(out, terms[i].code);
  }
  if (!terms.empty()) out.push_back(']');
  out.push_back('}');
}

void AppendHours(std::string& out, const ListingRecord& rec) {
  Key(out, "hours");
  out.push_back('{');
  StrOrNull(out, "text", rec.hours_text);
  out += ",\"weekly\":[";
  for (size_t i = 0; i < rec.hours.size(); ++i) {
    const WeeklyTime& w = rec.hours[i];
    if (i) out.push_back(',');
    AppendMembers(out, {{"day", w.day},
                        {"opens", w.opens.empty() ? "00:00" : w.opens},
                        {"closes", w.closes.empty() ? "24:00" : w.closes}});
  }
  out += "],";
  StrOrNull(out, "timezone", rec.timezone);
  out.push_back('}');
}

void AppendSource(std::string& out, const ListingRecord& rec, std::string_view imported_at) {
  AppendObject(out, "source", {{"name", rec.source}, {"url", rec.source_url},
                               {"license", rec.source_license}, {"as_of", rec.as_of},
                               {"imported_at", imported_at}, {"last_verified", rec.last_verified}});
}

// The members of a JSON object as written by Write (compact, keys
// without escapes): key -> the value's text. Empty for anything else.
using Parsed = std::vector<std::pair<std::string_view, std::string_view>>;
Parsed MembersOf(std::string_view obj) {
  Parsed out;
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

std::string_view ValueOf(const Parsed& members, std::string_view key) {
  for (const auto& [k, v] : members) {
    if (k == key) return v;
  }
  return {};  // absent: never equal to a present value, which is never empty
}

// Appends the keys whose values differ, `prefix` + key, new keys' order first.
void Compare(const Parsed& old_members, const Parsed& new_members, const std::string& prefix,
             std::vector<std::string>& out) {
  for (const auto& [key, value] : new_members) {
    if (prefix == "source." && key == "imported_at") continue;
    std::string_view before = ValueOf(old_members, key);
    if (before == value) continue;
    Parsed old_sub = MembersOf(before), new_sub = MembersOf(value);
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

std::string Write(const ListingRecord& rec, std::string_view id,
                  const std::vector<TermGroup>& terms, std::string_view imported_at) {
  std::vector<TermCode> codes;
  for (const TermGroup& g : terms) {
    for (const std::string& code : g.codes) codes.push_back({g.group, code});
  }
  return Write(rec, id, codes, imported_at);
}

std::string Write(const ListingRecord& rec, std::string_view id, std::span<const TermCode> terms,
                  std::string_view imported_at) {
  std::string out;
  out.reserve(1536);
  out.push_back('{');
  StrOrNull(out, "id", id), out.push_back(',');
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
  AppendTerms(out, terms), out.push_back(',');
  // Whether the source states every service (model.h): a missing term then
  // means "does not offer", else "not stated".
  out += rec.services_stated ? "\"services_stated\":true," : "\"services_stated\":false,";
  AppendStringList(out, "other_services", rec.source_attributes), out.push_back(',');
  AppendHours(out, rec), out.push_back(',');
  AppendObject(out, "conference", {{"url", rec.conference_url}, {"phone", rec.conference_phone}});
  out.push_back(',');
  AppendSource(out, rec, imported_at);
  out.push_back('}');
  return out;
}

std::vector<std::string> ChangedFields(std::string_view old_doc, std::string_view new_doc) {
  std::vector<std::string> out;
  Compare(MembersOf(old_doc), MembersOf(new_doc), "", out);
  return out;
}

std::string TermsString(const std::vector<std::string_view>& codes) {
  std::string out = " ";
  for (std::string_view code : codes) out.append(code).push_back(' ');
  return out;
}

std::string FullTextPlace(std::string_view city, std::string_view state, std::string_view zip) {
  std::string place;
  FullTextPlaceInto(place, city, state, zip);
  return place;
}

void FullTextPlaceInto(std::string& out, std::string_view city, std::string_view state,
                       std::string_view zip) {
  out.clear();
  for (std::string_view part : {city, state, zip}) {
    if (!part.empty()) (out += out.empty() ? "" : " ") += part;
  }
}

}  // namespace carefinder::listing_document
