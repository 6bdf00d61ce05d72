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

const FieldLimit& Limit(std::string_view field) {
  return *std::ranges::find(kLimits, field, &FieldLimit::field);
}

// Adds a rejection to `row` when `size` passes the limit of `field`.
void Check(RowRejections& row, std::string_view field, size_t size, std::string_view unit) {
  const FieldLimit& limit = Limit(field);
  if (size <= limit.max) return;
  std::string name(field.ends_with(".count") ? field.substr(0, field.size() - 6) : field);
  row.Reject(name, "longer than " + std::to_string(limit.max) + " " + std::string(unit) + " (" +
                       std::to_string(size) + ")");
}

void CheckText(RowRejections& row, std::string_view field, std::string_view value) {
  if (value.size() > Limit(field).max) Check(row, field, Characters(value), "characters");
}

void CheckRecord(const ListingRecord& rec, RowRejections& row) {
  CheckText(row, "name", rec.name);
  CheckText(row, "organization", rec.organization);
  CheckText(row, "description", rec.description);
  CheckText(row, "location_name", rec.location_name);
  CheckText(row, "address1", rec.address.line1);
  CheckText(row, "address2", rec.address.line2);
  CheckText(row, "city", rec.address.city);
  CheckText(row, "state", rec.address.state);
  CheckText(row, "zip", rec.address.postal_code);
  CheckText(row, "website", rec.website);
  CheckText(row, "email", rec.email);
  CheckText(row, "hours", rec.hours_text);
  CheckText(row, "conference_url", rec.conference_url);
  CheckText(row, "conference_phone", rec.conference_phone);
  CheckText(row, "source_key", rec.source_key);
  for (const Phone& phone : rec.phones) CheckText(row, "phones.extension", phone.extension);
  for (const std::string& value : rec.source_attributes) CheckText(row, "other_services", value);
  Check(row, "phones", rec.phones.size(), "entries");
  Check(row, "hours.times", rec.hours.size(), "entries");
  Check(row, "other_services.count", rec.source_attributes.size(), "entries");
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
