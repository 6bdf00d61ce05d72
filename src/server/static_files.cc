// Static file lookup for the web page: see static_files.h.
#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/text.h"

namespace carefinder::server {

namespace {

namespace fs = std::filesystem;

struct Mime {
  const char* ext;
  const char* type;
};
constexpr Mime kMimeTypes[] = {
    {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},           {".svg", "image/svg+xml"},
    {".png", "image/png"},                   {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},   {".webmanifest", "application/manifest+json"},
    {".woff2", "font/woff2"},
};

bool IsPageRoute(std::string_view path) {
  return path == "/" || path == "/index.html" || path == "/referral" || path == "/compare" ||
         (text::StartsWith(path, "/listing/") && path.find('/', 9) == std::string_view::npos);
}

const char* ContentTypeFor(const fs::path& p) {
  std::string ext = text::ToLower(p.extension().string());
  for (const auto& m : kMimeTypes) {
    if (ext == m.ext) return m.type;
  }
  return "application/octet-stream";
}

}  // namespace

std::optional<StaticFile> LoadStaticFile(const std::string& web_dir, std::string_view path) {
  if (web_dir.empty() || path.empty() || path[0] != '/') return std::nullopt;
  if (path.find("..") != std::string_view::npos || path.find('\\') != std::string_view::npos ||
      path.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::error_code ec;
  fs::path root = fs::weakly_canonical(web_dir, ec);
  if (ec) return std::nullopt;
  fs::path file = IsPageRoute(path) ? root / "index.html" : root / std::string(path.substr(1));
  file = fs::weakly_canonical(file, ec);
  if (ec || !text::StartsWith(file.string(), root.string() + "/")) return std::nullopt;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  return StaticFile{std::move(body).str(), ContentTypeFor(file)};
}

}  // namespace carefinder::server
