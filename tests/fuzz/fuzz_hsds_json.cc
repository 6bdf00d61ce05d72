// libFuzzer target: the HSDS JSON reader and both HSDS format sniffers.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "importer/sources/hsds.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carefinder::importer;
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string_view head = std::string_view(text).substr(0, 4096);
  (void)LooksLikeHsdsJson(head);
  (void)LooksLikeHsdsDatapackage(head);
  std::istringstream in(text);
  SeenKeys seen;
  SourceInfo source{"fuzz-hsds", "", "", "", "2024-01-01"};
  auto r = ReadHsdsJson(in, "fuzz.json", source, carefinder::Taxonomy::Embedded(), seen);
  if (r) fuzz::CheckResult(*r, /*one_record_per_row=*/false);  // a service: many listings
  else fuzz::CheckError(r.error());
  return 0;
}
