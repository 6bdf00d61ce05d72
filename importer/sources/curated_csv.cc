// Reader of the curated listing CSV (data/README.md): header checks, then one
// ListingRecord per good row; every bad field of a bad row is reported.
#include "importer/sources/curated_csv.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "core/csv.h"
#include "core/place_name.h"
#include "core/text.h"
#include "importer/normalise.h"

namespace carefinder::importer {

namespace {

constexpr std::array<std::string_view, 33> kColumns = {
    "source", "source_key", "source_url", "source_license", "as_of", "last_verified",
    "kind", "status", "organization", "name", "description", "address1", "address2",
    "city", "state", "zip", "latitude", "longitude", "phones", "website", "email",
    "care", "medication", "substance", "support", "payment", "population", "language",
    "attendance", "other_services", "hours", "conference_url", "conference_phone"};

constexpr std::array<std::string_view, 8> kRequired = {
    "source", "source_key", "as_of", "organization", "name", "city", "state", "zip"};

// The term columns, each holding codes of the taxonomy group of the same name.
constexpr std::array<std::string_view, 8> kTermGroups = {
    "care", "medication", "substance", "support", "payment", "population", "language",
    "attendance"};

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

Status CheckHeader(const CsvTable& table, std::string_view file) {
  std::string where = std::string(file) + ":" + std::to_string(table.line()) + ": ";
  const auto& header = table.header();
  for (size_t i = 0; i < header.size(); ++i) {
    if (std::find(kColumns.begin(), kColumns.end(), header[i]) == kColumns.end()) {
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
  Row(const CsvTable& table, std::string_view file, std::vector<Rejection>& out)
      : RowRejections(file, table.line(), out), table_(table) {}

  // The trimmed value; "" for an absent column, an empty cell or NA.
  std::string_view Raw(std::string_view column) const {
    std::string_view v = table_.Get(column);
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
  if (!rec.as_of.empty() && !IsIsoDate(rec.as_of))
    row.Reject("as_of", Quoted(rec.as_of) + " is not a date (YYYY-MM-DD)");
  rec.last_verified = std::string(row.Raw("last_verified"));
  if (!rec.last_verified.empty() && !IsIsoDate(rec.last_verified))
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
  rec.terms.push_back(rec.kind);  // the kind is a taxonomy group too: one filter path
  for (std::string_view group : kTermGroups) {
    for (const auto& code : text::SplitList(row.Raw(group), ';')) {
      std::string folded = text::ToLower(code);
      if (!taxonomy.InGroup(folded, group)) {
        row.Reject(group, Quoted(code) + " is not a code in taxonomy group '" +
                              std::string(group) + "'");
      } else if (std::find(rec.terms.begin(), rec.terms.end(), folded) == rec.terms.end()) {
        rec.terms.push_back(folded);
      }
    }
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

void CheckUnique(Row& row, const ListingRecord& rec, SeenKeys& seen) {
  if (rec.source.empty() || rec.source_key.empty()) return;
  std::string here = row.file() + ":" + std::to_string(row.line());
  auto [it, inserted] = seen.emplace(rec.source + '\x1f' + rec.source_key, here);
  if (!inserted) {
    row.Reject("source_key", "duplicate " + Quoted(rec.source_key) + " for source " +
                                 Quoted(rec.source) + " (first on " + it->second + ")");
  }
}

// Reads the current row into `rec`; false when any field was rejected.
bool ReadRow(Row& row, const CsvTable& table, const Taxonomy& taxonomy, SeenKeys& seen,
             ListingRecord& rec) {
  if (!CheckCsvCells(table, row)) return false;
  rec.file = row.file();
  rec.line = row.line();
  ReadProvenance(row, rec);
  ReadService(row, rec);
  ReadTerms(row, rec, taxonomy);
  ReadAddress(row, rec);
  ReadContact(row, rec);
  ReadHours(row, rec);
  if (!row.bad()) CheckUnique(row, rec, seen);  // a bad row must not claim its key
  return !row.bad();
}

}  // namespace

Result<ReadResult> ReadCuratedCsv(std::istream& in, std::string_view file,
                                  const Taxonomy& taxonomy, SeenKeys& seen) {
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s) {
    return Fail(Error::Invalid(std::string(file) + ":1: " + s.error().message));
  }
  if (auto s = CheckHeader(table, file); !s) return Fail(s.error());
  ReadResult result{std::string(file), std::string(kCuratedCsvFormat)};
  while (true) {
    auto more = table.Next();
    if (!more) {  // an unterminated quote swallows the rest: report where it began
      result.rejections.push_back({std::string(file), table.line(), "", more.error().message});
      ++result.rows;  // a rejected row is a row seen (found by fuzz_curated_csv)
      ++result.rejected_rows;
      break;
    }
    if (!*more) break;
    ++result.rows;
    Row row(table, file, result.rejections);
    ListingRecord rec;
    if (ReadRow(row, table, taxonomy, seen, rec)) result.records.push_back(std::move(rec));
    else ++result.rejected_rows;
  }
  return result;
}

}  // namespace carefinder::importer
