// The input formats `carefinder import` reads: their names, how
// `--format auto` recognises each one, the `<input>.source.json` sidecar that
// says who published a file, and the dispatch to each format's reader.
#pragma once

#include <array>
#include <istream>
#include <string>
#include <string_view>

#include "core/error.h"
#include "importer/sources/hsds.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

inline constexpr std::array<std::string_view, 8> kFormats = {
    "curated-csv", "samhsa-locator-csv", "samhsa-json", "meeting-guide-json",
    "hsds-datapackage", "hsds-json", "samhsa-directory", "bmlt-json"};

bool IsKnownFormat(std::string_view name);
// "curated-csv, samhsa-locator-csv, ..." for messages and --help.
std::string FormatList();

// The format of an input named `name` whose first <= 4096 bytes are `head`;
// "" when no format fits. A name ending in datapackage.json is an HSDS
// datapackage; an .xlsx (zip magic) or a CSV header with Name1 and
// Service_code_info is samhsa-directory; JSON is told apart by each reader's LooksLike test; a CSV
// header of the SAMHSA locator is samhsa-locator-csv, any other *.csv (or a
// header with source_key) curated-csv, whose reader then names a bad column.
std::string DetectFormat(std::string_view name, std::string_view head);

// `<input>.source.json`: {"name", "url", "license", "attribution", "as_of",
// "format", "edition_of"}, every key optional but "name"; unknown keys are errors (a
// misspelt key must not be silently ignored).
struct Sidecar {
  SourceInfo source;
  std::string format;  // "" = not given
};
Result<Sidecar> ParseSidecar(std::string_view json_text, std::string_view file);

// Reads `in` with the reader of `format` (a name from kFormats). `open` is
// used by hsds-datapackage only. The curated CSV names its source in every
// row and ignores `source`.
Result<ReadResult> ReadAs(std::string_view format, std::istream& in, std::string_view file,
                          const SourceInfo& source, const OpenTable& open,
                          const Taxonomy& taxonomy, SeenKeys& seen);

}  // namespace carefinder::importer
