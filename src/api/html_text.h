// Text and attribute values written into HTML as the browser's DOM
// serializer writes them (innerHTML), so a page part made by the server
// (first_answer.h) is the same markup the page's script makes.
#pragma once

#include <string>
#include <string_view>

namespace carefinder::api {

// `s` escaped for text content (& < > and the no-break space) or, with
// `attribute`, for a double-quoted attribute value (also ").
inline std::string HtmlEscaped(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"' && attribute) out += "&quot;";
    else if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') out += "&nbsp;", ++i;
    else out += c;
  }
  return out;
}

inline std::string HtmlText(std::string_view s) { return HtmlEscaped(s, false); }
inline std::string HtmlAttribute(std::string_view s) { return HtmlEscaped(s, true); }

}  // namespace carefinder::api
