// Reader of an HSDS 3.0 Tabular Data Package: datapackage.json names the
// tables (resources by name: "service" -> services.csv), each CSV is read
// through the caller's opener into the shared graph (hsds_graph.h). Tables
// other than the twelve the graph holds are not read; every table but
// services and service_at_location is optional, as in HSDS. Messages name a
// table by the descriptor's directory plus the resource path
// ("pkg/services.csv:4: ..."); records carry their service_at_location row.
#include <array>
#include <cstdio>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "core/text.h"
#include "importer/sources/hsds.h"
#include "importer/sources/hsds_graph.h"

namespace carefinder::importer {

namespace {

using hsds::Kind;
using nlohmann::json;

struct Descriptor {
  std::array<std::string, hsds::kKindCount> paths;  // "" = not in the package
  std::string license;
};

std::string StringAt(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// The package's licence as a name: `license` {name|title|type} or `licenses`[0].
std::string LicenseOf(const json& d) {
  const json* l = nullptr;
  if (auto it = d.find("license"); it != d.end())
    l = &*it;
  else if (auto ls = d.find("licenses"); ls != d.end() && ls->is_array() && !ls->empty())
    l = &(*ls)[0];
  if (l == nullptr) return "";
  if (l->is_string()) return l->get<std::string>();
  if (!l->is_object()) return "";
  for (const char* key : {"name", "title", "type"}) {
    if (std::string v = StringAt(*l, key); !v.empty()) return v;
  }
  return "";
}

// A resource path must stay inside the package: relative, no "..", no URL.
bool InsidePackage(std::string_view path) {
  return !path.empty() && path[0] != '/' && path[0] != '\\' && !path.contains("..") &&
         !path.contains("://") && !path.contains(':');
}

Status ReadResources(const json& resources, std::string_view file, Descriptor& d) {
  std::string where = std::string(file) + ": ";
  bool v1 = false;
  for (const json& r : resources) {
    if (!r.is_object()) continue;
    std::string name = StringAt(r, "name"), path = StringAt(r, "path");
    v1 = v1 || name == "services_at_location" || path == "services_at_location.csv";
    for (int k = 0; k < hsds::kKindCount; ++k) {
      Kind kind = static_cast<Kind>(k);
      bool match = name.empty() ? path == hsds::OfficialPath(kind) : name == hsds::KindName(kind);
      if (!match) continue;
      if (!InsidePackage(path)) {
        return Fail(Error::Invalid(where + "resource '" + std::string(hsds::KindName(kind)) +
                                   "': path " + hsds::Quoted(path) +
                                   " is not a file inside the package"));
      }
      d.paths[k] = path;
    }
  }
  if (v1 && d.paths[hsds::kServiceAtLocation].empty()) {
    return Fail(Error::Invalid(where + "an HSDS 1.x datapackage (services_at_location.csv); "
                                       "this reader reads HSDS 3.0"));
  }
  for (Kind k : {hsds::kService, hsds::kServiceAtLocation}) {
    if (d.paths[k].empty()) {
      return Fail(Error::Invalid(where + "no '" + std::string(hsds::KindName(k)) +
                                 "' resource: an HSDS 3.0 package lists services at locations"));
    }
  }
  return {};
}

Result<Descriptor> ReadDescriptor(std::istream& in, std::string_view file) {
  auto read = ReadWholeFile(in, file);
  if (!read) return Fail(read.error());
  std::string text = std::move(*read);
  json d = json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::string where = std::string(file) + ": ";
  if (d.is_discarded() || !d.is_object())
    return Fail(Error::Invalid(where + "not a datapackage descriptor (not a JSON object)"));
  auto resources = d.find("resources");
  if (resources == d.end() || !resources->is_array())
    return Fail(Error::Invalid(where + "not a datapackage descriptor (no \"resources\" list)"));
  Descriptor desc;
  if (auto s = ReadResources(*resources, file, desc); !s) return Fail(s.error());
  desc.license = LicenseOf(d);
  return desc;
}

// "pkg/datapackage.json" + "services.csv" -> "pkg/services.csv".
std::string ResourceName(std::string_view file, std::string_view path) {
  size_t slash = file.find_last_of('/');
  return slash == std::string_view::npos
             ? std::string(path)
             : std::string(file.substr(0, slash + 1)) + std::string(path);
}

// Row shape and encoding problems; they reject the listings that use the row.
void CheckCells(const CsvTable& table, hsds::Node& n) {
  const auto& cells = table.row();
  if (cells.size() != table.header().size()) {
    n.Problem("", "row has " + std::to_string(cells.size()) + " fields, the header has " +
                      std::to_string(table.header().size()));
  }
  for (size_t i = 0; i < cells.size() && i < table.header().size(); ++i) {
    if (auto at = text::FindInvalidUtf8(cells[i])) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(cells[i][*at]));
      n.Problem(table.header()[i], "invalid UTF-8 at byte " + std::to_string(*at + 1) + " (" + hex +
                                       "): save the file as UTF-8");
    }
  }
}

Status ReadTable(std::istream& in, const std::string& name, Kind kind, hsds::Graph& g,
                 hsds::Report& report) {
  CsvTable table(in);
  if (auto s = table.ReadHeader(); !s)
    return Fail(Error::Invalid(name + ":1: " + s.error().message));
  while (true) {
    auto more = table.Next();
    if (!more) {  // an unterminated quote swallows the rest: report where it began
      report.Reject({name, table.line(), more.error().param, more.error().message});
      if (kind == hsds::kServiceAtLocation) {
        ++report.out().rows;
        ++report.out().rejected_rows;
      }
      if (table.skipped()) continue;  // a row too long, read past
      return {};
    }
    if (!*more) return {};
    hsds::Node n;
    n.file = name;
    n.line = table.line();
    CheckCells(table, n);
    const auto& cells = table.row();
    for (size_t i = 0; i < cells.size() && i < table.header().size(); ++i)
      n.Set(table.header()[i], cells[i]);
    hsds::AddTableRow(g, kind, std::move(n), report);
  }
}

}  // namespace

Result<ReadResult> ReadHsdsDatapackage(std::istream& datapackage_json, std::string_view file,
                                       const OpenTable& open, const SourceInfo& source,
                                       const Taxonomy& taxonomy, SeenKeys& seen) {
  if (source.name.empty()) {
    return Fail(
        Error::Invalid(std::string(file) + ": HSDS data needs a source name (--source NAME)"));
  }
  auto desc = ReadDescriptor(datapackage_json, file);
  if (!desc) return Fail(desc.error());
  ReadResult result{std::string(file), std::string(kHsdsDatapackageFormat)};
  hsds::Report report(result);
  hsds::Graph graph;
  graph.scope = "package";
  for (int k = 0; k < hsds::kKindCount; ++k) {
    const std::string& path = desc->paths[k];
    if (path.empty()) continue;
    std::unique_ptr<std::istream> in = open(path);
    if (!in) {
      if (k != hsds::kService && k != hsds::kServiceAtLocation) continue;  // optional table
      return Fail(Error::Invalid(std::string(file) + ": resource '" +
                                 std::string(hsds::KindName(static_cast<Kind>(k))) + "' (" + path +
                                 ") is not in the package"));
    }
    auto s = ReadTable(*in, ResourceName(file, path), static_cast<Kind>(k), graph, report);
    if (!s) return Fail(s.error());
  }
  hsds::LinkTables(graph, report);
  hsds::BuildListings(graph, {source, taxonomy, seen, desc->license}, report);
  report.Finish();
  return result;
}

bool LooksLikeHsdsDatapackage(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  head = text::Trim(head);
  if (!head.starts_with('{') || !head.contains("\"resources\"")) return false;
  for (std::string_view marker : {"\"human_services_data\"", "service_at_location",
                                  "\"services.csv\"", "\"organizations.csv\""}) {
    if (head.contains(marker)) return true;
  }
  return false;
}

}  // namespace carefinder::importer
