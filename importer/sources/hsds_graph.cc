// The HSDS object graph shared by both front ends: nodes, the once-only
// report, and foreign-key resolution with its warnings. See hsds_graph.h.
#include "importer/sources/hsds_graph.h"

#include <algorithm>

#include "core/text.h"

namespace carefinder::importer::hsds {

namespace {

constexpr std::array<std::string_view, kKindCount> kKindNames = {
    "organization", "service",  "location",  "service_at_location", "address",  "phone",
    "schedule",     "language", "attribute", "taxonomy_term",       "taxonomy", "metadata"};

constexpr std::array<std::string_view, kKindCount> kOfficialPaths = {
    "organizations.csv", "services.csv",       "locations.csv",  "service_at_location.csv",
    "addresses.csv",     "phones.csv",         "schedules.csv",  "languages.csv",
    "attributes.csv",    "taxonomy_terms.csv", "taxonomies.csv", "metadata.csv"};

// Every HSDS 3.0 object name, for attribute.link_entity.
constexpr std::array<std::string_view, 21> kHsdsObjects = {"organization",
                                                           "program",
                                                           "service",
                                                           "attribute",
                                                           "service_at_location",
                                                           "location",
                                                           "phone",
                                                           "contact",
                                                           "address",
                                                           "schedule",
                                                           "funding",
                                                           "service_area",
                                                           "required_document",
                                                           "language",
                                                           "accessibility",
                                                           "taxonomy_term",
                                                           "metadata",
                                                           "meta_table_description",
                                                           "cost_option",
                                                           "organization_identifier",
                                                           "taxonomy"};

// `child` attached to the node its `field` names (kept in `list` of that node).
void Attach(Graph& g, Kind kind, size_t child, std::string_view field, Kind parent,
            std::vector<size_t> Node::*list, Report& report) {
  auto at = Link(g, g.nodes[kind][child], field, parent, report);
  if (at) (g.nodes[parent][*at].*list).push_back(child);
}

// Sets `link` of node `i` from its key column `field`; an empty key is a problem.
void LinkRequired(Graph& g, Kind kind, size_t i, std::string_view field, Kind target,
                  std::optional<size_t> Node::*link, Report& report) {
  Node& n = g.nodes[kind][i];
  if (n.Get(field).empty()) {
    n.Problem(field, std::string(kRequired));
    return;
  }
  n.*link = Link(g, n, field, target, report);
}

void AttachAttribute(Graph& g, size_t i, Report& report) {
  Node& a = g.nodes[kAttribute][i];
  for (std::string_view column : {"link_entity", "link_id", "taxonomy_term_id"}) {
    if (a.Get(column).empty()) {
      report.Warn(a, column, std::string(kRequired));
      return;
    }
  }
  a.taxonomy_term = Link(g, a, "taxonomy_term_id", kTaxonomyTerm, report);
  std::string entity = text::ToLower(a.Get("link_entity"));
  if (std::find(kHsdsObjects.begin(), kHsdsObjects.end(), entity) == kHsdsObjects.end()) {
    report.Warn(a, "link_entity", Quoted(a.Get("link_entity")) + " is not an HSDS object");
    return;
  }
  for (Kind k : {kOrganization, kService, kLocation, kServiceAtLocation}) {
    if (entity == KindName(k)) Attach(g, kAttribute, i, "link_id", k, &Node::attributes, report);
  }
}

void AttachMetadata(Graph& g, size_t i) {
  const Node& m = g.nodes[kMetadata][i];
  std::string type = text::ToLower(m.Get("resource_type"));
  for (Kind k : {kService, kServiceAtLocation}) {
    if (type != KindName(k)) continue;
    if (auto at = g.Find(k, m.Get("resource_id"))) g.nodes[k][*at].metadata.push_back(i);
  }
}

// A reference by id that nesting did not give; `problem` when there is none.
void Reference(Graph& g, Kind kind, std::string_view field, Kind target,
               std::optional<size_t> Node::*link, std::string_view missing_field,
               std::string_view problem, Report& report) {
  for (Node& n : g.nodes[kind]) {
    if (n.*link) continue;
    if (!n.Get(field).empty())
      n.*link = Link(g, n, field, target, report);
    else if (!problem.empty())
      n.Problem(missing_field, std::string(problem));
  }
}

}  // namespace

std::string_view KindName(Kind kind) { return kKindNames[kind]; }

std::string_view OfficialPath(Kind kind) { return kOfficialPaths[kind]; }

using text::Quoted;

std::string_view Node::Get(std::string_view field) const {
  for (const auto& [name, value] : fields) {
    if (name == field) return value;
  }
  return {};
}

void Node::Set(std::string name, std::string value) {
  std::string_view v = text::Trim(value);
  if (v.empty()) return;
  for (auto& [n, old] : fields) {
    if (n == name) {
      old = std::string(v);
      return;
    }
  }
  fields.emplace_back(std::move(name), std::string(v));
}

void Node::Problem(std::string_view field, std::string reason) {
  problems.push_back({file, line, std::string(field), std::move(reason)});
}

size_t Graph::Add(Kind kind, Node node) {
  std::string id(node.Get("id"));
  nodes[kind].push_back(std::move(node));
  size_t index = nodes[kind].size() - 1;
  if (!id.empty()) by_id[kind].emplace(std::move(id), index);
  return index;
}

std::optional<size_t> Graph::Find(Kind kind, std::string_view id) const {
  auto it = by_id[kind].find(std::string(id));
  if (it == by_id[kind].end()) return std::nullopt;
  return it->second;
}

void Report::Reject(const Node& at, std::string_view field, std::string reason) {
  Reject({at.file, at.line, std::string(field), std::move(reason)});
}

void Report::Reject(Rejection r) {
  if (seen_.insert("R" + r.Message()).second) out_.rejections.push_back(std::move(r));
}

void Report::Warn(const Node& at, std::string_view field, std::string reason) {
  Rejection w{at.file, at.line, std::string(field), std::move(reason)};
  if (seen_.insert("W" + w.Message()).second) out_.warnings.push_back(std::move(w));
}

void Report::Finish() {
  auto by_place = [](const Rejection& a, const Rejection& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  };
  std::stable_sort(out_.rejections.begin(), out_.rejections.end(), by_place);
  std::stable_sort(out_.warnings.begin(), out_.warnings.end(), by_place);
}

bool Problems::Use(const Node& node) {
  for (const Rejection& r : node.problems) {
    report_.Reject(r);
    bad_ = true;
  }
  return node.problems.empty();
}

std::optional<size_t> Link(const Graph& graph, const Node& from, std::string_view field,
                           Kind target, Report& report) {
  std::string_view id = from.Get(field);
  if (id.empty()) return std::nullopt;
  auto at = graph.Find(target, id);
  if (!at) {
    std::string article = target == kOrganization ? "an " : "a ";
    report.Warn(from, field,
                Quoted(id) + " is not " + article + std::string(KindName(target)) + " in this " +
                    graph.scope);
  }
  return at;
}

void AddTableRow(Graph& g, Kind kind, Node node, Report& report) {
  std::string_view id = node.Get("id");
  if (kind != kServiceAtLocation) {
    if (id.empty()) {
      report.Warn(node, "id", std::string(kRequired) + "; row not read");
      return;
    }
    if (auto first = g.Find(kind, id)) {
      const Node& f = g.nodes[kind][*first];
      report.Warn(node, "id",
                  Quoted(id) + " repeats the " + std::string(KindName(kind)) + " of " + f.file +
                      ":" + std::to_string(f.line) + "; row not read");
      return;
    }
  }
  g.Add(kind, std::move(node));
}

void LinkTables(Graph& g, Report& report) {
  for (size_t i = 0; i < g.nodes[kService].size(); ++i)
    LinkRequired(g, kService, i, "organization_id", kOrganization, &Node::organization, report);
  for (Node& loc : g.nodes[kLocation])
    loc.organization = Link(g, loc, "organization_id", kOrganization, report);
  for (size_t i = 0; i < g.nodes[kServiceAtLocation].size(); ++i) {
    LinkRequired(g, kServiceAtLocation, i, "service_id", kService, &Node::service, report);
    LinkRequired(g, kServiceAtLocation, i, "location_id", kLocation, &Node::location, report);
  }
  for (size_t i = 0; i < g.nodes[kAddress].size(); ++i)
    Attach(g, kAddress, i, "location_id", kLocation, &Node::addresses, report);
  for (size_t i = 0; i < g.nodes[kPhone].size(); ++i) {
    Attach(g, kPhone, i, "service_id", kService, &Node::phones, report);
    Attach(g, kPhone, i, "location_id", kLocation, &Node::phones, report);
    Attach(g, kPhone, i, "organization_id", kOrganization, &Node::phones, report);
    Attach(g, kPhone, i, "service_at_location_id", kServiceAtLocation, &Node::phones, report);
  }
  for (size_t i = 0; i < g.nodes[kSchedule].size(); ++i) {
    Attach(g, kSchedule, i, "service_id", kService, &Node::schedules, report);
    Attach(g, kSchedule, i, "location_id", kLocation, &Node::schedules, report);
    Attach(g, kSchedule, i, "service_at_location_id", kServiceAtLocation, &Node::schedules, report);
  }
  for (size_t i = 0; i < g.nodes[kLanguage].size(); ++i) {
    Attach(g, kLanguage, i, "service_id", kService, &Node::languages, report);
    Attach(g, kLanguage, i, "location_id", kLocation, &Node::languages, report);
    Link(g, g.nodes[kLanguage][i], "phone_id", kPhone, report);  // warned, not used
  }
  for (size_t i = 0; i < g.nodes[kAttribute].size(); ++i) AttachAttribute(g, i, report);
  for (Node& term : g.nodes[kTaxonomyTerm])
    term.taxonomy = Link(g, term, "taxonomy_id", kTaxonomy, report);
  for (size_t i = 0; i < g.nodes[kMetadata].size(); ++i) AttachMetadata(g, i);
}

void LinkReferences(Graph& g, Report& report) {
  Reference(g, kServiceAtLocation, "service_id", kService, &Node::service, "service",
            "a service_at_location needs its service (embedded, or service_id naming one in "
            "this file)",
            report);
  Reference(g, kServiceAtLocation, "location_id", kLocation, &Node::location, "location",
            "a service_at_location needs its location (embedded, or location_id naming one in "
            "this file)",
            report);
  Reference(g, kService, "organization_id", kOrganization, &Node::organization, "organization",
            "a service needs its organization (embedded, enclosing it, or organization_id "
            "naming one in this file)",
            report);
  Reference(g, kLocation, "organization_id", kOrganization, &Node::organization, "", "", report);
  Reference(g, kAttribute, "taxonomy_term_id", kTaxonomyTerm, &Node::taxonomy_term, "", "", report);
  Reference(g, kTaxonomyTerm, "taxonomy_id", kTaxonomy, &Node::taxonomy, "", "", report);
}

}  // namespace carefinder::importer::hsds
