// Text helpers: see text.h.
#include "core/text.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace carefinder::text {

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

std::vector<std::string> SplitList(std::string_view s, char sep) {
  std::vector<std::string> out;
  ForEachInList(s, sep, [&out](std::string_view piece) { out.emplace_back(piece); });
  return out;
}

std::string CollapseSpace(std::string_view s) {
  std::string_view t = Trim(s);  // so every run of spaces has a word after it
  // Most text has single spaces only: copied whole.
  size_t i = 0;
  while (i < t.size() && (t[i] == ' ' ? t[i + 1] != ' ' : !IsSpace(t[i]))) ++i;  // t ends in a non-space
  if (i == t.size()) return std::string(t);
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size();) {
    size_t end = i;
    while (end < t.size() && !IsSpace(t[end])) ++end;
    out.append(t.data() + i, end - i);
    if (end == t.size()) break;
    out.push_back(' ');
    for (i = end; IsSpace(t[i]);) ++i;
  }
  return out;
}

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  // Most text is all ASCII: 8 bytes at a time, then the last 0-7 at once
  // (a CSV cell is some 20 bytes: byte by byte, its tail was most of it).
  size_t i = 0;
  while (i + 8 <= s.size() && Bytes8::Load8(s, i).AllAscii()) i += 8;
  if (i + 8 > s.size()) {
    Bytes8 tail{0};
    if (i < s.size()) std::memcpy(&tail.w, s.data() + i, s.size() - i);
    if (tail.AllAscii()) return std::nullopt;
  }
  // From here byte by byte: bytes before i are ASCII, so i starts a character.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    unsigned char c = p[i];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      // Most text is ASCII: skip it 8 bytes at a time.
      while (i + 8 <= s.size() && Bytes8::Load8(s, i).AllAscii()) i += 8;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and out-of-range code points are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::nullopt;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  // Runs of characters that need no escape are appended whole; 8 bytes at
  // a time are stepped over while none of them needs one.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    for (Bytes8 b; i + 8 <= s.size(); i += 8) {  // the bytes a JSON string escapes
      b = Bytes8::Load8(s, i);
      if (b.HasBelow(0x20) || b.Has('"') || b.Has('\\')) break;
    }
    if (i == s.size()) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

std::optional<double> ParseDouble(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<long long> ParseInt(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  long long v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kB64[(buf >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kB64[(buf << (6 - bits)) & 0x3F]);
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view s) {
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (char c : s) {
    const char* pos = std::char_traits<char>::find(kB64, 64, c);
    if (pos == nullptr) return std::nullopt;
    buf = (buf << 6) | static_cast<uint32_t>(pos - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

std::string FormatUtc(std::time_t t, const char* format) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace carefinder::text
