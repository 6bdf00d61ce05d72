// Format names, sniffing, the source sidecar and reader dispatch: see formats.h.
#include "importer/formats.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/text.h"
#include "core/time_zone.h"
#include "importer/normalise.h"
#include "importer/sources/bmlt.h"
#include "importer/sources/curated_csv.h"
#include "importer/sources/meeting_guide.h"
#include "importer/sources/samhsa_directory.h"
#include "importer/sources/samhsa_json.h"
#include "importer/sources/samhsa_locator_csv.h"

namespace carefinder::importer {

namespace {

// The input with a UTF-8 BOM and surrounding white space removed.
std::string_view Body(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  return text::Trim(head);
}

bool IsJson(std::string_view head) {
  std::string_view body = Body(head);
  return body.starts_with('[') || body.starts_with('{');
}

template <bool (*LooksLike)(std::string_view)>
bool JsonLike(std::string_view, std::string_view head) {
  return IsJson(head) && LooksLike(head);
}

bool DatapackageLike(std::string_view name, std::string_view head) {
  return name.ends_with("datapackage.json") || LooksLikeHsdsDatapackage(head);
}

bool LocatorLike(std::string_view, std::string_view head) {
  return !IsJson(head) && LooksLikeSamhsaLocatorCsv(head);
}

bool CuratedLike(std::string_view name, std::string_view head) {
  if (IsJson(head)) return false;
  std::string_view body = Body(head);
  return body.substr(0, body.find('\n')).contains("source_key") || name.ends_with(".csv") ||
         name.ends_with(".CSV");
}

Result<ReadResult> ReadDatapackage(const ReadArgs& a) {
  if (!a.open) return Fail(Error::Invalid(std::string(a.file) + ": a datapackage needs its directory"));
  return ReadHsdsDatapackage(a.in, a.file, a.open, a.source, a.taxonomy, a.seen);
}

// A reader of the usual signature as a table entry.
template <Result<ReadResult> (*Read)(std::istream&, std::string_view, const SourceInfo&,
                                     const Taxonomy&, SeenKeys&)>
Result<ReadResult> Reader(const ReadArgs& a) {
  return Read(a.in, a.file, a.source, a.taxonomy, a.seen);
}

Result<ReadResult> ReadCurated(const ReadArgs& a) {
  return ReadCuratedCsv(a.in, a.file, a.taxonomy, a.seen);
}

constexpr Format kTable[] = {
    {kHsdsDatapackageFormat, DatapackageLike, ReadDatapackage},
    {kSamhsaDirectoryFormat, LooksLikeSamhsaDirectory, Reader<ReadSamhsaDirectory>},
    {kMeetingGuideFormat, JsonLike<LooksLikeMeetingGuide>, Reader<ReadMeetingGuide>},
    {kSamhsaJsonFormat, JsonLike<LooksLikeSamhsaJson>, Reader<ReadSamhsaJson>},
    {kHsdsJsonFormat, JsonLike<LooksLikeHsdsJson>, Reader<ReadHsdsJson>},
    {kBmltFormat, JsonLike<LooksLikeBmlt>, Reader<ReadBmlt>},
    {kSamhsaLocatorCsvFormat, LocatorLike, Reader<ReadSamhsaLocatorCsv>},
    {kCuratedCsvFormat, CuratedLike, ReadCurated},
};

}  // namespace

std::span<const Format> Formats() { return kTable; }

const Format* FindFormat(std::string_view name) {
  auto it = std::ranges::find(kTable, name, &Format::name);
  return it == std::end(kTable) ? nullptr : &*it;
}

bool IsKnownFormat(std::string_view name) { return FindFormat(name) != nullptr; }

std::string FormatList() {
  std::string out;
  for (const Format& f : kTable) (out += out.empty() ? "" : ", ") += f.name;
  return out;
}

std::string DetectFormat(std::string_view name, std::string_view head) {
  for (const Format& f : kTable) {
    if (f.recognise(name, head)) return std::string(f.name);
  }
  return "";
}

Result<Sidecar> ParseSidecar(std::string_view json_text, std::string_view file) {
  std::string where(file);
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Fail(Error::Invalid(where + ": not a JSON object (a source sidecar is "
                                       "{\"name\", \"url\", \"license\", \"attribution\", "
                                       "\"as_of\", \"format\", \"edition_of\", \"timezone\"})"));
  Sidecar out;
  std::string* fields[] = {&out.source.name,        &out.source.url,   &out.source.license,
                           &out.source.attribution, &out.source.as_of, &out.format,
                           &out.source.edition_of, &out.source.timezone};
  const char* keys[] = {"name",   "url",        "license", "attribution",
                        "as_of",  "format",     "edition_of", "timezone"};
  for (const auto& [key, value] : j.items()) {
    auto k = std::find(std::begin(keys), std::end(keys), key);
    if (k == std::end(keys))
      return Fail(Error::Invalid(where + ": unknown key \"" + key + "\""));
    if (!value.is_string())
      return Fail(Error::Invalid(where + ": \"" + key + "\" must be a string"));
    *fields[k - std::begin(keys)] = text::Trim(value.get<std::string>());
  }
  if (out.source.name.empty()) return Fail(Error::Invalid(where + ": \"name\" is required"));
  if (!out.source.as_of.empty() && !date::IsIsoDate(out.source.as_of))
    return Fail(Error::Invalid(where + ": \"as_of\" must be YYYY-MM-DD, got \"" +
                               out.source.as_of + "\""));
  if (!out.source.timezone.empty() && !tz::IsKnownZone(out.source.timezone))
    return Fail(Error::Invalid(where + ": \"timezone\" must be an IANA zone such as "
                                       "America/New_York, got \"" + out.source.timezone + "\""));
  if (!out.format.empty() && !IsKnownFormat(out.format))
    return Fail(Error::Invalid(where + ": unknown format \"" + out.format + "\" (formats: " +
                               FormatList() + ")"));
  return out;
}

Result<ReadResult> ReadAs(std::string_view format, std::istream& in, std::string_view file,
                          const SourceInfo& source, const OpenTable& open,
                          const Taxonomy& taxonomy, SeenKeys& seen) {
  const Format* f = FindFormat(format);
  if (!f) {
    return Fail(Error::Invalid(std::string(file) + ": unknown format \"" + std::string(format) +
                               "\" (formats: " + FormatList() + ")"));
  }
  return f->read({in, file, source, open, taxonomy, seen});
}

}  // namespace carefinder::importer
