// Bounded edit distance and closest-word lookup: see fuzzy.h.
#include "core/fuzzy.h"

#include <algorithm>
#include <vector>

namespace carefinder {

int EditDistance(std::string_view a, std::string_view b, int max) {
  int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max) return max + 1;
  // Three rows of the DP table (two back for the swap of neighbours), kept
  // per thread: a typo scan calls this for thousands of names.
  thread_local std::vector<int> prev2, prev, cur;
  prev2.assign(m + 1, 0), prev.assign(m + 1, 0), cur.assign(m + 1, 0);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max) return max + 1;  // every later row is at least this
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], max + 1);
}

uint64_t LetterMask(std::string_view word) {
  uint64_t mask = 0;
  for (char ch : word) {
    int bit = ch >= 'a' && ch <= 'z' ? ch - 'a' : ch >= '0' && ch <= '9' ? 26 + (ch - '0')
              : ch == ' ' ? 36 : 37 + (static_cast<unsigned char>(ch) % 27);
    mask |= uint64_t{1} << bit;
  }
  return mask;
}

int TypoBudget(std::string_view word) {
  if (word.size() <= 3) return 0;
  return word.size() <= 8 ? 1 : 2;
}

std::optional<std::string> ClosestWord(std::string_view word,
                                       std::span<const std::string_view> candidates) {
  int budget = TypoBudget(word);
  std::optional<std::string> best;
  int best_d = budget + 1;
  for (std::string_view c : candidates) {
    int d = EditDistance(word, c, budget);
    if (d < best_d) best = std::string(c), best_d = d;
  }
  return best;
}

}  // namespace carefinder
