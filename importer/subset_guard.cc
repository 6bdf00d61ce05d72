// The check that an import of some sources strips no merged listing: see
// subset_guard.h.
#include "importer/subset_guard.h"

#include <map>
#include <set>
#include <unordered_map>

namespace carefinder::importer {

namespace {

// Every record of the listing a (source_id, source_key) record belongs to:
// its source and the file it was last imported from, and the listing.
constexpr const char* kListingRecords =
    "SELECT os.id, coalesce((SELECT path FROM import_file WHERE rowid = other.file), ''), sal.id "
    "FROM provenance mine JOIN provenance other ON other.listing = mine.listing "
    "JOIN source os ON os.rowid = other.source JOIN service_at_location sal ON sal.rowid = mine.listing "
    "WHERE mine.source = (SELECT rowid FROM source WHERE id = ?1) AND mine.source_key = ?2";

constexpr size_t kFilesNamed = 3;  // per missing source, in the message

struct Missing {
  int listings = 0;  // touched listings with a record of the source
  std::set<std::string> files;
};

std::string Describe(const std::map<std::string, Missing>& missing, int listings,
                     const std::string& first) {
  std::string names;
  for (const auto& [source, m] : missing) {
    names += (names.empty() ? "" : ", ") + std::string("source '") + source + "'";
    std::string files;
    size_t shown = 0;
    for (const std::string& f : m.files) {
      if (shown++ == kFilesNamed) {
        files += ", ...";
        break;
      }
      files += (files.empty() ? "" : ", ") + f;
    }
    if (!files.empty()) names += " (" + files + ")";
  }
  return "this run imports only some of the sources of " + std::to_string(listings) +
         " merged listing" + (listings == 1 ? "" : "s") +
         ", and would strip them of what the other sources gave (phones, services, status): "
         "import it together with " + names + "; first: " + first;
}

}  // namespace

Result<std::string> StrippedSources(db::Database& db, const std::vector<ListingGroup>& groups) {
  std::unordered_map<std::string, std::string> name_of, id_of;  // source id <-> name
  auto sources = db.Prepare("SELECT id, name FROM source");
  if (!sources) return Fail(sources.error());
  while (true) {
    auto row = sources->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    name_of.emplace(sources->ColumnString(0), sources->ColumnString(1));
    id_of.emplace(sources->ColumnString(1), sources->ColumnString(0));
  }
  if (name_of.empty()) return std::string();  // a first import
  std::set<std::string> run;  // the run's source ids
  for (const ListingGroup& group : groups) {
    for (const ListingRecord* m : group.members) {
      if (auto it = id_of.find(m->source); it != id_of.end()) run.insert(it->second);
    }
  }
  auto records = db.Prepare(kListingRecords);
  if (!records) return Fail(records.error());
  std::map<std::string, Missing> missing;  // by source name
  std::set<std::string> touched;           // listings looked at
  int listings = 0;
  std::string first;
  for (const ListingGroup& group : groups) {
    for (const ListingRecord* m : group.members) {
      auto id = id_of.find(m->source);
      if (id == id_of.end()) continue;  // a source new to the database
      records->Bind(1, id->second).Bind(2, m->source_key);
      std::set<std::string> absent;
      for (bool first_row = true;; first_row = false) {
        auto row = records->Step();
        if (!row) return Fail(row.error());
        if (!*row) break;
        // A listing met again through another of its records: counted once.
        if (first_row && !touched.insert(records->ColumnString(2)).second) break;
        std::string source = records->ColumnString(0);
        if (run.contains(source)) continue;
        const std::string& name = name_of[source];
        if (absent.insert(name).second) ++missing[name].listings;
        if (!records->ColumnText(1).empty()) missing[name].files.insert(records->ColumnString(1));
      }
      records->Reset();
      if (absent.empty()) continue;
      if (++listings == 1)
        first = m->file + ":" + std::to_string(m->line) + " is in a listing that source '" +
                *absent.begin() + "' also gives";
    }
  }
  return listings == 0 ? std::string() : Describe(missing, listings, first);
}

}  // namespace carefinder::importer
