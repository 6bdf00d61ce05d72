// The taxonomy's labels matched by FTS5: see label_words.h.
#include "store/label_words.h"

#include "db/database.h"

namespace carefinder::store {

namespace {

// A label's rowid is its term's index.
constexpr const char* kMatchSql = "SELECT rowid FROM term_label WHERE term_label MATCH ?1 ORDER BY rowid";

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
  auto match = (*db)->Prepare(kMatchSql);
  if (!match) return Fail(match.error());
  std::shared_ptr<LabelWords> out(new LabelWords);
  out->match_ = std::make_unique<db::Statement>(std::move(*match));
  out->db_ = std::move(*db);
  return std::shared_ptr<const LabelWords>(std::move(out));
}

Result<std::vector<int>> LabelWords::Terms(const std::string& fts) const {
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
