// De-duplication (DESIGN §5): finds the records of one import that describe
// the same facility, across files and within one, and merges each set into
// one listing that keeps every record as a source. Pure, in memory; the
// loader writes the groups (load.h).
//
// Same facility = both treatment records, same folded organisation name, same
// ZIP, and the same street address (folded: "Avenue" = "Ave", the part after
// a comma or a "Suite"/"Bldg" dropped) or, for a record without a street
// address (the SAMHSA California export publishes none), exact coordinates at
// most kNearMetres from a member of the group (the nearest group wins); and
// either from different sources or with the same service name: one source's
// records at one address under different service names are different
// services (an HSDS organisation's detox and outpatient programmes), never
// merged. Records of one street and service name group first, then groups of
// one street with no source in common, then the records without a street.
// Two different street addresses are never merged. Meetings are never
// merged: a meeting is its time as much as its place. Online-only records are
// never merged. Only the records of one run are compared: import overlapping
// sources together (a listing an earlier run made separately is merged, and
// the other marked inactive, when they next come together; an import of
// only some of a merged listing's sources is refused: subset_guard.h). The groups
// depend only on the set of records, not on the order of files.
//
// A merged listing's fields: members are ordered person-verified first
// (newest last_verified), then newest `as_of`, then by source name and key;
// each field is taken from the first member that has it. The street address
// (with city, state, ZIP) comes whole from the first member with a street
// address; coordinates from the first member with the most precise ones;
// hours (with their text) from the first member with any; terms, other
// services and phones (one per E.164 number and extension) are the union of
// every member's, in that order; status is the first member's. The listing's
// `source` (the doc's) is the first member's; every member keeps its own
// provenance row, and its own source attributes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {

inline constexpr double kNearMetres = 150;

struct ListingGroup {
  // Precedence order: members[0]'s fields win. Never empty.
  std::vector<const ListingRecord*> members;
  // When merged, why each member joined, parallel to members ("" for the
  // one that founded the group): "same name and address", "same name and
  // ZIP, 40 m apart, no street address on one". Empty for one member.
  std::vector<std::string> reasons;
  std::shared_ptr<const ListingRecord> merged;  // set only when members.size() > 1

  const ListingRecord& listing() const { return merged ? *merged : *members[0]; }
};

// Groups every record of `files`. Groups come in the import order of their
// earliest member, so a run without duplicates loads in file order.
std::vector<ListingGroup> GroupDuplicates(const std::vector<ReadResult>& files);

// One record folded into another's listing.
struct MergeNote {
  std::string record, into;  // "sut.csv:14", "residential.csv:3"
  std::string reason;        // "same name and address"
  // "sut.csv:14 into residential.csv:3 (same name and address)"
  std::string Message() const { return record + " into " + into + " (" + reason + ")"; }
};

// A note for each member after the first.
std::vector<MergeNote> MergeNotes(const ListingGroup& group);

// The folded keys, exposed for tests: "aletheia house" for "Aletheia House,
// Inc."; "1889 w redlands blvd" for "1889 West Redlands Boulevard, Bldg 9".
std::string NameKey(std::string_view organization);
std::string StreetKey(std::string_view line1);

}  // namespace carefinder::importer
