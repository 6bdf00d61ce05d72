// The first page of result cards: see result_cards.h. Each function names
// the web/js function it writes the same markup as.
#include "api/result_cards.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/html_text.h"
#include "api/term_labels.h"
#include "core/text.h"

namespace carefinder::api {

namespace {

using nlohmann::json;
using Vars = std::vector<std::pair<std::string_view, std::string>>;

// What a card is written with: the page's language, strings and labels.
struct CardContext {
  const Taxonomy& taxonomy;
  std::string_view lang;
  const PageStrings& strings;
  std::string_view link_query;  // "?lang=es" when the page's URL names its language

  std::string T(std::string_view key, const Vars& vars = {}) const {
    return strings.T(lang, key, vars);
  }
  // A term's label as /api/v1/taxonomy?lang= gives it (English when the
  // language has none); the code for a term not in the taxonomy.
  std::string Label(const std::string& code) const {
    if (lang == "es") {
      const auto& es = SpanishTermLabels().terms;
      if (auto it = es.find(code); it != es.end()) return it->second.label;
    }
    const Term* term = taxonomy.Find(code);
    return term ? term->label : code;
  }
  std::string Parent(const std::string& code) const {
    const Term* term = taxonomy.Find(code);
    return term ? term->parent : "";
  }
};

// A JSON value as JS truthiness reads a string: "" for null, absent or "".
std::string Str(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<std::string> Codes(const json& r, std::string_view group) {
  std::vector<std::string> out;
  auto terms = r.find("terms");
  if (terms == r.end() || !terms->is_object()) return out;
  auto g = terms->find(group);
  if (g == terms->end() || !g->is_array()) return out;
  for (const auto& c : *g) {
    if (c.is_string()) out.push_back(c.get<std::string>());
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  for (const auto& x : v) {
    if (x == s) return true;
  }
  return false;
}

// Number.prototype.toFixed for the values a card shows: the exact decimal
// value rounded half up (printf rounds ties to even).
std::string ToFixed(double x, int digits) {
  if (x < 0) return "-" + ToFixed(-x, digits);
  char exact[400];
  std::snprintf(exact, sizeof exact, "%.60f", x);
  std::string s(exact);
  size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string frac = s.substr(dot + 1, digits);
  bool up = s[dot + 1 + digits] >= '5';
  std::string digits_all = whole + frac;
  if (up) {
    int i = static_cast<int>(digits_all.size()) - 1;
    while (i >= 0 && digits_all[i] == '9') digits_all[i--] = '0';
    if (i < 0) {
      digits_all.insert(digits_all.begin(), '1');
    } else {
      ++digits_all[i];
    }
  }
  std::string int_part = digits_all.substr(0, digits_all.size() - digits);
  return digits == 0 ? int_part : int_part + "." + digits_all.substr(int_part.size());
}

std::string JsRound(double x) { return std::to_string(static_cast<long long>(std::floor(x + 0.5))); }

// encodeURIComponent.
std::string UriComponent(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c < 0x80 && std::isalnum(c)) || std::string_view("-_.!~*'()").find(static_cast<char>(c)) !=
                                             std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// dom.js formatDate for a date, or a UTC time, in the page's locale
// (en-US "Jan 1, 2023", es-US "1 ene 2023"); nullopt for anything else.
std::optional<std::string> FormatDate(const std::string& iso, std::string_view lang) {
  static constexpr const char* kEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static constexpr const char* kEs[] = {"ene", "feb", "mar", "abr", "may",  "jun",
                                        "jul", "ago", "sept", "oct", "nov", "dic"};
  bool date_only = iso.size() == 10;
  bool utc_time = iso.size() > 11 && iso[10] == 'T' && iso.back() == 'Z';
  if (!date_only && !utc_time) return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
      d > 31) {
    return std::nullopt;
  }
  std::string day = std::to_string(d), year = std::to_string(y);
  if (lang == "es") return day + " " + kEs[m - 1] + " " + year;
  return std::string(kEn[m - 1]) + " " + day + ", " + year;
}

// card.js telHref.
std::string TelHref(const json& p) {
  std::string num = Str(p, "e164");
  if (num.empty()) {
    for (char c : Str(p, "display")) {
      if (std::isdigit(static_cast<unsigned char>(c)) || c == '+') num += c;
    }
  }
  if (num.empty()) return "";
  std::string ext = Str(p, "extension"), ext_digits;
  for (char c : ext) {
    if (std::isdigit(static_cast<unsigned char>(c))) ext_digits += c;
  }
  return "tel:" + num + (ext.empty() ? "" : ";ext=" + ext_digits);
}

// card.js distanceText.
std::string DistanceText(const CardContext& cx, const json& r) {
  auto it = r.find("distance_miles");
  if (it == r.end() || !it->is_number()) return "";
  double d = it->get<double>();
  std::string precision = Str(r, "geo_precision");
  std::string approx = precision == "postal_code_centroid" ? "approx.zip"
                       : precision == "city_centroid"      ? "approx.city"
                                                            : "";
  if (!approx.empty()) {
    std::string n = d < 1 ? "1" : d < 10 ? ToFixed(d, 1) : JsRound(d);
    return cx.T(n == "1" ? "dist.about.one" : "dist.about", {{"n", n}, {"note", cx.T(approx)}});
  }
  if (d < 0.1) return cx.T("dist.under");
  return cx.T("dist", {{"n", d < 10 ? ToFixed(d, 1) : JsRound(d)}});
}

// card.js addressText.
std::string AddressText(const json& r) {
  auto it = r.find("address");
  if (it == r.end() || !it->is_object()) return "";
  const json& a = *it;
  if (std::string f = Str(a, "formatted"); !f.empty()) return f;
  std::string state_zip = Str(a, "state");
  if (!Str(a, "zip").empty()) state_zip += (state_zip.empty() ? "" : " ") + Str(a, "zip");
  std::string out;
  for (const std::string& part : {Str(a, "line1"), Str(a, "line2"), Str(a, "city"), state_zip}) {
    if (part.empty()) continue;
    if (!out.empty()) out += ", ";
    out += part;
  }
  return out;
}

// card.js directionsHref.
std::string DirectionsHref(const json& r) {
  std::string precision = Str(r, "geo_precision");
  bool approximate = !precision.empty() && precision != "exact";
  bool has_line1 = r.contains("address") && r["address"].is_object() &&
                   !Str(r["address"], "line1").empty();
  auto lat = r.find("lat"), lon = r.find("lon");
  if (lat != r.end() && lon != r.end() && lat->is_number() && lon->is_number() &&
      !(approximate && has_line1)) {
    return "https://www.openstreetmap.org/directions?to=" + ToFixed(lat->get<double>(), 5) + "," +
           ToFixed(lon->get<double>(), 5);
  }
  std::string a = AddressText(r);
  return a.empty() ? "" : "https://www.openstreetmap.org/directions?to=" + UriComponent(a);
}

// card.js addressBlock.
std::string AddressBlock(const CardContext& cx, const json& r) {
  std::string text = AddressText(r);
  if (text.empty()) return "";
  std::string dir = DirectionsHref(r);
  std::string location = Str(r, "location_name");
  std::string place = !location.empty() && location != Str(r, "organization") &&
                              location != Str(r, "name")
                          ? location + ", "
                          : "";
  std::string name = Str(r, "organization");
  if (name.empty()) name = Str(r, "name");
  std::string out = "<p class=\"addr\"><span>" + HtmlText(place + text) + "</span>";
  if (!dir.empty()) {
    out += " <a href=\"" + HtmlAttribute(dir) +
           "\" rel=\"noopener noreferrer\" target=\"_blank\">" + HtmlText(cx.T("directions")) +
           "<span class=\"vh\">" + HtmlText(cx.T("directions.to", {{"name", name}})) +
           "</span></a>";
  }
  return out + "</p>";
}

// result.js callBlock.
std::string CallBlock(const CardContext& cx, const json& r, const std::string& title) {
  json call = r.contains("call") && r["call"].is_object() ? r["call"] : json::object();
  std::string href = TelHref(call);
  if (href.empty()) return "";
  std::string ext = Str(call, "extension");
  std::string ext_text = ext.empty() ? "" : cx.T("ext", {{"ext", ext}});
  if (call.value("helpline", false)) {
    return "<p class=\"phones\"><a class=\"call\" href=\"" + HtmlAttribute(href) + "\">" +
           HtmlText(cx.T("call.helpline", {{"num", Str(call, "display")}})) +
           "<span class=\"vh\">" + HtmlText(cx.T("call.nonumber", {{"title", title}})) +
           "</span></a><span class=\"note\">" + HtmlText(cx.T("call.helpline.note")) +
           "</span></p>";
  }
  std::string out = "<p class=\"phones\"><a class=\"call\" href=\"" + HtmlAttribute(href) + "\">" +
                    HtmlText(cx.T("call")) + "<span class=\"vh\">" + HtmlText(title + ", ") +
                    "</span>" + HtmlText(Str(call, "display") + ext_text) + "</a>";
  if (auto shared = call.find("shared_by"); shared != call.end() && shared->is_number() &&
                                            shared->get<double>() != 0) {
    out += "<span class=\"note shared\">" +
           HtmlText(cx.T("call.shared", {{"n", std::to_string(shared->get<long long>())}})) +
           "</span>";
  }
  return out + "</p>";
}

// card.js termLabels for one group: the most specific terms only.
std::vector<std::string> TermLabels(const CardContext& cx, const json& r, std::string_view group) {
  std::vector<std::string> codes = Codes(r, group), out;
  for (const std::string& c : codes) {
    bool has_child = false;
    for (const std::string& o : codes) {
      if (cx.Parent(o) == c) has_child = true;
    }
    if (!has_child) out.push_back(cx.Label(c));
  }
  return out;
}

std::string Joined(const std::vector<std::string>& v, std::string_view sep, size_t limit) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < limit; ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

// result.js keyFacts.
std::vector<std::string> KeyFacts(const CardContext& cx, const json& r) {
  std::vector<std::string> facts;
  if (Contains(Codes(r, "payment"), "medicaid")) facts.push_back(cx.T("fact.medicaid"));
  std::vector<std::string> meds = TermLabels(cx, r, "medication");
  if (!meds.empty()) {
    facts.push_back(cx.T("fact.meds", {{"list", Joined(meds, ", ", 2) +
                                                    (meds.size() > 2 ? cx.T("fact.more") : "")}}));
  }
  std::vector<std::string> langs;
  for (const std::string& c : Codes(r, "language")) {
    if (c == "en") continue;
    std::string label = cx.Label(c);
    // JS: .replace(/ \(.*\)$/, '')
    if (size_t open = label.find(" ("); open != std::string::npos && label.back() == ')') {
      label.erase(open);
    }
    langs.push_back(label);
  }
  if (!langs.empty()) facts.push_back(cx.T("fact.spoken", {{"list", Joined(langs, ", ", 2)}}));
  if (facts.size() > 3) facts.resize(3);
  return facts;
}

// card.js asOfText; nullopt for a date written some other way.
std::optional<std::string> AsOfText(const CardContext& cx, const json& r) {
  json source = r.contains("source") && r["source"].is_object() ? r["source"] : json::object();
  if (std::string v = Str(source, "last_verified"); !v.empty()) {
    auto date = FormatDate(v, cx.lang);
    if (!date) return std::nullopt;
    return cx.T("verified", {{"date", *date}});
  }
  if (std::string as_of = Str(source, "as_of"); !as_of.empty()) {
    auto date = FormatDate(as_of, cx.lang);
    if (!date) return std::nullopt;
    return cx.T("asof.unverified", {{"date", *date}});
  }
  return cx.T("unverified");
}

// The listing's weekly hours; an empty array when it has none.
const json& Weekly(const json& r) {
  static const json kNone = json::array();
  if (auto hours = r.find("hours"); hours != r.end() && hours->is_object()) {
    auto weekly = hours->find("weekly");
    if (weekly != hours->end() && weekly->is_array()) return *weekly;
  }
  return kNone;
}

// clock.js isAlwaysOpen: seven whole days, whatever the clock says.
bool AlwaysOpen(const json& weekly) {
  static constexpr std::string_view kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  if (weekly.size() != 7) return false;
  for (const json& w : weekly) {
    if (!w.is_object() || Str(w, "opens") != "00:00" || Str(w, "closes") != "24:00") return false;
    std::string day = Str(w, "day");
    if (std::find(std::begin(kDays), std::end(kDays), day) == std::end(kDays)) return false;
  }
  return true;
}

// What only the browser can write: hours other than "open 24 hours" (read
// by the device's clock and zone), a meeting, an online link.
bool NeedsTheBrowser(const json& r) {
  if (Str(r, "kind") != "treatment") return true;
  if (const json& weekly = Weekly(r); !weekly.empty() && !AlwaysOpen(weekly)) return true;
  if (auto conf = r.find("conference"); conf != r.end() && conf->is_object() &&
                                        !Str(*conf, "url").empty()) {
    return true;
  }
  return false;
}

bool OnlineOnly(const json& r) {
  std::vector<std::string> a = Codes(r, "attendance");
  return Contains(a, "online") && !Contains(a, "in-person") && !Contains(a, "hybrid");
}

// result.js resultItem.
std::optional<std::string> Card(const CardContext& cx, const json& r) {
  if (NeedsTheBrowser(r)) return std::nullopt;
  auto as_of = AsOfText(cx, r);
  if (!as_of) return std::nullopt;
  std::string name = Str(r, "name"), id = Str(r, "id");
  std::string title = Str(r, "organization");
  if (title.empty()) title = name.empty() ? cx.T("unnamed") : name;
  std::string out = "<li class=\"card\"><h3><a href=\"/listing/" + HtmlAttribute(UriComponent(id)) +
                    HtmlAttribute(cx.link_query) + "\">" + HtmlText(title) + "</a></h3>";
  if (!name.empty() && name != title) out += "<p class=\"sub\">" + HtmlText(name) + "</p>";
  std::vector<std::string> meta;
  if (std::string d = DistanceText(cx, r); !d.empty()) meta.push_back(d);
  if (std::string status = Str(r, "status"); !status.empty() && status != "active") {
    meta.push_back(cx.T("status", {{"s", status}}));
  }
  if (!meta.empty()) out += "<p class=\"meta\">" + HtmlText(Joined(meta, " · ", meta.size())) + "</p>";
  if (!OnlineOnly(r)) out += AddressBlock(cx, r);
  out += CallBlock(cx, r, title);
  if (AlwaysOpen(Weekly(r))) out += "<p class=\"when\">" + HtmlText(cx.T("open24")) + "</p>";
  std::vector<std::string> care = TermLabels(cx, r, "care");
  if (!care.empty()) out += "<p class=\"care\">" + HtmlText(Joined(care, " · ", 3)) + "</p>";
  std::vector<std::string> facts = KeyFacts(cx, r);
  if (!facts.empty()) {
    out += "<ul class=\"terms facts\" aria-label=\"" + HtmlAttribute(cx.T("facts.aria")) + "\">";
    for (const std::string& f : facts) out += "<li>" + HtmlText(f) + "</li>";
    out += "</ul>";
  }
  bool verified = r.contains("source") && r["source"].is_object() &&
                  !Str(r["source"], "last_verified").empty();
  out += "<p class=\"prov\">" +
         (verified ? "<strong>" + HtmlText(*as_of) + "</strong>" : HtmlText(*as_of)) + "</p>";
  // shortlist.js toggleButton, as for a listing not on this device's
  // shortlist (the script says so when it is).
  std::string button_name = Str(r, "organization");
  if (button_name.empty()) button_name = name;
  out += "<button type=\"button\" class=\"secondary shortlist-btn\" data-id=\"" + HtmlAttribute(id) +
         "\" data-name=\"" + HtmlAttribute(button_name) + "\">" +
         HtmlText(cx.T("shortlist.add")) + "<span class=\"vh\">" + HtmlText(": " + button_name) +
         "</span></button>";
  return out + "</li>";
}

bool HasResultsIn(const json& answer, std::string_view part) {
  auto it = answer.find(part);
  if (it == answer.end() || !it->is_object()) return false;
  auto results = it->find("results");
  return results != it->end() && results->is_array() && !results->empty();
}

}  // namespace

std::optional<std::string> RenderResultCards(const json& answer, const Taxonomy& taxonomy,
                                             std::string_view lang, const PageStrings& strings,
                                             std::string_view link_query) {
  if (strings.empty()) return std::nullopt;
  auto results = answer.find("results");
  if (results == answer.end() || !results->is_array() || results->empty()) return std::nullopt;
  if (HasResultsIn(answer, "beyond") || HasResultsIn(answer, "not_stated")) return std::nullopt;
  CardContext cx{taxonomy, lang, strings, link_query};
  std::string out;
  for (const json& r : *results) {
    auto card = Card(cx, r);
    if (!card) return std::nullopt;
    out += *card;
  }
  return out;
}

}  // namespace carefinder::api
