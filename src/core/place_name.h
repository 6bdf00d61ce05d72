// Folding of US place names so "St. Louis", "saint louis" and "ST LOUIS"
// meet: used by the importer to store gazetteer keys and by the store to
// look up what a person typed. Both sides must fold the same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace carefinder {

// Lower-case ASCII, punctuation to spaces, whitespace collapsed, and the
// abbreviations st/ste/ft/mt as whole words expanded (saint, sainte, fort,
// mount). "St. Louis" -> "saint louis"; "Winston-Salem" -> "winston salem".
std::string FoldPlaceName(std::string_view name);

// Two-letter USPS code for a state code or full name ("ca", "California",
// "District of Columbia", "D.C."); nullopt when it is neither.
std::optional<std::string> NormalizeState(std::string_view state);

// The last ZIP code written anywhere in `text`: five digits with no digit
// either side, optionally followed by "-" and four digits (ZIP+4, dropped).
// "detox near 92374" and "712 The Terrace, Redlands, CA 92374-1234" -> "92374".
std::optional<std::string> FindZip(std::string_view text);

}  // namespace carefinder
