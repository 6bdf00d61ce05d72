// The page's interface strings, read from the very files the page uses
// (web/js/i18n.js for English, web/js/i18n_es.js for Spanish), so what the
// server writes into a page (first_answer.h) says what the page's script
// would say: one table per language, never a copy here.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace carefinder::api {

class PageStrings {
 public:
  // Reads `web_dir`/js/i18n.js and js/i18n_es.js: every `'key': 'value'`
  // pair of their tables. Empty (every lookup gives its key) when they are
  // missing.
  static PageStrings Load(const std::string& web_dir);
  // For tests: the tables' text, as in the files.
  static PageStrings FromText(std::string_view english, std::string_view spanish);

  bool empty() const { return en_.empty(); }
  bool Has(std::string_view key) const { return en_.contains(std::string(key)); }

  // web/js/i18n.js t(): the string in `lang` ("es" or "en"), else the
  // English one, else the key; {name} filled from `vars`.
  std::string T(std::string_view lang, std::string_view key,
                const std::vector<std::pair<std::string_view, std::string>>& vars = {}) const;

  // web/js/i18n.js translateStatic on the page's own HTML: the text of each
  // element with data-i18n="key" and the attributes data-i18n-attr names,
  // in `lang`. Only the shape index.html uses: the text up to the next '<'.
  std::string TranslateStatic(std::string_view lang, std::string html) const;

 private:
  using Table = std::unordered_map<std::string, std::string>;
  static Table ParseTable(std::string_view js);
  Table en_, es_;
};

}  // namespace carefinder::api
