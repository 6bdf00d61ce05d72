// Safe FTS5 query building: see fts_query.h.
#include "store/fts_query.h"

#include <cctype>

namespace carefinder::store {

namespace {
constexpr size_t kMaxWords = 8;  // more words only add cost, not precision
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      word.push_back(ch);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  if (words.size() > kMaxWords) words.resize(kMaxWords);
  return words;
}

std::string BuildFtsQuery(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out.push_back('"');
    for (char c : words[i]) {
      if (c == '"') out.push_back('"');  // SplitWords never keeps one; belt and braces
      out.push_back(c);
    }
    out.push_back('"');
    if (i + 1 == words.size()) out.push_back('*');
  }
  return out;
}

}  // namespace carefinder::store
