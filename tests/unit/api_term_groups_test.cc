// The term groups of core/taxonomy.h as the API shows them: the taxonomy
// answer (which the page reads its filter groups from), the Spanish group
// names, and src/api/openapi.json, whose group enum and search filter
// parameters must be exactly the core list, in its order.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/openapi.h"
#include "api/render.h"
#include "api/term_labels.h"
#include "core/taxonomy.h"

namespace carefinder::api {
namespace {

using nlohmann::json;

std::vector<std::string> CoreGroups() {
  std::vector<std::string> out;
  for (const auto& g : kTermGroups) out.emplace_back(g.name);
  return out;
}

const json& OpenApi() {
  static const json doc = json::parse(kOpenApiJson);
  return doc;
}

TEST(TermGroupsInTheApi, OpenApiGroupEnumIsTheCoreList) {
  const json& group = OpenApi()["components"]["schemas"]["Taxonomy"]["properties"]["groups"]
                               ["items"]["properties"]["group"];
  ASSERT_TRUE(group.contains("enum")) << group.dump();
  EXPECT_EQ(group["enum"].get<std::vector<std::string>>(), CoreGroups());
}

TEST(TermGroupsInTheApi, OpenApiSearchHasOneFilterParameterPerCoreGroupInOrder) {
  // A filter parameter is a query parameter taking codes of a taxonomy group.
  std::vector<std::string> filters;
  for (const auto& p : OpenApi()["paths"]["/api/v1/search"]["get"]["parameters"]) {
    std::string description = p.value("description", "");
    if (description.starts_with("Codes of the `")) filters.push_back(p["name"]);
  }
  EXPECT_EQ(filters, CoreGroups());
}

TEST(TermGroupsInTheApi, TaxonomyAnswerListsTheCoreGroupsInOrderWithTheirLabels) {
  json body = json::parse(RenderTaxonomy(Taxonomy::Embedded()));
  std::vector<std::string> names, labels;
  for (const auto& g : body["groups"]) {
    names.push_back(g["group"]);
    labels.push_back(g["label"]);
  }
  EXPECT_EQ(names, CoreGroups());
  EXPECT_EQ(labels.front(), "Type of care");
  EXPECT_EQ(labels.back(), "Kind of listing");
  json es = json::parse(RenderTaxonomy(Taxonomy::Embedded(), &SpanishTermLabels()));
  EXPECT_EQ(es["groups"][0]["label"], "Tipo de atención");
  EXPECT_EQ(es["groups"][7]["label"], "Modalidad");
}

}  // namespace
}  // namespace carefinder::api
