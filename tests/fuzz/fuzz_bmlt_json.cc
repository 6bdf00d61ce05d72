// libFuzzer target: the BMLT GetSearchResults JSON reader and its format sniffer.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "importer/sources/bmlt.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carefinder::importer;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)LooksLikeBmlt(std::string_view(text).substr(0, 4096));
  std::istringstream in(text);
  SeenKeys seen;
  SourceInfo source{"fuzz-bmlt", "", "", "", "2018-12-03"};
  auto r = ReadBmlt(in, "fuzz.json", source, carefinder::Taxonomy::Embedded(), seen);
  if (r) fuzz::CheckResult(*r);
  else fuzz::CheckError(r.error());
  return 0;
}
