// Pass 1 of a load (Loader::LookUp): what the database already holds for the
// records of this run, i.e. which listings exist and who created them. Only
// the loader reads it (load.cc decides with it, load_flush.cc writes each
// record's source key); it changes only through its methods.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "core/stable_id_maker.h"
#include "importer/dedup.h"
#include "importer/load/load_statements.h"

namespace carefinder::importer {

// What pass 1 found for a record that has a provenance row.
struct Stored {
  std::string hash;
  bool own = false;     // the row points at the record's own stable listing id
  std::string listing;  // the listing it points at, when not its own
};

class StoredRecords {
 public:
  // Reads the provenance row of every member of every group (none when the
  // tables hold no listing yet), and writes each source's row the first time
  // the run meets it. `attributions`: source name -> the credit its licence asks for.
  Status LookUp(const std::vector<ListingGroup>& groups, LoaderStatements& st, StableIdMaker& make_id,
                const std::unordered_map<std::string, std::string>& attributions);

  // The tables held listings before this run.
  bool any_listing() const { return any_listing_; }
  // A record's row holds a hash of the form imports before 2026-12-04 wrote
  // (IsLegacyContentHash): its listing's doc is hashed that way too.
  bool any_legacy_hash() const { return any_legacy_hash_; }
  // The provenance row of `record`, or nullptr when it has none.
  const Stored* Of(const ListingRecord* record) const;
  // The key (source.rowid) of a source of this run, which provenance and
  // source_code rows name (LookUp wrote its row).
  int64_t SourceKey(const std::string& source_name) const;
  // Takes over `listing` (created by a record absent from this run) for one
  // group: false when its creator is in this run or a group already took it.
  bool Adopt(const std::string& listing);

 private:
  // The source's id; writes its row the first time.
  Result<std::string> WriteSource(const ListingRecord& rec, LoaderStatements& st, StableIdMaker& make_id,
                                  const std::unordered_map<std::string, std::string>& attributions);

  std::unordered_map<std::string, std::string> source_ids_;  // name -> id, row written
  std::unordered_map<std::string, int64_t> source_keys_;     // name -> source.rowid
  std::unordered_map<const ListingRecord*, Stored> stored_;
  std::unordered_set<std::string> claimed_;  // listing ids whose creator is in this run
  std::unordered_set<std::string> adopted_;  // listing ids taken over from an absent creator
  bool any_listing_ = false;
  bool any_legacy_hash_ = false;
};

}  // namespace carefinder::importer
