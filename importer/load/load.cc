// The only writer of the listing tables: see load.h. Statements are prepared
// once and reused (1e6 rows in one transaction); an unchanged listing touches
// only its provenance and listing rows, and the rarer paths (a listing folded
// into another, --prune) run their own statements only when they happen.
#include "importer/load/load.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/place_name.h"
#include "core/text.h"
#include "db/term_pack.h"
#include "importer/keep_until_exit.h"
#include "importer/listing_doc.h"
#include "importer/load/full_text_aside.h"
#include "importer/load/load_statements.h"
#include "importer/load/pending.h"
#include "importer/load/stored_records.h"
#include "importer/normalise.h"

namespace carefinder::importer {


Loader::Loader(db::Database& db, const Taxonomy& taxonomy, LoaderOptions options)
    : db_(db), taxonomy_(taxonomy), options_(std::move(options)),
      stored_(std::make_unique<StoredRecords>()) {}
Loader::~Loader() = default;

Result<std::unique_ptr<Loader>> Loader::Create(db::Database& db, const Taxonomy& taxonomy,
                                               LoaderOptions options) {
  std::unique_ptr<Loader> loader(new Loader(db, taxonomy, std::move(options)));
  auto statements = LoaderStatements::Prepare(db);
  if (!statements) return Fail(statements.error());
  loader->statements_ = std::make_unique<LoaderStatements>(std::move(*statements));
  std::unordered_map<std::string, int64_t> keys;
  auto& read = loader->statements_->term_keys;
  while (true) {
    auto row = read.Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    keys.emplace(read.ColumnString(1), read.ColumnInt(0));
  }
  read.Reset();
  auto terms = TermTable::Create(taxonomy, keys);
  if (!terms) return Fail(terms.error());
  loader->terms_ = std::move(*terms);
  return loader;
}

Result<std::unique_ptr<TermTable>> TermTable::Create(
    const Taxonomy& taxonomy, const std::unordered_map<std::string, int64_t>& keys) {
  std::unique_ptr<TermTable> out(new TermTable);
  out->taxonomy_ = &taxonomy;
  for (const Term& t : taxonomy.terms()) {
    auto key = keys.find(t.code);
    if (key == keys.end())
      return Fail(Error::Internal("taxonomy term " + t.code + " is not in the database"));
    out->rows_.push_back({key->second, &t});
  }
  std::sort(out->rows_.begin(), out->rows_.end(), [](const Row& a, const Row& b) { return a.key < b.key; });
  out->place_.resize(taxonomy.terms().size());
  for (uint16_t i = 0; i < out->rows_.size(); ++i) out->place_[static_cast<size_t>(out->rows_[i].term->index)] = i;
  return out;
}

uint16_t TermTable::PlaceOf(std::string_view code) const {
  const Term* t = taxonomy_->Find(code);
  if (t == nullptr) throw std::out_of_range("taxonomy term " + std::string(code) + " is not in the table");
  return PlaceOf(*t);
}

std::string TermTable::Pack(const std::vector<const Term*>& terms) const {
  std::string out;
  for (const Term* t : terms) db::AppendTermKey(out, rows_[PlaceOf(*t)].key);
  return out;
}

Status Loader::LookUp(const std::vector<ListingGroup>& groups) {
  return stored_->LookUp(groups, *statements_, make_id_, options_.attributions);
}

struct Loader::Identity {
  RecordIds ids;
  bool existing = false;
};

// `own`: the group's listing's own ids (Loader::Prepare).
Result<Loader::Identity> Loader::Identify(const ListingGroup& group, const RecordIds& own) {
  const ListingRecord& rec = group.listing();
  const ListingRecord* creator = nullptr;
  for (const ListingRecord* m : group.members) {
    if (const Stored* s = stored_->Of(m); s && s->own) {
      creator = m;
      break;
    }
  }
  Identity out{creator && creator != &rec ? RecordIds::For(*creator, make_id_) : own, creator != nullptr};
  if (creator && creator != &rec)
    out.ids.organization = make_id_("organization", rec.source, FoldPlaceName(rec.organization));
  for (const ListingRecord* m : group.members) {
    const Stored* s = stored_->Of(m);
    if (creator || !s || s->own) continue;
    // Created by a record absent from this run: take it over.
    if (!stored_->Adopt(s->listing)) continue;
    auto parts = QueryRow(statements_->listing_parts, s->listing, 2);
    if (!parts) return Fail(parts.error());
    if (*parts) {
      out.ids.service_at_location = s->listing;
      out.ids.service = (**parts)[0], out.ids.location = (**parts)[1];
      out.existing = true;
    }
    break;
  }
  if (!out.existing && stored_->any_listing()) {
    auto exists = QueryRow(statements_->listing_exists, out.ids.service_at_location, 1);
    if (!exists) return Fail(exists.error());
    out.existing = exists->has_value();  // a listing folded into another, coming back
  }
  return out;
}

namespace {

// The doc as stored: imported_at stamped into the hash form.
std::string Stamped(std::string doc, std::string_view now) {
  // `"imported_at":null` cannot occur inside a JSON string (its quotes would
  // be escaped), so the last one is the source's.
  static constexpr std::string_view kNullStamp = "\"imported_at\":null";
  std::string stamp;
  text::AppendJsonString(stamp, now);
  doc.replace(doc.rfind(kNullStamp) + kNullStamp.size() - 4, 4, stamp);
  return doc;
}

}  // namespace

void RenderDoc(const ListingRecord& rec, const RecordIds& ids, const Taxonomy& taxonomy,
               std::string_view now, std::string& doc, std::string& hash, std::string* legacy_hash) {
  // The normalised record is its doc without imported_at: the hash ignores when.
  doc = RenderListingDoc(rec, ids, taxonomy, "");
  hash = ContentHash(doc);
  if (legacy_hash) *legacy_hash = LegacyContentHash(doc);
  doc = Stamped(std::move(doc), now);
}

void Loader::Prepare(const std::vector<ListingGroup>& groups) {
  // Load then decides in place: no second array of a million to fill and move.
  const size_t base = pending_.size();
  // A first import: the full text needs only the groups, and from now on
  // the other core has time for it (Prepare's threads end unevenly, Load
  // runs on one core).
  if (base == 0 && !groups.empty() && !stored_->any_listing()) {
    auto started = StartFullText(db_, groups.size(),
                                 [&groups](size_t k) -> const ListingRecord& { return groups[k].listing(); });
    if (started) full_text_ = std::move(*started), full_text_of_ = &groups[0];
    // else Flush tries again and says why
  }
  pending_.resize(base + groups.size());
  // A doc and its hash tell a changed listing from an unchanged one; with
  // no listing stored yet, every one is new and nothing needs them now.
  bool docs_now = stored_->any_listing();
  const bool legacy = stored_->any_legacy_hash();
  auto prepare = [&](size_t from, size_t to) {
    StableIdMaker make_id;  // one each: it holds a hashing context
    for (size_t i = from; i < to; ++i) {
      const ListingRecord& rec = groups[i].listing();
      Pending& p = pending_[base + i];
      p.group = &groups[i];
      p.ids = RecordIds::For(rec, make_id);
      // A first import renders them later, on another core (Flush).
      if (docs_now)
        RenderDoc(rec, p.ids, taxonomy_, options_.now, p.doc, p.hash, legacy ? &p.legacy_hash : nullptr);
      // The search terms' text (' code code ') is not kept (1e6: 300 MB
      // less to fill); searches match their labels through these keys.
      p.terms_packed = terms_->Pack(SearchTerms(rec, taxonomy_));
      for (const auto& code : rec.terms) p.terms.push_back(terms_->PlaceOf(code));
      std::sort(p.terms.begin(), p.terms.end());
      p.terms.erase(std::unique(p.terms.begin(), p.terms.end()), p.terms.end());
    }
  };
  // Below a few thousand listings a thread costs more than it saves.
  size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  if (groups.size() < 4096) threads = 1;
  std::vector<std::thread> workers;
  size_t step = (groups.size() + threads - 1) / threads;
  for (size_t t = 1; t < threads; ++t)
    workers.emplace_back(prepare, std::min(t * step, groups.size()), std::min((t + 1) * step, groups.size()));
  prepare(0, std::min(step, groups.size()));
  for (auto& w : workers) w.join();
}

void Loader::ForgetPending() {
  if (options_.ends_process) KeepUntilExit(std::move(pending_));
  pending_.clear();  // moved from: empty, whatever it was
  loaded_count_ = 0;
}

Result<Loaded> Loader::Load(const ListingGroup& group) {
  if (loaded_count_ >= pending_.size() || pending_[loaded_count_].group != &group)
    return Fail(Error::Internal("Loader::Load: not the next group given to Prepare"));
  Pending& pending = pending_[loaded_count_++];
  const ListingRecord& rec = group.listing();
  auto identity = Identify(group, pending.ids);
  if (!identity) return Fail(identity.error());
  if (!(identity->ids == pending.ids) && !pending.doc.empty())  // it keeps an existing listing's ids: the doc says them
    RenderDoc(rec, identity->ids, taxonomy_, options_.now, pending.doc, pending.hash,
              stored_->any_legacy_hash() ? &pending.legacy_hash : nullptr);

  Loaded out;
  // The ids are moved, not copied (five strings a listing; 1e6 at 1e6).
  pending.ids = std::move(identity->ids);
  pending.entities = true;
  const RecordIds& ids = pending.ids;
  out.id = ids.service_at_location;
  bool same_members = identity->existing, same_hash = identity->existing;
  for (const ListingRecord* m : group.members) {
    const Stored* s = stored_->Of(m);
    if (!s) {
      same_members = false;
      continue;
    }
    std::string was = s->own ? make_id_("service_at_location", m->source, m->source_key) : s->listing;
    if (was != ids.service_at_location) same_members = false, pending.left.push_back(std::move(was));
    // A row an older import wrote holds the older hash: compared with it.
    if (s->hash != (IsLegacyContentHash(s->hash) ? pending.legacy_hash : pending.hash)) same_hash = false;
  }
  if (options_.track_loaded) loaded_.insert(ids.service_at_location);
  if (same_members && same_hash) {
    out.kind = Loaded::Kind::kUnchanged;
    ++counts_.unchanged;
    pending.entities = false;
  } else if (identity->existing) {
    out.kind = Loaded::Kind::kChanged;
    ++counts_.changed;
    auto old = QueryRow(statements_->old_doc, ids.service_at_location, 1);
    if (!old) return Fail(old.error());
    if (!same_hash) out.changed_fields = ChangedFields(*old ? (**old)[0] : "{}", pending.doc);
    if (!same_members) out.changed_fields.push_back("sources");
    if (out.changed_fields == std::vector<std::string>{"source.as_of"}) {
      out.kind = Loaded::Kind::kRestated;
      --counts_.changed, ++counts_.restated;
    }
    // Its contact points and terms are written again by Flush.
    if (auto s = statements_->DeleteChildren(ids.service, ids.location); !s) return Fail(s.error());
  } else {
    ++counts_.added;
  }
  return out;
}

Result<std::vector<Inactivated>> Loader::Prune(const std::vector<std::string>& sources) {
  std::unordered_set<std::string> pruned_ids;
  // listing id -> its rows of the pruned sources (ordered, so the report is stable)
  std::map<std::string, Inactivated> missing;
  for (const std::string& name : sources) {
    std::string source_id = make_id_("source", name, name);
    pruned_ids.insert(source_id);
    auto& rows = statements_->rows_of_source;
    rows.Bind(1, source_id);
    while (true) {
      auto row = rows.Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      std::string listing = rows.ColumnString(0);
      if (loaded_.contains(listing)) continue;
      missing.try_emplace(listing, Inactivated{listing, name, rows.ColumnString(1),
                                               rows.ColumnString(2), static_cast<int>(rows.ColumnInt(3))});
    }
    rows.Reset();
  }
  std::vector<Inactivated> out;
  for (auto& [listing, row] : missing) {
    auto& of = statements_->sources_of_listing;
    of.Bind(1, listing);
    bool listed_elsewhere = false;
    while (true) {
      auto next = of.Step();
      if (!next) return Fail(next.error());
      if (!*next) break;
      listed_elsewhere = listed_elsewhere || !pruned_ids.contains(of.ColumnString(0));
    }
    of.Reset();
    if (listed_elsewhere) continue;
    auto marked = statements_->MarkInactive(db_, listing, options_.run);
    if (!marked) return Fail(marked.error());
    if (*marked) out.push_back(std::move(row));
  }
  return out;
}

}  // namespace carefinder::importer
