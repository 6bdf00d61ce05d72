// `carefinder feedback`: see feedback_cli.h. Lists, gathers and prunes the
// feedback file only; the listings database is named just to find the file
// next to it.
#include "api/feedback_cli.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/args.h"
#include "core/date.h"
#include "core/exit_code.h"
#include "core/text.h"
#include "store/feedback_store.h"

namespace carefinder::api {

namespace {

constexpr const char* kDefaultDb = "carefinder.db";
constexpr const char* kUsage =
    "usage: carefinder feedback [--db PATH] [--feedback PATH] [--json]\n"
    "       carefinder feedback [--db PATH] [--feedback PATH] --gather FILE...\n"
    "       carefinder feedback [--db PATH] [--feedback PATH] --prune\n"
    "                           [--before YYYY-MM-DD] [--done ID,...] [--keep N]\n"
    "                           [--gathered-in FILE]\n"
    "  lists the problem reports sent from listing pages, oldest first.\n"
    "  The reports live in their own file, by default PATH.feedback.db next to\n"
    "  the listings database (--db, default carefinder.db); --feedback names it.\n"
    "  --gather copies into that file (created if missing) every report of the\n"
    "  given files (one per replica) it does not hold yet: running it again, or\n"
    "  on a file gathered before, adds none (each report has its own report_id).\n"
    "  --prune deletes, in one transaction, the reports created before a day\n"
    "  (UTC), the ones named by --done (#ids of this file or report_ids), all but\n"
    "  the newest N (--keep), or those already present in FILE (--gathered-in:\n"
    "  empty a replica's file after gathering it). A running server sees the\n"
    "  room within a minute.\n"
    "exit 0 (also when there are no reports), 64 bad option, 66 unreadable file,\n"
    "73 the file cannot be written\n";

struct Args {
  std::string db = kDefaultDb, feedback;
  bool json = false;
  std::vector<std::string> gather;  // --gather FILE...
  bool prune = false;
  store::PruneRule rule;
  std::string gathered_in;
};

// Returns the exit code to stop with, or nullopt to carry on.
std::optional<int> ParseArgs(const std::vector<std::string>& args, Args& out) {
  std::vector<std::string> done;  // --done ID,... (repeatable)
  args::Parser parser("feedback", kUsage);
  parser.Flag("--json", out.json)
      .Value("--db", out.db)
      .Value("--feedback", out.feedback)
      .List("--gather", out.gather)
      .Flag("--prune", out.prune)
      .Value("--before", out.rule.before, date::IsIsoDate, "a day YYYY-MM-DD")
      .Repeated("--done", done)
      .Number("--keep", out.rule.keep_newest, 0)
      .Value("--gathered-in", out.gathered_in);
  if (auto code = parser.Parse(args)) return code;
  for (const std::string& list : done) {
    for (auto& id : text::SplitList(list, ',')) out.rule.done.push_back(id[0] == '#' ? id.substr(1) : id);
  }
  if (out.feedback.empty()) out.feedback = store::DefaultFeedbackPath(out.db);
  bool has_rule = !out.rule.before.empty() || !out.rule.done.empty() ||
                  out.rule.keep_newest >= 0 || !out.gathered_in.empty();
  if (has_rule && !out.prune) return parser.UsageError("--before, --done, --keep and --gathered-in go with --prune");
  if (out.prune && !has_rule) return parser.UsageError("--prune needs --before, --done, --keep or --gathered-in");
  if (out.prune && !out.gather.empty()) return parser.UsageError("--gather and --prune are separate runs");
  return std::nullopt;
}

// Continuation lines of a multi-line note stay indented under it.
std::string Indented(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("\n           ") : std::string(1, c);
  return out;
}

void PrintText(const std::vector<store::StoredFeedback>& all) {
  for (const auto& f : all) {
    const store::FeedbackReport& r = f.report;
    std::printf("#%lld  %s  %s\n", static_cast<long long>(f.id), f.created_at.c_str(),
                r.listing_name.c_str());
    std::printf("  listing  %s%s%s\n", r.listing_id.c_str(), r.source.empty() ? "" : "  source ",
                r.source.c_str());
    std::printf("  wrong    %s\n", r.field.c_str());
    if (!r.correction.empty()) std::printf("  right    %s\n", r.correction.c_str());
    if (!r.note.empty()) std::printf("  note     %s\n", Indented(r.note).c_str());
    std::printf("  report   %s\n", r.report_id.c_str());
    std::printf("\n");
  }
  std::printf("%zu report%s\n", all.size(), all.size() == 1 ? "" : "s");
}

void PrintJson(const std::vector<store::StoredFeedback>& all) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : all) {
    const store::FeedbackReport& r = f.report;
    out.push_back({{"id", f.id}, {"report_id", r.report_id}, {"created_at", f.created_at},
                   {"listing_id", r.listing_id}, {"listing_name", r.listing_name},
                   {"source", r.source}, {"field", r.field}, {"correction", r.correction},
                   {"note", r.note}});
  }
  std::printf("%s\n", out.dump(2).c_str());
}

int Fails(int code, const std::string& message) {
  std::fprintf(stderr, "carefinder feedback: %s\n", message.c_str());
  return code;
}

// Every report of an existing file; an absent file has none.
Result<std::vector<store::StoredFeedback>> ReportsOf(const std::string& path) {
  auto store = store::FeedbackStore::OpenExisting(path);
  if (!store) {
    if (store.error().code == ErrorCode::kNotFound) return std::vector<store::StoredFeedback>{};
    return Fail(store.error());
  }
  return (*store)->List();
}

int List(const Args& opts) {
  auto all = ReportsOf(opts.feedback);
  if (!all) return Fails(exit_code::kNoInput, all.error().message);
  if (opts.json) PrintJson(*all);
  else PrintText(*all);
  return exit_code::kOk;
}

// "gathered 3 new reports from a.db (50 read, 47 already here)".
int Gather(const Args& opts) {
  auto into = store::FeedbackStore::Open(opts.feedback);
  if (!into) return Fails(exit_code::kCantCreate, opts.feedback + ": " + into.error().message);
  for (const auto& file : opts.gather) {
    auto reports = store::FeedbackStore::OpenExisting(file);
    if (!reports) return Fails(exit_code::kNoInput, file + ": " + reports.error().message);
    auto listed = (*reports)->List();
    if (!listed) return Fails(exit_code::kNoInput, file + ": " + listed.error().message);
    auto added = (*into)->Gather(*listed);
    if (!added) return Fails(exit_code::kCantCreate, opts.feedback + ": " + added.error().message);
    std::printf("gathered %lld new report%s from %s (%zu read, %lld already here)\n",
                static_cast<long long>(*added), *added == 1 ? "" : "s", file.c_str(),
                listed->size(), static_cast<long long>(listed->size()) - static_cast<long long>(*added));
  }
  return exit_code::kOk;
}

// "pruned 12 reports from x.feedback.db (38 left)".
int Prune(Args opts) {
  if (!opts.gathered_in.empty()) {
    auto kept = store::FeedbackStore::OpenExisting(opts.gathered_in);
    if (!kept) return Fails(exit_code::kNoInput, opts.gathered_in + ": " + kept.error().message);
    auto listed = (*kept)->List();
    if (!listed) return Fails(exit_code::kNoInput, opts.gathered_in + ": " + listed.error().message);
    for (const auto& f : *listed) opts.rule.gathered.push_back(f.report.report_id);
  }
  auto store = store::FeedbackStore::OpenExisting(opts.feedback, store::FeedbackStore::Access::kWrite);
  if (!store) return Fails(exit_code::kNoInput, opts.feedback + ": " + store.error().message);
  auto deleted = (*store)->Prune(opts.rule);
  if (!deleted) return Fails(exit_code::kCantCreate, opts.feedback + ": " + deleted.error().message);
  auto left = (*store)->Count();
  if (!left) return Fails(exit_code::kNoInput, opts.feedback + ": " + left.error().message);
  std::printf("pruned %lld report%s from %s (%lld left)\n", static_cast<long long>(*deleted),
              *deleted == 1 ? "" : "s", opts.feedback.c_str(), static_cast<long long>(*left));
  return exit_code::kOk;
}

}  // namespace

int RunFeedbackCommand(const std::vector<std::string>& args) {
  Args opts;
  if (auto code = ParseArgs(args, opts)) return *code;
  if (!opts.gather.empty()) return Gather(opts);
  if (opts.prune) return Prune(opts);
  return List(opts);
}

}  // namespace carefinder::api
