// Free-text, opening-hours and date normalisation (the rest of normalise.h).
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>

#include "core/text.h"
#include "importer/normalise.h"

namespace carefinder::importer {

namespace {

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the entity starting at s[i] == '&' into `out`; returns the number
// of bytes consumed, or 0 when it is not an entity we know (kept as text).
size_t DecodeEntity(std::string_view s, size_t i, std::string& out) {
  size_t semi = s.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return 0;
  std::string_view name = s.substr(i + 1, semi - i - 1);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kNamed{{
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
      {"nbsp", " "}, {"ndash", "\xE2\x80\x93"}}};
  for (const auto& [n, v] : kNamed) {
    if (name == n) {
      out += v;
      return semi - i + 1;
    }
  }
  if (name.size() < 2 || name[0] != '#') return 0;
  bool hex = name[1] == 'x' || name[1] == 'X';
  uint32_t cp = 0;
  std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty()) return 0;
  for (char c : digits) {
    int d = (c >= '0' && c <= '9') ? c - '0'
            : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (hex && c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (d < 0 || cp > 0x10FFFF) return 0;
    cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
  }
  AppendUtf8(out, cp == 0xA0 ? ' ' : cp);
  return semi - i + 1;
}

// A tag starts with '<' followed by a letter, '/' or '!': "a < b" stays text.
bool StartsTag(std::string_view s, size_t i) {
  if (i + 1 >= s.size()) return false;
  char c = s[i + 1];
  return std::isalpha(static_cast<unsigned char>(c)) || c == '/' || c == '!';
}

std::optional<int> DayIndex(std::string_view d) {
  static constexpr std::array<std::string_view, 7> kDays = {"mo", "tu", "we", "th",
                                                            "fr", "sa", "su"};
  std::string lower = text::ToLower(d);
  for (int i = 0; i < 7; ++i) {
    if (lower == kDays[i]) return i;
  }
  return std::nullopt;
}

constexpr std::array<const char*, 7> kIcalDays = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

// "08:00" or "8:00" -> "08:00"; "24:00" allowed as a closing time.
std::optional<std::string> ParseTime(std::string_view t) {
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || t.size() != colon + 3) {
    return std::nullopt;
  }
  auto h = text::ParseInt(t.substr(0, colon));
  auto m = text::ParseInt(t.substr(colon + 1));
  if (!h || !m || *h < 0 || *h > 24 || *m < 0 || *m > 59 || (*h == 24 && *m != 0)) {
    return std::nullopt;
  }
  std::string out = (*h < 10 ? "0" : "") + std::to_string(*h) + ":" + std::string(t.substr(colon + 1));
  return out;
}

// "Mo-Fr,Su" -> day indexes; false on anything else.
bool ParseDays(std::string_view spec, std::vector<int>& days) {
  for (const auto& part : text::SplitList(spec, ',')) {
    size_t dash = part.find('-');
    auto first = DayIndex(text::Trim(std::string_view(part).substr(0, dash)));
    if (!first) return false;
    int last = *first;
    if (dash != std::string::npos) {
      auto end = DayIndex(text::Trim(std::string_view(part).substr(dash + 1)));
      if (!end) return false;
      last = *end;
    }
    for (int d = *first;; d = (d + 1) % 7) {
      days.push_back(d);
      if (d == last) break;
    }
  }
  return !days.empty();
}

// "Mo-Fr 08:00-17:00" -> one WeeklyTime per day.
bool ParseHoursRule(std::string_view rule, std::vector<WeeklyTime>& out) {
  size_t space = rule.find_last_of(" \t");
  if (space == std::string_view::npos) return false;
  std::vector<int> days;
  if (!ParseDays(text::Trim(rule.substr(0, space)), days)) return false;
  std::string_view range = rule.substr(space + 1);
  size_t dash = range.find('-');
  if (dash == std::string_view::npos) return false;
  auto opens = ParseTime(range.substr(0, dash));
  auto closes = ParseTime(range.substr(dash + 1));
  if (!opens || !closes || *opens == "24:00") return false;
  for (int d : days) out.push_back({kIcalDays[d], *opens, *closes});
  return true;
}

}  // namespace

namespace {

// The first '<' or '&' in `s` at or after `from`, npos when there is none.
// find_first_of("<&") tests each byte against the set one at a time; this
// steps over 8 bytes at a time while none of them is either.
size_t FindTagOrEntity(std::string_view s, size_t from) {
  size_t i = from;
  for (text::Bytes8 b; i + 8 <= s.size(); i += 8) {
    b = text::Bytes8::Load8(s, i);
    if (b.Has('<') || b.Has('&')) break;
  }
  for (; i < s.size(); ++i) {
    if (s[i] == '<' || s[i] == '&') return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string CleanText(std::string_view s) {
  size_t next = FindTagOrEntity(s, 0);
  if (next == std::string_view::npos) return text::CollapseSpace(s);  // most text
  std::string out;
  out.reserve(s.size());
  size_t run = 0;  // start of the text not yet copied
  for (size_t i = next; i < s.size(); i = FindTagOrEntity(s, i + 1)) {
    char c = s[i];
    if (c == '<' && !StartsTag(s, i)) continue;
    out.append(s.data() + run, i - run);
    if (c == '<') {
      size_t close = s.find('>', i);
      if (close == std::string_view::npos) return text::CollapseSpace(out);  // an unclosed tag ends the text
      out.push_back(' ');  // <br>, <p>, </li> separate words
      i = close;
    } else {
      size_t used = DecodeEntity(s, i, out);
      if (used == 0) out.push_back('&');
      else i += used - 1;
    }
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  return text::CollapseSpace(out);
}

Result<std::vector<WeeklyTime>> ParseHours(std::string_view hours) {
  std::vector<WeeklyTime> out;
  std::string_view h = text::Trim(hours);
  if (h == "24/7") {
    for (const char* day : kIcalDays) out.push_back({day, "", ""});
    return out;
  }
  for (const auto& rule : text::SplitList(h, ';')) {
    if (!ParseHoursRule(rule, out)) {
      return Fail(Error::Invalid("\"" + rule +
                                 "\" is not opening hours (24/7, or days and times like "
                                 "\"Mo-Fr 08:00-17:00; Sa 09:00-12:00\")"));
    }
  }
  return out;
}

bool IsOnlineOnly(const ListingRecord& rec) {
  auto has = [&](std::string_view code) {
    return std::find(rec.terms.begin(), rec.terms.end(), code) != rec.terms.end();
  };
  return has("online") && !has("in-person") && !has("hybrid") && rec.address.line1.empty();
}

}  // namespace carefinder::importer
