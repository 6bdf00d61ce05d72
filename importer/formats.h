// The input formats `carefinder import` reads: their names, how
// `--format auto` recognises each one, the `<input>.source.json` sidecar that
// says who published a file, and the dispatch to each format's reader.
#pragma once

#include <span>
#include <istream>
#include <string>
#include <string_view>

#include "core/error.h"
#include "importer/sources/hsds.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

// What a reader is given: the input, its name for messages, who published
// it, the other tables of an HSDS datapackage (`open`, else unused), the
// vocabulary, and the (source, key) pairs seen so far in the run.
struct ReadArgs {
  std::istream& in;
  std::string_view file;
  const SourceInfo& source;
  const OpenTable& open;
  const Taxonomy& taxonomy;
  SeenKeys& seen;
};

// One input format: its name, how `--format auto` recognises it from the
// input's name and first <= 4096 bytes (`head`), and its reader. A new reader
// is one row of Formats().
struct Format {
  std::string_view name;
  bool (*recognise)(std::string_view name, std::string_view head);
  Result<ReadResult> (*read)(const ReadArgs& args);
};

// Every format, in the order `auto` tries them: the first that recognises an
// input wins, so the most specific come first: an HSDS datapackage (by name
// or content), a SAMHSA directory (.xlsx, or a CSV header with Name1 and
// Service_code_info, which would also pass for a locator header), the JSON
// formats by their keys, the locator CSV by its header, and last the curated
// CSV (a header with source_key, or any *.csv, whose reader then names a bad
// column).
std::span<const Format> Formats();
const Format* FindFormat(std::string_view name);
bool IsKnownFormat(std::string_view name);
// "hsds-datapackage, samhsa-directory, ..." for messages and --help.
std::string FormatList();

// The name of the first format that recognises the input; "" when none does.
std::string DetectFormat(std::string_view name, std::string_view head);

// `<input>.source.json`: {"name", "url", "license", "attribution", "as_of",
// "format", "edition_of"}, every key optional but "name"; unknown keys are errors (a
// misspelt key must not be silently ignored).
struct Sidecar {
  SourceInfo source;
  std::string format;  // "" = not given
};
Result<Sidecar> ParseSidecar(std::string_view json_text, std::string_view file);

// Reads `in` with the reader of `format` (a name from Formats()). `open` is
// used by hsds-datapackage only. The curated CSV names its source in every
// row and ignores `source`.
Result<ReadResult> ReadAs(std::string_view format, std::istream& in, std::string_view file,
                          const SourceInfo& source, const OpenTable& open,
                          const Taxonomy& taxonomy, SeenKeys& seen);

}  // namespace carefinder::importer
