// libFuzzer target: the SAMHSA locator CSV reader and its format sniffer.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "importer/sources/samhsa_locator_csv.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carefinder::importer;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)LooksLikeSamhsaLocatorCsv(std::string_view(text).substr(0, 4096));
  std::istringstream in(text);
  SeenKeys seen;
  auto r = ReadSamhsaLocatorCsv(in, "fuzz.csv", {}, carefinder::Taxonomy::Embedded(), seen);
  if (r) fuzz::CheckResult(*r);
  else fuzz::CheckError(r.error());
  return 0;
}
