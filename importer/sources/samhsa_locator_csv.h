// Reader of the SAMHSA treatment-locator CSV extracts (the OEPS copies in
// ../shared/data/samhsa-locator-oeps: sut_facilities.csv, mh_facilities.csv,
// otp_directory.csv): one row a facility, no ids, no service codes.
//
// Two header shapes, column names matched case-insensitively:
//  - locator: name1, name2, street1, street2, city, state, zip, zip4, county,
//    latitude, longitude, and where present phone, intake_prompt, intake1,
//    intake2, website, type_facility and R's unnamed row-index column;
//  - OTP directory: ID (the program's name), ADDRESS, CITY, STATE, POSTAL,
//    Latitude, Longitude.
// Required: name1 (ID), city, state, zip (POSTAL). A column of neither shape
// is ignored with one warning naming it. `NA` and empty cells are absent.
//
// What the file is decides the terms beyond kind `treatment` (the files carry
// no service codes, so nothing else is claimed):
//  - the OTP directory header: `methadone` + `opioids` (the directory lists
//    SAMHSA-certified opioid treatment programs, the only places that may
//    dispense methadone for opioid use disorder);
//  - a locator file with `type_facility`: per row, `MH` adds `mental-health`,
//    `SA` adds nothing; any other value rejects the row;
//  - a locator file without it (the substance-use treatment export): nothing.
//
// Fields: organization = name1; name = name2 when present (a program, site
// or "DBA ..." name, shown and searched as the service name), else name1;
// address1/2 = street1/2; ZIP padded to 5 digits (`6708` -> `06708`; zip4,
// county and intake_prompt are not kept); phone is `main`, intake1/intake2
// `intake` (a number repeated with the same extension is kept once); a
// website that is only `http://` is absent.
//
// source_key (the files have no ids): KeySlug of name1, name2, street1,
// street2 and city, then the state code and the 5-digit ZIP, joined by '|',
// so it survives re-imports, re-quoting and lost leading zeros. A key seen
// again in the same file: an identical row (the R row index aside) is skipped
// with a warning naming the first line; a row that differs is rejected,
// naming the first line and the columns that differ. A key already taken by
// another file of the same source is rejected as in the curated reader.
// So rows = records + rejected_rows + skipped identical duplicates.
//
// Provenance is `source` as given. When source.name is empty the defaults are
// name "samhsa-locator-sut", "samhsa-locator-mh" (a file with type_facility)
// or "samhsa-otp-directory", URL https://findtreatment.gov/, licence
// "Public domain (US federal government work)", as_of "" (unknown).
#pragma once

#include <istream>
#include <string_view>

#include "core/error.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

inline constexpr std::string_view kSamhsaLocatorCsvFormat = "samhsa-locator-csv";

// True only when `head` (the first <=4096 bytes of a file) starts with a
// header of either shape: name1, name2, street1, street2, city, state and zip
// all present, or ID, ADDRESS, CITY, STATE, POSTAL.
bool LooksLikeSamhsaLocatorCsv(std::string_view head);

// Reads every row of `in` (named `file` in messages) into treatment records.
// The error case is a file that cannot be read as this format at all: an
// empty file, a header of neither shape or a required column missing.
Result<ReadResult> ReadSamhsaLocatorCsv(std::istream& in, std::string_view file,
                                        const SourceInfo& source, const Taxonomy& taxonomy,
                                        SeenKeys& seen);

}  // namespace carefinder::importer
