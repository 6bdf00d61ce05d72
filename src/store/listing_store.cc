// ListingStore: snapshots, pooled connections, deadlines. See listing_store.h.
#include "store/listing_store.h"

#include <condition_variable>

#include "core/text.h"
#include "core/uuid.h"
#include "db/database.h"
#include "db/schema.h"

namespace carefinder::store {

namespace {

constexpr const char* kLastImportSql = "SELECT coalesce(max(finished_at), '') FROM import_run";
constexpr const char* kListingSql = "SELECT doc, terms FROM listing WHERE id = ?";
constexpr const char* kSourcesSql =
    "SELECT s.name, coalesce(s.url, ''), coalesce(s.license, ''), coalesce(p.as_of, ''), "
    "p.imported_at, coalesce(p.assured_date, '') "
    "FROM provenance p JOIN source s ON s.id = p.source_id "
    "WHERE p.service_at_location_id = ? ORDER BY p.imported_at DESC, s.name";

Result<std::string> LastImport(db::Database& db) {
  auto stmt = db.Prepare(kLastImportSql);
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  return stmt->ColumnString(0);
}

// Everything from one read transaction, so the three parts agree.
Result<std::shared_ptr<const Snapshot>> BuildSnapshot(db::Database& db) {
  auto txn = db::Transaction::Begin(db);
  if (!txn) return Fail(txn.error());
  auto tax = Taxonomy::Load(db);
  if (!tax) return Fail(tax.error());
  auto index = ListingIndex::Build(db, *tax);
  if (!index) return Fail(index.error());
  auto places = PlaceIndex::Build(db);
  if (!places) return Fail(places.error());
  auto last = LastImport(db);
  if (!last) return Fail(last.error());
  auto shared = LoadSharedPhones(db);
  if (!shared) return Fail(shared.error());
  auto snap = std::make_shared<Snapshot>();
  snap->taxonomy = std::move(*tax);
  snap->index = std::move(*index);
  snap->places = std::move(*places);
  snap->last_import = std::move(*last);
  snap->shared_phones = std::move(*shared);
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

}  // namespace

Result<std::unique_ptr<ListingStore>> ListingStore::Open(const std::string& path,
                                                         StoreOptions options) {
  auto db = db::Database::Open(path, db::OpenMode::kReadOnly);
  if (!db) return Fail(db.error());
  std::unique_ptr<ListingStore> store(new ListingStore(path, options));
  store->watch_db_ = std::move(*db);
  if (auto s = store->Refresh(); !s) return Fail(s.error());
  if (options.refresh_interval.count() > 0) {
    store->watcher_ = std::jthread([s = store.get()](std::stop_token st) { s->Watch(st); });
  }
  return store;
}

ListingStore::~ListingStore() {
  watcher_.request_stop();
  if (watcher_.joinable()) watcher_.join();
}

std::shared_ptr<const Snapshot> ListingStore::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

Status ListingStore::Refresh() {
  std::lock_guard lock(watch_mutex_);
  auto version = watch_db_->DataVersion();
  if (!version) return Fail(version.error());
  if (*version == data_version_ && snapshot()) return {};
  auto snap = BuildSnapshot(*watch_db_);
  if (!snap) return Fail(snap.error());
  data_version_ = *version;  // a commit during the build bumps it again: rebuilt next time
  std::lock_guard swap(snapshot_mutex_);
  snapshot_ = std::move(*snap);
  return {};
}

void ListingStore::Watch(std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  auto stopped = [&] { return stop.stop_requested(); };
  while (!cv.wait_for(lock, stop, options_.refresh_interval, stopped)) {
    lock.unlock();
    (void)Refresh();  // a failed rebuild keeps serving the last good snapshot
    lock.lock();
  }
}

// Leases a connection and runs fn in one read transaction under the deadline.
template <class Fn>
auto ListingStore::WithConnection(Fn&& fn, std::chrono::milliseconds budget)
    -> decltype(fn(std::declval<Connection&>())) {
  auto lease = pool_.Acquire();
  if (!lease) return Fail(lease.error());
  Connection& c = **lease;
  auto txn = db::Transaction::Begin(c.db());
  if (!txn) return Fail(txn.error());
  // Declared after txn so it is cleared before the ROLLBACK runs.
  db::Deadline deadline(c.db(), budget.count() > 0 ? budget : options_.query_budget);
  auto result = fn(c);
  c.ResetAll();  // before the transaction ends: no statement may hold it open
  return result;
}

Result<SearchResult> ListingStore::Search(const Snapshot& snap, const SearchQuery& q) {
  return WithConnection([&](Connection& c) { return RunSearch(c, snap, q); });
}

Result<Place> ListingStore::ResolvePlace(std::string_view near) {
  auto snap = snapshot();
  return store::ResolvePlace(snap->places, near);  // in memory: no connection needed
}

std::vector<Place> ListingStore::DidYouMean(std::string_view near, size_t limit) {
  return store::DidYouMean(snapshot()->places, near, limit);
}

Result<std::vector<Place>> ListingStore::SuggestPlaces(std::string_view q, size_t limit) {
  auto snap = snapshot();
  return store::SuggestPlaces(snap->places, q, limit);
}

namespace {

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

Result<ListingDetail> ListingStore::GetListing(std::string_view id) {
  return WithConnection([&](Connection& c) { return ReadListing(c, id); });
}

Status ListingStore::Read(const std::function<Status(Connection&)>& fn,
                          std::chrono::milliseconds budget) {
  return WithConnection([&](Connection& c) { return fn(c); }, budget);
}

Health ListingStore::health() const {
  auto snap = snapshot();
  return {db::kSchemaVersion, snap->index.treatments(), snap->index.meetings(), snap->last_import};
}

}  // namespace carefinder::store
