// GET /api/openapi.json against the server's route table: every route the
// server registers is described, every described route exists and answers
// on a real server, and every operation names its responses and errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

#include "tests/integration/hsds_server_fixture.h"

namespace carefinder {
namespace {

using nlohmann::json;

class OpenApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::ImportedServer();
    server_->Start("hsds_openapi", testing::kHsdsFixtureFiles, /*feedback=*/true);
    doc_ = new json(server_->Json("/api/openapi.json"));
  }
  static void TearDownTestSuite() {
    delete doc_;
    delete server_;
  }

  // "GET /hsds/services/{id}" for every operation of the document.
  static std::set<std::string> DescribedRoutes() {
    std::set<std::string> out;
    for (const auto& [path, item] : (*doc_)["paths"].items()) {
      for (const auto& [method, op] : item.items()) {
        std::string m = method;
        std::transform(m.begin(), m.end(), m.begin(), ::toupper);
        out.insert(m + " " + path);
      }
    }
    return out;
  }

  // A real id for an {id} path: the first item of the matching list.
  static std::string RealId(const std::string& path) {
    std::string list = path.substr(0, path.find("/{id}"));
    if (list == "/api/v1/listings") list = "/hsds/service_at_locations";
    return server_->Json(list)["contents"][0]["id"];
  }

  static inline testing::ImportedServer* server_ = nullptr;
  static inline json* doc_ = nullptr;
};

TEST_F(OpenApiTest, EveryRegisteredRouteIsDescribedAndEveryDescribedRouteIsRegistered) {
  std::set<std::string> registered;
  for (const auto& r : server::RegisteredRoutes()) registered.insert(r.method + " " + r.path);
  EXPECT_EQ(DescribedRoutes(), registered);
  EXPECT_TRUE(registered.count("GET /hsds/services/{id}"));
  EXPECT_TRUE(registered.count("GET /meetings.json"));
}

TEST_F(OpenApiTest, EveryOperationDescribesItsAnswersAndErrors) {
  EXPECT_EQ((*doc_)["openapi"], "3.1.0");
  for (const auto& [path, item] : (*doc_)["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      std::string where = method + " " + path;
      const json& responses = op["responses"];
      EXPECT_TRUE(responses.contains("200") || responses.contains("201")) << where;
      EXPECT_TRUE(responses.contains("500")) << where;
      EXPECT_TRUE(op.contains("operationId") && op.contains("summary")) << where;
      bool has_query = op.contains("requestBody");
      for (const auto& p : op.value("parameters", json::array())) {
        std::string ref = p.value("$ref", "");
        has_query = has_query || !ref.empty() || p["in"] == "query";
      }
      if (has_query) {
        EXPECT_TRUE(responses.contains("400")) << where;
      }
      if (path.find("{id}") != std::string::npos) {
        EXPECT_TRUE(responses.contains("404")) << where;
      }
    }
  }
}

TEST_F(OpenApiTest, EveryLocalReferenceResolves) {
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      if (j.contains("$ref") && j["$ref"].get<std::string>().starts_with("#/")) {
        json::json_pointer pointer(j["$ref"].get<std::string>().substr(1));
        EXPECT_TRUE(doc_->contains(pointer)) << j["$ref"];
      }
      for (const auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(*doc_);
}

TEST_F(OpenApiTest, EveryDescribedPathAnswersOnARealServer) {
  for (const auto& route : DescribedRoutes()) {
    std::string method = route.substr(0, route.find(' '));
    std::string path = route.substr(route.find(' ') + 1);
    if (size_t at = path.find("{id}"); at != std::string::npos) {
      path.replace(at, 4, RealId(path));
    }
    httplib::Client client("127.0.0.1", server_->port());
    auto r = method == "GET" ? client.Get(path.c_str())
                             : client.Post(path.c_str(), R"({"field": "nonsense"})", "application/json");
    ASSERT_TRUE(r) << route;
    EXPECT_NE(r->status, 404) << route << ": " << r->body;
    EXPECT_NE(r->status, 405) << route << ": " << r->body;
    EXPECT_LT(r->status, 500) << route << ": " << r->body;
  }
}

}  // namespace
}  // namespace carefinder
