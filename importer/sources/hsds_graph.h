// Internal to the HSDS readers (hsds.h). Both front ends (datapackage CSV and
// JSON) turn their input into one Graph: every HSDS object with its scalar
// fields, where it was read, and its links. One back end (BuildListings)
// turns the graph into listings, so both forms map fields the same way.
// Invariant: a service_at_location that cannot become a listing because a
// link is missing has a message saying why (a dangling key is a warning, an
// absent one a problem of the row); problems of a row are reported once, at
// that row, and reject every listing that uses it.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/text.h"
#include "importer/sources/reader.h"
#include "importer/taxonomy.h"

namespace carefinder::importer::hsds {

// The HSDS objects the readers use; the other tables are not read.
enum Kind : int {
  kOrganization,
  kService,
  kLocation,
  kServiceAtLocation,
  kAddress,
  kPhone,
  kSchedule,
  kLanguage,
  kAttribute,
  kTaxonomyTerm,
  kTaxonomy,
  kMetadata,
  kKindCount
};

std::string_view KindName(Kind kind);      // "service_at_location"
std::string_view OfficialPath(Kind kind);  // its datapackage file, "service_at_location.csv"

inline constexpr std::string_view kRequired = "required by HSDS 3.0 but empty";

struct Node {
  std::string file;
  int line = 0;
  std::vector<std::pair<std::string, std::string>> fields;  // trimmed, non-empty scalars
  std::vector<Rejection> problems;  // found while reading: reject every listing using the row
  // Links: indexes into Graph::nodes of the kind their name says.
  std::vector<size_t> phones, schedules, languages, addresses, attributes, metadata;
  std::optional<size_t> organization, service, location, taxonomy_term, taxonomy;

  std::string_view Get(std::string_view field) const;  // "" when absent
  void Set(std::string name, std::string value);       // trims; ignores empty values
  void Problem(std::string_view field, std::string reason);
};

struct Graph {
  std::string scope;  // "package" or "file": what messages call the whole input
  std::array<std::vector<Node>, kKindCount> nodes;
  std::array<std::unordered_map<std::string, size_t>, kKindCount> by_id;  // the first of each id

  size_t Add(Kind kind, Node node);
  std::optional<size_t> Find(Kind kind, std::string_view id) const;
};

// The messages of one read, each reported once (HSDS JSON repeats objects).
class Report {
 public:
  explicit Report(ReadResult& out) : out_(out) {}
  void Reject(const Node& at, std::string_view field, std::string reason);
  void Reject(Rejection r);
  void Warn(const Node& at, std::string_view field, std::string reason);
  ReadResult& out() { return out_; }
  // Sorts both lists by file, then line, keeping the order within a line.
  void Finish();

 private:
  ReadResult& out_;
  std::unordered_set<std::string> seen_;
};

// The node of `target` that `from`'s field names; a value naming none is a
// warning `file:line: field 'f': "id" is not a service in this package`.
std::optional<size_t> Link(const Graph& graph, const Node& from, std::string_view field,
                           Kind target, Report& report);

// Adds one row of a table (datapackage CSV or tabular JSON). A row without
// an id, or repeating an earlier row's id, is a warning and not added, but
// for service_at_location, where the listing reports it.
void AddTableRow(Graph& graph, Kind kind, Node node, Report& report);

// Datapackage and tabular JSON: every link comes from a foreign-key column
// (children to parents, attributes by link_entity + link_id, metadata by
// resource_id), and a service_at_location or service with an empty key
// column has a problem.
void LinkTables(Graph& graph, Report& report);

// Nested JSON: children are linked by nesting; only references by id that
// nesting did not give are resolved here.
void LinkReferences(Graph& graph, Report& report);

struct Context {
  const SourceInfo& source;
  const Taxonomy& taxonomy;
  SeenKeys& seen;
  std::string license;  // the input's own licence, used when the source gives none
};

// One ListingRecord per service_at_location node, with file and line of that
// node; a service no service_at_location uses is a warning.
void BuildListings(const Graph& graph, const Context& context, Report& report);

// The problems of one listing under construction: any rejection fails it.
class Problems {
 public:
  explicit Problems(Report& report) : report_(report) {}
  void Reject(const Node& at, std::string_view field, std::string reason) {
    report_.Reject(at, field, std::move(reason));
    bad_ = true;
  }
  void Warn(const Node& at, std::string_view field, std::string reason) {
    report_.Warn(at, field, std::move(reason));
  }
  // Reports what was found while reading `node`; false when there was any.
  bool Use(const Node& node);
  bool bad() const { return bad_; }

 private:
  Report& report_;
  bool bad_ = false;
};

// Maps the attributes and languages of a listing's objects to our terms
// (hsds_terms.cc); remembers which unknown terms it has warned about.
class TermMapper {
 public:
  TermMapper(const Graph& graph, const Taxonomy& taxonomy) : g_(graph), taxonomy_(taxonomy) {}
  // Sets rec.kind (meeting when our `meeting` term is among them) and
  // rec.terms (the kind first, then the codes as found), and adds the
  // unknown ones to rec.source_attributes.
  void Read(Problems& p, const Node& sal, const Node& svc, const Node& loc, const Node* org,
            ListingRecord& rec);

 private:
  std::pair<std::string, std::string> TaxonomyOf(const Node& term) const;  // name, id
  std::string MapTerm(Problems& p, const Node& term, ListingRecord& rec);
  void AddAttributes(Problems& p, const Node* owner, std::vector<std::string>& codes,
                     ListingRecord& rec);
  void AddLanguages(Problems& p, const Node* owner, std::vector<std::string>& codes,
                    ListingRecord& rec);

  const Graph& g_;
  const Taxonomy& taxonomy_;
  std::unordered_set<std::string> warned_;
};

// The weekly hours of schedule nodes (WEEKLY byday + opens_at/closes_at),
// sorted by day; rejections and warnings go through `problems`.
std::vector<WeeklyTime> WeeklyHours(const Graph& graph, const std::vector<size_t>& schedules,
                                    Problems& problems);
// "Mo-Fr 09:00-17:00; Sa 10:00-12:00", "24/7": our hours syntax (normalise.h ParseHours).
std::string HoursText(const std::vector<WeeklyTime>& hours);

using text::Quoted;

}  // namespace carefinder::importer::hsds
