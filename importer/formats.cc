// Format names, sniffing, the source sidecar and reader dispatch: see formats.h.
#include "importer/formats.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/bmlt.h"
#include "importer/sources/curated_csv.h"
#include "importer/sources/meeting_guide.h"
#include "importer/sources/samhsa_directory.h"
#include "importer/sources/samhsa_json.h"
#include "importer/sources/samhsa_locator_csv.h"

namespace carefinder::importer {

bool IsKnownFormat(std::string_view name) {
  return std::find(kFormats.begin(), kFormats.end(), name) != kFormats.end();
}

std::string FormatList() {
  std::string out;
  for (std::string_view f : kFormats) (out += out.empty() ? "" : ", ") += f;
  return out;
}

std::string DetectFormat(std::string_view name, std::string_view head) {
  if (name.ends_with("datapackage.json") || LooksLikeHsdsDatapackage(head))
    return std::string(kHsdsDatapackageFormat);
  if (LooksLikeSamhsaDirectory(name, head)) return std::string(kSamhsaDirectoryFormat);
  std::string_view body = head;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  body = text::Trim(body);
  if (body.starts_with('[') || body.starts_with('{')) {
    if (LooksLikeMeetingGuide(head)) return std::string(kMeetingGuideFormat);
    if (LooksLikeSamhsaJson(head)) return std::string(kSamhsaJsonFormat);
    if (LooksLikeHsdsJson(head)) return std::string(kHsdsJsonFormat);
    if (LooksLikeBmlt(head)) return std::string(kBmltFormat);
    return "";
  }
  if (LooksLikeSamhsaLocatorCsv(head)) return std::string(kSamhsaLocatorCsvFormat);
  std::string_view header = body.substr(0, body.find('\n'));
  if (header.contains("source_key") || name.ends_with(".csv") || name.ends_with(".CSV"))
    return std::string(kCuratedCsvFormat);
  return "";
}

Result<Sidecar> ParseSidecar(std::string_view json_text, std::string_view file) {
  std::string where(file);
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Fail(Error::Invalid(where + ": not a JSON object (a source sidecar is "
                                       "{\"name\", \"url\", \"license\", \"attribution\", "
                                       "\"as_of\", \"format\", \"edition_of\"})"));
  Sidecar out;
  std::string* fields[] = {&out.source.name,        &out.source.url,   &out.source.license,
                           &out.source.attribution, &out.source.as_of, &out.format,
                           &out.source.edition_of};
  const char* keys[] = {"name", "url", "license", "attribution", "as_of", "format", "edition_of"};
  for (const auto& [key, value] : j.items()) {
    auto k = std::find(std::begin(keys), std::end(keys), key);
    if (k == std::end(keys))
      return Fail(Error::Invalid(where + ": unknown key \"" + key + "\""));
    if (!value.is_string())
      return Fail(Error::Invalid(where + ": \"" + key + "\" must be a string"));
    *fields[k - std::begin(keys)] = text::Trim(value.get<std::string>());
  }
  if (out.source.name.empty()) return Fail(Error::Invalid(where + ": \"name\" is required"));
  if (!out.source.as_of.empty() && !IsIsoDate(out.source.as_of))
    return Fail(Error::Invalid(where + ": \"as_of\" must be YYYY-MM-DD, got \"" +
                               out.source.as_of + "\""));
  if (!out.format.empty() && !IsKnownFormat(out.format))
    return Fail(Error::Invalid(where + ": unknown format \"" + out.format + "\" (formats: " +
                               FormatList() + ")"));
  return out;
}

Result<ReadResult> ReadAs(std::string_view format, std::istream& in, std::string_view file,
                          const SourceInfo& source, const OpenTable& open,
                          const Taxonomy& taxonomy, SeenKeys& seen) {
  if (format == kCuratedCsvFormat) return ReadCuratedCsv(in, file, taxonomy, seen);
  if (format == kSamhsaLocatorCsvFormat) return ReadSamhsaLocatorCsv(in, file, source, taxonomy, seen);
  if (format == kSamhsaJsonFormat) return ReadSamhsaJson(in, file, source, taxonomy, seen);
  if (format == kMeetingGuideFormat) return ReadMeetingGuide(in, file, source, taxonomy, seen);
  if (format == kHsdsDatapackageFormat) {
    if (!open) return Fail(Error::Invalid(std::string(file) + ": a datapackage needs its directory"));
    return ReadHsdsDatapackage(in, file, open, source, taxonomy, seen);
  }
  if (format == kHsdsJsonFormat) return ReadHsdsJson(in, file, source, taxonomy, seen);
  if (format == kSamhsaDirectoryFormat) return ReadSamhsaDirectory(in, file, source, taxonomy, seen);
  if (format == kBmltFormat) return ReadBmlt(in, file, source, taxonomy, seen);
  return Fail(Error::Invalid(std::string(file) + ": unknown format \"" + std::string(format) +
                             "\" (formats: " + FormatList() + ")"));
}

}  // namespace carefinder::importer
