// Reader of SAMHSA's National Directory: the facility header, then one
// treatment record per good row with its service codes mapped to terms. See
// the header; loading the sheets is samhsa_directory_input.cc.
#include "importer/sources/samhsa_directory.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include "core/csv.h"
#include "core/place_name.h"
#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/samhsa_codes.h"
#include "importer/sources/samhsa_directory_input.h"
#include "importer/sources/us_address.h"

namespace carefinder::importer {

namespace {

enum Field {
  kName1, kName2, kStreet1, kStreet2, kCity, kState, kZip, kPhone, kIntake1, kIntake2,
  kIntake1a, kIntake2a, kCodes, kFieldCount
};
constexpr std::array<std::string_view, kFieldCount> kColumns = {
    "name1", "name2",   "street1", "street2",  "city",     "state",            "zip",
    "phone", "intake1", "intake2", "intake1a", "intake2a", "service_code_info"};
constexpr std::array<Field, 5> kRequired = {kName1, kCity, kState, kZip, kCodes};

constexpr std::string_view kLicense = "Public domain (US federal government work)";

using text::Quoted;
std::string Lower(std::string_view s) { return text::ToLower(text::Trim(s)); }

struct Layout {
  std::array<int, kFieldCount> index;
  std::vector<std::string> names;  // the header as written, trimmed

  bool Has(Field f) const { return index[f] >= 0; }
  const std::string& Name(Field f) const { return names[index[f]]; }
};

Result<Layout> ReadLayout(const DirectoryInput& input, std::string_view file,
                          std::vector<Rejection>& warnings) {
  std::string where = std::string(file) + ":" + std::to_string(input.header_line) + ": ";
  Layout layout;
  layout.index.fill(-1);
  std::vector<std::string> lower;
  for (const auto& h : input.header) {
    layout.names.emplace_back(text::Trim(h));
    lower.push_back(Lower(h));
  }
  for (size_t i = 0; i < lower.size(); ++i) {
    if (lower[i].empty()) continue;  // a padded, unnamed column
    if (std::find(lower.begin(), lower.begin() + i, lower[i]) != lower.begin() + i)
      return Fail(Error::Invalid(where + "column '" + layout.names[i] + "' appears twice"));
    auto field = std::ranges::find(kColumns, lower[i]);
    if (field != kColumns.end()) layout.index[field - kColumns.begin()] = static_cast<int>(i);
    else
      warnings.push_back({std::string(file), input.header_line, layout.names[i],
                          "column not read by the samhsa-directory reader; its values are ignored"});
  }
  if (!layout.Has(kName1) && !layout.Has(kCodes))
    return Fail(Error::Invalid(where + "not a SAMHSA National Directory header (Name1, Name2, "
                                       "Street1, Street2, City, State, Zip, Phone, Intake1, "
                                       "Intake2, Intake1a, Intake2a, Service_code_info)"));
  for (Field f : kRequired) {
    if (!layout.Has(f))
      return Fail(Error::Invalid(where + "missing required column '" + std::string(kColumns[f]) + "'"));
  }
  return layout;
}

// The codes of a Service_code_info cell, category separators left out.
std::vector<std::string> SplitCodes(std::string_view cell) {
  std::vector<std::string> out;
  std::istringstream words{std::string(cell)};
  for (std::string w; words >> w;) {
    if (w != "*" && std::ranges::find(out, w) == out.end()) out.push_back(w);
  }
  return out;
}

bool Has(const std::vector<std::string>& list, std::string_view v) {
  return std::ranges::find(list, v) != list.end();
}

SourceInfo Defaulted(const SourceInfo& given, const DirectoryInput& input, const Layout& layout) {
  if (!given.name.empty()) return given;
  bool mh = input.code_names.contains("MH") ||
            std::ranges::any_of(input.rows, [&](const XlsxRow& r) {
              size_t i = layout.index[kCodes];
              return i < r.cells.size() && Has(SplitCodes(r.cells[i]), "MH");
            });
  SourceInfo s;
  s.name = mh ? "samhsa-national-directory-mh" : "samhsa-national-directory-su";
  s.url = "https://www.samhsa.gov/data/";
  s.license = std::string(kLicense);
  return s;
}

// Distinct codes of a file found in neither the mapping nor its code sheet.
struct UnknownCodes {
  struct Seen {
    std::string code;
    int first_line = 0, rows = 0;
  };
  std::vector<Seen> seen;
  std::unordered_map<std::string, size_t> index;

  void Add(const std::string& code, int line) {
    auto [it, added] = index.emplace(code, seen.size());
    if (added) seen.push_back({code, line, 0});
    ++seen[it->second].rows;
  }
};

// What a row's codes are decoded with.
struct Decoder {
  const SamhsaServiceMap& map;
  const std::unordered_map<std::string, std::string>& code_names;
  UnknownCodes unknown;
};

// One data row being read, with every problem recorded against it.
class Row : public RowRejections {
 public:
  Row(const XlsxRow& row, const Layout& layout, std::string_view file, std::vector<Rejection>& out)
      : RowRejections(file, row.number, out), cells_(row.cells), layout_(layout) {}

  std::string_view Raw(Field f) const {
    size_t i = layout_.index[f];
    return layout_.Has(f) && i < cells_.size() ? text::Trim(cells_[i]) : std::string_view();
  }
  std::string Text(Field f) const { return CleanText(Raw(f)); }
  std::string Required(Field f) {
    std::string v = Text(f);
    if (v.empty()) Reject(Name(f), "required value is missing");
    return v;
  }
  const std::string& Name(Field f) const { return layout_.Name(f); }
  const std::vector<std::string>& cells() const { return cells_; }

 private:
  const std::vector<std::string>& cells_;
  const Layout& layout_;
};

// The cells are as many as the header (an .xlsx leaves trailing empty cells
// out: they are padded) and UTF-8.
bool CheckCells(Row& row, std::vector<std::string>& cells, const Layout& layout, bool csv) {
  size_t width = layout.names.size();
  bool extra = cells.size() > width &&
               std::any_of(cells.begin() + width, cells.end(), [](auto& c) { return !c.empty(); });
  if ((csv && cells.size() != width) || extra) {
    row.Reject("", "row has " + std::to_string(cells.size()) + " fields, the header has " +
                       std::to_string(width));
    return false;
  }
  cells.resize(width);
  for (size_t i = 0; i < width; ++i) {
    if (auto s = CheckUtf8(cells[i]); !s) row.Reject(layout.names[i], s.error().message);
  }
  return !row.bad();
}


// A number that is not a US phone number is left out with a warning, not the
// facility: a person can still find it, and its Call action is then SAMHSA's
// helpline (store/call_action.h).
void ReadPhones(Row& row, ListingRecord& rec, std::vector<Rejection>& warnings) {
  for (auto [f, role] : {std::pair{kPhone, "main"}, {kIntake1, "intake"}, {kIntake1a, "intake"},
                         {kIntake2, "intake"}, {kIntake2a, "intake"}}) {
    if (row.Raw(f).empty()) continue;
    auto phone = ParsePhone(row.Raw(f), role);
    if (phone) AddPhoneOnce(rec.phones, std::move(*phone));
    else warnings.push_back({row.file(), row.line(), std::string(row.Name(f)),
                             phone.error().message + "; the facility is kept without it"});
  }
}

void AddOnce(std::vector<std::string>& list, const std::string& value) {
  if (!Has(list, value)) list.push_back(value);
}

void ReadTerms(Row& row, const std::vector<std::string>& codes, Decoder& decoder,
               ListingRecord& rec) {
  rec.terms.push_back(rec.kind);
  rec.services_stated = true;
  for (const auto& code : codes) {
    if (const auto* terms = decoder.map.FindCode(code); terms && !terms->empty()) {
      for (const auto& term : *terms) AddOnce(rec.terms, term);
    } else if (terms) {
      AddOnce(rec.source_attributes, decoder.map.label_by_code.at(code));
    } else if (auto name = decoder.code_names.find(code); name != decoder.code_names.end()) {
      AddOnce(rec.source_attributes, name->second.empty() ? code : name->second);
    } else {
      AddOnce(rec.source_attributes, code);
      decoder.unknown.Add(code, row.line());
    }
  }
  if (Has(codes, "FEM") && !Has(codes, "MALE")) AddOnce(rec.terms, "women");
  if (Has(codes, "MALE") && !Has(codes, "FEM")) AddOnce(rec.terms, "men");
}

std::string SourceKey(const Row& row, const ListingRecord& rec) {
  std::string key;
  for (Field f : {kName1, kName2, kStreet1, kStreet2}) key += KeySlug(row.Raw(f)) + "|";
  return key + rec.address.postal_code;
}

bool ReadRow(Row& row, const std::vector<std::string>& codes, const SourceInfo& source,
             Decoder& decoder, ListingRecord& rec, std::vector<Rejection>& warnings) {
  StampProvenance(rec, row, source);
  rec.organization = row.Required(kName1);
  rec.name = row.Text(kName2).empty() ? rec.organization : row.Text(kName2);
  ReadUsAddress(row, rec.address, kStreet1, kStreet2, kCity, kState, kZip);
  ReadPhones(row, rec, warnings);
  if (codes.empty()) row.Reject(row.Name(kCodes), "required value is missing");
  if (row.bad()) return false;
  ReadTerms(row, codes, decoder, rec);
  rec.source_key = SourceKey(row, rec);
  return true;
}

// Decides a good row's fate by its key: true = keep it. An identical repeat is
// skipped with a warning; a differing one, or a key of another file, rejected.
class Keys {
 public:
  Keys(const Layout& layout, SeenKeys& seen) : layout_(layout), seen_(seen) {}

  bool Claim(Row& row, const ListingRecord& rec, ReadResult& result) {
    auto it = firsts_.find(rec.source_key);
    int first = it == firsts_.end() ? 0 : it->second->number;
    std::string differ = first ? Differing(it->second->cells, row.cells()) : "";
    return ClaimSourceKey(row, rec, first, differ, seen_, result.warnings);
  }
  void Keep(const std::string& key, const XlsxRow& row) { firsts_.emplace(key, &row); }

 private:
  std::string Differing(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::string out;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (a[i] != b[i]) out += (out.empty() ? "" : ", ") + layout_.names[i];
    }
    return out;
  }

  const Layout& layout_;
  SeenKeys& seen_;
  std::unordered_map<std::string, const XlsxRow*> firsts_;  // rows outlive this
};

void Warn(const Decoder& decoder, int left_out, const Layout& layout, std::string_view file,
          int header_line, ReadResult& result) {
  if (left_out > 0) {
    result.warnings.push_back(
        {std::string(file), header_line, "",
         std::to_string(left_out) + (left_out == 1 ? " facility" : " facilities") +
             " without substance use treatment (no SA code) left out"});
  }
  for (const auto& u : decoder.unknown.seen) {
    std::string rows = std::to_string(u.rows) + (u.rows == 1 ? " row" : " rows");
    result.warnings.push_back(
        {std::string(file), u.first_line, layout.Name(kCodes),
         "unknown SAMHSA service code " + Quoted(u.code) + " in " + rows +
             ", kept as a source attribute; map it in data/mappings/samhsa_codes.csv"});
  }
}

}  // namespace

bool LooksLikeSamhsaDirectory(std::string_view name, std::string_view head) {
  std::string lower_name = text::ToLower(name);
  if (LooksLikeZip(head)) return lower_name.ends_with(".xlsx");
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  std::string header = Lower(head.substr(0, head.find('\n')));
  return header.contains("name1") && header.contains("service_code_info");
}

Result<ReadResult> ReadSamhsaDirectory(std::istream& in, std::string_view file,
                                       const SourceInfo& source, const Taxonomy& taxonomy,
                                       SeenKeys& seen) {
  auto services = SamhsaServices(taxonomy);
  if (!services) return Fail(services.error());
  for (std::string_view term : {"women", "men"}) {
    if (!taxonomy.Find(term))
      return Fail(Error::Internal("taxonomy has no term '" + std::string(term) + "'"));
  }
  auto read = ReadWholeFile(in, file);
  if (!read) return Fail(read.error());
  std::string bytes = std::move(*read);
  ReadResult result{std::string(file), std::string(kSamhsaDirectoryFormat)};
  auto input = LoadDirectoryInput(bytes, file, result);
  if (!input) return Fail(input.error());
  auto layout = ReadLayout(*input, file, result.warnings);
  if (!layout) return Fail(layout.error());
  SourceInfo info = Defaulted(source, *input, *layout);
  Decoder decoder{**services, input->code_names, {}};
  Keys keys(*layout, seen);
  int left_out = 0;
  for (XlsxRow& cells : input->rows) {
    ++result.rows;
    Row row(cells, *layout, file, result.rejections);
    if (!CheckCells(row, cells.cells, *layout, input->csv)) {
      ++result.rejected_rows;
      continue;
    }
    std::vector<std::string> codes = SplitCodes(row.Raw(kCodes));
    if (Has(codes, "MH") && !Has(codes, "SA")) {
      ++left_out;
      continue;
    }
    ListingRecord rec;
    if (ReadRow(row, codes, info, decoder, rec, result.warnings) && keys.Claim(row, rec, result)) {
      keys.Keep(rec.source_key, cells);
      result.records.push_back(std::move(rec));
    }
    if (row.bad()) ++result.rejected_rows;
  }
  Warn(decoder, left_out, *layout, file, input->header_line, result);
  return result;
}

}  // namespace carefinder::importer
