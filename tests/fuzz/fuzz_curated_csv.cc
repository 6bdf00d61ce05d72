// libFuzzer target: the curated listing CSV reader.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "importer/sources/curated_csv.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carefinder::importer;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  SeenKeys seen;
  auto r = ReadCuratedCsv(in, "fuzz.csv", carefinder::Taxonomy::Embedded(), seen);
  if (r) fuzz::CheckResult(*r);
  else fuzz::CheckError(r.error());
  return 0;
}
