// Small text helpers shared by every layer: trimming, splitting, case folding,
// UTF-8 validation, JSON string escaping. No allocation surprises, no locale.
#pragma once

#include <cstdint>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carefinder::text {

// Eight bytes of text at a time, for scans that step over what they do not
// look for (bit tricks of "Bit Twiddling Hacks": exact as to whether such a
// byte is there, not as to which). Load8 reads s[i, i + 8).
struct Bytes8 {
  static constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  uint64_t w;
  static Bytes8 Load8(std::string_view s, size_t i) {
    Bytes8 b;
    std::memcpy(&b.w, s.data() + i, 8);
    return b;
  }
  bool Has(unsigned char c) const {
    uint64_t v = w ^ (kOnes * c);
    return ((v - kOnes) & ~v & kHigh) != 0;
  }
  bool HasBelow(unsigned char n) const { return ((w - kOnes * n) & ~w & kHigh) != 0; }  // n <= 128
  bool AllAscii() const { return (w & kHigh) == 0; }
};

std::string_view Trim(std::string_view s);
// A-Z to a-z, every other byte as it is: std::tolower of the "C" locale
// (the program never sets another) without its call per byte.
inline char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }
std::string ToLower(std::string_view s);  // ASCII only
bool StartsWith(std::string_view s, std::string_view prefix);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);  // ASCII only

// Splits on `sep`, trims each piece and drops empty pieces.
std::vector<std::string> SplitList(std::string_view s, char sep);

// SplitList without the strings: calls f(piece) for each trimmed, non-empty
// piece, which views `s`.
template <typename F>
void ForEachInList(std::string_view s, char sep, F&& f) {
  for (size_t start = 0; start <= s.size();) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view piece = Trim(s.substr(start, end - start));
    if (!piece.empty()) f(piece);
    start = end + 1;
  }
}

// `s` in double quotes, as importer messages show a value: "abc".
inline std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Collapses runs of whitespace to one space and trims.
std::string CollapseSpace(std::string_view s);

// Byte offset of the first invalid UTF-8 sequence, or nullopt when valid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// Appends `s` as a JSON string literal (with quotes) to `out`.
void AppendJsonString(std::string& out, std::string_view s);

// Parses a whole decimal number; nullopt on trailing junk, empty, nan or inf.
std::optional<double> ParseDouble(std::string_view s);
std::optional<long long> ParseInt(std::string_view s);

// Percent-decoding is httplib's job; these are for our own cursors.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view s);

// `t` in UTC through strftime's `format` ("%Y-%m-%dT%H:%M:%SZ"); the one
// place timestamps are written (import times, feedback, HSDS dates).
std::string FormatUtc(std::time_t t, const char* format = "%Y-%m-%dT%H:%M:%SZ");

}  // namespace carefinder::text
