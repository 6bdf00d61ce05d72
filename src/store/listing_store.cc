// ListingStore: snapshots, generations and the watcher. See listing_store.h.
#include "store/listing_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <condition_variable>
#include <cstring>

#include "db/database.h"
#include "db/schema.h"

namespace carefinder::store {

namespace {

constexpr const char* kLastImportSql = "SELECT coalesce(max(finished_at), '') FROM import_run";
constexpr const char* kLastRunSql = "SELECT coalesce(max(id), 0) FROM import_run";

Result<std::string> LastImport(db::Database& db, const char* sql) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  return stmt->ColumnString(0);
}

// Everything from one read transaction, so the three parts agree.
Result<std::shared_ptr<const Snapshot>> BuildSnapshot(db::Database& db,
                                                      std::shared_ptr<Generation> generation) {
  auto txn = db::Transaction::Begin(db);
  if (!txn) return Fail(txn.error());
  auto tax = LoadTaxonomy(db);
  if (!tax) return Fail(tax.error());
  auto index = ListingIndex::Build(db, *tax);
  if (!index) return Fail(index.error());
  auto places = PlaceIndex::Build(db);
  if (!places) return Fail(places.error());
  auto last = LastImport(db, kLastImportSql);
  if (!last) return Fail(last.error());
  auto run = LastImport(db, kLastRunSql);
  if (!run) return Fail(run.error());
  auto shared = LoadSharedPhones(db);
  if (!shared) return Fail(shared.error());
  auto labels = LabelWords::Build(*tax);
  if (!labels) return Fail(labels.error());
  auto snap = std::make_shared<Snapshot>();
  snap->labels = std::move(*labels);
  snap->taxonomy = std::move(*tax);
  snap->index = std::move(*index);
  snap->places = std::move(*places);
  snap->last_import = std::move(*last);
  snap->shared_phones = std::move(*shared);
  snap->import_run = std::stoll(*run);
  snap->generation = std::move(generation);
  // Before the server says it is ready (text_filter.h); failing costs speed only.
  if (auto words = PrebuildCommonWords(db, snap->index, snap->word_sets); !words) {
    std::fprintf(stderr, "carefinder: common words' sets not built ahead: %s\n", words.error().message.c_str());
  }
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

}  // namespace

// A generation, its watch connection and its first snapshot.
struct ListingStore::Opened {
  std::shared_ptr<Generation> generation;
  std::unique_ptr<db::Database> watch_db;
  int64_t data_version = -1;
  std::shared_ptr<const Snapshot> snapshot;
};

// Opens the file the path names now, keeping an fd on it: its identity is
// the generation's, and every connection is checked against it.
Result<ListingStore::Opened> ListingStore::OpenGeneration(int64_t number) {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(Error::Io("cannot open database " + path_ + ": " + std::strerror(errno)));
  auto identity = IdentityOfFd(fd);
  if (!identity) {
    ::close(fd);
    return Fail(Error::Io("cannot stat " + path_));
  }
  auto mode = options_.immutable ? db::OpenMode::kImmutable : db::OpenMode::kReadOnly;
  Opened out;
  out.generation = std::make_shared<Generation>(path_, number, *identity, mode, fd);
  auto db = db::Database::Open(path_, mode);
  if (!db) return Fail(db.error());
  out.watch_db = std::move(*db);
  if (auto s = out.generation->pool().Warm(); !s) return Fail(s.error());
  if (IdentityOfPath(path_) != identity) {
    return Fail(Error::Io(path_ + " was replaced while it was being opened"));
  }
  auto version = out.watch_db->DataVersion();
  if (!version) return Fail(version.error());
  out.data_version = *version;
  auto snap = BuildSnapshot(*out.watch_db, out.generation);
  if (!snap) return Fail(snap.error());
  out.snapshot = std::move(*snap);
  out.generation->StartDigest();
  return out;
}

Result<std::unique_ptr<ListingStore>> ListingStore::Open(const std::string& path,
                                                         StoreOptions options) {
  std::unique_ptr<ListingStore> store(new ListingStore(path, std::move(options)));
  auto opened = store->OpenGeneration(1);
  if (!opened) return Fail(opened.error());
  store->generation_ = std::move(opened->generation);
  store->watch_db_ = std::move(opened->watch_db);
  store->data_version_ = opened->data_version;
  store->Publish(std::move(opened->snapshot));
  if (store->options_.refresh_interval.count() > 0) {
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

void ListingStore::Publish(std::shared_ptr<const Snapshot> snap) {
  std::lock_guard swap(snapshot_mutex_);
  snapshot_ = std::move(snap);
}

void ListingStore::Tell(const std::string& line) const {
  if (options_.log) options_.log(line);
}

// Called with watch_mutex_ held. A file that cannot be opened or indexed is
// refused once; a file that changed while it was opened is tried again.
Status ListingStore::SwitchIfReplaced() {
  auto now = IdentityOfPath(path_);
  if (!now || *now == generation_->identity() || now == refused_) return {};
  auto opened = OpenGeneration(generation_->number() + 1);
  if (!opened) {
    if (IdentityOfPath(path_) == now) refused_ = now;
    Tell("not switching to " + path_ + ": " + opened.error().message);
    return Fail(opened.error());
  }
  generation_ = std::move(opened->generation);
  watch_db_ = std::move(opened->watch_db);
  data_version_ = opened->data_version;
  int64_t run = opened->snapshot->import_run;
  Publish(std::move(opened->snapshot));
  refused_.reset();
  Tell("switched to " + path_ + " (import run " + std::to_string(run) + ", generation " +
       std::to_string(generation_->number()) + ")");
  return {};
}

Status ListingStore::Refresh() {
  std::lock_guard lock(watch_mutex_);
  if (auto s = SwitchIfReplaced(); !s) return s;
  if (options_.immutable) return {};
  auto version = watch_db_->DataVersion();
  if (!version) return Fail(version.error());
  if (*version == data_version_) return {};
  auto snap = BuildSnapshot(*watch_db_, generation_);
  if (!snap) return Fail(snap.error());
  data_version_ = *version;  // a commit during the build bumps it again: rebuilt next time
  Publish(std::move(*snap));
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

}  // namespace carefinder::store
