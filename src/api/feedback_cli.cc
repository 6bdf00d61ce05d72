// `carefinder feedback [--db PATH] [--feedback PATH] [--json]`: see
// feedback_cli.h. Reads the feedback file only; the listings database is
// named just to find the file next to it.
#include "api/feedback_cli.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "store/feedback_store.h"

namespace carefinder::api {

namespace {

constexpr const char* kDefaultDb = "carefinder.db";
constexpr const char* kUsage =
    "usage: carefinder feedback [--db PATH] [--feedback PATH] [--json]\n"
    "  lists the problem reports sent from listing pages, oldest first.\n"
    "  The reports live in their own file, by default PATH.feedback.db next to\n"
    "  the listings database (--db, default carefinder.db); --feedback names it.\n"
    "exit 0 (also when there are no reports), 64 bad option, 66 unreadable file\n";

struct Args {
  std::string db = kDefaultDb, feedback;
  bool json = false;
};

// Returns the exit code to stop with, or -1 to carry on.
int ParseArgs(const std::vector<std::string>& args, Args& out) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool has_value = i + 1 < args.size();
    if (a == "--help" || a == "-h") return std::fputs(kUsage, stdout), 0;
    if (a == "--json") out.json = true;
    else if (a == "--db" && has_value) out.db = args[++i];
    else if (a == "--feedback" && has_value) out.feedback = args[++i];
    else return std::fprintf(stderr, "carefinder feedback: bad option '%s'\n\n%s", a.c_str(), kUsage), 64;
  }
  if (out.feedback.empty()) out.feedback = store::DefaultFeedbackPath(out.db);
  return -1;
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
    std::printf("\n");
  }
  std::printf("%zu report%s\n", all.size(), all.size() == 1 ? "" : "s");
}

void PrintJson(const std::vector<store::StoredFeedback>& all) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : all) {
    const store::FeedbackReport& r = f.report;
    out.push_back({{"id", f.id}, {"created_at", f.created_at}, {"listing_id", r.listing_id},
                   {"listing_name", r.listing_name}, {"source", r.source}, {"field", r.field},
                   {"correction", r.correction}, {"note", r.note}});
  }
  std::printf("%s\n", out.dump(2).c_str());
}

}  // namespace

int RunFeedbackCommand(const std::vector<std::string>& args) {
  Args opts;
  if (int code = ParseArgs(args, opts); code >= 0) return code;
  std::vector<store::StoredFeedback> all;
  auto store = store::FeedbackStore::OpenExisting(opts.feedback);
  if (store) {
    auto listed = (*store)->List();
    if (!listed) {
      std::fprintf(stderr, "carefinder feedback: %s\n", listed.error().message.c_str());
      return 66;
    }
    all = std::move(*listed);
  } else if (store.error().code != ErrorCode::kNotFound) {
    std::fprintf(stderr, "carefinder feedback: %s\n", store.error().message.c_str());
    return 66;
  }
  if (opts.json) PrintJson(all);
  else PrintText(all);
  return 0;
}

}  // namespace carefinder::api
