// Invariants every reader's answer must keep, checked by each fuzz target: a
// broken one aborts, so libFuzzer reports it like a crash. Shared by the
// tests/fuzz/fuzz_*.cc targets only.
#pragma once

#include <cstdlib>

#include "importer/sources/reader.h"

namespace carefinder::importer::fuzz {

inline void Require(bool ok) {
  if (!ok) std::abort();
}

// Counts add up (for readers that make at most one record of a row), every
// message names a line, every record is placed where a record may be: a
// 5-digit ZIP or none, coordinates in range or none.
inline void CheckResult(const ReadResult& r, bool one_record_per_row = true) {
  Require(r.rows >= 0 && r.rejected_rows >= 0 && r.rejected_rows <= r.rows);
  if (one_record_per_row) Require(static_cast<int>(r.records.size()) + r.rejected_rows <= r.rows);
  for (const Rejection& x : r.rejections) {
    Require(x.line >= 1 && !x.reason.empty());
    (void)x.Message();
  }
  for (const Rejection& x : r.warnings) Require(x.line >= 1 && !x.reason.empty());
  for (const ListingRecord& rec : r.records) {
    Require(rec.line >= 1 && !rec.source.empty() && !rec.source_key.empty());
    const std::string& zip = rec.address.postal_code;
    Require(zip.empty() || (zip.size() == 5 && zip.find_first_not_of("0123456789") == std::string::npos));
    Require(rec.latitude.has_value() == rec.longitude.has_value());
    if (rec.latitude) Require(*rec.latitude >= -90 && *rec.latitude <= 90);
    if (rec.longitude) Require(*rec.longitude >= -180 && *rec.longitude <= 180);
  }
}

// A reader may refuse a whole file, but never with an internal error: that
// means it lost track of its own state (say, rows found and rows parsed differ).
inline void CheckError(const Error& e) { Require(e.code != ErrorCode::kInternal); }

}  // namespace carefinder::importer::fuzz
