// The listing document read back (Read, IdOf) and spliced (AppendWithField):
// see listing_document.h. Reading goes through nlohmann (exports read each
// document once; the search path only splices and never parses).
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/listing_document.h"
#include "core/text.h"

namespace carefinder::listing_document {

namespace {

using Json = nlohmann::ordered_json;  // keeps the term groups in their order

constexpr std::string_view kIdPrefix = "{\"id\":\"";

// A string member; "" when absent, null or not a string.
std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// An object or array member; an empty one when absent or of another type.
const Json& Member(const Json& j, const char* key, Json::value_t type) {
  static const Json kNoObject = Json::object(), kNoArray = Json::array();
  auto it = j.find(key);
  if (it != j.end() && it->type() == type) return *it;
  return type == Json::value_t::array ? kNoArray : kNoObject;
}

GeoPrecision PrecisionNamed(std::string_view name) {
  for (GeoPrecision p : {GeoPrecision::kExact, GeoPrecision::kPostalCodeCentroid,
                         GeoPrecision::kCityCentroid}) {
    if (name == GeoPrecisionName(p)) return p;
  }
  return GeoPrecision::kExact;
}

std::optional<double> Number(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::vector<std::string> Strings(const Json& list) {
  std::vector<std::string> out;
  for (const auto& s : list) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

// Members that are plain strings, and where they go.
template <class T>
using StringFields = std::initializer_list<std::pair<const char*, std::string T::*>>;

template <class T>
void ReadStrings(const Json& j, StringFields<T> fields, T& out) {
  for (const auto& [key, member] : fields) out.*member = Str(j, key);
}

void ReadAddress(const Json& a, Address& out) {
  ReadStrings<Address>(a, {{"line1", &Address::line1}, {"line2", &Address::line2},
                           {"city", &Address::city}, {"state", &Address::state},
                           {"zip", &Address::postal_code}}, out);
}

void ReadHours(const Json& h, ListingRecord& rec) {
  rec.hours_text = Str(h, "text");
  rec.timezone = Str(h, "timezone");
  for (const auto& w : Member(h, "weekly", Json::value_t::array)) {
    rec.hours.push_back({Str(w, "day"), Str(w, "opens"), Str(w, "closes")});
  }
}

void ReadSource(const Json& s, Document& doc) {
  ReadStrings<ListingRecord>(s, {{"name", &ListingRecord::source},
                                 {"url", &ListingRecord::source_url},
                                 {"license", &ListingRecord::source_license},
                                 {"as_of", &ListingRecord::as_of},
                                 {"last_verified", &ListingRecord::last_verified}}, doc.record);
  doc.imported_at = Str(s, "imported_at");
}

void ReadTop(const Json& j, ListingRecord& rec) {
  ReadStrings<ListingRecord>(j, {{"kind", &ListingRecord::kind},
                                 {"status", &ListingRecord::status},
                                 {"name", &ListingRecord::name},
                                 {"organization", &ListingRecord::organization},
                                 {"description", &ListingRecord::description},
                                 {"location_name", &ListingRecord::location_name},
                                 {"website", &ListingRecord::website},
                                 {"email", &ListingRecord::email}}, rec);
  rec.latitude = Number(j, "lat");
  rec.longitude = Number(j, "lon");
  rec.precision = PrecisionNamed(Str(j, "geo_precision"));
  auto stated = j.find("services_stated");
  rec.services_stated = stated != j.end() && stated->is_boolean() && stated->get<bool>();
  rec.source_attributes = Strings(Member(j, "other_services", Json::value_t::array));
  const Json& conference = Member(j, "conference", Json::value_t::object);
  rec.conference_url = Str(conference, "url");
  rec.conference_phone = Str(conference, "phone");
}

}  // namespace

Result<Document> Read(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(Error::Internal("a listing document that is not a JSON object"));
  }
  Document doc;
  doc.id = Str(j, "id");
  ReadTop(j, doc.record);
  ReadAddress(Member(j, "address", Json::value_t::object), doc.record.address);
  for (const auto& p : Member(j, "phones", Json::value_t::array)) {
    doc.record.phones.push_back(
        {Str(p, "role"), Str(p, "e164"), Str(p, "display"), Str(p, "extension")});
  }
  ReadHours(Member(j, "hours", Json::value_t::object), doc.record);
  ReadSource(Member(j, "source", Json::value_t::object), doc);
  for (const auto& [group, codes] : Member(j, "terms", Json::value_t::object).items()) {
    doc.terms.push_back({group, Strings(codes)});
  }
  return doc;
}

std::string_view IdOf(std::string_view doc) {
  if (!doc.starts_with(kIdPrefix)) return {};
  doc.remove_prefix(kIdPrefix.size());
  size_t end = doc.find('"');
  return end == std::string_view::npos ? std::string_view() : doc.substr(0, end);
}

namespace {

// Past the JSON string that opens at s[i] == '"' (the index after its
// closing quote), or npos. memchr finds each quote; one that an odd number
// of backslashes precede is inside the string.
size_t SkipString(std::string_view s, size_t i) {
  for (size_t from = i + 1;;) {
    size_t quote = s.find('"', from);
    if (quote == std::string_view::npos) return quote;
    size_t slashes = 0;
    while (quote - slashes - 1 > i && s[quote - slashes - 1] == '\\') ++slashes;
    if (slashes % 2 == 0) return quote + 1;
    from = quote + 1;
  }
}

// The end (exclusive) of the value that starts at s[i], or npos.
size_t SkipValue(std::string_view s, size_t i) {
  int depth = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') {
      i = SkipString(s, i);
      if (i == std::string_view::npos || depth == 0) return i;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return i;
      if (--depth == 0) return i + 1;
    } else if (c == ',' && depth == 0) {
      return i;
    }
    ++i;
  }
  return depth == 0 ? i : std::string_view::npos;
}

}  // namespace

std::string_view MemberOf(std::string_view doc, std::string_view key) {
  if (doc.empty() || doc.front() != '{') return {};
  for (size_t i = 1; i < doc.size() && doc[i] == '"';) {
    size_t key_end = SkipString(doc, i);
    if (key_end == std::string_view::npos || key_end >= doc.size() || doc[key_end] != ':') return {};
    size_t end = SkipValue(doc, key_end + 1);
    if (end == std::string_view::npos) return {};
    if (doc.substr(i + 1, key_end - i - 2) == key) return doc.substr(key_end + 1, end - key_end - 1);
    if (end >= doc.size() || doc[end] != ',') return {};
    i = end + 1;
  }
  return {};
}

void AppendWithField(std::string& out, std::string_view doc, std::string_view key,
                     std::string_view raw_json) {
  size_t close = doc.rfind('}');
  if (close == std::string_view::npos) close = doc.size();  // not an object: a bug upstream
  std::string_view head = text::Trim(doc.substr(0, close));
  out += head;
  if (head != "{") out += ',';
  text::AppendJsonString(out, key);
  out += ':';
  out += raw_json;
  out += '}';
}

}  // namespace carefinder::listing_document
