// Loader::Flush: writes what Load decided (see load.h), in one of two ways.
//
// A first import (every listing new, the tables empty: InPendingOrder)
// writes its rows in the order of its input, every table in one pass over
// the records, with each listing's keys given by its position; the UNIQUE
// id indexes are dropped meanwhile and built once at the end (schema v8).
// 1e6 listings: 43-48 s instead of 50-69 s (docs/PERFORMANCE.md).
//
// Any other import writes one table at a time, each in the order of its
// primary key. Why: the keys are UUIDs, so rows written listing by listing
// land at random places in a dozen B-trees; at 1e6 listings those trees
// outgrow the page cache and every insert seeks a page that was evicted.
// Written in key order, each tree only grows at its right edge, and rows go
// 64 to an INSERT (sorted_rows.h).
//
// A first import also builds its full-text index on another core meanwhile
// (full_text_aside.h).
#include <algorithm>
#include <atomic>
#include <functional>
#include <numeric>
#include <optional>
#include <thread>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/doc_pack.h"
#include "importer/listing_doc.h"
#include "importer/load/full_text_aside.h"
#include "importer/load/load.h"
#include "importer/load/load_statements.h"
#include "importer/load/pending.h"
#include "importer/load/sorted_rows.h"
#include "importer/load/stored_records.h"
#include "importer/normalise.h"
#include "importer/phase_mark.h"

namespace carefinder::importer {

namespace {

const char* PhoneType(std::string_view role) {
  if (role == "fax") return "fax";
  if (role == "tty") return "textphone";
  if (role == "sms") return "text";
  return "voice";
}

// Indexes of the pending listings (all, or those that write every table),
// ordered by one of their ids.
std::vector<uint32_t> OrderedBy(const std::vector<Pending>& pending, std::string RecordIds::*id,
                                bool entities_only) {
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  keyed.reserve(pending.size());
  for (uint32_t i = 0; i < pending.size(); ++i) {
    if (!entities_only || pending[i].entities) keyed.emplace_back(KeyPrefix(pending[i].ids.*id), i);
  }
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return pending[a.second].ids.*id < pending[b.second].ids.*id;
  });
  std::vector<uint32_t> order;
  order.reserve(keyed.size());
  for (const auto& k : keyed) order.push_back(k.second);
  return order;
}

// A failed write names the listing's first record, as Load's errors do.
Status At(const Pending& p, const Status& s) {
  if (s) return s;
  const ListingRecord& first = *p.group->members[0];
  return Fail(Error::Database(first.file + ":" + std::to_string(first.line) + ": " +
                              s.error().message));
}

Status Write(db::Database& db, const std::vector<Pending>& pending, SortedRows& rows,
             const BulkSql& sql) {
  uint32_t failed = 0;
  Status s = rows.Write(db, sql, &failed);
  return s ? s : At(pending[failed], s);
}

// An online-only meeting happens at its conference URL, not at an address.
bool VirtualOnly(const ListingRecord& rec) {
  return IsOnlineOnly(rec) || (!rec.latitude && rec.address.postal_code.empty());
}

// Appends `key` as 8 big-endian bytes: SortedRows orders rows by the bytes
// of their keys, so rows keyed by an integer are written in its order.
void AppendKey(std::string& out, int64_t key) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out += static_cast<char>((static_cast<uint64_t>(key) >> shift) & 0xff);
}

// How many rows `table` holds and its greatest rowid.
Result<std::pair<int64_t, int64_t>> RowCount(db::Database& db, std::string_view table) {
  auto count = db.Prepare("SELECT count(*), coalesce(max(rowid), 0) FROM " + std::string(table));
  if (!count) return Fail(count.error());
  auto row = count->Step();
  if (!row) return Fail(row.error());
  return std::pair{count->ColumnInt(0), count->ColumnInt(1)};
}

// Rows looked up to check that an empty table's rows took their places in
// id order as their keys.
constexpr size_t kKeysChecked = 64;

// A table whose rows other rows name by integer key (its rowid), and the
// statement that finds a key by id.
struct KeyedTable {
  const char* name;
  std::string RecordIds::*id;
  db::Statement* lookup;
  bool empty_before;  // the table held no row before this import
};

// Each pending listing's key in `t` (the rowid of the row with its id), by
// pending index; 0 for one not in `order`. `order`: the listings whose rows
// were written (or that exist), ordered by that id (OrderedBy), so the
// distinct ids were written in that order. When the table was empty before
// and now holds exactly those rows, the k-th distinct id got rowid k + 1;
// that is checked (count, greatest rowid, kKeysChecked of them looked up),
// else every one is looked up (1e6 listings: about 3 s a table).
Result<std::vector<int64_t>> RowKeys(db::Database& db, const std::vector<Pending>& pending,
                                     const std::vector<uint32_t>& order, const KeyedTable& t) {
  std::vector<uint32_t> distinct;  // the first listing of each distinct id
  std::vector<uint32_t> rank(pending.size(), 0);
  for (uint32_t i : order) {
    if (distinct.empty() || pending[distinct.back()].ids.*t.id != pending[i].ids.*t.id)
      distinct.push_back(i);
    rank[i] = static_cast<uint32_t>(distinct.size() - 1);
  }
  auto look_up = [&](uint32_t i) -> Result<int64_t> {
    const std::string& id = pending[i].ids.*t.id;
    auto found = t.lookup->Bind(1, id).Step();
    if (!found) return Fail(At(pending[i], Fail(found.error())).error());
    if (!*found)
      return Fail(At(pending[i], Fail(Error::Internal(std::string(t.name) + " " + id +
                                                      " was not written"))).error());
    int64_t key = t.lookup->ColumnInt(0);
    t.lookup->Reset();
    return key;
  };
  bool in_order = false;
  if (t.empty_before && !distinct.empty()) {
    auto now = RowCount(db, t.name);
    if (!now) return Fail(now.error());
    const auto n = static_cast<int64_t>(distinct.size());
    in_order = *now == std::pair{n, n};
    for (size_t c = 0; in_order && c < kKeysChecked; ++c) {
      size_t k = c * (distinct.size() - 1) / (kKeysChecked - 1);
      auto key = look_up(distinct[k]);
      if (!key) return Fail(key.error());
      in_order = *key == static_cast<int64_t>(k) + 1;
    }
  }
  std::vector<int64_t> keys(distinct.size());
  for (size_t k = 0; k < distinct.size(); ++k) {
    if (in_order) {
      keys[k] = static_cast<int64_t>(k) + 1;
      continue;
    }
    auto key = look_up(distinct[k]);
    if (!key) return Fail(key.error());
    keys[k] = *key;
  }
  std::vector<int64_t> out(pending.size(), 0);
  for (uint32_t i : order) out[i] = keys[rank[i]];
  return out;
}

// The integer keys of each pending listing's rows (RowKeys), by pending index.
struct EntityKeys {
  std::vector<int64_t> organization, service, location, listing;
};

// organization rows: one per organisation, with the name the last of its
// listings gives it (what writing them one by one left).
Status WriteOrganizations(db::Database& db, const std::vector<Pending>& pending) {
  SortedRows organizations(2);
  std::unordered_map<std::string_view, uint32_t> last_of_organization;
  for (uint32_t i = 0; i < pending.size(); ++i) {
    if (pending[i].entities) last_of_organization[pending[i].ids.organization] = i;
  }
  for (const auto& [id, i] : last_of_organization) {
    organizations.Add(id, i);
    organizations.Borrowed(id).Borrowed(pending[i].group->listing().organization);
  }
  return Write(db, pending, organizations, kBulkOrganization);
}

// service.terms: the record's own terms' keys as a JSON array,
// '[3,17,45]', in key order, each once (Loader::Prepare); "" for none (NULL).
void TermKeysJson(const Pending& p, const TermTable& terms, std::string& out) {
  out.clear();
  for (uint16_t t : p.terms) {
    out += out.empty() ? '[' : ',';
    out += std::to_string(terms[t].key);
  }
  if (!out.empty()) out += ']';
}

Status WriteServices(db::Database& db, const std::vector<Pending>& pending, int64_t run,
                     const EntityKeys& keys, const TermTable& terms) {
  SortedRows services(12);
  std::string json;
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (!p.entities) continue;
    const ListingRecord& rec = p.group->listing();
    services.Add(p.ids.service, i);
    services.Borrowed(p.ids.service).Int(keys.organization[i]).Borrowed(rec.name);
    services.BorrowedOrNull(rec.description).BorrowedOrNull(rec.website).BorrowedOrNull(rec.email);
    services.Borrowed(rec.status).Borrowed(rec.kind).BorrowedOrNull(rec.hours_text).Int(run);
    services.BorrowedOrNull(rec.last_verified);
    TermKeysJson(p, terms, json);
    services.TextOrNull(json);
  }
  return Write(db, pending, services, kBulkService);
}

Status WriteLocations(db::Database& db, const std::vector<Pending>& pending, const EntityKeys& keys) {
  SortedRows locations(8);
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (!p.entities) continue;
    const ListingRecord& rec = p.group->listing();
    bool virtual_only = VirtualOnly(rec);
    locations.Add(p.ids.location, i);
    locations.Borrowed(p.ids.location).Int(keys.organization[i]);
    locations.Borrowed(virtual_only ? "virtual" : "physical");
    // NULL: the organization's name, which the readers use (schema.sql).
    if (rec.location_name == rec.organization) locations.Null();
    else locations.BorrowedOrNull(rec.location_name);
    locations.BorrowedOrNull(rec.conference_url).Real(rec.latitude).Real(rec.longitude);
    if (rec.latitude) locations.Borrowed(GeoPrecisionName(rec.precision));
    else locations.Null();
  }
  return Write(db, pending, locations, kBulkLocation);
}

// address rows, keyed by their location's key; service_at_location rows.
Status WriteAddressesAndLinks(db::Database& db, const std::vector<Pending>& pending,
                              const EntityKeys& keys) {
  SortedRows addresses(6), links(3);
  std::string key;
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (!p.entities) continue;
    const ListingRecord& rec = p.group->listing();
    if (!VirtualOnly(rec) && !rec.address.postal_code.empty()) {
      const Address& a = rec.address;
      key.clear();
      AppendKey(key, keys.location[i]);
      addresses.Add(key, i);
      addresses.Int(keys.location[i]).BorrowedOrNull(a.line1);
      addresses.BorrowedOrNull(a.line2).Borrowed(a.city).Borrowed(a.state).Borrowed(a.postal_code);
    }
    links.Add(p.ids.service_at_location, i);
    links.Borrowed(p.ids.service_at_location).Int(keys.service[i]).Int(keys.location[i]);
  }
  if (auto s = Write(db, pending, addresses, kBulkAddress); !s) return s;
  PhaseMark("address");
  return Write(db, pending, links, kBulkServiceAtLocation);
}

// Calls f(n, first day's times) for the n-th run of days with the same
// times in `hours`, with `byday` set to the run's days ("mo,tu,we").
template <typename F>
void ForEachScheduleRun(const std::vector<WeeklyTime>& hours, std::string& byday, F&& f) {
  for (size_t first = 0, n = 0; first < hours.size(); ++n) {
    const WeeklyTime& w = hours[first];
    byday = w.day;
    size_t next = first + 1;
    for (; next < hours.size() && hours[next].opens == w.opens && hours[next].closes == w.closes; ++next)
      byday.append(",").append(hours[next].day);
    f(n, w);
    first = next;
  }
}

// phone and schedule rows, keyed by (service key, position). A schedule row
// is a run of days with the same times (HSDS byday is a list): 24/7 is one
// row, not seven.
Status WriteContacts(db::Database& db, const std::vector<Pending>& pending,
                     const std::vector<int64_t>& service_keys) {
  SortedRows phones(7), schedules(6);
  std::string byday, key;
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (!p.entities) continue;
    const ListingRecord& rec = p.group->listing();
    for (size_t n = 0; n < rec.phones.size(); ++n) {
      const Phone& phone = rec.phones[n];
      key.clear();
      AppendKey(key, service_keys[i]);
      AppendKey(key, static_cast<int64_t>(n));
      phones.Add(key, i);
      phones.Int(service_keys[i]).Int(static_cast<int64_t>(n)).Borrowed(phone.display);
      phones.BorrowedOrNull(phone.e164).BorrowedOrNull(phone.extension);
      phones.Borrowed(PhoneType(phone.role)).Borrowed(phone.role);
    }
    ForEachScheduleRun(rec.hours, byday, [&](size_t n, const WeeklyTime& w) {
      key.clear();
      AppendKey(key, service_keys[i]);
      AppendKey(key, static_cast<int64_t>(n));
      schedules.Add(key, i);
      schedules.Int(service_keys[i]).Int(static_cast<int64_t>(n)).Text(byday);
      schedules.BorrowedOrNull(w.opens).BorrowedOrNull(w.closes).BorrowedOrNull(rec.timezone);
    });
  }
  if (auto s = Write(db, pending, phones, kBulkPhone); !s) return s;
  return Write(db, pending, schedules, kBulkSchedule);
}

// source_code rows (the view source_attribute): each member's unmapped
// codes, attributed to its own source; keyed by (service key, source key,
// value).
Status WriteSourceAttributes(db::Database& db, const std::vector<Pending>& pending,
                             const StoredRecords& stored, const std::vector<int64_t>& service_keys) {
  SortedRows rows(3);
  std::vector<std::pair<int64_t, const std::string*>> unmapped;  // source key, value
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (!p.entities) continue;
    unmapped.clear();
    for (const ListingRecord* member : p.group->members) {
      if (member->source_attributes.empty()) continue;
      int64_t source = stored.SourceKey(member->source);
      for (const auto& value : member->source_attributes) unmapped.emplace_back(source, &value);
    }
    if (unmapped.empty()) continue;
    std::sort(unmapped.begin(), unmapped.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first, *a.second) < std::tie(b.first, *b.second);
    });
    rows.Add(p.ids.service, i);
    for (const auto& [source, value] : unmapped) rows.Int(service_keys[i]).Int(source).Borrowed(*value);
  }
  return Write(db, pending, rows, kBulkSourceAttribute);
}

// The key of every input file a record of `pending` came from
// (import_file.rowid), its row written the first time a file is seen.
Result<std::unordered_map<std::string_view, int64_t>> FileKeys(db::Database& db,
                                                               const std::vector<Pending>& pending) {
  auto insert = db.Prepare("INSERT INTO import_file(path) VALUES (?1) ON CONFLICT(path) DO NOTHING");
  if (!insert) return Fail(insert.error());
  auto find = db.Prepare("SELECT rowid FROM import_file WHERE path = ?1");
  if (!find) return Fail(find.error());
  std::unordered_map<std::string_view, int64_t> keys;
  std::string_view last;  // records come a file at a time: most need no lookup
  for (const Pending& p : pending) {
    for (const ListingRecord* m : p.group->members) {
      if (m->file.empty() || m->file == last || keys.contains(m->file)) continue;
      last = m->file;
      if (auto r = insert->Bind(1, m->file).Run(); !r) return Fail(r.error());
      auto found = find->Bind(1, m->file).Step();
      if (!found) return Fail(found.error());
      keys.emplace(m->file, find->ColumnInt(0));
      find->Reset();
    }
  }
  return keys;
}

// New rows for written listings, a touch (last_import, file, line) for the
// unchanged; keyed by (source key, source's own key). `run`: this import's id.
Status WriteProvenance(db::Database& db, const std::vector<Pending>& pending,
                       const StoredRecords& stored, int64_t run,
                       const std::vector<int64_t>& listing_keys) {
  auto files = FileKeys(db, pending);
  if (!files) return Fail(files.error());
  auto file_of = [&files](SortedRows& rows, const ListingRecord* m) -> SortedRows& {
    return m->file.empty() ? rows.Null() : rows.Int(files->at(m->file));
  };
  SortedRows added(11), touched(6);
  std::string key;
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    for (const ListingRecord* m : p.group->members) {
      int64_t source = stored.SourceKey(m->source);
      key.clear();
      AppendKey(key, source);
      key += m->source_key;
      if (!p.entities) {
        touched.Add(key, i);
        file_of(touched.Int(source).Borrowed(m->source_key).Int(run), m);
        touched.Int(m->line).Borrowed(p.hash);
        continue;
      }
      added.Add(key, i);
      added.Int(listing_keys[i]).Int(source).Borrowed(m->source_key);
      added.BorrowedOrNull(m->source_url).Borrowed(m->as_of).BorrowedOrNull(m->last_verified);
      file_of(added.Int(run).Int(run).Borrowed(p.hash), m).Int(m->line);
    }
  }
  if (auto s = Write(db, pending, added, kBulkProvenance); !s) return s;
  return Write(db, pending, touched, kBulkTouchProvenance);
}

// The listing rows, each keyed by its service_at_location's key (on a first
// import the k-th in id order has k + 1, as its full-text row: FullTextAside).
Status WriteListings(db::Database& db, const std::vector<Pending>& pending,
                     const std::vector<int64_t>& listing_keys) {
  // Added in the order the records lie in memory; SortedRows writes them in
  // key order. Added in key order, every row's dozen short strings were read
  // from records scattered over gigabytes (1e6: most of this phase was
  // memcpy missing the cache).
  SortedRows listings(14);
  std::string key;
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    const ListingRecord& rec = p.group->listing();
    key.clear();
    AppendKey(key, listing_keys[i]);
    listings.Add(key, i);
    listings.Int(listing_keys[i]).Borrowed(rec.kind);
    listings.Borrowed(rec.status).Borrowed(rec.name).Borrowed(rec.organization);
    listings.BorrowedOrNull(rec.address.city).BorrowedOrNull(rec.address.state);
    listings.BorrowedOrNull(rec.address.postal_code).Real(rec.latitude).Real(rec.longitude);
    listings.Blob(p.terms_packed).TextOrNull(ScheduleString(rec));
    listings.Int(rec.services_stated ? 1 : 0).Blob(p.doc);
  }
  return Write(db, pending, listings, kBulkListing);
}

// A first import in the order of the pending listings (Loader::Flush says
// when it applies): the k-th listing's service, location and
// service_at_location rows get rowid k + 1, said in the INSERT, so no key is
// looked up or checked, and an organization takes the next key where its
// first listing is. One pass over the records writes every entity table and
// the contact points: each record is read once while its strings are in the
// cache, and every table's B-tree grows at its right edge (only the UNIQUE
// id indexes take their UUIDs in random order). SortedRows instead copied,
// sorted and read back every table's rows in UUID order: at 1e6 most of the
// main thread's time.
const BulkSql kFirstOrganization{"INSERT INTO organization(rowid, id, name) VALUES ", 3, ""};
const BulkSql kFirstService{
    "INSERT INTO service(rowid, id, organization, name, description, url, email, status, kind, "
    "hours_text, modified_in, assured_date, terms) VALUES ", 13, ""};
const BulkSql kFirstLocation{
    "INSERT INTO location(rowid, id, organization, location_type, name, url, latitude, "
    "longitude, geo_precision) VALUES ", 9, ""};
const BulkSql kFirstServiceAtLocation{
    "INSERT INTO service_at_location(rowid, id, service, location) VALUES ", 4, ""};

// Applies when every pending listing is new, the entity tables are empty
// and no two listings share an id (the same record twice would be one row
// upserted twice on the other path).
Result<bool> InPendingOrder(db::Database& db, const std::vector<Pending>& pending) {
  if (pending.empty()) return false;
  for (const Pending& p : pending) {
    if (!p.entities) return false;
  }
  for (const char* table : {"organization", "service", "location", "service_at_location"}) {
    auto count = RowCount(db, table);
    if (!count) return Fail(count.error());
    if (count->first != 0) return false;
  }
  // An id twice: sorted by their first 8 bytes (random in a UUID), only
  // neighbours with the same prefix are compared whole (1e6: a sort of
  // integers, where a hash set of the ids took about 0.4 s).
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  keyed.reserve(pending.size());
  for (uint32_t i = 0; i < pending.size(); ++i)
    keyed.emplace_back(KeyPrefix(pending[i].ids.service_at_location), i);
  std::sort(keyed.begin(), keyed.end());
  for (size_t k = 1; k < keyed.size(); ++k) {
    for (size_t j = k; j-- > 0 && keyed[j].first == keyed[k].first;) {
      if (pending[keyed[j].second].ids.service_at_location ==
          pending[keyed[k].second].ids.service_at_location)
        return false;
    }
  }
  return true;
}

// The UNIQUE indexes of the entity tables' ids (schema v8). A first import
// in pending order drops them before its rows and builds each once after
// (a sort of 1e6 ids: about 0.5 s a table, where inserting ids in random
// order into a live index took 2-4 s a table). Returns their CREATE
// statements.
Result<std::vector<std::string>> DropIdIndexes(db::Database& db) {
  return DropIndexes(db,
                     "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
                     "('organization_id', 'service_id', 'location_id', 'service_at_location_id') "
                     "ORDER BY name");
}

// InPendingOrder's provenance and listing rows, added in pending order as
// their documents are packed (PackDocs, on another core): most of them
// while the entity tables are written, the rest once every doc is done.
class RecordRows {
 public:
  static Result<RecordRows> Prepare(db::Database& db, const std::vector<Pending>& pending,
                                    const StoredRecords& stored, int64_t run) {
    auto files = FileKeys(db, pending);
    if (!files) return Fail(files.error());
    auto provenance = BatchInsert::Prepare(db, kBulkProvenance);
    if (!provenance) return Fail(provenance.error());
    auto listings = BatchInsert::Prepare(db, kBulkListing);
    if (!listings) return Fail(listings.error());
    return RecordRows(pending, stored, run, std::move(*files), std::move(*provenance),
                      std::move(*listings));
  }

  // Adds the rows of every listing before `ready` not added yet (`ready`:
  // how many docs are packed).
  Status AddUpTo(size_t ready) {
    using V = BatchInsert;
    for (; next_ < ready; ++next_) {
      const auto i = static_cast<uint32_t>(next_);
      const Pending& p = pending_[i];
      const ListingRecord& rec = p.group->listing();
      const auto key = static_cast<int64_t>(i) + 1;
      for (const ListingRecord* m : p.group->members) {
        Status s = provenance_.Add(
            i, {V::Int(key), V::Int(stored_.SourceKey(m->source)), V::Text(m->source_key),
                V::TextOrNull(m->source_url), V::Text(m->as_of), V::TextOrNull(m->last_verified),
                V::Int(run_), V::Int(run_), V::Text(p.hash),
                m->file.empty() ? V::Null() : V::Int(FileKey(m->file)), V::Int(m->line)});
        if (!s) return At(pending_[provenance_.failed()], s);
      }
      Status s = listings_.Add(
          i, {V::Int(key), V::Text(rec.kind), V::Text(rec.status), V::Text(rec.name),
              V::Text(rec.organization), V::TextOrNull(rec.address.city),
              V::TextOrNull(rec.address.state), V::TextOrNull(rec.address.postal_code),
              V::Real(rec.latitude), V::Real(rec.longitude), V::Blob(p.terms_packed),
              listings_.KeptOrNull(ScheduleString(rec)), V::Int(rec.services_stated ? 1 : 0),
              V::Blob(p.doc)});
      if (!s) return At(pending_[listings_.failed()], s);
    }
    return {};
  }

  // Every row: call once every doc is packed.
  Status Finish() {
    if (Status s = AddUpTo(pending_.size()); !s) return s;
    if (Status s = provenance_.Finish(); !s) return At(pending_[provenance_.failed()], s);
    if (Status s = listings_.Finish(); !s) return At(pending_[listings_.failed()], s);
    return {};
  }

 private:
  RecordRows(const std::vector<Pending>& pending, const StoredRecords& stored, int64_t run,
             std::unordered_map<std::string_view, int64_t> files, BatchInsert provenance,
             BatchInsert listings)
      : pending_(pending), stored_(stored), run_(run), files_(std::move(files)),
        provenance_(std::move(provenance)), listings_(std::move(listings)) {}

  // FileKeys' key of `file`; records come a file at a time, so the last
  // file's is remembered.
  int64_t FileKey(std::string_view file) {
    if (file != last_file_) last_file_ = file, last_file_key_ = files_.at(file);
    return last_file_key_;
  }

  const std::vector<Pending>& pending_;
  const StoredRecords& stored_;
  int64_t run_;
  std::unordered_map<std::string_view, int64_t> files_;  // FileKeys
  std::string_view last_file_;
  int64_t last_file_key_ = 0;
  BatchInsert provenance_, listings_;
  size_t next_ = 0;
};

// Which pending listings share an organization id, found by sorting their
// indexes by a hash of the id, not through a hash map of a million ids
// (1e6: about 1 s of the main thread, looking up strings scattered over the
// heap). Sorting by the id itself compared the ids of one organization's
// listings whole, again and again (0.5 s).
struct OrganizationRuns {
  std::vector<uint32_t> first;  // by pending index: the first listing with its organization id
  std::vector<uint32_t> last;   // by the first listing's index: the last one with that id

  static OrganizationRuns Of(const std::vector<Pending>& pending) {
    auto id = [&pending](uint32_t i) -> std::string_view { return pending[i].ids.organization; };
    std::vector<std::pair<uint64_t, uint32_t>> keyed(pending.size());
    for (uint32_t i = 0; i < pending.size(); ++i) keyed[i] = {std::hash<std::string_view>()(id(i)), i};
    std::sort(keyed.begin(), keyed.end());  // by hash, then index
    // A run of one hash is one id, unless two ids share it: then its ids
    // are put together, each in index order.
    for (size_t k = 0, end; k < keyed.size(); k = end) {
      bool one_id = true;
      for (end = k + 1; end < keyed.size() && keyed[end].first == keyed[k].first; ++end)
        one_id = one_id && id(keyed[end].second) == id(keyed[k].second);
      if (!one_id) {
        std::stable_sort(keyed.begin() + static_cast<std::ptrdiff_t>(k),
                         keyed.begin() + static_cast<std::ptrdiff_t>(end),
                         [&id](const auto& a, const auto& b) { return id(a.second) < id(b.second); });
      }
    }
    OrganizationRuns out{std::vector<uint32_t>(pending.size()), std::vector<uint32_t>(pending.size())};
    for (size_t k = 0; k < keyed.size();) {
      size_t end = k + 1;
      while (end < keyed.size() && id(keyed[end].second) == id(keyed[k].second)) ++end;
      const uint32_t first = keyed[k].second;  // each run is in index order
      for (size_t j = k; j < end; ++j) out.first[keyed[j].second] = first;
      out.last[first] = keyed[end - 1].second;
      k = end;
    }
    return out;
  }
};

// The rows of InPendingOrder's first import; provenance and listing rows
// (they need the documents, packed meanwhile on another core) only of the
// listings whose docs are done (`docs_packed`), added to `records`.
Status WriteInPendingOrder(db::Database& db, const std::vector<Pending>& pending,
                           const StoredRecords& stored, const TermTable& terms, int64_t run,
                           RecordRows& records, const std::atomic<size_t>& docs_packed) {
  // Each organization's name is the one the last of its listings gives it,
  // as upserting them one by one leaves it.
  const OrganizationRuns organizations = OrganizationRuns::Of(pending);
  std::vector<int64_t> organization_key(pending.size(), 0);  // by first listing; 0: not written yet
  enum Table { kOrganization, kService, kLocation, kAddress, kLink, kPhone, kSchedule, kSourceCode };
  const BulkSql* sqls[] = {&kFirstOrganization, &kFirstService, &kFirstLocation, &kBulkAddress,
                           &kFirstServiceAtLocation, &kBulkPhone, &kBulkSchedule, &kBulkSourceAttribute};
  std::vector<BatchInsert> rows;
  for (const BulkSql* sql : sqls) {
    auto prepared = BatchInsert::Prepare(db, *sql);
    if (!prepared) return Fail(prepared.error());
    rows.push_back(std::move(*prepared));
  }
  using V = BatchInsert;
  Status failed;
  uint32_t failed_at = 0;
  auto add = [&](Table t, uint32_t i, std::initializer_list<V::Value> row) {
    if (!failed) return;
    failed = rows[t].Add(i, row);
    if (!failed) failed_at = rows[t].failed();
  };
  int64_t organization_keys = 0;
  std::string json, byday;
  std::vector<std::pair<int64_t, const std::string*>> unmapped;  // source key, value
  for (uint32_t i = 0; i < pending.size() && failed; ++i) {
    const Pending& p = pending[i];
    const ListingRecord& rec = p.group->listing();
    const auto key = static_cast<int64_t>(i) + 1;
    const uint32_t first = organizations.first[i];
    int64_t& organization = organization_key[first];
    if (organization == 0) {
      organization = ++organization_keys;
      add(kOrganization, i, {V::Int(organization), V::Text(p.ids.organization),
                             V::Text(pending[organizations.last[first]].group->listing().organization)});
    }
    TermKeysJson(p, terms, json);
    add(kService, i, {V::Int(key), V::Text(p.ids.service), V::Int(organization), V::Text(rec.name),
                      V::TextOrNull(rec.description), V::TextOrNull(rec.website),
                      V::TextOrNull(rec.email), V::Text(rec.status), V::Text(rec.kind),
                      V::TextOrNull(rec.hours_text), V::Int(run), V::TextOrNull(rec.last_verified),
                      rows[kService].KeptOrNull(json)});
    const bool virtual_only = VirtualOnly(rec);
    // A NULL name: the organization's, which the readers use (schema.sql).
    add(kLocation, i, {V::Int(key), V::Text(p.ids.location), V::Int(organization),
                       V::Text(virtual_only ? "virtual" : "physical"),
                       rec.location_name == rec.organization ? V::Null() : V::TextOrNull(rec.location_name),
                       V::TextOrNull(rec.conference_url), V::Real(rec.latitude), V::Real(rec.longitude),
                       rec.latitude ? V::Text(GeoPrecisionName(rec.precision)) : V::Null()});
    if (!virtual_only && !rec.address.postal_code.empty()) {
      const Address& a = rec.address;
      add(kAddress, i, {V::Int(key), V::TextOrNull(a.line1), V::TextOrNull(a.line2), V::Text(a.city),
                        V::Text(a.state), V::Text(a.postal_code)});
    }
    add(kLink, i, {V::Int(key), V::Text(p.ids.service_at_location), V::Int(key), V::Int(key)});
    for (size_t n = 0; n < rec.phones.size(); ++n) {
      const Phone& phone = rec.phones[n];
      add(kPhone, i, {V::Int(key), V::Int(static_cast<int64_t>(n)), V::Text(phone.display),
                      V::TextOrNull(phone.e164), V::TextOrNull(phone.extension),
                      V::Text(PhoneType(phone.role)), V::Text(phone.role)});
    }
    ForEachScheduleRun(rec.hours, byday, [&](size_t n, const WeeklyTime& w) {
      add(kSchedule, i, {V::Int(key), V::Int(static_cast<int64_t>(n)), rows[kSchedule].Kept(byday),
                         V::TextOrNull(w.opens), V::TextOrNull(w.closes), V::TextOrNull(rec.timezone)});
    });
    unmapped.clear();
    for (const ListingRecord* member : p.group->members) {
      int64_t source = member->source_attributes.empty() ? 0 : stored.SourceKey(member->source);
      for (const auto& value : member->source_attributes) unmapped.emplace_back(source, &value);
    }
    std::sort(unmapped.begin(), unmapped.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first, *a.second) < std::tie(b.first, *b.second);
    });
    for (const auto& [source, value] : unmapped)
      add(kSourceCode, i, {V::Int(key), V::Int(source), V::Text(*value)});
    // Provenance and listing rows of the listings whose docs are packed
    // (acquire: their doc and hash, written by the docs thread, are seen).
    if (failed && i % 64 == 63) failed = records.AddUpTo(docs_packed.load(std::memory_order_acquire));
  }
  for (BatchInsert& table : rows) {
    if (!failed) break;
    failed = table.Finish();
    if (!failed) failed_at = table.failed();
  }
  return failed ? failed : At(pending[failed_at], failed);
}

// Documents rendered to train a file's first dictionary: spread over the
// listings, about 10 MB (TrainDocDictionary reads ~6.5 MB of them).
constexpr size_t kTrainingDocs = 8192;

// Packs every pending doc in place (db/doc_pack.h) with `pack`, the file's
// dictionaries. `render` makes a doc not rendered yet (a first import's):
// each is rendered into one scratch string and only its packed form is kept
// (1e6: 1.3 GB of JSON never held at once). A file with no dictionary gets one
// trained first from docs spread over the listings, when there are enough:
// it is returned for the caller to store (id 0: none). `packed`, when
// given, counts the docs packed so far, in order.
Result<db::DocDictionary> PackDocs(std::vector<Pending>& pending, std::shared_ptr<const db::DocPack> pack,
                                   const std::function<void(Pending&, std::string&)>& render,
                                   std::atomic<size_t>* packed = nullptr) {
  auto text_of = [&render](Pending& p, std::string& scratch) -> std::string_view {
    if (!p.doc.empty()) return p.doc;
    render(p, scratch);
    return scratch;
  };
  db::DocDictionary trained;
  if (!pack->has_dictionary() && pending.size() >= db::kDocDictionaryMinSamples) {
    std::vector<std::string> samples;
    size_t step = std::max<size_t>(1, pending.size() / kTrainingDocs);
    for (size_t i = 0; i < pending.size(); i += step) {
      std::string scratch;
      samples.emplace_back(text_of(pending[i], scratch));
    }
    trained = db::TrainDocDictionary(std::vector<std::string_view>(samples.begin(), samples.end()));
    if (trained.id != 0) {
      auto made = db::DocPack::Make({trained});
      if (!made) return Fail(made.error());
      pack = std::move(*made);
    }
  }
  std::string scratch;
  for (size_t i = 0; i < pending.size(); ++i) {
    pending[i].doc = pack->Pack(text_of(pending[i], scratch));
    // Release: a reader that sees the count sees the doc and its hash.
    if (packed) packed->store(i + 1, std::memory_order_release);
  }
  return trained;
}

// A listing a member left is retired once no provenance row points at it.
Status RetireLeft(db::Database& db, const std::vector<Pending>& pending, LoaderStatements& st,
                  int64_t run, std::vector<std::string>& retired) {
  for (const Pending& p : pending) {
    for (const std::string& was : p.left) {
      auto sources = QueryRow(st.sources_of_listing, was, 1);
      if (!sources) return Fail(sources.error());
      if (*sources) continue;
      auto marked = st.MarkInactive(db, was, run);
      if (!marked) return Fail(marked.error());
      if (*marked) retired.push_back(was);
    }
  }
  return {};
}

// SQLite's CHECK constraints (schema.sql) off while Flush writes, when every
// listing it writes passes them already (PassesSchemaChecks), and on again
// when Flush ends, however it ends. Evaluated by SQLite for each row (the
// service's IN lists and json_type, the location's ranges) they took about
// 3 s of the 8-9 s the first-import writer spent on the tables at 1e6
// listings (docs/PERFORMANCE.md, "Goal 4, eighth pass"). When a listing
// fails them they stay on, so that SQLite rejects its row and the error
// names it as ever.
class SchemaChecksSkipped {
 public:
  SchemaChecksSkipped(db::Database& db, const std::vector<Pending>& pending) : db_(db) {
    for (const Pending& p : pending) {
      if (p.entities && !PassesSchemaChecks(p.group->listing())) return;
    }
    skipped_ = static_cast<bool>(db_.Exec("PRAGMA ignore_check_constraints = ON"));
  }
  ~SchemaChecksSkipped() {
    if (skipped_) (void)db_.Exec("PRAGMA ignore_check_constraints = OFF");
  }
  SchemaChecksSkipped(const SchemaChecksSkipped&) = delete;
  SchemaChecksSkipped& operator=(const SchemaChecksSkipped&) = delete;

 private:
  db::Database& db_;
  bool skipped_ = false;
};

}  // namespace

Result<std::vector<std::string>> Loader::Flush() {
  // A first import writes its rows in the listings' own order; else the
  // listing rows are written in id order, and so get their rowids on a
  // first import whose ids repeat.
  auto in_order = InPendingOrder(db_, pending_);
  if (!in_order) return Fail(in_order.error());
  std::vector<uint32_t> by_listing;
  if (*in_order) {
    by_listing.resize(pending_.size());
    std::iota(by_listing.begin(), by_listing.end(), 0);
  } else {
    by_listing = OrderedBy(pending_, &RecordIds::service_at_location, false);
  }
  PhaseMark("decide");
  // A first import: the full text is built on another core meanwhile, and
  // copied in last (RebuildFullText), after the secondary indexes too.
  // Prepare started it in the order of its groups: kept when that is the
  // listings' rowid order, else (ids repeat) started again in id order.
  const bool started_in_order = full_text_ && *in_order && full_text_of_ == pending_.front().group &&
                                full_text_->rows() == pending_.size();
  if (!started_in_order) full_text_.reset();
  if (!full_text_ && !stored_->any_listing()) {
    // `by_listing` is copied: the thread may outlive Flush (RebuildFullText).
    auto started = StartFullText(db_, by_listing.size(),
                                 [this, by_listing](size_t k) -> const ListingRecord& {
                                   return pending_[by_listing[k]].group->listing();
                                 });
    if (!started) return Fail(started.error());
    full_text_ = std::move(*started);
  }
  const bool full_text = full_text_ != nullptr;
  // A first import's docs and hashes (Loader::Prepare left them) are
  // rendered and packed on another core too, while the tables that need
  // neither are written; provenance (the hash) and listing (the doc) wait
  // for them. Another import's docs (rendered to compare) are packed then.
  auto pack = db_.Docs();
  if (!pack) return Fail(pack.error());
  Result<db::DocDictionary> packed = db::DocDictionary{};
  auto render = [this](Pending& p, std::string& doc) {
    RenderDoc(p.group->listing(), p.ids, taxonomy_, options_.now, doc, p.hash);
  };
  std::jthread docs;
  std::atomic<size_t> docs_packed{0};
  if (!pending_.empty() && pending_.front().doc.empty()) {
    docs = std::jthread([this, &packed, &render, &docs_packed, pack = *pack] {
      packed = PackDocs(pending_, pack, render, &docs_packed);
      ThreadMark("documents");
    });
  } else {
    packed = PackDocs(pending_, *pack, render);  // rendered already, to compare (Loader::Prepare)
  }
  auto docs_done = [&]() -> Status {
    if (docs.joinable()) docs.join();
    if (!packed) return Fail(packed.error());
    if (packed->id == 0) return {};
    db_.ForgetDocs();  // the next Docs() reads the new dictionary
    return db::StoreDocDictionary(db_, *packed);
  };
  std::vector<std::string> retired;
  // Each table's rows name their parents by integer key (schema.sql): a
  // table's keys are known once it is written, before its children.
  auto keyed = [this](const char* name, std::string RecordIds::*id, db::Statement& lookup)
      -> Result<KeyedTable> {
    auto count = RowCount(db_, name);
    if (!count) return Fail(count.error());
    return KeyedTable{name, id, &lookup, count->first == 0};
  };
  auto& st = *statements_;
  auto organizations = keyed("organization", &RecordIds::organization, st.organization_key);
  auto services = keyed("service", &RecordIds::service, st.service_key);
  auto locations = keyed("location", &RecordIds::location, st.location_key);
  auto links = keyed("service_at_location", &RecordIds::service_at_location, st.listing_key);
  for (const auto* t : {&organizations, &services, &locations, &links}) {
    if (!*t) return Fail(t->error());
  }
  const auto by_service = OrderedBy(pending_, &RecordIds::service, true);
  EntityKeys keys;
  auto keys_of = [&](std::vector<int64_t>& out, const std::vector<uint32_t>& order,
                     const KeyedTable& t) -> Status {
    auto found = RowKeys(db_, pending_, order, t);
    if (!found) return Fail(found.error());
    out = std::move(*found);
    return {};
  };
  // A first import's full-text rows have rowid k + 1 for the k-th listing
  // in id order (StartFullText): so must its listing rows.
  auto listing_keys = [&]() -> Status {
    if (auto s = keys_of(keys.listing, by_listing, *links); !s) return s;
    for (size_t k = 0; full_text && k < by_listing.size(); ++k) {
      if (keys.listing[by_listing[k]] != static_cast<int64_t>(k) + 1)
        return Fail(Error::Internal("a first import's listing keys are not in id order"));
    }
    return {};
  };
  using Steps = std::vector<std::pair<const char*, std::function<Status()>>>;
  std::vector<std::string> id_indexes;
  std::optional<RecordRows> records;
  const Steps in_pending_order = {
      {"tables",
       [&]() -> Status {
         auto dropped = DropIdIndexes(db_);
         if (!dropped) return Fail(dropped.error());
         id_indexes = std::move(*dropped);
         auto prepared = RecordRows::Prepare(db_, pending_, *stored_, options_.run);
         if (!prepared) return Fail(prepared.error());
         records.emplace(std::move(*prepared));
         return WriteInPendingOrder(db_, pending_, *stored_, *terms_, options_.run, *records,
                                    docs_packed);
       }},
      {"id indexes", [&] { return BuildIndexesInRuns(db_, id_indexes); }},
      {"docs (wait)", docs_done},
      {"provenance+listing (rest)", [&] { return records->Finish(); }},
      {"retire", [&] { return RetireLeft(db_, pending_, *statements_, options_.run, retired); }},
  };
  // Each table in turn; the timings name them (CAREFINDER_TIMINGS, phase_mark.h).
  const Steps by_id = {
      {"organization", [&] { return WriteOrganizations(db_, pending_); }},
      {"organization keys",
       [&] {
         return keys_of(keys.organization, OrderedBy(pending_, &RecordIds::organization, true),
                        *organizations);
       }},
      {"service", [&] { return WriteServices(db_, pending_, options_.run, keys, *terms_); }},
      {"service keys", [&] { return keys_of(keys.service, by_service, *services); }},
      {"location", [&] { return WriteLocations(db_, pending_, keys); }},
      {"location keys",
       [&] { return keys_of(keys.location, OrderedBy(pending_, &RecordIds::location, true), *locations); }},
      {"service_at_location", [&] { return WriteAddressesAndLinks(db_, pending_, keys); }},
      {"listing keys", listing_keys},
      {"phone+schedule", [&] { return WriteContacts(db_, pending_, keys.service); }},
      {"source_attribute",
       [&] { return WriteSourceAttributes(db_, pending_, *stored_, keys.service); }},
      {"docs (wait)", docs_done},
      {"provenance", [&] { return WriteProvenance(db_, pending_, *stored_, options_.run, keys.listing); }},
      {"listing", [&] { return WriteListings(db_, pending_, keys.listing); }},
      {"retire", [&] { return RetireLeft(db_, pending_, *statements_, options_.run, retired); }},
  };
  const SchemaChecksSkipped checks(db_, pending_);
  for (const auto& [name, step] : *in_order ? in_pending_order : by_id) {
    Status written = step();
    if (!written) return Fail(written.error());
    PhaseMark(name);
  }
  // The full-text thread reads the pending listings until it is done.
  if (!full_text_) ForgetPending();
  return retired;
}

}  // namespace carefinder::importer
