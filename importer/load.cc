// The only writer of the listing tables: see load.h. Statements are prepared
// once and reused (1e6 rows in one transaction); an unchanged listing touches
// only its provenance and listing rows, and the rarer paths (a listing folded
// into another, --prune) run their own statements only when they happen.
#include "importer/load.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/place_name.h"
#include "core/text.h"
#include "importer/listing_doc.h"
#include "importer/load_statements.h"
#include "importer/normalise.h"

namespace carefinder::importer {


Loader::Loader(db::Database& db, const Taxonomy& taxonomy, LoaderOptions options)
    : db_(db), taxonomy_(taxonomy), options_(std::move(options)),
      st_(std::make_unique<Statements>()) {}
Loader::~Loader() = default;

Result<std::unique_ptr<Loader>> Loader::Create(db::Database& db, const Taxonomy& taxonomy,
                                               LoaderOptions options) {
  std::unique_ptr<Loader> loader(new Loader(db, taxonomy, std::move(options)));
  for (const char* sql : kLoaderSql) {
    auto stmt = db.Prepare(sql);
    if (!stmt) return Fail(stmt.error());
    loader->st_->s.push_back(std::move(*stmt));
  }
  auto& terms = loader->st_->terms;
  for (const Term& t : taxonomy.terms()) terms.push_back({TermId(t.code), &t});
  std::sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (uint16_t i = 0; i < terms.size(); ++i) loader->st_->term_index.emplace(terms[i].term->code, i);
  return loader;
}

namespace {

// The source's id; writes its row the first time the import meets it.
Result<std::string> SourceId(Loader::Statements& st, const ListingRecord& rec,
                             const LoaderOptions& options) {
  auto found = st.source_ids.find(rec.source);
  if (found != st.source_ids.end()) return found->second;
  std::string id = st.id("source", rec.source, rec.source);
  auto attribution = options.attributions.find(rec.source);
  auto& s = st[kSource];
  s.Bind(1, id).Bind(2, rec.source).BindOptional(3, rec.source_url);
  s.BindOptional(4, rec.source_license);
  s.BindOptional(5, attribution == options.attributions.end() ? "" : attribution->second);
  if (auto r = s.Run(); !r) return Fail(r.error());
  st.source_ids.emplace(rec.source, id);
  return id;
}

}  // namespace

Status Loader::LookUp(const std::vector<ListingGroup>& groups) {
  Statements& st = *st_;
  auto any = st[kAnyListing].Step();
  if (!any) return Fail(any.error());
  st.any_listing = st[kAnyListing].ColumnInt(0) != 0;
  st[kAnyListing].Reset();
  for (const ListingGroup& group : groups) {
    for (const ListingRecord* m : group.members) {
      auto source_id = SourceId(st, *m, options_);
      if (!source_id) return Fail(source_id.error());
      if (!st.any_listing) continue;
      auto& find = st[kFindHash];
      find.Bind(1, *source_id).Bind(2, m->source_key);
      auto found = find.Step();
      if (!found) return Fail(found.error());
      if (*found) {
        Stored s{find.ColumnString(0), false, find.ColumnString(1)};
        s.own = s.listing == st.id("service_at_location", m->source, m->source_key);
        if (s.own) st.claimed.insert(std::move(s.listing)), s.listing.clear();
        st.stored.emplace(m, std::move(s));
      }
      find.Reset();
    }
  }
  return {};
}

namespace {

const Stored* StoredOf(const Loader::Statements& st, const ListingRecord* m) {
  auto it = st.stored.find(m);
  return it == st.stored.end() ? nullptr : &it->second;
}

// Which listing a group is (load.h): its ids, and whether it exists.
struct Identity {
  RecordIds ids;
  bool existing = false;
};

// `own`: the group's listing's own ids (Loader::Prepare).
Result<Identity> Identify(Loader::Statements& st, const ListingGroup& group, const RecordIds& own) {
  const ListingRecord& rec = group.listing();
  const ListingRecord* creator = nullptr;
  for (const ListingRecord* m : group.members) {
    if (const Stored* s = StoredOf(st, m); s && s->own) {
      creator = m;
      break;
    }
  }
  Identity out{creator && creator != &rec ? RecordIds::For(*creator, st.id) : own, creator != nullptr};
  if (creator && creator != &rec)
    out.ids.organization = st.id("organization", rec.source, FoldPlaceName(rec.organization));
  for (const ListingRecord* m : group.members) {
    const Stored* s = StoredOf(st, m);
    if (creator || !s || s->own || st.claimed.contains(s->listing) || st.adopted.contains(s->listing))
      continue;
    // Created by a record absent from this run: take it over.
    st.adopted.insert(s->listing);
    auto parts = QueryRow(st[kListingParts], s->listing, 2);
    if (!parts) return Fail(parts.error());
    if (*parts) {
      out.ids.service_at_location = s->listing;
      out.ids.service = (**parts)[0], out.ids.location = (**parts)[1];
      out.existing = true;
    }
    break;
  }
  if (!out.existing && st.any_listing) {
    auto exists = QueryRow(st[kListingExists], out.ids.service_at_location, 1);
    if (!exists) return Fail(exists.error());
    out.existing = exists->has_value();  // a listing folded into another, coming back
  }
  return out;
}

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
               std::string_view now, std::string& doc, std::string& hash) {
  // The normalised record is its doc without imported_at: the hash ignores when.
  doc = RenderListingDoc(rec, ids, taxonomy, "");
  hash = ContentHash(doc);
  doc = Stamped(std::move(doc), now);
}

std::vector<PreparedListing> Loader::Prepare(const std::vector<ListingGroup>& groups) const {
  std::vector<PreparedListing> out(groups.size());
  // A doc and its hash tell a changed listing from an unchanged one; with
  // no listing stored yet, every one is new and nothing needs them now.
  bool docs_now = st_->any_listing;
  auto prepare = [&](size_t from, size_t to) {
    StableIdMaker make_id;  // one each: it holds a hashing context
    for (size_t i = from; i < to; ++i) {
      const ListingRecord& rec = groups[i].listing();
      PreparedListing& p = out[i];
      p.ids = RecordIds::For(rec, make_id);
      // A first import renders them later, on another core (Flush).
      if (docs_now) RenderDoc(rec, p.ids, taxonomy_, options_.now, p.doc, p.hash);
      p.terms_string = TermsString(rec, taxonomy_);
      for (const auto& code : rec.terms) p.terms.push_back(st_->term_index.at(code));
      std::sort(p.terms.begin(), p.terms.end());
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
  return out;
}

Result<Loaded> Loader::Load(const ListingGroup& group, PreparedListing prepared) {
  Statements& st = *st_;
  const ListingRecord& rec = group.listing();
  auto identity = Identify(st, group, prepared.ids);
  if (!identity) return Fail(identity.error());
  const RecordIds& ids = identity->ids;
  std::string doc = std::move(prepared.doc), hash = std::move(prepared.hash);
  if (!(ids == prepared.ids) && !doc.empty())  // it keeps an existing listing's ids: the doc says them
    RenderDoc(rec, ids, taxonomy_, options_.now, doc, hash);

  Loaded out;
  out.id = ids.service_at_location;
  Pending pending{&group,        ids,  std::move(doc), std::move(hash), true, {}, std::move(prepared.terms),
                  std::move(prepared.terms_string)};
  bool same_members = identity->existing, same_hash = identity->existing;
  for (const ListingRecord* m : group.members) {
    const Stored* s = StoredOf(st, m);
    if (!s) {
      same_members = false;
      continue;
    }
    std::string was = s->own ? st.id("service_at_location", m->source, m->source_key) : s->listing;
    if (was != ids.service_at_location) same_members = false, pending.left.push_back(std::move(was));
    if (s->hash != pending.hash) same_hash = false;
  }
  if (options_.track_loaded) st.loaded.insert(ids.service_at_location);
  if (same_members && same_hash) {
    out.kind = Loaded::Kind::kUnchanged;
    ++counts_.unchanged;
    pending.entities = false;
  } else if (identity->existing) {
    out.kind = Loaded::Kind::kChanged;
    ++counts_.changed;
    auto old = QueryRow(st[kOldDoc], ids.service_at_location, 1);
    if (!old) return Fail(old.error());
    if (!same_hash) out.changed_fields = ChangedFields(*old ? (**old)[0] : "{}", pending.doc);
    if (!same_members) out.changed_fields.push_back("sources");
    if (out.changed_fields == std::vector<std::string>{"source.as_of"}) {
      out.kind = Loaded::Kind::kRestated;
      --counts_.changed, ++counts_.restated;
    }
    // Its contact points and terms are written again by Flush.
    for (size_t i = kDeleteChildren; i < kDeleteChildren + 5; ++i) {
      if (auto r = st[i].Bind(1, ids.service).Run(); !r) return Fail(r.error());
    }
    if (auto r = st[kDeleteAddress].Bind(1, ids.location).Run(); !r) return Fail(r.error());
  } else {
    ++counts_.added;
  }
  st.pending.push_back(std::move(pending));
  return out;
}

Result<std::vector<Inactivated>> Loader::Prune(const std::vector<std::string>& sources) {
  Statements& st = *st_;
  std::unordered_set<std::string> pruned_ids;
  // listing id -> its rows of the pruned sources (ordered, so the report is stable)
  std::map<std::string, Inactivated> missing;
  for (const std::string& name : sources) {
    std::string source_id = st.id("source", name, name);
    pruned_ids.insert(source_id);
    auto& rows = st[kRowsOfSource];
    rows.Bind(1, source_id);
    while (true) {
      auto row = rows.Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      std::string listing = rows.ColumnString(0);
      if (st.loaded.contains(listing)) continue;
      missing.try_emplace(listing, Inactivated{listing, name, rows.ColumnString(1),
                                               rows.ColumnString(2), static_cast<int>(rows.ColumnInt(3))});
    }
    rows.Reset();
  }
  std::vector<Inactivated> out;
  for (auto& [listing, row] : missing) {
    auto& of = st[kSourcesOfListing];
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
    auto marked = MarkInactive(db_, st, listing, options_.now);
    if (!marked) return Fail(marked.error());
    if (*marked) out.push_back(std::move(row));
  }
  return out;
}

}  // namespace carefinder::importer
