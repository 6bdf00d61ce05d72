// The national picture from several sources (DESIGN §5): SAMHSA publishes its
// facility list again every year, and the locator exports of earlier years
// carry the coordinates the newest edition lacks. Two steps of one import:
//  * PlaceByAddress, before the gazetteer fallback: a record without
//    coordinates takes those of a located record of the run at the same
//    street address and ZIP (the place, not the facility: a renamed facility
//    at the same door is still at that door).
//  * ApplyEditions, after de-duplication: sources whose sidecar names the
//    same `edition_of` list are editions of it, the one with the newest as_of
//    current. A listing whose every record comes from an older edition (the
//    newest no longer lists it: closed, moved or renamed) is marked inactive,
//    so searches leave it out and its page says so; one that another source
//    also lists stays as it is.
#pragma once

#include <string>
#include <vector>

#include "importer/dedup.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {

// How one edition family came out of a run; the report prints these.
struct EditionSummary {
  std::string family;                // "samhsa-national-su"
  std::vector<std::string> current;  // source names of the newest edition
  std::string as_of;                 // its date
  int listings = 0;       // listings the current edition gives
  int matched = 0;        // of those, merged with an older edition's record
  int placed_by_address = 0;  // current records placed at another record's address
  int placed_at_zip = 0;      // current listings placed at their ZIP's centre
  int superseded = 0;     // listings only older editions give: marked inactive
};

// Places records without coordinates from located records at the same
// address; returns how many, counted per source name.
std::vector<std::pair<std::string, int>> PlaceByAddress(std::vector<ReadResult>& files);

// `sources`: every source of the run with its edition family and as_of (from
// the sidecars or --source). Marks superseded groups inactive (their
// `merged` record is set to a copy when they had none) and summarises each
// family; `placed` is what PlaceByAddress returned.
std::vector<EditionSummary> ApplyEditions(const std::vector<SourceInfo>& sources,
                                          std::vector<ListingGroup>& groups,
                                          const std::vector<std::pair<std::string, int>>& placed);

}  // namespace carefinder::importer
