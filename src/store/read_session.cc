// One request's reads on one snapshot and one transaction: see read_session.h.
#include "store/read_session.h"

#include "core/text.h"
#include "db/schema.h"
#include "store/generation.h"

namespace carefinder::store {

namespace {

constexpr const char* kListingSql = "SELECT listing_doc(doc), listing_terms(terms) FROM listing "
    "WHERE rowid = (SELECT rowid FROM service_at_location WHERE id = ?)";
constexpr const char* kSourcesSql =
    "SELECT s.name, coalesce(s.url, ''), coalesce(s.license, ''), coalesce(p.as_of, ''), "
    "coalesce(r.started_at, ''), coalesce(p.assured_date, '') "
    "FROM provenance p JOIN source s ON s.rowid = p.source LEFT JOIN import_run r ON r.id = p.last_import "
    "WHERE p.listing = (SELECT rowid FROM service_at_location WHERE id = ?) "
    "ORDER BY p.last_import DESC, s.name";

Result<std::vector<ListingSource>> ReadSources(Connection& c, std::string_view id) {
  auto stmt = c.Get(kSourcesSql);
  if (!stmt) return Fail(stmt.error());
  (*stmt)->Bind(1, id);
  std::vector<ListingSource> out;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto& s = **stmt;
    out.push_back({s.ColumnString(0), s.ColumnString(1), s.ColumnString(2), s.ColumnString(3),
                   s.ColumnString(4), s.ColumnString(5)});
  }
  return out;
}

Result<ListingDetail> ReadListing(Connection& c, std::string_view id) {
  auto stmt = c.Get(kListingSql);
  if (!stmt) return Fail(stmt.error());
  (*stmt)->Bind(1, id);
  auto row = (*stmt)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound("no listing with id " + std::string(id), "id"));
  ListingDetail d{(*stmt)->ColumnString(0), {}, text::SplitList((*stmt)->ColumnText(1), ' ')};
  auto sources = ReadSources(c, id);
  if (!sources) return Fail(sources.error());
  d.sources = std::move(*sources);
  return d;
}

}  // namespace

ReadSession::ReadSession(const ListingStore& store)
    : snapshot_(store.snapshot()), query_budget_(store.query_budget()) {}

ReadSession::~ReadSession() {
  deadline_.reset();
  // Before the ROLLBACK: no statement may keep the transaction open.
  if (lease_) (**lease_).ResetAll();
  transaction_.reset();
}

Result<Connection*> ReadSession::Open(std::chrono::milliseconds budget) {
  if (lease_) return &**lease_;
  auto lease = snapshot_->generation->pool().Acquire();
  if (!lease) return Fail(lease.error());
  auto txn = db::Transaction::Begin((**lease).db());
  if (!txn) return Fail(txn.error());
  lease_.emplace(std::move(*lease));
  transaction_.emplace(std::move(*txn));
  deadline_.emplace((**lease_).db(), budget.count() > 0 ? budget : query_budget_);
  return &**lease_;
}

Result<Place> ReadSession::ResolvePlace(std::string_view near) const {
  return store::ResolvePlace(snapshot_->places, near);
}

std::vector<Place> ReadSession::DidYouMean(std::string_view near, size_t limit) const {
  return store::DidYouMean(snapshot_->places, near, limit);
}

std::vector<Place> ReadSession::SuggestPlaces(std::string_view q, size_t limit) const {
  return store::SuggestPlaces(snapshot_->places, q, limit);
}

Health ReadSession::health() const {
  const Snapshot& snap = *snapshot_;
  const Generation& g = *snap.generation;
  return {db::kSchemaVersion, snap.index.treatments(), snap.index.meetings(), snap.last_import,
          {g.path(), snap.import_run, snap.last_import, g.sha256(), g.number()}};
}

// A search without words asks for no connection, and so takes no
// transaction: the snapshot in memory answers it.
Result<SearchResult> ReadSession::Search(const SearchQuery& q) {
  return RunSearch([this] { return Open(std::chrono::milliseconds(0)); }, snapshot_, q);
}

Result<ListingDetail> ReadSession::GetListing(std::string_view id) {
  auto c = Open(std::chrono::milliseconds(0));
  if (!c) return Fail(c.error());
  return ReadListing(**c, id);
}

Status ReadSession::Read(const std::function<Status(Connection&)>& fn,
                         std::chrono::milliseconds budget) {
  auto c = Open(budget);
  if (!c) return Fail(c.error());
  return fn(**c);
}

}  // namespace carefinder::store
