// libFuzzer target: the SAMHSA National Directory reader (CSV and .xlsx, so
// libzip and expat too) and its format sniffer.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "importer/sources/samhsa_directory.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carefinder::importer;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)LooksLikeSamhsaDirectory("fuzz.xlsx", std::string_view(text).substr(0, 4096));
  std::istringstream in(text);
  SeenKeys seen;
  auto r = ReadSamhsaDirectory(in, "fuzz.xlsx", {}, carefinder::Taxonomy::Embedded(), seen);
  if (r) fuzz::CheckResult(*r);
  else fuzz::CheckError(r.error());
  return 0;
}
