// Rendering of the import report as text and JSON: see report.h.
#include "importer/report.h"

#include <nlohmann/json.hpp>

namespace carefinder::importer {

namespace {

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kCommitted: return "committed";
    case Outcome::kDryRun: return "dry-run";
    case Outcome::kChecked: return "checked";
    case Outcome::kStrictRolledBack: return "strict-rolled-back";
    case Outcome::kFileError: return "file-error";
    case Outcome::kFailed: return "failed";
  }
  return "failed";
}

std::string ResultLine(const ImportReport& r) {
  std::string rows = std::to_string(r.rejected) + (r.rejected == 1 ? " row" : " rows");
  switch (r.outcome) {
    case Outcome::kCommitted: return "committed as import run " + std::to_string(r.import_run);
    case Outcome::kDryRun: return "dry run, rolled back: nothing written";
    case Outcome::kChecked: return "checked (counts are against an empty database): nothing written";
    case Outcome::kStrictRolledBack: return "--strict and " + rows + " rejected: rolled back, nothing written";
    case Outcome::kFileError: return "input file error: nothing written";
    case Outcome::kFailed: return "failed, rolled back: nothing written";
  }
  return "failed";
}

}  // namespace

int ImportReport::ExitCode() const {
  if (outcome == Outcome::kFileError) return 2;
  if (outcome == Outcome::kFailed) return 70;
  return rejected > 0 ? 1 : 0;
}

std::string RenderText(const ImportReport& r) {
  std::string out;
  for (const FileReport& f : r.files) {
    out += f.file + ": " + f.format + ", " + std::to_string(f.rows) + " rows, " +
           std::to_string(f.accepted) + " accepted, " + std::to_string(f.rejected) + " rejected\n";
  }
  if (r.outcome != Outcome::kFileError) {
    out += "total: " + std::to_string(r.counts.added) + " added, " +
           std::to_string(r.counts.changed) + " changed, " + std::to_string(r.counts.unchanged) +
           " unchanged, " + std::to_string(r.rejected) + " rejected\n";
  }
  if (!r.rejections.empty()) out += "rejected:\n";
  for (const Rejection& rej : r.rejections) out += "  " + rej.Message() + "\n";
  for (const std::string& e : r.errors) out += "error: " + e + "\n";
  out += "result: " + ResultLine(r) + "\n";
  return out;
}

std::string RenderJson(const ImportReport& r) {
  nlohmann::json files = nlohmann::json::array();
  for (const FileReport& f : r.files) {
    files.push_back({{"file", f.file}, {"format", f.format}, {"rows", f.rows},
                     {"accepted", f.accepted}, {"rejected", f.rejected}});
  }
  nlohmann::json rejections = nlohmann::json::array();
  for (const Rejection& rej : r.rejections) {
    rejections.push_back({{"file", rej.file}, {"line", rej.line},
                          {"field", rej.field.empty() ? nlohmann::json() : nlohmann::json(rej.field)},
                          {"reason", rej.reason}, {"message", rej.Message()}});
  }
  nlohmann::json j = {
      {"command", r.command},      {"dry_run", r.dry_run},
      {"strict", r.strict},        {"started_at", r.started_at},
      {"finished_at", r.finished_at}, {"files", files},
      {"added", r.counts.added},   {"changed", r.counts.changed},
      {"unchanged", r.counts.unchanged}, {"inactivated", 0},
      {"rejected", r.rejected},    {"rejections", rejections},
      {"errors", r.errors},        {"result", OutcomeName(r.outcome)},
      {"import_run", r.import_run ? nlohmann::json(r.import_run) : nlohmann::json()},
      {"exit_code", r.ExitCode()}};
  return j.dump(2) + "\n";
}

}  // namespace carefinder::importer
