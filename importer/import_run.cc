// The import_run table: see import_run.h.
#include "importer/import_run.h"

#include <nlohmann/json.hpp>

namespace carefinder::importer {

namespace {

constexpr const char* kInsertRunSql =
    "INSERT INTO import_run(id, started_at, finished_at, files, added, changed, unchanged, "
    "inactivated, rejected, report) VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr const char* kRunsSql =
    "SELECT id, started_at, files, added, changed, unchanged, "
    "coalesce(json_extract(report, '$.merged'), 0), inactivated, rejected "
    "FROM import_run ORDER BY id";
constexpr const char* kNewestRunSql = "SELECT coalesce(max(id), 0) FROM import_run";

}  // namespace

Status RecordImportRun(db::Database& db, ImportReport& report, int64_t id) {
  nlohmann::json files = nlohmann::json::array();
  for (const FileReport& f : report.files) files.push_back(f.file);
  auto stmt = db.Prepare(kInsertRunSql);
  if (!stmt) return Fail(stmt.error());
  stmt->Bind(10, id).Bind(1, report.started_at).Bind(2, report.finished_at).Bind(3, files.dump());
  stmt->Bind(4, report.counts.added).Bind(5, report.counts.changed);
  stmt->Bind(6, report.counts.unchanged);
  stmt->Bind(7, static_cast<int64_t>(report.inactivated.size() + report.retired.size()));
  stmt->Bind(8, report.rejected);
  if (auto r = stmt->Bind(9, RenderJson(report)).Run(); !r) return r;
  report.import_run = id;
  return {};
}

Result<int64_t> NextImportRunId(db::Database& db) {
  auto newest = db.Prepare(kNewestRunSql);
  if (!newest) return Fail(newest.error());
  auto row = newest->Step();
  if (!row) return Fail(row.error());
  return newest->ColumnInt(0) + 1;
}

Result<std::vector<ImportRunSummary>> ImportRuns(db::Database& db) {
  auto stmt = db.Prepare(kRunsSql);
  if (!stmt) return Fail(stmt.error());
  std::vector<ImportRunSummary> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    if (!*row) return out;
    ImportRunSummary run{stmt->ColumnInt(0), stmt->ColumnString(1), {},
                         stmt->ColumnInt(3), stmt->ColumnInt(4), stmt->ColumnInt(5),
                         stmt->ColumnInt(6), stmt->ColumnInt(7), stmt->ColumnInt(8)};
    auto files = nlohmann::json::parse(stmt->ColumnText(2), nullptr, false);
    if (files.is_array()) {
      for (const auto& f : files) run.files.push_back(f.get<std::string>());
    }
    out.push_back(std::move(run));
  }
}

Result<int64_t> NewestImportRun(db::Database& db) {
  auto stmt = db.Prepare(kNewestRunSql);
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  return *row ? stmt->ColumnInt(0) : 0;
}

}  // namespace carefinder::importer
