// Problem reports: parse -> validate -> look the listing up -> rate-limit
// (per client, per process, file cap) -> store durably. See feedback.h.
#include "api/feedback.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "api/problem.h"
#include "core/listing_document.h"
#include "core/text.h"
#include "core/uuid.h"
#include "store/read_session.h"

namespace carefinder::api {

namespace {

using nlohmann::json;

struct ReportFields {
  std::string field, correction, note, report_id;
};

// Every member a report may have.
constexpr std::string_view kReportMembers[] = {"field", "correction", "note", "report_id"};

// Control characters (C0 but a kept newline, DEL, C1) become spaces: the
// text ends up in a maintainer's terminal, where they could act as escapes.
std::string CleanReportText(std::string_view s, bool keep_newlines) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\r') continue;
    if (c == '\n' && keep_newlines) out.push_back('\n');
    else if (c < 0x20 || c == 0x7f) out.push_back(' ');
    else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0) {
      out.push_back(' ');
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return std::string(text::Trim(out));
}

size_t CountChars(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

std::string FieldList() {
  std::string out;
  for (auto f : store::kFeedbackFields) out += (out.empty() ? "" : ", ") + std::string(f);
  return out;
}

ApiResult<std::string> TextMember(const json& body, const char* key, size_t max_chars,
                                  bool keep_newlines) {
  if (!body.contains(key) || body[key].is_null()) return std::string();
  if (!body[key].is_string()) {
    return std::unexpected(Problem::Invalid(std::string(key) + " must be a string", key));
  }
  std::string v = CleanReportText(body[key].get<std::string>(), keep_newlines);
  if (size_t n = CountChars(v); n > max_chars) {
    return std::unexpected(Problem::Invalid(std::string(key) + " must be at most " +
                                                std::to_string(max_chars) +
                                                " characters, got " + std::to_string(n),
                                            key));
  }
  return v;
}

ApiResult<ReportFields> ParseReport(std::string_view raw) {
  if (raw.size() > kMaxFeedbackBodyBytes) {
    return std::unexpected(Problem::Invalid("the report must be at most " +
                                                std::to_string(kMaxFeedbackBodyBytes) +
                                                " bytes, got " + std::to_string(raw.size()),
                                            "body"));
  }
  json body = json::parse(raw, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return std::unexpected(Problem::Invalid(
        "the report must be a JSON object with field, correction and note", "body"));
  }
  for (const auto& [key, value] : body.items()) {
    if (std::ranges::find(kReportMembers, key) == std::end(kReportMembers)) {
      return std::unexpected(Problem::Invalid(
          "unexpected member \"" + key +
              "\": a report has field, correction, note and report_id only",
          key));
    }
  }
  ReportFields out;
  out.field = body.value("field", json()).is_string() ? body["field"].get<std::string>() : "";
  auto known = std::ranges::find(store::kFeedbackFields, out.field);
  if (known == std::end(store::kFeedbackFields)) {
    return std::unexpected(Problem::Invalid(
        "field must be one of " + FieldList() + ", got " + body.value("field", json()).dump(),
        "field"));
  }
  auto correction = TextMember(body, "correction", kMaxCorrectionChars, false);
  if (!correction) return std::unexpected(correction.error());
  auto note = TextMember(body, "note", kMaxNoteChars, true);
  if (!note) return std::unexpected(note.error());
  out.correction = std::move(*correction);
  out.note = std::move(*note);
  if (body.contains("report_id")) {
    const json& rid = body["report_id"];
    if (!rid.is_string() || !IsHexId(rid.get<std::string>())) {
      return std::unexpected(Problem::Invalid(
          "report_id must be 32 lower-case hex digits, got " + rid.dump().substr(0, 64),
          "report_id"));
    }
    out.report_id = rid.get<std::string>();
  }
  // "Closed", "wrong number" and "no longer offers X" are worth reporting
  // by someone who does not know the right value.
  constexpr std::string_view kNoRightValue[] = {"closed", "phone", "services"};
  if (out.correction.empty() && std::ranges::find(kNoRightValue, out.field) == std::end(kNoRightValue)) {
    return std::unexpected(Problem::Invalid("correction is required: what is right?", "correction"));
  }
  return out;
}

// "Organisation: service name" as the page shows it, and the source's name.
void DescribeListing(const std::string& doc, store::FeedbackReport& r) {
  auto read = listing_document::Read(doc);
  if (!read) return;
  const std::string &org = read->record.organization, &name = read->record.name;
  r.listing_name = org.empty() || org == name ? name : name.empty() ? org : org + ": " + name;
  r.source = read->record.source;
}

Response Created(const store::AddedFeedback& added) {
  Response r;
  r.status = 201;
  r.body = json{{"id", added.id}, {"report_id", added.report_id}, {"status", "received"}}.dump();
  return r;
}

}  // namespace

FeedbackHandler::FeedbackHandler(store::ListingStore& listings, store::FeedbackStore& feedback,
                                 FeedbackLimits limits)
    : listings_(listings), feedback_(feedback), limits_(limits) {}

bool FeedbackHandler::TakeSlot(std::string_view client) {
  uint64_t key = client_hasher_.Hash(client);  // outside the lock: HMAC is the slow part
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (now - window_start_ >= std::chrono::minutes(1)) {
    window_start_ = now, in_window_ = 0;
    per_client_.clear();
  }
  if (in_window_ >= limits_.per_minute) return false;
  // At the cap, count again: `carefinder feedback --prune` may have made room.
  if (stored_ < 0 || stored_ >= limits_.max_stored) stored_ = feedback_.Count().value_or(stored_);
  if (stored_ >= limits_.max_stored) return false;
  // Past max_tracked_clients (a flood of addresses) newcomers share key 0:
  // memory stays bounded and the process's own limit still holds.
  if (!per_client_.contains(key) && per_client_.size() >= limits_.max_tracked_clients) key = 0;
  size_t& mine = per_client_[key];
  if (mine >= limits_.per_client_per_minute) return false;
  ++mine, ++in_window_, ++stored_;
  return true;
}

Response FeedbackHandler::Handle(const Request& req) {
  auto it = req.path_params.find("id");
  std::string id = it == req.path_params.end() ? "" : it->second;
  if (!IsUuid(id)) return ProblemResponse(Problem::Invalid("id must be a UUID, got " + id, "id"));
  auto fields = ParseReport(req.body);
  if (!fields) return ProblemResponse(fields.error());
  auto listing = store::ReadSession(listings_).GetListing(id);
  if (!listing) return ProblemResponse(FromError(listing.error()));
  if (!TakeSlot(req.client)) {
    Response r = ProblemResponse({ProblemType::kTooManyRequests,
                                  "too many reports at the moment; please try again later", ""});
    r.headers.emplace_back("Retry-After", "60");
    return r;
  }
  store::FeedbackReport report{fields->report_id, id, "", "", fields->field, fields->correction,
                               fields->note};
  DescribeListing(listing->doc, report);
  auto stored = feedback_.Add(report);
  if (!stored) return ProblemResponse(FromError(stored.error()));
  return Created(*stored);
}

}  // namespace carefinder::api
