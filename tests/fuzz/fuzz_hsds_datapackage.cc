// libFuzzer target: the HSDS datapackage reader. One input holds a whole
// package: the descriptor (datapackage.json) first, then each table after a
// line `--- <path>` (`--- services.csv`). The seeds are the fixture packages
// written that way, so mutations reach the descriptor and every table.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "importer/sources/hsds.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// Splits `text` at lines starting "--- ": the part before the first is the
// descriptor, each later part is the table named on its marker line.
std::map<std::string, std::string, std::less<>> SplitPackage(const std::string& text,
                                                            std::string& descriptor) {
  std::map<std::string, std::string, std::less<>> tables;
  std::string* current = &descriptor;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    size_t next = end == std::string::npos ? text.size() : end + 1;
    std::string_view line(text.data() + pos, next - pos);
    if (line.starts_with("--- ")) {
      std::string name(line.substr(4));
      while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
      current = &tables[name];
    } else {
      current->append(line);
    }
    pos = next;
  }
  return tables;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carefinder::importer;
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string descriptor;
  auto tables = SplitPackage(text, descriptor);
  (void)LooksLikeHsdsDatapackage(std::string_view(descriptor).substr(0, 4096));
  OpenTable open = [&](std::string_view path) -> std::unique_ptr<std::istream> {
    auto it = tables.find(path);
    if (it == tables.end()) return nullptr;
    return std::make_unique<std::istringstream>(it->second);
  };
  std::istringstream in(descriptor);
  SeenKeys seen;
  SourceInfo source{"fuzz-hsds", "", "", "", "2024-01-01"};
  auto r = ReadHsdsDatapackage(in, "datapackage.json", open, source, carefinder::Taxonomy::Embedded(), seen);
  if (r) fuzz::CheckResult(*r, /*one_record_per_row=*/false);
  else fuzz::CheckError(r.error());
  return 0;
}
