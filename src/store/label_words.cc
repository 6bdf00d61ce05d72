// The taxonomy's labels matched by FTS5: see label_words.h.
#include "store/label_words.h"

#include <algorithm>
#include <optional>

#include "db/database.h"

namespace carefinder::store {

namespace {

// A label's rowid is its term's index.
constexpr const char* kMatchSql = "SELECT rowid FROM term_label WHERE term_label MATCH ?1 ORDER BY rowid";
// Every token of the labels as FTS5 stored it (folded), with its label.
constexpr const char* kVocabularyTableSql =
    "CREATE VIRTUAL TABLE temp.term_label_words USING fts5vocab(main, term_label, 'instance')";
constexpr const char* kVocabularySql = "SELECT term, doc FROM temp.term_label_words ORDER BY term, doc";

// The word of a one-word query as BuildFtsQuery writes it ("word" or
// "word"*), when it is plain ASCII letters and digits: the token FTS5's
// unicode61 makes of it is the word in lower case. nullopt otherwise.
std::optional<std::string> AsciiToken(std::string_view fts, bool& prefix) {
  prefix = !fts.empty() && fts.back() == '*';
  if (prefix) fts.remove_suffix(1);
  if (fts.size() < 3 || fts.front() != '"' || fts.back() != '"') return std::nullopt;
  fts = fts.substr(1, fts.size() - 2);
  std::string token;
  for (char ch : fts) {
    if (ch >= 'A' && ch <= 'Z') token.push_back(static_cast<char>(ch - 'A' + 'a'));
    else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) token.push_back(ch);
    else return std::nullopt;
  }
  return token;
}

}  // namespace

LabelWords::~LabelWords() = default;  // match_ goes before db_, its connection

Result<std::shared_ptr<const LabelWords>> LabelWords::Build(const Taxonomy& taxonomy) {
  const std::string schema = std::string("CREATE VIRTUAL TABLE term_label USING fts5(label, tokenize = '") +
                             kFullTextTokenizer + "'); PRAGMA user_version = 1;";
  auto db = db::Database::Open(":memory:", db::OpenMode::kCreate, {schema.c_str(), 1});
  if (!db) return Fail(db.error());
  auto insert = (*db)->Prepare("INSERT INTO term_label(rowid, label) VALUES (?1, ?2)");
  if (!insert) return Fail(insert.error());
  for (const Term& t : taxonomy.terms()) {
    insert->Reset();
    insert->Bind(1, static_cast<int64_t>(t.index)).Bind(2, t.label);
    if (auto s = insert->Run(); !s) return Fail(s.error());
  }
  std::shared_ptr<LabelWords> out(new LabelWords);
  if (auto s = (*db)->Exec(kVocabularyTableSql); !s) return Fail(s.error());
  auto words = (*db)->Prepare(kVocabularySql);
  if (!words) return Fail(words.error());
  while (true) {
    auto row = words->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    std::string token = words->ColumnString(0);
    const int term = static_cast<int>(words->ColumnInt(1));
    if (out->tokens_.empty() || out->tokens_.back().first != token) out->tokens_.push_back({std::move(token), {}});
    std::vector<int>& terms = out->tokens_.back().second;
    if (terms.empty() || terms.back() != term) terms.push_back(term);
  }
  auto match = (*db)->Prepare(kMatchSql);
  if (!match) return Fail(match.error());
  out->match_ = std::make_unique<db::Statement>(std::move(*match));
  out->db_ = std::move(*db);
  return std::shared_ptr<const LabelWords>(std::move(out));
}

Result<std::vector<int>> LabelWords::Terms(const std::string& fts) const {
  bool prefix = false;
  auto token = AsciiToken(fts, prefix);
  if (!token) return MatchedByFts5(fts);
  // The labels' tokens, sorted: a word is one of them, a prefix a run.
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(), *token,
                             [](const auto& entry, const std::string& t) { return entry.first < t; });
  std::vector<int> terms;
  for (; it != tokens_.end(); ++it) {
    if (prefix ? !it->first.starts_with(*token) : it->first != *token) break;
    terms.insert(terms.end(), it->second.begin(), it->second.end());
    if (!prefix) break;
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

Result<std::vector<int>> LabelWords::MatchedByFts5(const std::string& fts) const {
  std::lock_guard lock(mutex_);
  db::Statement* match = match_.get();
  match->Reset();
  match->Bind(1, fts);
  std::vector<int> terms;
  while (true) {
    auto row = match->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    terms.push_back(static_cast<int>(match->ColumnInt(0)));
  }
  match->Reset();
  return terms;
}

}  // namespace carefinder::store
