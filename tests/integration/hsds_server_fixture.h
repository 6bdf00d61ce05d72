// For tests/integration/hsds_*_test.cc: a database built by the real
// `carefinder import` from files of the repository, served in process by a
// real Server on an ephemeral port, plus small HTTP and JSON helpers.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server/server.h"
#include "store/feedback_store.h"
#include "store/listing_store.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::testing {

// Every listing the importer fixture and the curated compliance meetings hold.
inline const std::vector<std::string> kHsdsFixtureFiles = {
    "tests/fixtures/importer/valid_listings.csv", "tests/fixtures/compliance/meetings.csv"};

inline std::string SourcePath(const std::string& relative) {
  return std::string(CF_SOURCE_DIR) + "/" + relative;
}

// Runs `carefinder ARGS` (output discarded); its exit status.
inline int RunCarefinder(const std::string& args) {
  std::string cmd = std::string(CF_BINARY) + " " + args + " > /dev/null 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// `carefinder import` of `files` (relative to the source tree, or absolute)
// into `db`, geocoding with the shipped gazetteer; its exit status.
inline int ImportFiles(const std::string& db, const std::vector<std::string>& files) {
  std::string args = "import --db '" + db + "' --gazetteer '" + SourcePath("data/gazetteer") + "'";
  for (const auto& f : files) args += " '" + (f.starts_with("/") ? f : SourcePath(f)) + "'";
  return RunCarefinder(args);
}

// Every listing doc of `db` by id, without source.imported_at (a re-import
// changes only that).
inline std::map<std::string, nlohmann::json> ListingDocs(const std::string& db) {
  std::map<std::string, nlohmann::json> out;
  auto d = db::Database::Open(db, db::OpenMode::kReadOnly);
  if (!d) return out;
  auto st = (*d)->Prepare("SELECT id, listing_doc(doc) FROM listing JOIN service_at_location USING (rowid)");
  while (st && st->Step().value_or(false)) {
    auto doc = nlohmann::json::parse(st->ColumnText(1));
    doc["source"].erase("imported_at");
    out.emplace(st->ColumnString(0), std::move(doc));
  }
  return out;
}

class ImportedServer {
 public:
  // Imports `files` into a fresh database named after `name` and serves it;
  // with `feedback`, POST .../feedback too (into a feedback file beside it).
  // `rejections_ok`: exit 1 (some rows rejected, every good row loaded) is
  // fine, as for the shipped feeds.
  void Start(const std::string& name, const std::vector<std::string>& files,
             bool feedback = false, bool rejections_ok = false) {
    db_ = UniqueTempPath(name + ".db");
    std::filesystem::remove(db_);
    std::filesystem::remove(store::DefaultFeedbackPath(db_));
    int code = ImportFiles(db_, files);
    ASSERT_TRUE(code == 0 || (rejections_ok && code == 1)) << "import into " << db_ << ": " << code;
    auto s = store::ListingStore::Open(db_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    if (feedback) {
      auto f = store::FeedbackStore::Open(store::DefaultFeedbackPath(db_));
      ASSERT_TRUE(f) << f.error().message;
      feedback_ = std::move(*f);
    }
    server_ = std::make_unique<server::Server>(
        *store_, server::ServerOptions{.host = "127.0.0.1", .port = 0, .threads = 4,
                                       .access_log = false, .feedback = feedback_.get()});
    auto port = server_->Bind();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~ImportedServer() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Result Get(const std::string& path) const {
    httplib::Client client("127.0.0.1", port_);
    return client.Get(path.c_str());
  }
  // The body of GET `path` as JSON, expecting `status`.
  nlohmann::json Json(const std::string& path, int status = 200) const {
    auto r = Get(path);
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << ": " << r->body;
    return nlohmann::json::parse(r->body, nullptr, false);
  }
  const std::string& db() const { return db_; }
  int port() const { return port_; }

 private:
  std::string db_;
  std::unique_ptr<store::ListingStore> store_;
  std::unique_ptr<store::FeedbackStore> feedback_;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace carefinder::testing
