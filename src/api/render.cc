// JSON rendering for the API bodies: see render.h.
#include "api/render.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <system_error>

#include "core/listing_document.h"
#include "core/text.h"

namespace carefinder::api {

using listing_document::AppendWithField;
using text::AppendJsonString;

void AppendNumber(std::string& out, double value, int decimals) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buf[400];  // DBL_MAX in fixed notation is 309 digits, then the decimals
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  if (ec != std::errc()) {
    out += "null";
    return;
  }
  std::string_view s(buf, static_cast<size_t>(end - buf));  // as printf's "%.*f" writes it
  if (s.find('.') != std::string_view::npos) {
    while (s.back() == '0') s.remove_suffix(1);
    if (s.back() == '.') s.remove_suffix(1);
  }
  if (s == "-0") s = "0";
  out += s;
}

namespace {

void AppendInteger(std::string& out, int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void AppendOptional(std::string& out, std::string_view s) {
  if (s.empty()) out += "null";
  else AppendJsonString(out, s);
}

void AppendPlace(std::string& out, const store::Place& p) {
  out += "{\"query\":";
  AppendJsonString(out, p.query);
  out += ",\"kind\":";
  AppendJsonString(out, p.kind);
  out += ",\"label\":";
  AppendJsonString(out, p.label);
  out += ",\"lat\":";
  AppendNumber(out, p.point.lat, 6);
  out += ",\"lon\":";
  AppendNumber(out, p.point.lon, 6);
  out += '}';
}

void AppendFacets(std::string& out, const std::vector<store::Facet>& facets) {
  out += '{';
  for (size_t g = 0; g < facets.size(); ++g) {
    if (g) out += ',';
    AppendJsonString(out, facets[g].group);
    out += ":{";
    for (size_t i = 0; i < facets[g].counts.size(); ++i) {
      if (i) out += ',';
      AppendJsonString(out, facets[g].counts[i].code);
      out += ':';
      AppendInteger(out, facets[g].counts[i].count);
    }
    out += '}';
  }
  out += '}';
}

void AppendCall(std::string& out, const store::CallAction& call) {
  out += "{\"display\":";
  AppendJsonString(out, call.display);
  out += ",\"e164\":";
  AppendJsonString(out, call.e164);
  out += ",\"extension\":";
  AppendOptional(out, call.extension);
  out += call.helpline ? ",\"helpline\":true,\"label\":\"SAMHSA National Helpline\""
                       : ",\"helpline\":false,\"label\":null";
  out += ",\"shared_by\":";
  out += call.shared_by ? std::to_string(call.shared_by) : "null";
  out += '}';
}

// A RESULT with distance_miles and call spliced in.
void AppendHit(std::string& out, const store::SearchHit& hit, std::string& scratch) {
  scratch.clear();
  if (hit.distance_miles) AppendNumber(scratch, *hit.distance_miles, 2);
  else scratch = "null";
  scratch += ",\"call\":";
  AppendCall(scratch, hit.call);
  AppendWithField(out, hit.doc, "distance_miles", scratch);
}

void AppendHits(std::string& out, const std::vector<store::SearchHit>& hits) {
  std::string scratch;
  out += '[';
  for (size_t i = 0; i < hits.size(); ++i) {
    if (i) out += ',';
    AppendHit(out, hits[i], scratch);
  }
  out += ']';
}

}  // namespace

std::string RenderSearch(const SearchView& v) {
  std::string out;
  out.reserve(4096 + v.result->hits.size() * 1500);
  out += "{\"location\":";
  if (v.place) AppendPlace(out, *v.place);
  else out += "null";
  out += ",\"radius_miles\":";
  if (v.place) AppendNumber(out, v.radius_miles, 3);
  else out += "null";
  const store::SearchResult& r = *v.result;
  out += ",\"total\":" + std::to_string(r.total) + ",\"results\":";
  AppendHits(out, r.hits);
  out += ",\"not_stated\":{\"total\":" + std::to_string(r.not_stated_total) + ",\"results\":";
  AppendHits(out, r.not_stated);
  out += "},\"beyond\":";
  if (r.beyond.empty()) {
    out += "null";
  } else {
    out += "{\"radius_miles\":";
    AppendNumber(out, r.beyond_radius_miles, 3);
    out += ",\"results\":";
    AppendHits(out, r.beyond);
    out += '}';
  }
  out += ",\"hours_unknown\":" + std::to_string(r.hours_unknown);
  out += ",\"facets\":";
  AppendFacets(out, v.result->facets);
  out += ",\"next_cursor\":";
  AppendOptional(out, v.next_cursor.value_or(""));
  out += '}';
  return out;
}

namespace {

void AppendSource(std::string& out, const store::ListingSource& s) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"name", &s.name},          {"url", &s.url},
      {"license", &s.license},    {"as_of", &s.as_of},
      {"imported_at", &s.imported_at}, {"last_verified", &s.last_verified}};
  out += '{';
  for (size_t i = 0; i < std::size(fields); ++i) {
    if (i) out += ',';
    AppendJsonString(out, fields[i].first);
    out += ':';
    AppendOptional(out, *fields[i].second);
  }
  out += '}';
}

}  // namespace

std::string RenderListing(const store::ListingDetail& d, const Taxonomy& tax) {
  std::string extra = "[";
  for (size_t i = 0; i < d.sources.size(); ++i) {
    if (i) extra += ',';
    AppendSource(extra, d.sources[i]);
  }
  extra += "],\"term_labels\":{";
  bool first = true;
  for (const auto& code : d.codes) {
    const Term* t = tax.Find(code);
    if (!t) continue;
    if (!first) extra += ',';
    first = false;
    AppendJsonString(extra, code);
    extra += ':';
    AppendJsonString(extra, t->label);
  }
  extra += "},\"distance_miles\":null";
  std::string out;
  AppendWithField(out, d.doc, "sources", extra);
  return out;
}

std::string RenderTaxonomy(const Taxonomy& tax, const TermLabels* labels) {
  // A term or group the translation lacks keeps its English text.
  auto text = [](const auto* map, const std::string& key, const auto& english) -> const auto& {
    if (map) {
      auto it = map->find(key);
      if (it != map->end()) return it->second;
    }
    return english;
  };
  std::string out = "{\"groups\":[";
  for (size_t g = 0; g < tax.groups().size(); ++g) {
    const auto& group = tax.groups()[g];
    if (g) out += ',';
    out += "{\"group\":";
    AppendJsonString(out, group.name);
    out += ",\"label\":";
    AppendJsonString(out, text(labels ? &labels->groups : nullptr, group.name, group.label));
    out += ",\"terms\":[";
    for (size_t i = 0; i < group.term_indexes.size(); ++i) {
      const auto& t = tax.terms()[group.term_indexes[i]];
      if (i) out += ',';
      out += "{\"code\":";
      AppendJsonString(out, t.code);
      const TermText english{t.label, t.explanation};
      const TermText& shown = text(labels ? &labels->terms : nullptr, t.code, english);
      out += ",\"label\":";
      AppendJsonString(out, shown.label);
      out += ",\"explanation\":";
      AppendJsonString(out, shown.explanation);
      out += ",\"parent\":";
      AppendOptional(out, t.parent);
      out += '}';
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

std::string RenderPlaces(const std::vector<store::Place>& places) {
  std::string out = "{\"places\":[";
  for (size_t i = 0; i < places.size(); ++i) {
    const auto& p = places[i];
    if (i) out += ',';
    out += "{\"label\":";
    AppendJsonString(out, p.label);
    out += ",\"kind\":";
    AppendJsonString(out, p.kind);
    // What to put in `near` to search this place.
    out += ",\"near\":";
    AppendJsonString(out, p.kind == "zip" ? p.query : p.label);
    out += ",\"lat\":";
    AppendNumber(out, p.point.lat, 6);
    out += ",\"lon\":";
    AppendNumber(out, p.point.lon, 6);
    out += '}';
  }
  out += "]}";
  return out;
}

std::string RenderHealth(const store::Health& h, const std::vector<std::string>& problems) {
  std::string out = problems.empty() ? "{\"status\":\"ok\"" : "{\"status\":\"degraded\"";
  if (!problems.empty()) {
    out += ",\"problems\":[";
    for (size_t i = 0; i < problems.size(); ++i) {
      if (i) out += ',';
      text::AppendJsonString(out, problems[i]);
    }
    out += ']';
  }
  out += ",\"schema_version\":" + std::to_string(h.schema_version);
  out += ",\"listings\":" + std::to_string(h.treatments + h.meetings);
  out += ",\"meetings\":" + std::to_string(h.meetings) + ",\"last_import\":";
  AppendOptional(out, h.last_import);
  // Which data this server answers from (an operator compares replicas).
  const store::DatabaseInfo& d = h.database;
  out += ",\"database\":{\"path\":";
  text::AppendJsonString(out, d.path);
  out += ",\"import_run\":" + std::to_string(d.import_run) + ",\"imported_at\":";
  text::AppendJsonString(out, d.imported_at);
  out += ",\"sha256\":";
  text::AppendJsonString(out, d.sha256);
  out += ",\"generation\":" + std::to_string(d.generation) + "}}";
  return out;
}

}  // namespace carefinder::api
