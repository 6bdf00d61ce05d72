// Refuses an import that would strip merged listings (issue 15): a listing
// made from the records of several sources is rebuilt, by each import that
// touches it, from that run's records alone (dedup.h), so importing one of
// its sources without the others would drop the phones, services and status
// the others gave it. Before anything is written, the run's records are
// looked up: when a listing one of them belongs to also has a record of a
// source the run does not import, the import is refused (exit 65), naming
// those sources and the files they were last imported from.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "importer/dedup.h"

namespace carefinder::importer {

// "" when every listing the run touches comes only from sources of the run;
// else the refusal: "this run imports only some of the sources of 3 merged
// listings, and would strip them of what the other sources gave (phones,
// services, status): import it together with source 'b' (b.csv); first:
// a.csv:2 is in listing <id>, which source 'b' also gives".
Result<std::string> StrippedSources(db::Database& db, const std::vector<ListingGroup>& groups);

}  // namespace carefinder::importer
