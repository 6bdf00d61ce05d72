// Static files of the web page (web/): path safety, the page routes that all
// serve index.html (so permanent links work), and content types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace carefinder::server {

struct StaticFile {
  std::string body;
  std::string content_type;
};

// The file for `path` under `web_dir`, or nullopt when there is none (or the
// path tries to leave web_dir). "/", "/referral" and "/listing/<id>" are the
// page itself: index.html.
std::optional<StaticFile> LoadStaticFile(const std::string& web_dir, std::string_view path);

}  // namespace carefinder::server
