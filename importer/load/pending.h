// What Loader::Load decided for each listing and Loader::Flush writes
// (load_flush.cc), and the term table both use. Private to the loader: the
// Loader owns its pending listings; the table writers read them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "importer/dedup.h"
#include "importer/load/full_text_aside.h"
#include "importer/listing_doc.h"
#include "importer/taxonomy.h"

namespace carefinder::importer {

// A listing made by Prepare, decided by Load; Flush writes them all, table
// by table.
struct Pending {
  const ListingGroup* group = nullptr;
  RecordIds ids;          // its own (Prepare), then those it keeps (Load)
  std::string doc, hash;  // doc as stored (imported_at stamped); empty on a first import until Flush
  std::string legacy_hash;  // LegacyContentHash too, when a stored row has one (StoredRecords)
  // Added or changed: every table is written. Unchanged: only the
  // provenance rows are touched and the listing row (its doc's imported_at).
  bool entities = false;
  std::vector<std::string> left;  // listings members pointed at before, other than this one
  std::vector<uint16_t> terms;    // its taxonomy terms, as places in term id order (TermTable)
  std::string terms_packed;       // SearchTerms as term keys (listing.terms, db/term_pack.h)
};

// Every taxonomy term with its integer key (taxonomy_term.rowid), in key
// order (service.terms order), and a code's place there
// (Pending::terms).
class TermTable {
 public:
  struct Row {
    int64_t key;
    const Term* term;
  };
  // `keys`: each term's taxonomy_term.rowid by code (SeedTaxonomy wrote them).
  static Result<std::unique_ptr<TermTable>> Create(
      const Taxonomy& taxonomy, const std::unordered_map<std::string, int64_t>& keys);
  const Row& operator[](uint16_t place) const { return rows_[place]; }
  // The place of the taxonomy's term `t`.
  uint16_t PlaceOf(const Term& t) const { return place_[static_cast<size_t>(t.index)]; }
  // The place of `code`; throws std::out_of_range for a code not in the taxonomy.
  uint16_t PlaceOf(std::string_view code) const;
  // `terms` as stored in listing.terms: their keys (db/term_pack.h).
  std::string Pack(const std::vector<const Term*>& terms) const;

 private:
  TermTable() = default;
  const Taxonomy* taxonomy_ = nullptr;
  std::vector<Row> rows_;
  // By Term::index: a look-up by code hashed it (about 26 a listing: 0.3 s
  // of Prepare's CPU at 1e6 listings).
  std::vector<uint16_t> place_;
};

// A first import's full-text index, started on another thread
// (full_text_aside.h): row k (rowid k + 1) from the record listing(k)
// gives, which must stay alive and unchanged until the index is copied in.
Result<std::unique_ptr<FullTextAside>> StartFullText(
    db::Database& db, size_t rows, std::function<const ListingRecord&(size_t)> listing);

// A listing's doc as stored (imported_at `now`) and its content hash; its
// LegacyContentHash too when `legacy_hash` is given.
void RenderDoc(const ListingRecord& rec, const RecordIds& ids, const Taxonomy& taxonomy,
               std::string_view now, std::string& doc, std::string& hash,
               std::string* legacy_hash = nullptr);

}  // namespace carefinder::importer
