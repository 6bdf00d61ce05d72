// Reader of Meeting Guide API feeds (code4recovery spec, standards.md §4): a
// JSON array of meetings, one object a meeting, one record (kind "meeting")
// a meeting. Rules, in the order a meeting is read:
//
// - Provenance: source, URL and licence from the caller's SourceInfo. The
//   source_key is `slug` (a string or an integer), else `id`; a slug seen
//   before is rejected naming the line it repeats ("repeats line 12").
//   as_of is the meeting's `updated` date ("2023-08-31 15:56:59" or
//   "9/9/2021"), else SourceInfo.as_of.
// - Fellowship: the feeds do not carry it, so it comes from the source name's
//   words: "al-anon"/"alanon" -> al-anon, "eda" -> eda, "na" -> na, "aa" ->
//   aa (meeting-guide-aa-orange-county-ca is AA); any other name gets
//   twelve-step, the family Meeting Guide feeds are written for.
// - Names: `name` -> name; `group` -> organization, else the meeting's name
//   (a meeting without a group stands for itself); `location` ->
//   location_name; `notes` and `location_notes` -> description, one line
//   each; `url` (else `website`) -> website; `region`/`sub_region` kept as
//   source attributes "region:X".
// - Types: a list, a string "C,M" or "[open]", or null. Each code is matched
//   as written, then ignoring case ("onl"), then by its English name
//   ("open" -> O), against data/mappings/meeting_guide_types.csv. Every code
//   is kept as a source attribute "type:CODE" (so the feed can be written
//   back); mapped codes add their terms; a code the spec does not know gives
//   one warning per code with the number of meetings carrying it.
// - Schedule: `day` 0-6 (0 = Sunday) or a list, `time`/`end_time` as "19:30"
//   or "7:30 PM"; one WeeklyTime a day. No end_time: one hour (the spec's
//   rule for consumers); hours_text shows only what the feed said
//   ("Mo,We 19:30"). No day and no time: a by-appointment meeting, no hours.
// - Attendance: online = a conference_url, a conference_phone or type ONL.
//   A venue = not `approximate` (yes/true; absent means "no street given").
//   online + venue -> hybrid; online without a venue, or with a venue that
//   is temporarily closed (TC) or outside the US -> online; venue only ->
//   in-person, status "temporarily closed" with TC; neither -> status
//   "inactive" (an area and no way to join). An online meeting has no
//   street, ZIP or coordinates (the feed's point is a placeholder area
//   centre), only its US city and state; any other meeting needs a US city
//   and state. Coordinates kept for an approximate area have precision
//   city_centroid; (0, 0) means none.
//
// Rejections read `file:line: field 'x': reason`, the line being where the
// meeting's object starts. Each meeting is parsed on its own, so invalid
// JSON or UTF-8 rejects that meeting only.
#pragma once

#include <istream>
#include <string_view>

#include "core/error.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

inline constexpr std::string_view kMeetingGuideFormat = "meeting-guide-json";

// True when `head` (the first <= 4096 bytes of a file) is confidently a
// Meeting Guide feed: a JSON array whose first object has `slug`, `name` and
// one of `day`, `time`, `types`, `formatted_address`, `conference_url`.
bool LooksLikeMeetingGuide(std::string_view head);

// Reads every meeting of `in` (named `file` in messages). Good meetings
// become records, bad ones rejections; `seen` catches a (source, slug) used
// twice, in this file or another. The error case is input that is not a JSON
// array at all, or a `source` without a name.
Result<ReadResult> ReadMeetingGuide(std::istream& in, std::string_view file,
                                    const SourceInfo& source, const Taxonomy& taxonomy,
                                    SeenKeys& seen);

}  // namespace carefinder::importer
