// Reader of FindTreatment.gov locator JSON: a scan for where each row starts
// (and for invalid UTF-8), nlohmann for the values, then one treatment record
// per good row with its services mapped to terms. See the header.
#include "importer/sources/samhsa_json.h"

#include <algorithm>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "core/place_name.h"
#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/json_rows.h"
#include "importer/sources/samhsa_codes.h"

namespace carefinder::importer {

namespace {

using nlohmann::json;

constexpr std::string_view kLicense = "Public domain (US federal government work)";

using text::Quoted;

Result<json> ParseJson(const std::string& text, std::string_view file) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: why": keep "why".
    std::string what = e.what();
    size_t column = what.find("column ");
    size_t why = column == std::string::npos ? column : what.find(": ", column);
    std::string reason = why == std::string::npos ? what : what.substr(why + 2);
    size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    return Fail(Error::Invalid(std::string(file) + ":" + std::to_string(LineAt(text, byte)) +
                               ": not JSON: " + reason));
  } catch (const json::exception& e) {
    // Valid syntax the parser cannot hold, such as a number beyond a double
    // (1E999): "[json.exception.out_of_range.406] why", with no position.
    std::string what = e.what();
    size_t why = what.find("] ");
    return Fail(Error::Invalid(std::string(file) + ": not JSON this reader can hold: " +
                               (why == std::string::npos ? what : what.substr(why + 2))));
  }
}

// ---- service codes ---------------------------------------------------------

// Distinct unknown service values of a file, in the order first seen.
struct UnknownServices {
  struct Seen {
    std::string label, category;
    int first_line = 0, rows = 0;
  };
  std::vector<Seen> seen;
  std::unordered_map<std::string, size_t> index;

  void Add(const std::string& label, const std::string& category, int line) {
    auto [it, added] = index.emplace(label, seen.size());
    if (added) seen.push_back({label, category, line, 0});
    ++seen[it->second].rows;
  }
};

// ---- one row ---------------------------------------------------------------

class Row : public RowRejections {
 public:
  Row(const json& obj, std::string_view file, int line, std::vector<Rejection>& out)
      : RowRejections(file, line, out), obj_(obj) {}

  // A string or number as trimmed text; "" for absent, null, empty or NA.
  std::string Raw(std::string_view key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return "";
    if (it->is_number()) return it->dump();
    if (!it->is_string()) {
      Reject(key, std::string("expected a string, got ") + it->type_name());
      return "";
    }
    std::string_view v = text::Trim(it->get_ref<const std::string&>());
    return v == "NA" ? "" : std::string(v);
  }
  std::string Text(std::string_view key) { return CleanText(Raw(key)); }
  std::string Required(std::string_view key) {
    std::string v = Text(key);
    if (v.empty() && !Failed(key)) Reject(key, "required value is missing");
    return v;
  }
  const json& obj() const { return obj_; }

 private:
  const json& obj_;
};

void ReadAddress(Row& row, ListingRecord& rec) {
  rec.address.line1 = row.Text("street1");
  rec.address.line2 = row.Text("street2");
  rec.address.city = row.Required("city");
  std::string state = row.Required("state");
  if (!state.empty()) {
    if (auto code = NormalizeState(state)) rec.address.state = *code;
    else row.Reject("state", Quoted(state) + " is not a US state");
  }
  std::string zip = row.Required("zip");
  if (!zip.empty()) rec.address.postal_code = row.Take("zip", NormalizeZip(zip));
  std::string lat = row.Raw("latitude"), lon = row.Raw("longitude");
  if (lat.empty() != lon.empty()) {
    row.Reject(lat.empty() ? "latitude" : "longitude",
               std::string("is missing while ") + (lat.empty() ? "longitude" : "latitude") +
                   " is given: give both or neither");
  } else if (!lat.empty()) {
    rec.latitude = row.Take("latitude", ParseDegrees(lat, 90));
    rec.longitude = row.Take("longitude", ParseDegrees(lon, 180));
  }
  rec.precision = GeoPrecision::kExact;
}

void ReadContact(Row& row, ListingRecord& rec) {
  for (auto [key, role] : {std::pair{"phone", "main"}, {"intake1", "intake"},
                           {"intake2", "intake"}, {"hotline1", "hotline"}}) {
    std::string raw = row.Raw(key);
    if (raw.empty()) continue;
    auto phone = ParsePhone(raw, role);
    if (!phone) {
      row.Reject(key, phone.error().message);
      continue;
    }
    bool repeated = std::ranges::any_of(rec.phones, [&](const Phone& p) {
      return p.display == phone->display && p.extension == phone->extension;
    });
    if (!repeated) rec.phones.push_back(std::move(*phone));
  }
  std::string site = row.Raw("website");
  bool bare_scheme = text::EqualsIgnoreCase(site, "http://") ||
                     text::EqualsIgnoreCase(site, "https://");
  if (!site.empty() && !bare_scheme) rec.website = row.Take("website", CheckUrl(site));
}

void AddOnce(std::vector<std::string>& list, const std::string& value) {
  if (std::ranges::find(list, value) == list.end()) list.push_back(value);
}

// Maps every f3 value to terms or source attributes; unknown values are
// collected in `unknown` as (label, category).
void ReadServices(Row& row, const SamhsaServiceMap& map, ListingRecord& rec,
                  std::vector<std::pair<std::string, std::string>>& unknown) {
  auto it = row.obj().find("services");
  if (it == row.obj().end() || it->is_null()) return;
  if (!it->is_array()) {
    row.Reject("services", std::string("expected a list of {f1, f2, f3}, got ") + it->type_name());
    return;
  }
  std::vector<std::string> labels;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& s = (*it)[i];
    auto f3 = s.is_object() ? s.find("f3") : s.end();
    if (!s.is_object() || f3 == s.end() || !f3->is_string()) {
      row.Reject("services", "entry " + std::to_string(i + 1) + " has no \"f3\" text");
      continue;
    }
    auto f2 = s.find("f2");
    std::string category = f2 != s.end() && f2->is_string() ? f2->get<std::string>() : "";
    for (const auto& value : text::SplitList(f3->get_ref<const std::string&>(), ';')) {
      std::string label = CleanText(value);
      if (label.empty()) continue;
      labels.push_back(label);
      const std::vector<std::string>* terms = map.Find(label);
      if (!terms) {
        AddOnce(rec.source_attributes, label);
        if (std::ranges::find(unknown, std::pair{label, category}) == unknown.end())
          unknown.emplace_back(label, category);
      } else if (terms->empty()) {
        AddOnce(rec.source_attributes, label);
      } else {
        for (const auto& term : *terms) AddOnce(rec.terms, term);
      }
    }
  }
  bool female = std::ranges::find(labels, "Female") != labels.end();
  bool male = std::ranges::find(labels, "Male") != labels.end();
  if (female && !male) AddOnce(rec.terms, "women");
  if (male && !female) AddOnce(rec.terms, "men");
}

bool ReadRow(Row& row, const SourceInfo& source, const SamhsaServiceMap& map, ListingRecord& rec,
             std::vector<std::pair<std::string, std::string>>& unknown) {
  StampProvenance(rec, row, source);
  rec.source_key = row.Required("frid");
  rec.organization = row.Required("name1");
  std::string name2 = row.Text("name2");
  rec.name = name2.empty() ? rec.organization : name2;
  rec.terms.push_back(rec.kind);
  ReadServices(row, map, rec, unknown);
  ReadAddress(row, rec);
  ReadContact(row, rec);
  return !row.bad();
}

void CheckUnique(Row& row, const ListingRecord& rec, SeenKeys& seen) {
  if (auto first = seen.Claim(rec.source, rec.source_key, row.file(), row.line())) {
    row.Reject("frid", "duplicate " + Quoted(rec.source_key) + " for source " +
                           Quoted(rec.source) + " (first on " + *first + ")");
  }
}

SourceInfo Defaulted(const SourceInfo& given) {
  if (!given.name.empty()) return given;
  SourceInfo s;
  s.name = "samhsa-findtreatment";
  s.url = "https://findtreatment.gov/";
  s.license = std::string(kLicense);
  return s;
}

// Rejects row `row` once per string in it that is not UTF-8; true when any.
bool RejectInvalidUtf8(const RowPlaces& places, int row, std::string_view file,
                       std::vector<Rejection>& out) {
  bool any = false;
  for (const BadText& b : places.bad_utf8) {
    if (b.row != row) continue;
    out.push_back({std::string(file), b.line, b.field, b.reason});
    any = true;
  }
  return any;
}

void WarnUnknown(const UnknownServices& unknown, std::string_view file, ReadResult& result) {
  for (const auto& u : unknown.seen) {
    std::string category = u.category.empty() ? "" : " (category " + Quoted(u.category) + ")";
    std::string rows = std::to_string(u.rows) + (u.rows == 1 ? " row" : " rows");
    result.warnings.push_back(
        {std::string(file), u.first_line, "services",
         "unknown SAMHSA service " + Quoted(u.label) + category + " in " + rows +
             ", kept as a source attribute; map it in data/mappings/samhsa_codes.csv"});
  }
}

}  // namespace

bool LooksLikeSamhsaJson(std::string_view head) {
  if (text::StartsWith(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
  head = text::Trim(head);
  if (head.empty() || (head[0] != '{' && head[0] != '[')) return false;
  return head.contains("\"name1\"") && (head.contains("\"services\"") || head.contains("\"frid\""));
}

Result<ReadResult> ReadSamhsaJson(std::istream& in, std::string_view file,
                                  const SourceInfo& source, const Taxonomy& taxonomy,
                                  SeenKeys& seen) {
  auto services = SamhsaServices(taxonomy);
  if (!services) return Fail(services.error());
  auto read = ReadWholeFile(in, file);
  if (!read) return Fail(read.error());
  std::string text = std::move(*read);
  // The parser stops at a NUL byte as if the text ended there (found by
  // fuzz_samhsa_json): refuse the file rather than drop what follows.
  if (size_t nul = text.find('\0'); nul != std::string::npos) {
    return Fail(Error::Invalid(std::string(file) + ":" + std::to_string(LineAt(text, nul)) +
                               ": a NUL byte at byte " + std::to_string(nul + 1) +
                               ": not a JSON text file"));
  }
  RowPlaces places = ScanRows(text, "rows");
  for (const BadText& b : places.bad_utf8) {
    if (b.row < 0) return Fail(Error::Invalid(std::string(file) + ":" + std::to_string(b.line) +
                                              ": " + b.reason));
  }
  auto doc = ParseJson(places.bad_utf8.empty() ? text : WithoutInvalidUtf8(text), file);
  if (!doc) return Fail(doc.error());
  const json* rows = doc->is_array() ? &*doc : nullptr;
  if (doc->is_object() && doc->contains("rows") && (*doc)["rows"].is_array()) rows = &(*doc)["rows"];
  if (!rows) {
    return Fail(Error::Invalid(std::string(file) +
                               ":1: no \"rows\" array: not a FindTreatment.gov locator response"));
  }
  if (places.lines.size() != rows->size()) {
    return Fail(Error::Internal(std::string(file) + ": found " + std::to_string(places.lines.size()) +
                                " row starts for " + std::to_string(rows->size()) + " rows"));
  }
  ReadResult result{std::string(file), std::string(kSamhsaJsonFormat)};
  SourceInfo info = Defaulted(source);
  UnknownServices unknown;
  for (size_t i = 0; i < rows->size(); ++i) {
    ++result.rows;
    if (RejectInvalidUtf8(places, static_cast<int>(i), file, result.rejections)) {
      ++result.rejected_rows;
      continue;
    }
    Row row((*rows)[i], file, places.lines[i], result.rejections);
    ListingRecord rec;
    std::vector<std::pair<std::string, std::string>> row_unknown;
    if (!(*rows)[i].is_object()) {
      row.Reject("", std::string("row is not an object but ") + (*rows)[i].type_name());
    } else if (ReadRow(row, info, **services, rec, row_unknown)) {
      CheckUnique(row, rec, seen);
    }
    if (row.bad()) {
      ++result.rejected_rows;
      continue;
    }
    for (const auto& [label, category] : row_unknown) unknown.Add(label, category, row.line());
    result.records.push_back(std::move(rec));
  }
  WarnUnknown(unknown, file, result);
  return result;
}

}  // namespace carefinder::importer
