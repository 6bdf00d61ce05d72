// Place-name folding and state codes: see place_name.h.
#include "core/place_name.h"

#include <array>
#include <cctype>
#include <utility>

#include "core/text.h"

namespace carefinder {

std::string FoldPlaceName(std::string_view name) {
  std::string spaced;
  spaced.reserve(name.size());
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      spaced.push_back(text::AsciiLower(ch));
    } else if (c != '\'') {  // "O'Fallon" -> "ofallon"
      spaced.push_back(' ');
    }
  }
  std::string out;
  out.reserve(spaced.size() + 8);
  text::ForEachInList(spaced, ' ', [&out](std::string_view w) {
    if (w == "st") w = "saint";
    else if (w == "ste") w = "sainte";
    else if (w == "ft") w = "fort";
    else if (w == "mt") w = "mount";
    if (!out.empty()) out.push_back(' ');
    out.append(w);
  });
  return out;
}

namespace {
constexpr std::array<std::pair<std::string_view, std::string_view>, 56> kStates{{
    {"AL", "alabama"}, {"AK", "alaska"}, {"AZ", "arizona"}, {"AR", "arkansas"},
    {"CA", "california"}, {"CO", "colorado"}, {"CT", "connecticut"}, {"DE", "delaware"},
    {"DC", "district of columbia"}, {"FL", "florida"}, {"GA", "georgia"}, {"HI", "hawaii"},
    {"ID", "idaho"}, {"IL", "illinois"}, {"IN", "indiana"}, {"IA", "iowa"},
    {"KS", "kansas"}, {"KY", "kentucky"}, {"LA", "louisiana"}, {"ME", "maine"},
    {"MD", "maryland"}, {"MA", "massachusetts"}, {"MI", "michigan"}, {"MN", "minnesota"},
    {"MS", "mississippi"}, {"MO", "missouri"}, {"MT", "montana"}, {"NE", "nebraska"},
    {"NV", "nevada"}, {"NH", "new hampshire"}, {"NJ", "new jersey"}, {"NM", "new mexico"},
    {"NY", "new york"}, {"NC", "north carolina"}, {"ND", "north dakota"}, {"OH", "ohio"},
    {"OK", "oklahoma"}, {"OR", "oregon"}, {"PA", "pennsylvania"}, {"RI", "rhode island"},
    {"SC", "south carolina"}, {"SD", "south dakota"}, {"TN", "tennessee"}, {"TX", "texas"},
    {"UT", "utah"}, {"VT", "vermont"}, {"VA", "virginia"}, {"WA", "washington"},
    {"WV", "west virginia"}, {"WI", "wisconsin"}, {"WY", "wyoming"}, {"PR", "puerto rico"},
    {"GU", "guam"}, {"VI", "virgin islands"}, {"AS", "american samoa"},
    {"MP", "northern mariana islands"},
}};
}  // namespace

std::optional<std::string> NormalizeState(std::string_view state) {
  // Codes compare before folding: folding expands "MT" (Montana) to "mount".
  // "D.C." is a code too: dots dropped before the comparison.
  std::string code_text;
  for (char ch : text::Trim(state)) {
    if (ch != '.') code_text.push_back(ch);
  }
  std::string folded = FoldPlaceName(state);
  for (const auto& [code, name] : kStates) {
    if (text::EqualsIgnoreCase(code_text, code) || folded == name) return std::string(code);
  }
  return std::nullopt;
}

std::optional<std::string> FindZip(std::string_view text) {
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  std::optional<std::string> found;
  for (size_t i = 0; i < text.size();) {
    if (!digit(i)) {
      ++i;
      continue;
    }
    size_t end = i;
    while (digit(end)) ++end;
    if (end - i == 5) found = std::string(text.substr(i, 5));
    i = end;
  }
  return found;
}

}  // namespace carefinder
