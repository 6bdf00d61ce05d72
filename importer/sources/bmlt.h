// Reader of BMLT (Basic Meeting List Toolbox) GetSearchResults JSON, the
// format Narcotics Anonymous service bodies publish their meetings in: a JSON
// array of meetings, one object a meeting, one record (kind "meeting") a
// meeting. Rules, in the order a meeting is read:
//
// - Provenance: source, URL, licence and as-of date from the caller's
//   SourceInfo (the API carries no per-meeting date). source_key is
//   `id_bigint`; one seen before is rejected naming the line it repeats.
// - Fellowship: every meeting gets `na` (BMLT is NA's format).
// - Names: `meeting_name` -> name and organization (BMLT has no group name);
//   `location_text` -> location_name; `location_info`, `comments`,
//   `train_lines` ("Trains: ...") and `bus_lines` -> description, one line
//   each; `service_body_bigint` kept as the source attribute "service_body:N".
// - Formats: `formats`, comma-separated key_strings ("M,O,St"), looked up in
//   data/mappings/bmlt_formats.csv by key_string, else as a NAWS world id
//   ("OPEN"). Every code is kept as a source attribute "format:CODE"; mapped
//   codes add their terms; WEB (Online Meeting) counts as online, as Meeting
//   Guide's ONL does; an unknown code gives one warning per code.
// - Schedule: `weekday_tinyint` 1 = Sunday ... 7 = Saturday, `start_time`
//   "HH:MM:SS", `duration_time` "HH:MM:SS" (absent or 0: one hour, BMLT's
//   default) -> one WeeklyTime, hours_text "Sa 14:00-15:30".
// - Place and attendance: `location_street`, `location_city_subsection`
//   (a New York borough) else `location_municipality`, `location_province`,
//   `location_postal_code_1`, `location_nation`, `latitude`/`longitude`;
//   `virtual_meeting_link` -> conference_url and `phone_meeting_number` ->
//   conference_phone. Then the Meeting Guide rules (meeting_guide.h): online
//   + a street -> hybrid; online without one, or `venue_type` 2 (virtual) ->
//   online with no venue; a street only -> in person; neither -> inactive.
//
// Rejections read `file:line: field 'x': reason`, the line being where the
// meeting's object starts; each meeting is parsed on its own.
#pragma once

#include <istream>
#include <string_view>

#include "core/error.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

inline constexpr std::string_view kBmltFormat = "bmlt-json";

// True when `head` (the first <= 4096 bytes of a file) is a JSON array whose
// first object has `id_bigint` and `weekday_tinyint`.
bool LooksLikeBmlt(std::string_view head);

// Reads every meeting of `in` (named `file` in messages). The error case is
// input that is not a JSON array, or a `source` without a name or as-of date.
Result<ReadResult> ReadBmlt(std::istream& in, std::string_view file, const SourceInfo& source,
                            const Taxonomy& taxonomy, SeenKeys& seen);

}  // namespace carefinder::importer
