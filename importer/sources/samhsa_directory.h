// Reader of SAMHSA's yearly National Directory workbooks (../shared/data/
// samhsa-national-directory): the .xlsx as downloaded, or its facility sheet
// saved as CSV. One row a facility: Name1, Name2, Street1, Street2, City,
// State, Zip, Phone, Intake1, Intake2, Intake1a, Intake2a, Service_code_info
// (headers matched case-insensitively: SAMHSA changed their case between
// editions). Required: Name1, City, State, Zip, Service_code_info.
//
// Workbook: the facility sheet is the one named "Facilities List", else the
// first; the code sheet (service_code, service_name, ...) is the sheet whose
// name holds "code", else the second. Its first row is the header.
//
// Services: `Service_code_info` holds codes separated by spaces, with ` * `
// between categories. Each code is looked up in data/mappings/samhsa_codes.csv
// (embedded): its terms are added, a code with no term is kept as a source
// attribute (its label), and a code in neither the mapping nor the file's
// code sheet is kept as a source attribute too and reported once, naming its
// first row and how many rows carry it. A facility that accepts only FEM gets
// `women`, only MALE `men`. The directory is a survey that asked every
// facility about every service, so records say services_stated = true.
//
// The mental health edition: a facility with the MH code and without SA (no
// substance use treatment) is left out, all of them counted in one warning.
//
// Fields: organization = Name1; name = Name2 when present, else Name1 (as the
// locator reader, so the same facility merges); Phone is `main`; Intake1,
// Intake1a (its alternate, often a vanity number such as 888-PARNEXT),
// Intake2 and Intake2a are `intake`; a number repeated is kept once.
//
// source_key: KeySlug of Name1, Name2, Street1 and Street2, then the 5-digit
// ZIP, joined by '|': no id exists, and this stays the same across editions.
// A key seen again in the file: an identical row is skipped with a warning;
// a row that differs is rejected naming the first line and the columns that
// differ; a key of another file of the same source is rejected.
// Lines are the CSV line or the sheet's row number.
//
// Provenance is `source` as given; when source.name is empty:
// "samhsa-national-directory-su" (or "-mh" for the mental health edition: its
// code sheet or any row has MH), URL https://www.samhsa.gov/data/, public
// domain, as_of "" (unknown).
#pragma once

#include <istream>
#include <string_view>

#include "core/error.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

inline constexpr std::string_view kSamhsaDirectoryFormat = "samhsa-directory";

// True for a file named *.xlsx whose `head` starts with the zip magic, or a
// CSV whose header has Name1 and Service_code_info (any case).
bool LooksLikeSamhsaDirectory(std::string_view name, std::string_view head);

// Reads every facility of `in` (named `file` in messages). The error case is
// a file that cannot be read as this format at all: not a workbook or CSV,
// no facility header, a required column missing.
Result<ReadResult> ReadSamhsaDirectory(std::istream& in, std::string_view file,
                                       const SourceInfo& source, const Taxonomy& taxonomy,
                                       SeenKeys& seen);

}  // namespace carefinder::importer
