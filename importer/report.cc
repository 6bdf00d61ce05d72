// Rendering of the import report as text and JSON: see report.h.
#include "importer/report.h"

#include <nlohmann/json.hpp>

#include "core/exit_code.h"

namespace carefinder::importer {

namespace {

using nlohmann::json;

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kCommitted: return "committed";
    case Outcome::kDryRun: return "dry-run";
    case Outcome::kChecked: return "checked";
    case Outcome::kStrictRolledBack: return "strict-rolled-back";
    case Outcome::kFileError: return "file-error";
    case Outcome::kLocked: return "locked";
    case Outcome::kFailed: return "failed";
    case Outcome::kRefused: return "refused";
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
    case Outcome::kLocked: return "another import is writing the database: nothing written";
    case Outcome::kFailed: return "failed, rolled back: nothing written";
    case Outcome::kRefused: return "refused: nothing written";
  }
  return "failed";
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) (out += out.empty() ? "" : sep) += s;
  return out;
}

// "header:" then one indented line per item, the first kTextListLimit of them.
template <typename T, typename Line>
void Section(std::string& out, std::string_view header, const std::vector<T>& items, Line line,
             bool limited = true) {
  if (items.empty()) return;
  out += std::string(header) + ":\n";
  size_t shown = limited ? std::min(items.size(), kTextListLimit) : items.size();
  for (size_t i = 0; i < shown; ++i) out += "  " + line(items[i]) + "\n";
  if (shown < items.size())
    out += "  ... " + std::to_string(items.size() - shown) + " more (--report json lists them all)\n";
}

std::string FileLine(const FileReport& f) {
  std::string how = f.format_from == "option" ? "" : " (" + f.format_from + ")";
  std::string line = f.file + ": " + f.format + how + ", " + std::to_string(f.rows) + " rows, " +
                     std::to_string(f.accepted) + " accepted, " + std::to_string(f.rejected) +
                     " rejected";
  if (f.warnings > 0) line += ", " + std::to_string(f.warnings) + " warnings";
  return line;
}

json RejectionJson(const Rejection& rej) {
  return {{"file", rej.file}, {"line", rej.line},
          {"field", rej.field.empty() ? json() : json(rej.field)},
          {"reason", rej.reason}, {"message", rej.Message()}};
}

json FilesJson(const ImportReport& r) {
  json files = json::array();
  for (const FileReport& f : r.files) {
    files.push_back({{"file", f.file}, {"format", f.format}, {"format_from", f.format_from},
                     {"source", f.source.empty() ? json() : json(f.source)}, {"rows", f.rows},
                     {"accepted", f.accepted}, {"rejected", f.rejected}, {"warnings", f.warnings},
                     {"added", f.added}, {"changed", f.changed}, {"unchanged", f.unchanged},
                     {"merged", f.merged}, {"restated", f.restated}});
  }
  return files;
}

json ListsJson(const ImportReport& r) {
  json j;
  j["changes"] = json::array();
  for (const Change& c : r.changes) {
    j["changes"].push_back({{"file", c.file}, {"line", c.line}, {"id", c.id}, {"fields", c.fields}});
  }
  j["merges"] = json::array();
  for (const MergeNote& m : r.merges) {
    j["merges"].push_back({{"record", m.record}, {"into", m.into}, {"reason", m.reason},
                           {"message", m.Message()}});
  }
  j["inactivated_listings"] = json::array();
  for (const Inactivated& i : r.inactivated) {
    j["inactivated_listings"].push_back({{"id", i.id}, {"source", i.source},
                                         {"source_key", i.source_key},
                                         {"last_seen", i.file + ":" + std::to_string(i.line)}});
  }
  j["source_attributes"] = json::object();
  for (const auto& [source, count] : r.source_attributes) {
    j["source_attributes"][source] = {{"listings", count.listings}, {"values", count.values}};
  }
  j["warnings"] = json::array();
  for (const Rejection& w : r.warnings) j["warnings"].push_back(RejectionJson(w));
  j["rejections"] = json::array();
  for (const Rejection& rej : r.rejections) j["rejections"].push_back(RejectionJson(rej));
  return j;
}

// "samhsa-national: newest edition samhsa-national-directory-su (as of
// 2023-01-01): 12000 listings, ..."
std::string EditionLine(const EditionSummary& e) {
  return e.family + ": newest edition " + Join(e.current, ", ") + " (as of " + e.as_of + "): " +
         std::to_string(e.listings) + " listings, " + std::to_string(e.matched) +
         " matched to an older edition's record, " + std::to_string(e.placed_by_address) +
         " placed at another record's address, " + std::to_string(e.placed_at_zip) +
         " placed at their ZIP's centre; " + std::to_string(e.superseded) +
         " listings that only older editions give marked inactive";
}

}  // namespace

int ImportReport::ExitCode() const {
  if (outcome == Outcome::kFileError) return exit_code::kFileError;
  if (outcome == Outcome::kFailed) return exit_code::kSoftware;
  if (outcome == Outcome::kRefused) return exit_code::kDataErr;
  if (outcome == Outcome::kLocked) return exit_code::kTempFail;
  return rejected > 0 ? exit_code::kRejected : exit_code::kOk;
}

std::string RenderText(const ImportReport& r) {
  std::string out;
  for (const FileReport& f : r.files) out += FileLine(f) + "\n";
  if (r.outcome != Outcome::kFileError) {
    out += "total: " + std::to_string(r.counts.added) + " added, " +
           std::to_string(r.counts.changed) + " changed, " + std::to_string(r.counts.unchanged) +
           " unchanged, " +
           (r.counts.restated ? std::to_string(r.counts.restated) + " restated by a newer edition, " : "") + std::to_string(r.merged) + " merged, " +
           std::to_string(r.inactivated.size() + r.retired.size()) + " marked inactive, " +
           std::to_string(r.rejected) + " rejected\n";
  }
  Section(out, "rejected", r.rejections, [](const Rejection& x) { return x.Message(); }, false);
  Section(out, "changed", r.changes, [](const Change& c) {
    return c.file + ":" + std::to_string(c.line) + ": " + Join(c.fields, ", ");
  });
  Section(out, "merged", r.merges, [](const MergeNote& m) { return m.Message(); });
  std::vector<std::string> inactive;
  for (const std::string& id : r.retired) inactive.push_back("listing " + id + ": merged into another listing");
  for (const Inactivated& i : r.inactivated) {
    inactive.push_back("listing " + i.id + ": no longer in " + i.source + " (key '" +
                       i.source_key + "', last seen at " + i.file + ":" + std::to_string(i.line) + ")");
  }
  Section(out, "marked inactive", inactive, [](const std::string& s) { return s; });
  Section(out, "not pruned", r.not_pruned, [](const std::string& s) { return s; }, false);
  Section(out, "editions", r.editions, EditionLine, false);
  Section(out, "warnings", r.warnings, [](const Rejection& x) { return x.Message(); });
  std::vector<std::string> attributes;
  for (const auto& [source, count] : r.source_attributes) {
    attributes.push_back(source + ": " + std::to_string(count.values.size()) + " distinct values on " +
                         std::to_string(count.listings) + " records");
  }
  Section(out, "source attributes (codes and labels kept as the source gave them)", attributes,
          [](const std::string& s) { return s; }, false);
  for (const std::string& e : r.errors) out += "error: " + e + "\n";
  out += "result: " + ResultLine(r) + "\n";
  return out;
}

std::string RenderJson(const ImportReport& r) {
  json j = ListsJson(r);
  j["command"] = r.command;
  j["dry_run"] = r.dry_run;
  j["strict"] = r.strict;
  j["prune"] = r.prune;
  j["started_at"] = r.started_at;
  j["finished_at"] = r.finished_at;
  j["seconds"] = r.seconds;
  j["files"] = FilesJson(r);
  j["added"] = r.counts.added;
  j["changed"] = r.counts.changed;
  j["unchanged"] = r.counts.unchanged;
  j["restated"] = r.counts.restated;
  j["merged"] = r.merged;
  j["inactivated"] = r.inactivated.size() + r.retired.size();
  j["retired"] = r.retired;
  j["not_pruned"] = r.not_pruned;
  j["editions"] = json::array();
  for (const EditionSummary& e : r.editions) {
    j["editions"].push_back({{"family", e.family}, {"current", e.current}, {"as_of", e.as_of},
                             {"listings", e.listings}, {"matched", e.matched},
                             {"placed_by_address", e.placed_by_address},
                             {"placed_at_zip", e.placed_at_zip}, {"superseded", e.superseded}});
  }
  j["rejected"] = r.rejected;
  j["errors"] = r.errors;
  j["result"] = OutcomeName(r.outcome);
  j["import_run"] = r.import_run ? json(r.import_run) : json();
  j["exit_code"] = r.ExitCode();
  return j.dump(2) + "\n";
}

}  // namespace carefinder::importer
