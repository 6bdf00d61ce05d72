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

// The default number of chunks of rows normalised at once, each on a thread of
// its own: two a core, so that a core whose chunk is done has the next one
// while the calling thread merges and refills; at most 8 (past a few cores
// the calling thread's own share, tokenising and merging, is the limit).
int CuratedCsvWorkers();

// Reads every row of `in` (named `file` in messages). Good rows become
// records, bad rows rejections; `seen` catches a (source, source_key) used
// twice. The error case is a file that cannot be read as this format at all:
// an unknown, missing or repeated column, or an empty file. Rows are
// normalised a chunk at a time on up to `workers` more threads (0: all on
// this one; a file of a couple of thousand rows never starts one); the result
// is the same for any number.
Result<ReadResult> ReadCuratedCsv(std::istream& in, std::string_view file,
                                  const Taxonomy& taxonomy, SeenKeys& seen,
                                  int workers = CuratedCsvWorkers());

}  // namespace carefinder::importer
