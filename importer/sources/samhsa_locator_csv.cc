// Reader of the SAMHSA locator CSV extracts: header shape, then one treatment
// record per good row, with the file's kind deciding the terms. See the header.
#include "importer/sources/samhsa_locator_csv.h"

#include <algorithm>
#include <array>
#include <sstream>
#include <unordered_map>

#include "core/csv.h"
#include "core/place_name.h"
#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/us_address.h"

namespace carefinder::importer {

namespace {

enum class Shape { kLocator, kOtpDirectory };

// The fields this reader takes, whatever the shape calls them.
enum Field {
  kName1, kName2, kStreet1, kStreet2, kCity, kState, kZip, kLatitude, kLongitude,
  kPhone, kIntake1, kIntake2, kWebsite, kTypeFacility, kFieldCount
};

// Column names (lower-cased) of each field in each shape; "" = not in that shape.
struct ColumnNames {
  std::string_view locator, otp;
};
constexpr std::array<ColumnNames, kFieldCount> kColumns = {{
    {"name1", "id"}, {"name2", ""}, {"street1", "address"}, {"street2", ""},
    {"city", "city"}, {"state", "state"}, {"zip", "postal"}, {"latitude", "latitude"},
    {"longitude", "longitude"}, {"phone", ""}, {"intake1", ""}, {"intake2", ""},
    {"website", ""}, {"type_facility", ""}}};
constexpr std::array<Field, 4> kRequired = {kName1, kCity, kState, kZip};
// Locator columns known and deliberately not kept; "" is R's row index.
constexpr std::array<std::string_view, 4> kNotKept = {"zip4", "county", "intake_prompt", ""};

constexpr std::string_view kLicense = "Public domain (US federal government work)";

using text::Quoted;

// Where each field is in this file's header, and what the file is.
struct Layout {
  Shape shape = Shape::kLocator;
  std::array<int, kFieldCount> index;
  std::vector<std::string> names;  // the header as written, for messages
  int row_index = -1;              // R's unnamed column: not part of a row's content

  bool Has(Field f) const { return index[f] >= 0; }
  const std::string& Name(Field f) const { return names[index[f]]; }
};

std::string Lower(std::string_view s) { return text::ToLower(text::Trim(s)); }

Result<Layout> ReadLayout(const std::vector<std::string>& header, std::string_view file,
                          std::vector<Rejection>& warnings) {
  std::string where = std::string(file) + ":1: ";
  std::vector<std::string> lower;
  for (const auto& h : header) lower.push_back(Lower(h));
  auto has = [&](std::string_view c) { return std::ranges::find(lower, c) != lower.end(); };
  Layout layout;
  layout.names = header;
  layout.index.fill(-1);
  if (has("id") && has("address") && has("postal")) layout.shape = Shape::kOtpDirectory;
  else if (!has("name1"))
    return Fail(Error::Invalid(where + "not a SAMHSA locator header (name1, name2, street1, "
                                       "street2, city, state, zip, ... or ID, ADDRESS, CITY, "
                                       "STATE, POSTAL, Latitude, Longitude)"));
  bool otp = layout.shape == Shape::kOtpDirectory;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (std::find(lower.begin(), lower.begin() + i, lower[i]) != lower.begin() + i)
      return Fail(Error::Invalid(where + "column '" + header[i] + "' appears twice"));
    auto field = std::ranges::find_if(kColumns, [&](const ColumnNames& c) {
      std::string_view name = otp ? c.otp : c.locator;
      return !name.empty() && name == lower[i];
    });
    if (field != kColumns.end()) {
      layout.index[field - kColumns.begin()] = static_cast<int>(i);
    } else if (!otp && std::ranges::find(kNotKept, lower[i]) != kNotKept.end()) {
      if (lower[i].empty()) layout.row_index = static_cast<int>(i);
    } else {
      warnings.push_back({std::string(file), 1, header[i],
                          "column not read by the samhsa-locator-csv reader; its values are "
                          "ignored"});
    }
  }
  for (Field f : kRequired) {
    if (!layout.Has(f)) {
      std::string_view name = otp ? kColumns[f].otp : kColumns[f].locator;
      return Fail(Error::Invalid(where + "missing required column '" + std::string(name) + "'"));
    }
  }
  return layout;
}

SourceInfo Defaulted(const SourceInfo& given, const Layout& layout) {
  if (!given.name.empty()) return given;
  SourceInfo s;
  s.name = layout.shape == Shape::kOtpDirectory ? "samhsa-otp-directory"
           : layout.Has(kTypeFacility)          ? "samhsa-locator-mh"
                                                : "samhsa-locator-sut";
  s.url = "https://findtreatment.gov/";
  s.license = std::string(kLicense);
  return s;
}

// One data row being read, with every problem recorded against it.
class Row : public RowRejections {
 public:
  Row(const CsvTable& table, const Layout& layout, std::string_view file,
      std::vector<Rejection>& out)
      : RowRejections(file, table.line(), out), table_(table), layout_(layout) {}

  // The trimmed value; "" for an absent column, an empty cell or NA.
  std::string_view Raw(Field f) const {
    if (!layout_.Has(f)) return {};
    std::string_view v = text::Trim(table_.row()[layout_.index[f]]);
    return v == "NA" ? std::string_view() : v;
  }
  std::string Text(Field f) const { return CleanText(Raw(f)); }
  std::string Required(Field f) {
    std::string v = Text(f);
    if (v.empty()) Reject(layout_.Name(f), "required value is missing");
    return v;
  }
  template <typename T>
  T Take(Field f, Result<T> r) {
    return RowRejections::Take(layout_.Name(f), std::move(r));
  }
  const Layout& layout() const { return layout_; }
  const std::string& Name(Field f) const { return layout_.Name(f); }

 private:
  const CsvTable& table_;
  const Layout& layout_;
};

void ReadAddress(Row& row, ListingRecord& rec) {
  ReadUsAddress(row, rec.address, kStreet1, kStreet2, kCity, kState, kZip);
  bool has_lat = !row.Raw(kLatitude).empty(), has_lon = !row.Raw(kLongitude).empty();
  if (has_lat != has_lon) {
    Field missing = has_lat ? kLongitude : kLatitude, given = has_lat ? kLatitude : kLongitude;
    row.Reject(row.layout().Has(missing) ? row.layout().Name(missing)
                                         : kColumns[missing].locator,
               "is missing while " + row.layout().Name(given) + " is given: give both or neither");
    return;
  }
  if (has_lat) {
    rec.latitude = row.Take(kLatitude, ParseDegrees(row.Raw(kLatitude), 90));
    rec.longitude = row.Take(kLongitude, ParseDegrees(row.Raw(kLongitude), 180));
  }
  rec.precision = GeoPrecision::kExact;
}

void AddPhone(Row& row, Field f, std::string_view role, ListingRecord& rec) {
  if (row.Raw(f).empty()) return;
  auto phone = ParsePhone(row.Raw(f), role);
  if (!phone) {
    row.Reject(row.layout().Name(f), phone.error().message);
    return;
  }
  bool repeated = std::ranges::any_of(rec.phones, [&](const Phone& p) {
    return p.display == phone->display && p.extension == phone->extension;
  });
  if (!repeated) rec.phones.push_back(std::move(*phone));
}

void ReadContact(Row& row, ListingRecord& rec) {
  AddPhone(row, kPhone, "main", rec);
  AddPhone(row, kIntake1, "intake", rec);
  AddPhone(row, kIntake2, "intake", rec);
  std::string_view site = row.Raw(kWebsite);
  bool bare_scheme = text::EqualsIgnoreCase(site, "http://") ||
                     text::EqualsIgnoreCase(site, "https://");
  if (!site.empty() && !bare_scheme) rec.website = row.Take(kWebsite, CheckUrl(site));
}

void ReadTerms(Row& row, ListingRecord& rec) {
  rec.terms.push_back(rec.kind);
  if (row.layout().shape == Shape::kOtpDirectory) {
    rec.terms.insert(rec.terms.end(), {"methadone", "opioids"});
  } else if (row.layout().Has(kTypeFacility)) {
    std::string_view type = row.Raw(kTypeFacility);
    if (type == "MH") rec.terms.push_back("mental-health");
    else if (type != "SA")
      row.Reject(row.layout().Name(kTypeFacility),
                 Quoted(type) + " is not a facility type (SA, MH)");
  }
}

std::string SourceKey(const Row& row, const ListingRecord& rec) {
  std::string key;
  for (Field f : {kName1, kName2, kStreet1, kStreet2, kCity}) key += KeySlug(row.Raw(f)) + "|";
  return key + text::ToLower(rec.address.state) + "|" + rec.address.postal_code;
}

// Reads the current row into `rec`; false when any field was rejected.
bool ReadRow(Row& row, const CsvTable& table, const SourceInfo& source, ListingRecord& rec) {
  if (!CheckCsvCells(table, row)) return false;
  StampProvenance(rec, row, source);
  rec.organization = row.Required(kName1);
  rec.name = row.Text(kName2).empty() ? rec.organization : row.Text(kName2);
  ReadTerms(row, rec);
  ReadAddress(row, rec);
  ReadContact(row, rec);
  if (!row.bad()) rec.source_key = SourceKey(row, rec);
  return !row.bad();
}

// The first good row of each key in this file: its line and its cells.
struct FirstRow {
  int line;
  std::vector<std::string> cells;
};

// The columns in which two rows differ, R's row index aside: "latitude, longitude".
std::string DifferingColumns(const Layout& layout, const std::vector<std::string>& a,
                             const std::vector<std::string>& b) {
  std::string out;
  for (size_t i = 0; i < a.size(); ++i) {
    if (static_cast<int>(i) == layout.row_index || a[i] == b[i]) continue;
    out += (out.empty() ? "" : ", ") + layout.names[i];
  }
  return out;
}

// Decides a good row's fate by its key: true = keep it. Identical repeats are
// skipped with a warning, differing ones and keys of other files rejected.
bool ClaimKey(Row& row, const CsvTable& table, const ListingRecord& rec, SeenKeys& seen,
              std::unordered_map<std::string, FirstRow>& firsts, ReadResult& result) {
  auto it = firsts.find(rec.source_key);
  int first = it == firsts.end() ? 0 : it->second.line;
  std::string differ = first ? DifferingColumns(row.layout(), it->second.cells, table.row()) : "";
  if (!ClaimSourceKey(row, rec, first, differ, seen, result.warnings)) return false;
  firsts.emplace(rec.source_key, FirstRow{row.line(), table.row()});
  return true;
}

}  // namespace

bool LooksLikeSamhsaLocatorCsv(std::string_view head) {
  std::string first(head.substr(0, head.find('\n')));
  std::istringstream in(first);
  CsvTable table(in);
  if (!table.ReadHeader()) return false;
  std::vector<std::string> lower;
  for (const auto& h : table.header()) lower.push_back(Lower(h));
  auto has_all = [&](std::initializer_list<std::string_view> names) {
    return std::ranges::all_of(names, [&](std::string_view n) {
      return std::ranges::find(lower, n) != lower.end();
    });
  };
  return has_all({"name1", "name2", "street1", "street2", "city", "state", "zip"}) ||
         has_all({"id", "address", "city", "state", "postal"});
}

Result<ReadResult> ReadSamhsaLocatorCsv(std::istream& in, std::string_view file,
                                        const SourceInfo& source, const Taxonomy& taxonomy,
                                        SeenKeys& seen) {
  for (std::string_view term : {"mental-health", "methadone", "opioids"}) {
    if (!taxonomy.Find(term))
      return Fail(Error::Internal("taxonomy has no term '" + std::string(term) + "'"));
  }
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s)
    return Fail(Error::Invalid(std::string(file) + ":1: " + s.error().message));
  ReadResult result{std::string(file), std::string(kSamhsaLocatorCsvFormat)};
  auto layout = ReadLayout(table.header(), file, result.warnings);
  if (!layout) return Fail(layout.error());
  SourceInfo info = Defaulted(source, *layout);
  std::unordered_map<std::string, FirstRow> firsts;
  while (true) {
    auto more = table.Next();
    if (!more) {  // an unterminated quote swallows the rest: report where it began
      result.rejections.push_back(
          {std::string(file), table.line(), more.error().param, more.error().message});
      ++result.rows;
      ++result.rejected_rows;
      if (table.skipped()) continue;  // a row too long, read past
      break;
    }
    if (!*more) break;
    ++result.rows;
    Row row(table, *layout, file, result.rejections);
    ListingRecord rec;
    if (ReadRow(row, table, info, rec)) {
      if (ClaimKey(row, table, rec, seen, firsts, result)) result.records.push_back(std::move(rec));
    }
    if (row.bad()) ++result.rejected_rows;
  }
  return result;
}

}  // namespace carefinder::importer
