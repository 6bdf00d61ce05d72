// Turning what a person typed into a safe FTS5 query: the text is split into
// words, each word becomes an FTS5 string ("word", inner quotes doubled), the
// last one a prefix ("word"*), joined by spaces (AND). User text never reaches
// FTS5 syntax: `detox" OR name:*` searches for the words detox, or, name*.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace carefinder::store {

// Words as FTS5's unicode61 tokenizer would see them (ASCII letters and digits
// plus every non-ASCII byte; everything else separates). Empty when none.
std::vector<std::string> SplitWords(std::string_view text);

// The FTS5 MATCH expression for `words`; "" when `words` is empty.
std::string BuildFtsQuery(const std::vector<std::string>& words);

}  // namespace carefinder::store
