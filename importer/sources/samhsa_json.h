// Reader of SAMHSA FindTreatment.gov locator JSON (../shared/data/
// samhsa-findtreatment-api): `{"page", ..., "rows": [...]}` or a bare array of
// rows, one facility a row: frid, name1, name2, street1, street2, city, state,
// zip, phone, intake1, intake2, hotline1, website, latitude, longitude (strings
// or numbers), and `services: [{f1: category name, f2: category code, f3:
// "value; value"}]`. Other keys (_irow, typeFacility, miles ...) are ignored.
//
// Services: each `;`-separated f3 value is looked up in
// data/mappings/samhsa_codes.csv (embedded at build) by its label, or by its
// SAMHSA service code when a feed writes codes ("DT"). A value with terms adds
// them; a known value with no term is kept as a source attribute; an unknown
// value is kept as a source attribute too, and each distinct one is one
// warning naming its first row and how many rows carry it. As in
// data/tools/samhsa_to_curated.py, a facility that accepts only `Female` gets
// `women`, only `Male` gets `men`.
//
// Fields: source_key = frid (required: it is the locator's facility id);
// organization = name1; name = name2 when present, else name1; ZIP padded to
// 5 digits; `NA` and empty are absent; phone `main`, intake1/2 `intake`,
// hotline1 `hotline` (a repeated number kept once); a website of only
// `http://` is absent. Every record's file:line is the line where its row's
// `{` stands. Invalid UTF-8 rejects its row, naming the line and the key.
//
// Provenance is `source` as given; when source.name is empty: name
// "samhsa-findtreatment", URL https://findtreatment.gov/, licence "Public
// domain (US federal government work)", as_of "" (unknown).
#pragma once

#include <istream>
#include <string_view>

#include "core/error.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

inline constexpr std::string_view kSamhsaJsonFormat = "samhsa-json";

// True only when `head` (the first <=4096 bytes of a file) is JSON holding
// locator rows: it opens with `{` or `[` and names the keys "name1" and
// "services" or "frid".
bool LooksLikeSamhsaJson(std::string_view head);

// Reads every row of `in` (named `file` in messages) into treatment records.
// The error case is input that is not JSON or holds no row array.
Result<ReadResult> ReadSamhsaJson(std::istream& in, std::string_view file,
                                  const SourceInfo& source, const Taxonomy& taxonomy,
                                  SeenKeys& seen);

}  // namespace carefinder::importer
