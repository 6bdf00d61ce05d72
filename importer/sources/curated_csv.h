// Reader of the project's own curated listing CSV (data/README.md): one row a
// listing, columns in any order, unknown columns rejected, `;` between values.
#pragma once

#include <istream>
#include <string_view>

#include "core/error.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

inline constexpr std::string_view kCuratedCsvFormat = "curated-csv";

// Reads every row of `in` (named `file` in messages). Good rows become
// records, bad rows rejections; `seen` catches a (source, source_key) used
// twice. The error case is a file that cannot be read as this format at all:
// an unknown, missing or repeated column, or an empty file.
Result<ReadResult> ReadCuratedCsv(std::istream& in, std::string_view file,
                                  const Taxonomy& taxonomy, SeenKeys& seen);

}  // namespace carefinder::importer
