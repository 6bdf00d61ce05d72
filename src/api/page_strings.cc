// The page's interface strings: see page_strings.h.
#include "api/page_strings.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "api/html_text.h"

namespace carefinder::api {

namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream body;
  body << in.rdbuf();
  return std::move(body).str();
}

void AppendUtf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// A single-quoted JS string starting at js[at] == '\''; its value, and
// `at` moved past the closing quote. nullopt when it does not close.
std::optional<std::string> QuotedAt(std::string_view js, size_t& at) {
  std::string out;
  for (size_t i = at + 1; i < js.size(); ++i) {
    char c = js[i];
    if (c == '\'') {
      at = i + 1;
      return out;
    }
    if (c == '\n') return std::nullopt;
    if (c != '\\' || i + 1 >= js.size()) {
      out += c;
      continue;
    }
    char e = js[++i];
    if (e == 'n') {
      out += '\n';
    } else if (e == 'u' && i + 4 < js.size()) {
      AppendUtf8(out, static_cast<unsigned>(std::stoul(std::string(js.substr(i + 1, 4)), nullptr, 16)));
      i += 4;
    } else {
      out += e;  // \' \\ \"
    }
  }
  return std::nullopt;
}

size_t SkipSpace(std::string_view s, size_t at) {
  while (at < s.size() && (s[at] == ' ' || s[at] == '\n' || s[at] == '\t' || s[at] == '\r')) ++at;
  return at;
}

// The value of attribute `name` in the tag s[start, end), and where it is.
struct AttrSpan {
  size_t value_start = std::string::npos;
  size_t value_end = std::string::npos;
};
AttrSpan FindAttr(std::string_view s, size_t start, size_t end, std::string_view name) {
  std::string needle = " " + std::string(name) + "=\"";
  size_t at = s.substr(0, end).find(needle, start);
  if (at == std::string::npos) return {};
  size_t value_start = at + needle.size();
  size_t value_end = s.find('"', value_start);
  if (value_end == std::string::npos || value_end > end) return {};
  return {value_start, value_end};
}

}  // namespace

PageStrings::Table PageStrings::ParseTable(std::string_view js) {
  Table out;
  // The table is the object after "= {": 'key': 'value' pairs, commas
  // and comments between them.
  size_t at = js.find("= {");
  if (at == std::string_view::npos) return out;
  at += 3;
  while (at < js.size()) {
    at = SkipSpace(js, at);
    if (at >= js.size() || js[at] == '}') break;
    if (js.substr(at, 2) == "//") {
      at = js.find('\n', at);
      continue;
    }
    if (js[at] == ',') {
      ++at;
      continue;
    }
    if (js[at] != '\'') break;  // not a plain table: stop, keep what was read
    auto key = QuotedAt(js, at);
    if (!key) break;
    at = SkipSpace(js, at);
    if (at >= js.size() || js[at] != ':') break;
    at = SkipSpace(js, at + 1);
    if (at >= js.size() || js[at] != '\'') break;
    auto value = QuotedAt(js, at);
    if (!value) break;
    out.emplace(std::move(*key), std::move(*value));
  }
  return out;
}

PageStrings PageStrings::Load(const std::string& web_dir) {
  if (web_dir.empty()) return {};
  std::filesystem::path dir(web_dir);
  return FromText(ReadFile(dir / "js" / "i18n.js"), ReadFile(dir / "js" / "i18n_es.js"));
}

PageStrings PageStrings::FromText(std::string_view english, std::string_view spanish) {
  PageStrings out;
  out.en_ = ParseTable(english);
  out.es_ = ParseTable(spanish);
  return out;
}

std::string PageStrings::T(std::string_view lang, std::string_view key,
                           const std::vector<std::pair<std::string_view, std::string>>& vars) const {
  std::string k(key);
  const std::string* text = nullptr;
  if (lang == "es") {
    if (auto it = es_.find(k); it != es_.end()) text = &it->second;
  }
  if (!text) {
    if (auto it = en_.find(k); it != en_.end()) text = &it->second;
  }
  if (!text) return k;
  std::string out;
  for (size_t i = 0; i < text->size(); ++i) {
    if ((*text)[i] == '{') {
      size_t close = text->find('}', i);
      if (close != std::string::npos) {
        std::string_view name = std::string_view(*text).substr(i + 1, close - i - 1);
        bool filled = false;
        for (const auto& [n, v] : vars) {
          if (n == name) {
            out += v;
            filled = true;
            break;
          }
        }
        if (filled) {
          i = close;
          continue;
        }
      }
    }
    out += (*text)[i];
  }
  return out;
}

std::string PageStrings::TranslateStatic(std::string_view lang, std::string html) const {
  // Element text: <tag ... data-i18n="key">TEXT<
  for (size_t at = html.find(" data-i18n=\""); at != std::string::npos;
       at = html.find(" data-i18n=\"", at + 1)) {
    size_t key_start = at + 12;
    size_t key_end = html.find('"', key_start);
    size_t tag_end = html.find('>', key_end);
    if (key_end == std::string::npos || tag_end == std::string::npos) break;
    size_t text_end = html.find('<', tag_end);
    if (text_end == std::string::npos) break;
    std::string text = HtmlText(T(lang, html.substr(key_start, key_end - key_start)));
    html.replace(tag_end + 1, text_end - tag_end - 1, text);
  }
  // Attributes: data-i18n-attr="attr:key attr:key"
  for (size_t at = html.find(" data-i18n-attr=\""); at != std::string::npos;
       at = html.find(" data-i18n-attr=\"", at + 1)) {
    size_t list_start = at + 17;
    size_t list_end = html.find('"', list_start);
    size_t tag_start = html.rfind('<', at);
    size_t tag_end = html.find('>', list_end);
    if (list_end == std::string::npos || tag_start == std::string::npos ||
        tag_end == std::string::npos) {
      break;
    }
    std::string list = html.substr(list_start, list_end - list_start);
    std::istringstream pairs(list);
    for (std::string pair; pairs >> pair;) {
      size_t colon = pair.find(':');
      if (colon == std::string::npos) continue;
      // Where the tag ends now (an earlier pair may have changed its length).
      at = html.find(" data-i18n-attr=\"", tag_start);
      tag_end = html.find('>', html.find('"', at + 17));
      std::string value = HtmlAttribute(T(lang, pair.substr(colon + 1)));
      AttrSpan span = FindAttr(html, tag_start, tag_end, pair.substr(0, colon));
      if (span.value_start == std::string::npos) {
        html.insert(tag_end, " " + pair.substr(0, colon) + "=\"" + value + "\"");
      } else {
        html.replace(span.value_start, span.value_end - span.value_start, value);
      }
    }
    at = html.find(" data-i18n-attr=\"", tag_start);
  }
  return html;
}

}  // namespace carefinder::api
