// The search query and its result, and the search itself: the in-memory
// index picks candidates by place, FTS5 checks the text (hybrid: the place
// drives), bitsets apply the filters and count the facets, and only the
// page's documents are read from `listing`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/geo.h"
#include "store/call_action.h"
#include "store/meeting_times.h"
#include "store/week_schedule.h"

namespace carefinder::store {

class Connection;
struct Snapshot;

// kNext: soonest weekly time first from SearchQuery::week_minute (in progress
// counts as 0), then nearest; listings with no weekly times last.
enum class SortOrder { kDistance, kRelevance, kName, kNext };

// One filter group: listings must carry at least one `include` code (when
// any are given) and none of the `exclude` codes. Codes must be known to the
// snapshot's taxonomy; a parent code matches its children because
// listing.terms carries every ancestor.
struct GroupFilter {
  std::string group;
  std::vector<std::string> include, exclude;
};

struct SearchQuery {
  std::optional<geo::Point> center;  // required unless `text` is set
  double radius_miles = 25;
  std::vector<GroupFilter> filters;  // AND across groups
  // Listings without coordinates (online meetings) are candidates too,
  // wherever the place is; with no place and no text, every listing is.
  bool include_unlocated = false;
  std::string text;                  // as typed; "" = no text filter
  bool any_status = false;           // false: active listings only
  // Keep only listings with a weekly time overlapping this window (listings
  // whose times are unknown never pass). Acts like the place: facets count
  // only listings inside it.
  std::optional<WeekWindow> open_during;
  int week_minute = 0;               // the searcher's local "now", for kNext
  // Given (`now=`): open_during and week_minute are shifted into each
  // listing's own zone (store/meeting_times.h); absent: used as they are.
  std::optional<SearcherInstant> now;
  // Weekday and time-of-day filters: keep listings with a weekly time
  // starting inside one of these windows of their own local week.
  std::vector<WeekWindow> starts_within;
  SortOrder sort = SortOrder::kDistance;
  size_t limit = 20;
  size_t offset = 0;
};

struct SearchHit {
  // listing.doc, the RESULT object: a view of the snapshot's copy in memory
  // (ListingIndex::doc), which SearchResult::snapshot keeps alive.
  std::string_view doc;
  std::optional<double> distance_miles;  // absent without a place or coordinates
  CallAction call;                       // what its Call button dials
};

// Codes and group names view the snapshot's taxonomy (SearchResult::snapshot).
struct FacetCount {
  std::string_view code;
  int64_t count = 0;
};

struct Facet {
  std::string_view group;
  std::vector<FacetCount> counts;  // taxonomy order, counts > 0 only
};

struct SearchResult {
  // The snapshot searched: it holds the documents the hits view, so a result
  // stays whole when a new snapshot replaces it meanwhile.
  std::shared_ptr<const Snapshot> snapshot;
  size_t total = 0;
  std::vector<SearchHit> hits;
  std::vector<Facet> facets;
  bool more = false;  // a page follows this one
  // Unknown is not no (DESIGN §4). When fewer than kFewStated listings state
  // what a filter asks for, the nearest listings within the radius whose
  // source never says (services_stated false, and no term at all in the
  // group they fail) follow on the first page, never one whose source says
  // no. Counted apart from `total`.
  std::vector<SearchHit> not_stated;
  size_t not_stated_total = 0;
  // Nothing matched within the radius: the nearest kNearestBeyond matches
  // within beyond_radius_miles, the first of the widening steps that finds any.
  std::vector<SearchHit> beyond;
  double beyond_radius_miles = 0;
  // Listings that open_during left out because their hours are unknown (they
  // match everything else).
  size_t hours_unknown = 0;
};

inline constexpr size_t kFewStated = 10;
inline constexpr size_t kNotStatedShown = 10;
inline constexpr size_t kNearestBeyond = 5;
// The radii (miles) a search with nothing inside its own radius widens to.
inline constexpr double kWidenSteps[] = {50, 100, 200, 400, 800};

// Without a place, full text drives and stops after this many matches.
inline constexpr size_t kMaxTextOnlyMatches = 1000;

// The connection a search reads FTS5 through, asked for only when the
// search has words (the caller holds its read transaction and deadline): a
// search without words is answered from the snapshot in memory alone.
using ConnectionSource = std::function<Result<Connection*>()>;

// Runs `q` against `snap`.
Result<SearchResult> RunSearch(const ConnectionSource& connect, std::shared_ptr<const Snapshot> snap,
                               const SearchQuery& q);

}  // namespace carefinder::store
