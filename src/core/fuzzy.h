// Closeness of short strings for "did you mean": an edit distance bounded so
// that scanning every gazetteer name or every parameter name stays cheap.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace carefinder {

// Optimal-string-alignment distance (insert, delete, substitute, swap two
// neighbours: "pheonix" -> "phoenix" is 1), or max + 1 once it exceeds max.
int EditDistance(std::string_view a, std::string_view b, int max);

// One bit per character class (a-z, 0-9, space, other) present in `word`. An
// edit changes at most two bits, so words whose masks differ in more than
// 2 * max bits are more than max edits apart: a filter before EditDistance.
uint64_t LetterMask(std::string_view word);

// The edits a typo of `word` may need: 0 up to 3 characters, 1 up to 8, else 2.
// Shorter words have too many neighbours for a guess to mean anything.
int TypoBudget(std::string_view word);

// The candidate closest to `word` within TypoBudget(word); ties go to the
// earlier candidate.
std::optional<std::string> ClosestWord(std::string_view word,
                                       std::span<const std::string_view> candidates);

}  // namespace carefinder
