// Length limits of imported fields: see field_limits.h.
#include "importer/field_limits.h"

#include <algorithm>
#include <array>
#include <span>
#include <string>

namespace carefinder::importer {

namespace {

// Longest shipped values measured on the shipped database (build/carefinder.db
// of 2026-12) and the raw feeds; limits are roughly 3 to 10 times those.
constexpr std::array<FieldLimit, 20> kLimits{{
    {"name", 500, 122},
    {"organization", 500, 122},
    {"description", 8000, 845},
    {"location_name", 500, 122},
    {"address1", 300, 80},
    {"address2", 300, 38},
    {"city", 100, 25},
    {"state", 50, 2},
    {"zip", 10, 5},
    {"website", 2000, 137},
    {"email", 254, 0},  // RFC 5321's limit; no shipped listing has one
    {"hours", 1000, 14},
    {"conference_url", 2000, 65},
    {"conference_phone", 100, 20},
    {"source_key", 500, 159},
    {"phones.extension", 10, 5},
    {"other_services", 300, 103},  // each value
    {"phones", 50, 6},             // entries
    {"hours.times", 200, 14},      // weekly times
    {"other_services.count", 1000, 154},
}};

size_t Characters(std::string_view s) {
  return static_cast<size_t>(std::ranges::count_if(
      s, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The place of `field` in kLimits, found when compiled: a check by name
// searched the table for each of some 20 fields of every record (1e6
// records: about 0.2 s of the reading thread, after its workers are done).
consteval size_t LimitOf(std::string_view field) {
  for (size_t i = 0; i < kLimits.size(); ++i) {
    if (kLimits[i].field == field) return i;
  }
  throw "a field with no limit";  // not a constant: the build fails
}

// Adds a rejection to `row` when `size` passes the limit of kLimits[I].
template <size_t I>
void Check(RowRejections& row, size_t size, std::string_view unit) {
  const FieldLimit& limit = kLimits[I];
  if (size <= limit.max) return;
  std::string_view field = limit.field;
  std::string name(field.ends_with(".count") ? field.substr(0, field.size() - 6) : field);
  row.Reject(name, "longer than " + std::to_string(limit.max) + " " + std::string(unit) + " (" +
                       std::to_string(size) + ")");
}

template <size_t I>
void CheckText(RowRejections& row, std::string_view value) {
  if (value.size() > kLimits[I].max) Check<I>(row, Characters(value), "characters");
}

void CheckRecord(const ListingRecord& rec, RowRejections& row) {
  CheckText<LimitOf("name")>(row, rec.name);
  CheckText<LimitOf("organization")>(row, rec.organization);
  CheckText<LimitOf("description")>(row, rec.description);
  CheckText<LimitOf("location_name")>(row, rec.location_name);
  CheckText<LimitOf("address1")>(row, rec.address.line1);
  CheckText<LimitOf("address2")>(row, rec.address.line2);
  CheckText<LimitOf("city")>(row, rec.address.city);
  CheckText<LimitOf("state")>(row, rec.address.state);
  CheckText<LimitOf("zip")>(row, rec.address.postal_code);
  CheckText<LimitOf("website")>(row, rec.website);
  CheckText<LimitOf("email")>(row, rec.email);
  CheckText<LimitOf("hours")>(row, rec.hours_text);
  CheckText<LimitOf("conference_url")>(row, rec.conference_url);
  CheckText<LimitOf("conference_phone")>(row, rec.conference_phone);
  CheckText<LimitOf("source_key")>(row, rec.source_key);
  for (const Phone& phone : rec.phones) CheckText<LimitOf("phones.extension")>(row, phone.extension);
  for (const std::string& value : rec.source_attributes) CheckText<LimitOf("other_services")>(row, value);
  Check<LimitOf("phones")>(row, rec.phones.size(), "entries");
  Check<LimitOf("hours.times")>(row, rec.hours.size(), "entries");
  Check<LimitOf("other_services.count")>(row, rec.source_attributes.size(), "entries");
}

}  // namespace

std::span<const FieldLimit> FieldLimits() { return kLimits; }

void EnforceFieldLimits(ReadResult& result) {
  std::vector<Rejection> found;
  std::erase_if(result.records, [&](const ListingRecord& rec) {
    RowRejections row(rec.file, rec.line, found);
    CheckRecord(rec, row);
    if (!row.bad()) return false;
    ++result.rejected_rows;
    return true;
  });
  if (found.empty()) return;
  result.rejections.insert(result.rejections.end(), found.begin(), found.end());
  std::ranges::stable_sort(result.rejections, {}, &Rejection::line);
}

}  // namespace carefinder::importer
