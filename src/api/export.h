// `carefinder export --format hsds-csv|hsds-json|meeting-guide|csv [--db PATH] DIR`:
// the whole database written into DIR in one of the field's formats, reusing
// the HSDS rendering of the API (hsds_render.h) and the Meeting Guide feed:
//   hsds-csv       datapackage.json + one CSV per HSDS table (Tabular Data Package)
//   hsds-json      services.json (fully nested services), taxonomies.json,
//                  taxonomy_terms.json: JSON arrays of HSDS objects
//   meeting-guide  meetings.json, the /meetings.json feed
//   csv            listings.csv in the curated format (data/README.md): imports again
// Everything is read in one read transaction, so the files agree.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/connection.h"

namespace carefinder::api {

int RunExportCommand(const std::vector<std::string>& args);  // exit code

// The formats, each writing its files into an existing `dir`.
Status ExportHsdsCsv(store::Connection& c, const std::filesystem::path& dir);
Status ExportCuratedCsv(store::Connection& c, const std::filesystem::path& dir);

// `value` as one RFC 4180 field: quoted when it holds a comma, quote or line break.
void AppendCsvField(std::string& out, std::string_view value);
// Writes `text` to `path` (replacing it); an error names the path.
Status WriteTextFile(const std::filesystem::path& path, std::string_view text);

}  // namespace carefinder::api
