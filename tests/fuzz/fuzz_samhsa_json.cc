// libFuzzer target: the SAMHSA locator JSON reader and its format sniffer.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "importer/sources/samhsa_json.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carefinder::importer;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)LooksLikeSamhsaJson(std::string_view(text).substr(0, 4096));
  std::istringstream in(text);
  SeenKeys seen;
  auto r = ReadSamhsaJson(in, "fuzz.json", {}, carefinder::Taxonomy::Embedded(), seen);
  if (r) fuzz::CheckResult(*r);
  else fuzz::CheckError(r.error());
  return 0;
}
