// Reader of the curated listing CSV (data/README.md): header checks, then one
// ListingRecord per good row; every bad field of a bad row is reported. The
// calling thread tokenises rows a chunk at a time and worker threads normalise
// the chunks; results are merged in file order, and only then are keys
// claimed, so the answer is the one a single thread gives.
#include "importer/sources/curated_csv.h"

#include <algorithm>
#include <array>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>

#include "core/csv.h"
#include "core/curated_columns.h"
#include "core/place_name.h"
#include "core/date.h"
#include "core/text.h"
#include "importer/normalise.h"

namespace carefinder::importer {

namespace {

constexpr std::array<std::string_view, 8> kRequired = {
    "source", "source_key", "as_of", "organization", "name", "city", "state", "zip"};

using text::Quoted;

Status CheckHeader(const CsvTable& table, std::string_view file) {
  std::string where = std::string(file) + ":" + std::to_string(table.line()) + ": ";
  const auto& header = table.header();
  for (size_t i = 0; i < header.size(); ++i) {
    if (std::ranges::find(kCuratedColumns, header[i]) == kCuratedColumns.end()) {
      return Fail(Error::Invalid(where + "unknown column '" + header[i] +
                                 "' (the curated format's columns are listed in data/README.md)"));
    }
    if (std::find(header.begin(), header.begin() + i, header[i]) != header.begin() + i) {
      return Fail(Error::Invalid(where + "column '" + header[i] + "' appears twice"));
    }
  }
  for (std::string_view column : kRequired) {
    if (!table.Has(column)) {
      return Fail(Error::Invalid(where + "missing required column '" + std::string(column) + "'"));
    }
  }
  return {};
}

// One data row being read: values by column, with every problem recorded.
class Row : public RowRejections {
 public:
  Row(const CsvTable& table, const std::vector<std::string>& cells, int line,
      std::string_view file, std::vector<Rejection>& out)
      : RowRejections(file, line, out), table_(table), cells_(cells) {}

  bool CheckCells() { return CheckCsvCells(table_, cells_, *this); }
  // The trimmed value; "" for an absent column, an empty cell or NA.
  std::string_view Raw(std::string_view column) const {
    std::string_view v = table_.Get(cells_, column);
    return v == "NA" ? std::string_view() : v;
  }
  std::string Text(std::string_view column) const { return CleanText(Raw(column)); }
  std::string Required(std::string_view column) {
    std::string v = Text(column);
    if (v.empty()) Reject(column, "required value is missing");
    return v;
  }

 private:
  const CsvTable& table_;
  const std::vector<std::string>& cells_;
};

void ReadProvenance(Row& row, ListingRecord& rec) {
  rec.source = row.Required("source");
  bool name_ok = std::all_of(rec.source.begin(), rec.source.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!name_ok) row.Reject("source", Quoted(rec.source) + " is not a source name ([a-z0-9-]+)");
  rec.source_key = row.Required("source_key");
  if (!row.Raw("source_url").empty())
    rec.source_url = row.Take("source_url", CheckUrl(row.Raw("source_url")));
  rec.source_license = row.Text("source_license");
  rec.as_of = row.Required("as_of");
  if (!rec.as_of.empty() && !date::IsIsoDate(rec.as_of))
    row.Reject("as_of", Quoted(rec.as_of) + " is not a date (YYYY-MM-DD)");
  rec.last_verified = std::string(row.Raw("last_verified"));
  if (!rec.last_verified.empty() && !date::IsIsoDate(rec.last_verified))
    row.Reject("last_verified", Quoted(rec.last_verified) + " is not a date (YYYY-MM-DD)");
}

void ReadService(Row& row, ListingRecord& rec) {
  if (auto kind = row.Raw("kind"); !kind.empty()) {
    rec.kind = text::ToLower(kind);
    if (rec.kind != "treatment" && rec.kind != "meeting")
      row.Reject("kind", Quoted(kind) + " is not a kind (treatment, meeting)");
  }
  if (auto status = row.Raw("status"); !status.empty()) {
    rec.status = text::ToLower(text::CollapseSpace(status));
    static constexpr std::array<std::string_view, 4> kStatus = {"active", "inactive", "defunct",
                                                                "temporarily closed"};
    if (std::find(kStatus.begin(), kStatus.end(), rec.status) == kStatus.end())
      row.Reject("status", Quoted(status) +
                               " is not a status (active, inactive, defunct, temporarily closed)");
  }
  rec.organization = row.Required("organization");
  rec.name = row.Required("name");
  rec.description = row.Text("description");
}

// Reads one of latitude/longitude; nullopt when absent or bad (bad is recorded).
std::optional<double> ReadDegrees(Row& row, std::string_view field, double limit) {
  std::string_view raw = row.Raw(field);
  if (raw.empty()) return std::nullopt;
  auto v = text::ParseDouble(raw);
  if (!v) {
    row.Reject(field, Quoted(raw) + " is not a number");
  } else if (*v < -limit || *v > limit) {
    char range[32];
    std::snprintf(range, sizeof range, " (%g to %g)", -limit, limit);
    row.Reject(field, std::string(raw) + " is out of range" + range);
    v.reset();
  }
  return v;
}

// Call after ReadTerms: whether a ZIP is required depends on the attendance.
void ReadAddress(Row& row, ListingRecord& rec) {
  rec.address.line1 = row.Text("address1");
  rec.address.line2 = row.Text("address2");
  rec.address.city = row.Required("city");
  std::string state = row.Required("state");
  if (!state.empty()) {
    auto code = NormalizeState(state);
    if (code) rec.address.state = *code;
    else row.Reject("state", Quoted(state) + " is not a US state");
  }
  std::string_view zip = row.Raw("zip");
  if (!zip.empty()) {
    rec.address.postal_code = row.Take("zip", NormalizeZip(zip));
  } else if (!IsOnlineOnly(rec)) {
    row.Reject("zip", "required value is missing (only an online-only meeting may have none)");
  }
  bool has_lat = !row.Raw("latitude").empty(), has_lon = !row.Raw("longitude").empty();
  if (has_lat != has_lon) {
    row.Reject(has_lat ? "longitude" : "latitude",
               std::string("is missing while ") + (has_lat ? "latitude" : "longitude") +
                   " is given: give both or neither");
    return;
  }
  rec.latitude = ReadDegrees(row, "latitude", 90);
  rec.longitude = ReadDegrees(row, "longitude", 180);
  rec.precision = GeoPrecision::kExact;
}

void ReadContact(Row& row, ListingRecord& rec) {
  rec.phones = row.Take("phones", ParsePhones(row.Raw("phones")));
  if (!row.Raw("website").empty()) rec.website = row.Take("website", CheckUrl(row.Raw("website")));
  if (!row.Raw("email").empty()) rec.email = row.Take("email", CheckEmail(row.Raw("email")));
  if (!row.Raw("conference_url").empty())
    rec.conference_url = row.Take("conference_url", CheckUrl(row.Raw("conference_url")));
  rec.conference_phone = row.Text("conference_phone");
}

void ReadTerms(Row& row, ListingRecord& rec, const Taxonomy& taxonomy) {
  // Room for every code at once: grown one at a time, a record's vector
  // was reallocated four or five times and kept up to half of it unused
  // (1e6 records: about 100 MB more to fill).
  size_t codes = 1;
  for (const TermGroupInfo& g : kTermGroups) {
    if (g.curated_column) text::ForEachInList(row.Raw(g.name), ';', [&codes](std::string_view) { ++codes; });
  }
  rec.terms.reserve(codes);
  rec.terms.push_back(rec.kind);  // the kind is a taxonomy group too: one filter path
  for (const TermGroupInfo& g : kTermGroups) {
    if (!g.curated_column) continue;
    std::string_view group = g.name;
    text::ForEachInList(row.Raw(group), ';', [&](std::string_view code) {
      std::string folded = text::ToLower(code);
      if (!taxonomy.InGroup(folded, group)) {
        row.Reject(group, Quoted(code) + " is not a code in taxonomy group '" +
                              std::string(group) + "'");
      } else if (std::find(rec.terms.begin(), rec.terms.end(), folded) == rec.terms.end()) {
        rec.terms.push_back(std::move(folded));
      }
    });
  }
  for (const auto& label : text::SplitList(row.Raw("other_services"), ';')) {
    std::string clean = CleanText(label);
    if (!clean.empty()) rec.source_attributes.push_back(std::move(clean));
  }
}

void ReadHours(Row& row, ListingRecord& rec) {
  rec.hours_text = text::CollapseSpace(row.Raw("hours"));
  if (!rec.hours_text.empty()) rec.hours = row.Take("hours", ParseHours(rec.hours_text));
}

// Reads the row into `rec`; false when any field was rejected. Its key is
// claimed later, in file order (ClaimKey).
bool ReadRow(Row& row, const Taxonomy& taxonomy, ListingRecord& rec) {
  if (!row.CheckCells()) return false;
  rec.file = row.file();
  rec.line = row.line();
  ReadProvenance(row, rec);
  ReadService(row, rec);
  ReadTerms(row, rec, taxonomy);
  ReadAddress(row, rec);
  ReadContact(row, rec);
  ReadHours(row, rec);
  return !row.bad();
}

// Claims the (source, source_key) of a good record; false, with a rejection
// at its line, when an earlier row has it. Bad rows never claim a key.
bool ClaimKey(const ListingRecord& rec, SeenKeys& seen, std::vector<Rejection>& out) {
  if (rec.source.empty() || rec.source_key.empty()) return true;
  auto first = seen.Claim(rec.source, rec.source_key, rec.file, rec.line);
  if (!first) return true;
  RowRejections(rec.file, rec.line, out)
      .Reject("source_key", "duplicate " + Quoted(rec.source_key) + " for source " +
                                Quoted(rec.source) + " (first on " + *first + ")");
  return false;
}

constexpr size_t kChunkRows = 2048;

// A chunk of rows on its way: tokenised by the calling thread, normalised by
// a worker, merged by the calling thread, then refilled, so that its strings
// and vectors (and their capacity) are reused.
struct Chunk {
  std::vector<std::vector<std::string>> cells;  // the first lines.size() are in use
  std::vector<int> lines;                       // the line each row starts on
  // Once normalised: the good records and the bad rows' rejections, each in
  // file order; no key claimed yet.
  std::vector<ListingRecord> records;
  std::vector<Rejection> rejections;
  int rejected_rows = 0;
  // Rows longer than kMaxCsvRecordBytes, skipped while filling (csv.h).
  std::vector<Rejection> too_long;
};

// Refills `chunk`: true when it is full (more rows may follow), false at the
// end of the input; an error (an unterminated quote) ends the input after the
// rows before it. A row too long is skipped, its rejection kept in the chunk.
Result<bool> Fill(CsvTable& table, std::string_view file, Chunk& chunk) {
  chunk.lines.clear();
  chunk.too_long.clear();
  while (chunk.lines.size() < kChunkRows) {
    if (chunk.cells.size() == chunk.lines.size()) chunk.cells.emplace_back();
    auto more = table.Next(chunk.cells[chunk.lines.size()]);
    if (!more && table.skipped()) {
      chunk.too_long.push_back(
          {std::string(file), table.line(), more.error().param, more.error().message});
      continue;
    }
    if (!more || !*more) return more;
    chunk.lines.push_back(table.line());
  }
  return true;
}

// Runs on any thread: changes only `chunk`, reads the table's header.
void Normalise(Chunk& chunk, const CsvTable& table, std::string_view file,
               const Taxonomy& taxonomy) {
  chunk.rejected_rows = 0;
  for (size_t i = 0; i < chunk.lines.size(); ++i) {
    Row row(table, chunk.cells[i], chunk.lines[i], file, chunk.rejections);
    if (ReadRow(row, taxonomy, chunk.records.emplace_back())) continue;
    chunk.records.pop_back();
    ++chunk.rejected_rows;
  }
  if (chunk.too_long.empty()) return;
  chunk.rejected_rows += static_cast<int>(chunk.too_long.size());
  chunk.rejections.insert(chunk.rejections.end(), chunk.too_long.begin(), chunk.too_long.end());
  std::ranges::stable_sort(chunk.rejections, {}, &Rejection::line);
}

// Moves a normalised chunk's outcome to the end of `result`, claiming keys as
// it goes. Rows start on increasing lines, so a record's place among the
// rejections is after those of earlier lines.
void Merge(Chunk& chunk, SeenKeys& seen, ReadResult& result) {
  result.rows += static_cast<int>(chunk.lines.size() + chunk.too_long.size());
  result.rejected_rows += chunk.rejected_rows;
  auto rejection = chunk.rejections.begin();
  auto rejections_before = [&](int line) {
    for (; rejection != chunk.rejections.end() && rejection->line < line; ++rejection) {
      result.rejections.push_back(std::move(*rejection));
    }
  };
  for (ListingRecord& rec : chunk.records) {
    rejections_before(rec.line);
    if (ClaimKey(rec, seen, result.rejections)) result.records.push_back(std::move(rec));
    else ++result.rejected_rows;
  }
  rejections_before(INT_MAX);
  chunk.records.clear();
  chunk.rejections.clear();
}

// Room for every record, estimated from the rows read so far and the input's
// size when the stream can tell it (a file): growing a vector of a million
// records copies and page-faults ~2 GB, all on the calling thread. Room left
// unused costs address space only.
void ReserveForInput(std::istream& in, size_t rows_read, SeenKeys& seen, ReadResult& result) {
  std::streambuf& buf = *in.rdbuf();
  std::streamoff here = buf.pubseekoff(0, std::ios::cur, std::ios::in);
  if (here <= 0) return;  // a pipe, say
  std::streamoff end = buf.pubseekoff(0, std::ios::end, std::ios::in);
  buf.pubseekpos(here, std::ios::in);
  if (end < here) return;
  auto rows = static_cast<size_t>(1.25 * static_cast<double>(rows_read) * end / here);
  result.records.reserve(rows);
  seen.reserve(seen.size() + rows);
}

// The data rows, at most `workers` chunks at a time normalised on threads of
// their own, each then merged by its thread in file order; the last chunk
// (every chunk when there are no workers) on this one. Merging on the
// workers leaves this thread only the CSV to read: at 1e6 the merges
// (records moved, keys claimed) took about 3 s of its 4.7 s.
ReadResult ReadRows(std::istream& in, CsvTable& table, std::string_view file,
                    const Taxonomy& taxonomy, SeenKeys& seen, size_t workers) {
  ReadResult result{std::string(file), std::string(kCuratedCsvFormat)};
  // The chunks merged so far: the n-th chunk (from 0) merges when it is n.
  std::mutex merge_mutex;
  std::condition_variable merge_turn;
  size_t merged = 0;
  auto normalise_and_merge = [&](Chunk& chunk, size_t number) {
    std::exception_ptr failed;  // still takes its turn, so later chunks do not wait forever
    try {
      Normalise(chunk, table, file, taxonomy);
    } catch (...) {
      failed = std::current_exception();
    }
    std::unique_lock lock(merge_mutex);
    merge_turn.wait(lock, [&] { return merged == number; });
    struct NextTurn {
      size_t& merged;
      std::condition_variable& turn;
      ~NextTurn() {
        ++merged;
        turn.notify_all();
      }
    } next{merged, merge_turn};
    if (failed) std::rethrow_exception(failed);
    Merge(chunk, seen, result);
  };
  struct Pending {
    Chunk chunk;  // before `done`: a future from std::async waits when destroyed
    std::future<void> done;
  };
  std::deque<Pending> pending;  // oldest first; a deque keeps each chunk in place
  auto take_oldest = [&] {
    pending.front().done.get();
    Chunk merged_chunk = std::move(pending.front().chunk);
    pending.pop_front();
    return merged_chunk;
  };
  Chunk chunk;
  size_t chunks = 0;
  Result<bool> full = Fill(table, file, chunk);
  if (full && *full) ReserveForInput(in, chunk.lines.size(), seen, result);
  for (; full && *full; full = Fill(table, file, chunk)) {
    if (workers == 0) {
      Normalise(chunk, table, file, taxonomy);
      Merge(chunk, seen, result);
      continue;
    }
    Pending& p = pending.emplace_back(std::move(chunk));
    p.done = std::async(std::launch::async, normalise_and_merge, std::ref(p.chunk), chunks++);
    if (pending.size() == workers) chunk = take_oldest();
  }
  Normalise(chunk, table, file, taxonomy);  // the last, while the workers finish theirs
  while (!pending.empty()) take_oldest();
  Merge(chunk, seen, result);
  if (!full) {  // an unterminated quote swallows the rest: report where it began
    result.rejections.push_back({std::string(file), table.line(), "", full.error().message});
    ++result.rows;  // a rejected row is a row seen (found by fuzz_curated_csv)
    ++result.rejected_rows;
  }
  return result;
}

}  // namespace

int CuratedCsvWorkers() {
  return static_cast<int>(std::clamp(2 * std::thread::hardware_concurrency(), 2u, 8u));
}

Result<ReadResult> ReadCuratedCsv(std::istream& in, std::string_view file,
                                  const Taxonomy& taxonomy, SeenKeys& seen, int workers) {
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s) {
    return Fail(Error::Invalid(std::string(file) + ":1: " + s.error().message));
  }
  if (auto s = CheckHeader(table, file); !s) return Fail(s.error());
  return ReadRows(in, table, file, taxonomy, seen, static_cast<size_t>(std::max(workers, 0)));
}

}  // namespace carefinder::importer
