// Reader of HSDS 3.0 JSON: a service, service_at_location or organization
// object (children embedded, as the HSDS API returns them), an array of
// them, a Page envelope {"contents": [...]}, or the tabular form
// {"services.csv": [rows], ...}. Objects become graph nodes (hsds_graph.h)
// carrying the line where their `{` is; nesting gives the links, ids give
// the rest. Objects nested deeper than kMaxDepth are not read.
#include <algorithm>
#include <array>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "importer/sources/hsds.h"
#include "importer/sources/hsds_graph.h"

namespace carefinder::importer {

namespace {

using hsds::Graph;
using hsds::Kind;
using hsds::Node;
using nlohmann::json;

// Added to every parsed object by the parser callback: the line of its `{`.
// A control character keeps it apart from any name a publisher would use.
constexpr const char* kLineKey =
    "\x1f"
    "line";
constexpr int kMaxDepth = 12;

constexpr std::string_view kShapes =
    "expected a service, service_at_location or organization object, an array of them, a "
    "Page {\"contents\": [...]} or tabular {\"services.csv\": [...]}";

// The line of every `{` outside strings, in order: the k-th is where the
// parser's k-th object starts.
std::vector<int> ObjectLines(std::string_view text) {
  std::vector<int> lines;
  int line = 1;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (c == '\n') ++line;
    if (in_string) {
      in_string = escaped || c != '"';
      escaped = !escaped && c == '\\';
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      lines.push_back(line);
    }
  }
  return lines;
}

Result<json> Parse(const std::string& text, std::string_view file) {
  std::vector<int> lines = ObjectLines(text);
  size_t next = 0;
  std::vector<int> open;
  json::parser_callback_t stamp = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      open.push_back(next < lines.size() ? lines[next] : 0);
      ++next;
    } else if (event == json::parse_event_t::object_end && !open.empty()) {
      parsed[kLineKey] = open.back();
      open.pop_back();
    }
    return true;
  };
  // nlohmann reports where parsing failed only through its exception; it
  // stays inside this function.
  try {
    return json::parse(text, stamp);
  } catch (const json::parse_error& e) {
    size_t end = std::min<size_t>(e.byte, text.size());
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + end, '\n'));
    std::string what = e.what();
    size_t colon = what.find(": ", what.find("column"));
    if (colon != std::string::npos) what = what.substr(colon + 2);
    return Fail(
        Error::Invalid(std::string(file) + ":" + std::to_string(line) + ": not JSON: " + what));
  } catch (const json::exception& e) {
    return Fail(Error::Invalid(std::string(file) + ": not JSON: " + e.what()));
  }
}

int LineOf(const json& o) {
  auto it = o.find(kLineKey);
  return it != o.end() && it->is_number_integer() ? it->get<int>() : 0;
}

// The lists of children any object may carry, each of one leaf kind.
struct ChildList {
  const char* key;
  std::vector<size_t> Node::*list;
  Kind kind;
};
constexpr std::array<ChildList, 5> kChildLists = {{{"phones", &Node::phones, hsds::kPhone},
                                                   {"schedules", &Node::schedules, hsds::kSchedule},
                                                   {"languages", &Node::languages, hsds::kLanguage},
                                                   {"addresses", &Node::addresses, hsds::kAddress},
                                                   {"metadata", &Node::metadata, hsds::kMetadata}}};

// Turns nested JSON objects into graph nodes. Indexes, not references, cross
// every Add: it may grow the vector a reference points into.
class Flattener {
 public:
  Flattener(Graph& g, std::string file) : g_(g), file_(std::move(file)) {}

  Node Scalars(const json& o) const {
    Node n;
    n.file = file_;
    n.line = LineOf(o);
    for (const auto& [key, value] : o.items()) {
      if (key == kLineKey) continue;
      if (value.is_string()) {
        n.Set(key, value.get<std::string>());
      } else if (value.is_number() || value.is_boolean()) {
        n.Set(key, value.dump());
      }
    }
    return n;
  }

  size_t Organization(const json& o, int depth) {
    size_t i = Add(hsds::kOrganization, o);
    if (Deep(hsds::kOrganization, i, depth)) return i;
    Each(hsds::kOrganization, i, o, "locations", [&](const json& c) { Location(c, i, depth + 1); });
    Each(hsds::kOrganization, i, o, "services", [&](const json& c) { Service(c, i, depth + 1); });
    return i;
  }

  size_t Service(const json& o, std::optional<size_t> org, int depth) {
    size_t i = Add(hsds::kService, o);
    if (Deep(hsds::kService, i, depth)) return i;
    if (!org) {
      org = Embedded(hsds::kService, i, o, "organization",
                     [&](const json& c) { return Organization(c, depth + 1); });
    }
    g_.nodes[hsds::kService][i].organization = org;
    Each(hsds::kService, i, o, "service_at_locations",
         [&](const json& c) { ServiceAtLocation(c, i, depth + 1); });
    return i;
  }

  size_t ServiceAtLocation(const json& o, std::optional<size_t> service, int depth) {
    size_t i = Add(hsds::kServiceAtLocation, o);
    if (Deep(hsds::kServiceAtLocation, i, depth)) return i;
    if (!service) {
      service = Embedded(hsds::kServiceAtLocation, i, o, "service",
                         [&](const json& c) { return Service(c, std::nullopt, depth + 1); });
    }
    auto location = Embedded(hsds::kServiceAtLocation, i, o, "location",
                             [&](const json& c) { return Location(c, std::nullopt, depth + 1); });
    g_.nodes[hsds::kServiceAtLocation][i].service = service;
    g_.nodes[hsds::kServiceAtLocation][i].location = location;
    return i;
  }

  size_t Location(const json& o, std::optional<size_t> org, int depth) {
    size_t i = Add(hsds::kLocation, o);
    g_.nodes[hsds::kLocation][i].organization = org;
    Deep(hsds::kLocation, i, depth);
    return i;
  }

  // The tabular form: one array of flat rows per file name.
  void Tables(const json& root, hsds::Report& report) {
    for (int k = 0; k < hsds::kKindCount; ++k) {
      auto rows = root.find(std::string(hsds::OfficialPath(static_cast<Kind>(k))));
      if (rows == root.end() || !rows->is_array()) continue;
      for (const json& row : *rows) {
        if (row.is_object()) hsds::AddTableRow(g_, static_cast<Kind>(k), Scalars(row), report);
      }
    }
  }

 private:
  // The node of `o` with its phones, schedules, languages, addresses,
  // metadata and attributes.
  size_t Add(Kind kind, const json& o) {
    size_t i = g_.Add(kind, Scalars(o));
    for (const ChildList& c : kChildLists) {
      Each(kind, i, o, c.key, [&](const json& item) {
        size_t child = g_.Add(c.kind, Scalars(item));
        (g_.nodes[kind][i].*c.list).push_back(child);
      });
    }
    Each(kind, i, o, "attributes", [&](const json& item) {
      size_t child = Attribute(item);
      g_.nodes[kind][i].attributes.push_back(child);
    });
    return i;
  }

  // An attribute with its embedded taxonomy_term and that term's taxonomy_detail.
  size_t Attribute(const json& o) {
    size_t i = g_.Add(hsds::kAttribute, Scalars(o));
    auto term = Embedded(hsds::kAttribute, i, o, "taxonomy_term", [&](const json& c) {
      size_t t = g_.Add(hsds::kTaxonomyTerm, Scalars(c));
      auto tax = Embedded(hsds::kTaxonomyTerm, t, c, "taxonomy_detail",
                          [&](const json& d) { return g_.Add(hsds::kTaxonomy, Scalars(d)); });
      g_.nodes[hsds::kTaxonomyTerm][t].taxonomy = tax;
      return t;
    });
    g_.nodes[hsds::kAttribute][i].taxonomy_term = term;
    return i;
  }

  bool Deep(Kind kind, size_t i, int depth) {
    if (depth <= kMaxDepth) return false;
    g_.nodes[kind][i].Problem(
        "", "objects nested more than " + std::to_string(kMaxDepth) + " deep are not read");
    return true;
  }

  // Calls `add` for each object of the array o[key]; anything else there is
  // a problem of node i.
  template <typename F>
  void Each(Kind kind, size_t i, const json& o, const char* key, F&& add) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return;
    if (!it->is_array()) return g_.nodes[kind][i].Problem(key, "expected an array of objects");
    for (const json& item : *it) {
      if (item.is_object()) {
        add(item);
      } else {
        g_.nodes[kind][i].Problem(key, "expected an array of objects");
      }
    }
  }

  // The node `add` makes of the object o[key], if there is one.
  template <typename F>
  std::optional<size_t> Embedded(Kind kind, size_t i, const json& o, const char* key, F&& add) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return std::nullopt;
    if (!it->is_object()) {
      g_.nodes[kind][i].Problem(key, "expected an object");
      return std::nullopt;
    }
    return add(*it);
  }

  Graph& g_;
  std::string file_;
};

std::optional<Kind> Classify(const json& o) {
  auto has = [&](const char* key) { return o.contains(key); };
  if (has("location_type")) return std::nullopt;  // a location alone lists nothing
  if (has("service") || has("location") || has("service_id") || has("location_id"))
    return hsds::kServiceAtLocation;
  for (const char* key :
       {"services", "locations", "website", "legal_status", "year_incorporated", "tax_status",
        "organization_identifiers", "programs", "parent_organization_id"}) {
    if (has(key)) return hsds::kOrganization;
  }
  for (const char* key : {"status", "service_at_locations", "organization", "organization_id"}) {
    if (has(key)) return hsds::kService;
  }
  return std::nullopt;
}

bool IsTabular(const json& root) {
  for (const auto& [key, value] : root.items()) {
    if (key.ends_with(".csv") && value.is_array()) return true;
  }
  return false;
}

// Adds one top-level object; false when it is none of the listing shapes.
bool AddItem(Flattener& f, const json& item, hsds::Report& report) {
  auto kind = item.is_object() ? Classify(item) : std::nullopt;
  if (!kind) return false;
  if (*kind == hsds::kServiceAtLocation)
    f.ServiceAtLocation(item, std::nullopt, 0);
  else if (*kind == hsds::kService)
    f.Service(item, std::nullopt, 0);
  else
    f.Organization(item, 0);
  auto services = item.find("services");
  if (*kind == hsds::kOrganization &&
      (services == item.end() || !services->is_array() || services->empty())) {
    Node org = f.Scalars(item);
    report.Warn(
        org, "services",
        "organization " + hsds::Quoted(org.Get("id")) + " has no services, so nothing is listed");
  }
  return true;
}

// The top-level items; an error when the root is none of the shapes.
Status AddItems(Flattener& f, const json& root, std::string_view file, hsds::Report& report) {
  std::string where = std::string(file) + ": not HSDS JSON: ";
  const json* items = &root;
  if (root.is_object() && root.contains("contents")) {
    items = &root["contents"];
    if (!items->is_array()) return Fail(Error::Invalid(where + "\"contents\" is not an array"));
  }
  if (!items->is_array()) {
    if (AddItem(f, *items, report)) return {};
    return Fail(Error::Invalid(where + std::string(kShapes)));
  }
  int known = 0;
  for (const json& item : *items) {
    if (AddItem(f, item, report)) {
      ++known;
    } else {
      Node n = item.is_object() ? f.Scalars(item) : Node{};
      if (n.line == 0) {  // not an object: name the file
        n.file = std::string(file);
        n.line = 1;
      }
      report.Warn(n, "", "not an HSDS service, service_at_location or organization; not read");
    }
  }
  if (known == 0 && !items->empty()) return Fail(Error::Invalid(where + std::string(kShapes)));
  return {};
}

}  // namespace

Result<ReadResult> ReadHsdsJson(std::istream& in, std::string_view file, const SourceInfo& source,
                                const Taxonomy& taxonomy, SeenKeys& seen) {
  if (source.name.empty()) {
    return Fail(
        Error::Invalid(std::string(file) + ": HSDS data needs a source name (--source NAME)"));
  }
  auto read = ReadWholeFile(in, file);
  if (!read) return Fail(read.error());
  std::string text = std::move(*read);
  auto root = Parse(text, file);
  if (!root) return Fail(root.error());
  ReadResult result{std::string(file), std::string(kHsdsJsonFormat)};
  hsds::Report report(result);
  Graph graph;
  graph.scope = "file";
  Flattener flat(graph, std::string(file));
  if (root->is_object() && IsTabular(*root)) {
    flat.Tables(*root, report);
    hsds::LinkTables(graph, report);
  } else {
    if (auto s = AddItems(flat, *root, file, report); !s) return Fail(s.error());
    hsds::LinkReferences(graph, report);
  }
  std::string license;
  hsds::BuildListings(graph, {source, taxonomy, seen, license}, report);
  report.Finish();
  return result;
}

bool LooksLikeHsdsJson(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  head = text::Trim(head);
  if (!(head.starts_with('{') || head.starts_with('[')) || LooksLikeHsdsDatapackage(head))
    return false;
  for (std::string_view marker :
       {"\"service_at_locations\"", "\"service_at_location.csv\"", "\"services.csv\"",
        "\"location_type\"", "\"state_province\"", "\"address_1\"", "\"total_items\"",
        "\"taxonomy_term\"", "\"organization_id\"", "\"service_id\""}) {
    if (head.contains(marker)) return true;
  }
  return false;
}

}  // namespace carefinder::importer
