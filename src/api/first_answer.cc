// The search page made for its URL: see first_answer.h.
#include "api/first_answer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/handlers.h"
#include "api/html_text.h"
#include "api/result_cards.h"
#include "core/text.h"
#include "store/read_session.h"

namespace carefinder::api {

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// web/js/state.js: the default radius, the weekday and time-of-day words in
// their order, and the parameters a search URL keeps as they are (KEEP).
constexpr std::string_view kDefaultRadius = "25";
constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu",
                                                   "fri", "sat", "sun"};
constexpr std::array<std::string_view, 4> kTimes = {"morning", "afternoon", "evening", "night"};
constexpr std::array<std::string_view, 6> kKept = {"sort", "status", "lat",
                                                   "lon",  "radius_km", "limit"};

constexpr std::string_view kSearchPath = "/api/v1/search";

// Every value of `key`, joined with ',' and split again (state.js reads
// `care=a,b&care=c` as a, b, c).
std::vector<std::string> ListOf(const Request& page, std::string_view key) {
  std::vector<std::string> out;
  for (const std::string& value : page.All(key)) {
    size_t start = 0;
    while (true) {
      size_t comma = value.find(',', start);
      out.emplace_back(value.substr(start, comma == std::string::npos ? comma : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

// state.js `pick`: known words, once each, in `known`'s order.
template <size_t N>
std::string Picked(const Request& page, std::string_view key,
                   const std::array<std::string_view, N>& known) {
  std::vector<std::string> given;
  for (const std::string& v : ListOf(page, key)) given.push_back(text::ToLower(text::Trim(v)));
  std::string out;
  for (std::string_view word : known) {
    if (std::find(given.begin(), given.end(), word) == given.end()) continue;
    if (!out.empty()) out += ',';
    out += word;
  }
  return out;
}

// state.js readState's filter of one group, written back as toParams does:
// codes in first-seen order, the last sign given for a code winning.
std::string GroupValue(const Request& page, const std::string& group, bool& online_asked) {
  std::vector<std::pair<std::string, bool>> codes;  // code, excluded
  for (const std::string& raw : ListOf(page, group)) {
    std::string_view v = text::Trim(raw);
    bool excluded = text::StartsWith(v, "-");
    std::string code(excluded ? v.substr(1) : v);
    if (code.empty()) continue;
    auto it = std::find_if(codes.begin(), codes.end(), [&](const auto& c) { return c.first == code; });
    if (it == codes.end()) {
      codes.emplace_back(std::move(code), excluded);
    } else {
      it->second = excluded;
    }
  }
  std::string out;
  for (const auto& [code, excluded] : codes) {
    if (group == "attendance" && code == "online" && !excluded) online_asked = true;
    if (!out.empty()) out += ',';
    out += (excluded ? "-" : "") + code;
  }
  return out;
}

// The search's parameters in the order toParams writes them; nullopt as
// PageSearchQuery says.
std::optional<Pairs> SearchPairs(const Request& page, std::span<const std::string> groups) {
  if (auto when = page.Get("when"); when && (*when == "now" || *when == "today")) {
    return std::nullopt;
  }
  Pairs out;
  std::string near(text::Trim(page.Get("near").value_or("")));
  std::string q(text::Trim(page.Get("q").value_or("")));
  std::string radius = page.Get("radius").value_or("");
  if (radius.empty()) radius = kDefaultRadius;
  if (!near.empty()) out.emplace_back("near", near);
  if (!q.empty()) out.emplace_back("q", q);
  if (radius != kDefaultRadius) out.emplace_back("radius", radius);
  bool online = false;
  for (const std::string& group : groups) {
    std::string value = GroupValue(page, group, online);
    if (!value.empty()) out.emplace_back(group, std::move(value));
  }
  if (std::string days = Picked(page, "day", kDays); !days.empty()) out.emplace_back("day", days);
  if (std::string times = Picked(page, "time", kTimes); !times.empty()) {
    out.emplace_back("time", times);
  }
  for (std::string_view key : kKept) {
    if (auto v = page.Get(key)) out.emplace_back(std::string(key), *v);
  }
  if (near.empty() && q.empty() && !page.Get("lat") && !online) return std::nullopt;
  return out;
}

std::string Encoded(const Pairs& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out += '&';
    out += FormEncode(k) + '=' + FormEncode(v);
  }
  return out;
}

// JSON inside <script type="application/json">: no "</script" or "<!--"
// can end it early ('<' occurs only inside strings, where \u003c is equal).
std::string ScriptSafeJson(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 64);
  for (char c : json) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

bool ReplaceOnce(std::string& s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  if (at == std::string::npos) return false;
  s.replace(at, from.size(), to);
  return true;
}

// A Spanish page asks for its own strings and labels from the start
// (index.html names the English ones).
void MakeSpanish(std::string& html) {
  ReplaceOnce(html, "<html lang=\"en\">", "<html lang=\"es\">");
  ReplaceOnce(html, "<link rel=\"preload\" href=\"/api/v1/taxonomy\"",
              "<link rel=\"modulepreload\" href=\"/js/i18n_es.js\">\n"
              "<link rel=\"preload\" href=\"/api/v1/taxonomy?lang=es\"");
}

}  // namespace

std::string FormEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (std::isalnum(c) && c < 0x80) {
      out += static_cast<char>(c);
    } else if (c == '*' || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::optional<std::string> PageSearchQuery(const Request& page,
                                            std::span<const std::string> groups) {
  auto pairs = SearchPairs(page, groups);
  if (!pairs) return std::nullopt;
  return Encoded(*pairs);
}

std::string_view PageLanguage(const Request& page, std::string_view accept_language) {
  if (auto asked = page.Get("lang"); asked && (*asked == "es" || *asked == "en")) {
    return *asked == "es" ? "es" : "en";
  }
  std::string_view first = text::Trim(accept_language.substr(0, accept_language.find(',')));
  first = first.substr(0, first.find(';'));
  bool spanish = text::EqualsIgnoreCase(first.substr(0, 2), "es") &&
                 (first.size() == 2 || first[2] == '-');
  return spanish ? "es" : "en";
}

namespace {

// i18n.js withLang: a link keeps the `lang` the page's URL gives.
std::string LinkQuery(const Request& page) {
  auto asked = page.Get("lang");
  return asked ? "?lang=" + FormEncode(*asked) : "";
}

// web/js/state.js isDetoxSearch: the withdrawal warning goes with the results.
bool IsDetoxSearch(const Pairs& pairs) {
  for (const auto& [k, v] : pairs) {
    if (k == "care" || k == "medication") {
      for (const std::string& code : text::SplitList(v, ',')) {
        if (k == "care" && (code == "detox" || text::StartsWith(code, "detox-"))) return true;
        if (k == "medication" && code == "tapering") return true;
      }
    }
    if (k == "q") {
      std::string q = text::ToLower(v);
      if (q.find("detox") != std::string::npos || q.find("withdraw") != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void PageInLanguage(std::string_view lang, const PageStrings& strings, std::string& html) {
  if (lang != "es") return;
  MakeSpanish(html);
  if (!strings.empty()) html = strings.TranslateStatic(lang, std::move(html));
}

bool EmbedFirstSearch(store::ReadSession& session, const Request& page, std::string_view lang,
                      const PageStrings& strings, std::string& html) {
  std::vector<std::string> groups;
  for (const auto& g : session.taxonomy().groups()) groups.push_back(g.name);
  auto pairs = SearchPairs(page, groups);
  if (!pairs) return false;
  Request search{std::string(kSearchPath), {}, {}, {}, page.origin, {}};
  for (const auto& [k, v] : *pairs) search.query.emplace(k, v);
  Response answer = HandleSearch(session, search);
  if (answer.status >= 500) return false;
  size_t head_end = html.find("</head>");
  if (head_end == std::string::npos) return false;
  if (answer.status == 200) {
    auto parsed = nlohmann::json::parse(answer.body, nullptr, false);
    auto cards = parsed.is_discarded()
                     ? std::nullopt
                     : RenderResultCards(parsed, session.taxonomy(), lang, strings, LinkQuery(page));
    if (cards) ReplaceOnce(html, "<ol id=\"results\" class=\"cards\"></ol>",
                           "<ol id=\"results\" class=\"cards\">" + *cards + "</ol>");
    if (IsDetoxSearch(*pairs)) ReplaceOnce(html, "<div id=\"detox-note\" class=\"note\" hidden>",
                                           "<div id=\"detox-note\" class=\"note\">");
  }
  std::string url = std::string(kSearchPath) + "?" + Encoded(*pairs);
  std::string block = "<script type=\"application/json\" id=\"first-answer\" data-url=\"" +
                      HtmlAttribute(url) + "\" data-status=\"" + std::to_string(answer.status) +
                      "\" data-type=\"" + HtmlAttribute(answer.content_type) + "\">" +
                      ScriptSafeJson(answer.body) + "</script>\n";
  html.insert(head_end, block);
  // Said at the top, so the page's first script knows to wait for the
  // block while the parser has not reached it yet.
  ReplaceOnce(html, "<html lang=", "<html data-first-answer lang=");
  return true;
}

}  // namespace carefinder::api
