// Golden files, one per import format (STYLE: importer input -> expected
// normalised output, diffs reviewed like code). For each format of
// importer/formats.cc's table, tests/fixtures/importer/golden/<format>/
// holds a small input and `expected.json`: what the format's reader makes
// of it (counts, each record's listing document as core/listing_document.h
// writes it, its terms and schedule strings, and every rejection and warning
// word for word).
//
// To regenerate after a deliberate change, run with CAREFINDER_UPDATE_GOLDEN=1:
//   CAREFINDER_UPDATE_GOLDEN=1 build/golden_importer_formats_test
// then read `git diff tests/fixtures/importer/golden` before committing it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/listing_document.h"
#include "core/uuid.h"
#include "importer/formats.h"
#include "importer/listing_doc.h"
#include "importer/sources/bmlt.h"
#include "importer/sources/curated_csv.h"
#include "importer/sources/meeting_guide.h"
#include "importer/sources/samhsa_directory.h"
#include "importer/sources/samhsa_json.h"
#include "importer/sources/samhsa_locator_csv.h"

namespace carefinder::importer {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr const char* kUpdateVariable = "CAREFINDER_UPDATE_GOLDEN";
constexpr size_t kMaxDiffLines = 60;

struct GoldenCase {
  std::string_view format;
  const char* input;  // in the format's folder; a datapackage's other tables lie beside it
};

// gtest names a failing case by this instead of its bytes.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.format; }

constexpr GoldenCase kCases[] = {
    {kHsdsDatapackageFormat, "datapackage.json"}, {kSamhsaDirectoryFormat, "input.csv"},
    {kMeetingGuideFormat, "input.json"},          {kSamhsaJsonFormat, "input.json"},
    {kHsdsJsonFormat, "input.json"},              {kBmltFormat, "input.json"},
    {kSamhsaLocatorCsvFormat, "input.csv"},       {kCuratedCsvFormat, "input.csv"},
};

fs::path Folder(std::string_view format) {
  return fs::path(CF_SOURCE_DIR) / "tests/fixtures/importer/golden" / format;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Json Messages(const std::vector<Rejection>& rejections) {
  Json out = Json::array();
  for (const auto& r : rejections) out.push_back(r.Message());
  return out;
}

Json RecordJson(const ListingRecord& rec) {
  const Taxonomy& taxonomy = Taxonomy::Embedded();
  RecordIds ids;
  ids.service_at_location = StableId("service_at_location", rec.source, rec.source_key);
  std::string doc = RenderListingDoc(rec, ids, taxonomy, "");
  // The search terms as listing_terms() reads them back: ' code code '.
  std::vector<std::string_view> codes;
  for (const Term* t : SearchTerms(rec, taxonomy)) codes.push_back(t->code);
  return Json{{"line", rec.line},
              {"source_key", rec.source_key},
              {"terms", listing_document::TermsString(codes)},
              {"schedule", ScheduleString(rec)},
              {"document", Json::parse(doc)}};
}

// What the reader of `c.format` makes of the golden input, as text.
std::string Normalised(const GoldenCase& c) {
  fs::path dir = Folder(c.format);
  std::ifstream in(dir / c.input, std::ios::binary);
  if (!in) return std::string("cannot open ") + (dir / c.input).string() + "\n";
  SourceInfo source{"golden", "https://carefinder.example/golden", "CC0-1.0", "", "2026-01-01"};
  OpenTable open = [dir](std::string_view path) -> std::unique_ptr<std::istream> {
    auto table = std::make_unique<std::ifstream>(dir / path, std::ios::binary);
    if (!*table) return nullptr;
    return table;
  };
  SeenKeys seen;
  auto r = ReadAs(c.format, in, c.input, source, open, Taxonomy::Embedded(), seen);
  if (!r) return "error: " + r.error().message + "\n";
  Json records = Json::array();
  for (const auto& rec : r->records) records.push_back(RecordJson(rec));
  Json out = {{"format", r->format},
              {"rows", r->rows},
              {"rejected_rows", r->rejected_rows},
              {"records", records},
              {"rejections", Messages(r->rejections)},
              {"warnings", Messages(r->warnings)}};
  return out.dump(2) + "\n";
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A line diff (longest common subsequence): "-" and the expected file's line
// number, "+" and the output's; at most kMaxDiffLines lines.
std::string Diff(const std::string& want, const std::string& got) {
  std::vector<std::string> a = Lines(want), b = Lines(got);
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::ostringstream out;
  size_t i = 0, j = 0, shown = 0;
  auto line = [&](char sign, size_t at, const std::string& text) {
    if (shown++ < kMaxDiffLines) out << sign << " " << at + 1 << ": " << text << "\n";
  };
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      ++i, ++j;
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      line('-', i, a[i]);
      ++i;
    } else {
      line('+', j, b[j]);
      ++j;
    }
  }
  if (shown > kMaxDiffLines) out << "... " << shown - kMaxDiffLines << " more lines differ\n";
  return out.str();
}

class ImporterGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(ImporterGolden, ReaderOutputMatchesExpectedJson) {
  const GoldenCase& c = GetParam();
  fs::path expected = Folder(c.format) / "expected.json";
  std::string got = Normalised(c);
  if (std::getenv(kUpdateVariable)) {
    std::ofstream(expected, std::ios::binary) << got;
    GTEST_SKIP() << "wrote " << expected.string();
  }
  ASSERT_TRUE(fs::exists(expected)) << expected.string() << " is missing: run with "
                                    << kUpdateVariable << "=1 to write it";
  std::string want = Slurp(expected);
  EXPECT_TRUE(got == want) << expected.string() << " differs (- expected, + got):\n"
                           << Diff(want, got) << "If the change is meant, run with "
                           << kUpdateVariable << "=1 and review the diff.";
}

std::string CaseName(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string name(info.param.format);
  std::ranges::replace(name, '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Formats, ImporterGolden, ::testing::ValuesIn(kCases), CaseName);

TEST(ImporterGoldenCoverage, EveryFormatInTheTableHasAGoldenCase) {
  for (const Format& f : Formats()) {
    bool covered = std::ranges::any_of(kCases, [&](const GoldenCase& c) { return c.format == f.name; });
    EXPECT_TRUE(covered) << "no golden case for format " << f.name;
  }
}

TEST(ImporterGoldenDiff, ShowsChangedLinesWithTheirNumbers) {
  EXPECT_EQ(Diff("a\nb\nc\n", "a\nB\nc\n"), "- 2: b\n+ 2: B\n");
  EXPECT_EQ(Diff("a\n", "a\nz\n"), "+ 2: z\n");
  EXPECT_EQ(Diff("a\nb\n", "a\nb\n"), "");
}

}  // namespace
}  // namespace carefinder::importer
