// GET /meetings.json: every support-group meeting as a Meeting Guide feed
// (code4recovery spec, standards.md §4): a bare JSON array, one object per
// meeting time. Type codes are the meeting's original Meeting Guide codes
// when it came from such a feed (source attributes "type:CODE"), otherwise
// derived from its taxonomy terms through data/mappings/meeting_guide_types.csv
// (embedded at build). docs/API.md says how each field is made.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/request.h"
#include "core/error.h"
#include "store/read_session.h"

namespace carefinder::api {

extern const char* const kMeetingGuideTypesCsv;  // generated from the mapping CSV

struct MeetingGuideTypes {
  std::vector<std::string> official;  // every current code, mapping order (ONL, NS retired)
  std::unordered_map<std::string, std::string> code_for_term;  // our term -> its code
  // Terms several codes map to with no preferred code chosen: left unmapped.
  std::vector<std::string> ambiguous_terms;

  static MeetingGuideTypes Parse(std::string_view csv);
  static const MeetingGuideTypes& Embedded();
  bool IsOfficial(std::string_view code) const;
};

// The feed's JSON text. `origin` ("http://host:port") makes each meeting's
// `url` (its listing page); "" leaves `url` out.
Result<std::string> RenderMeetingsFeed(store::Connection& c, std::string_view origin);

Response HandleMeetingsFeed(store::ReadSession& session, const Request& req);

}  // namespace carefinder::api
