// Loader::Flush: writes what Load decided, one table at a time, each in the
// order of its primary key (see load.h).
//
// Why: the keys are UUIDs, so rows written listing by listing land at random
// places in a dozen B-trees; at 1e6 listings those trees outgrow the page
// cache and every insert seeks a page that was evicted. Written in key
// order, each tree only grows at its right edge, and rows go 64 to an INSERT
// (sorted_rows.h). A first import also builds its full-text index on
// another core meanwhile (full_text_aside.h).
#include <algorithm>
#include <functional>
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

// organization, service, location, address, service_at_location: one row
// each per added or changed listing.
Status WriteEntities(db::Database& db, const std::vector<Pending>& pending, std::string_view now) {
  SortedRows organizations(2), services(11), locations(8), addresses(7), links(3);
  // An organisation is written once, with the name the last of its
  // listings gives it (what writing them one by one left).
  std::unordered_map<std::string_view, uint32_t> last_of_organization;
  for (uint32_t i = 0; i < pending.size(); ++i) {
    if (pending[i].entities) last_of_organization[pending[i].ids.organization] = i;
  }
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (!p.entities) continue;
    const ListingRecord& rec = p.group->listing();
    if (last_of_organization.at(p.ids.organization) == i) {
      organizations.Add(p.ids.organization, i);
      organizations.Borrowed(p.ids.organization).Borrowed(rec.organization);
    }
    services.Add(p.ids.service, i);
    services.Borrowed(p.ids.service).Borrowed(p.ids.organization).Borrowed(rec.name);
    services.BorrowedOrNull(rec.description).BorrowedOrNull(rec.website).BorrowedOrNull(rec.email);
    services.Borrowed(rec.status).Borrowed(rec.kind).BorrowedOrNull(rec.hours_text).Borrowed(now);
    services.BorrowedOrNull(rec.last_verified);
    bool virtual_only = VirtualOnly(rec);
    locations.Add(p.ids.location, i);
    locations.Borrowed(p.ids.location).Borrowed(p.ids.organization);
    locations.Borrowed(virtual_only ? "virtual" : "physical");
    locations.Borrowed(rec.location_name.empty() ? rec.organization : rec.location_name);
    locations.BorrowedOrNull(rec.conference_url).Real(rec.latitude).Real(rec.longitude);
    if (rec.latitude) locations.Borrowed(GeoPrecisionName(rec.precision));
    else locations.Null();
    if (!virtual_only && !rec.address.postal_code.empty()) {
      const Address& a = rec.address;
      addresses.Add(p.ids.address, i);
      addresses.Borrowed(p.ids.address).Borrowed(p.ids.location).BorrowedOrNull(a.line1);
      addresses.BorrowedOrNull(a.line2).Borrowed(a.city).Borrowed(a.state).Borrowed(a.postal_code);
    }
    links.Add(p.ids.service_at_location, i);
    links.Borrowed(p.ids.service_at_location).Borrowed(p.ids.service).Borrowed(p.ids.location);
  }
  struct Table {
    const char* name;
    SortedRows* rows;
    const BulkSql* sql;
  };
  for (const Table& t : {Table{"organization", &organizations, &kBulkOrganization},
                         Table{"service", &services, &kBulkService},
                         Table{"location", &locations, &kBulkLocation},
                         Table{"address", &addresses, &kBulkAddress},
                         Table{"service_at_location", &links, &kBulkServiceAtLocation}}) {
    if (auto s = Write(db, pending, *t.rows, *t.sql); !s) return s;
    PhaseMark(t.name);
  }
  return {};
}

// phone and schedule rows. A schedule row is a run of days with the same
// times (HSDS byday is a list): 24/7 is one row, not seven.
Status WriteContacts(db::Database& db, const std::vector<Pending>& pending, StableIdMaker& make_id) {
  SortedRows phones(8), schedules(6);
  std::string id, byday;
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (!p.entities) continue;
    const ListingRecord& rec = p.group->listing();
    for (size_t n = 0; n < rec.phones.size(); ++n) {
      const Phone& phone = rec.phones[n];
      id = make_id("phone", rec.source, rec.source_key + "#" + std::to_string(n));
      phones.Add(id, i);
      phones.Text(id).Borrowed(p.ids.service).Borrowed(phone.display).BorrowedOrNull(phone.e164);
      phones.BorrowedOrNull(phone.extension).Borrowed(PhoneType(phone.role)).Borrowed(phone.role);
      phones.Int(static_cast<int64_t>(n));
    }
    const auto& hours = rec.hours;
    for (size_t first = 0, n = 0; first < hours.size(); ++n) {
      const WeeklyTime& w = hours[first];
      byday = w.day;
      size_t next = first + 1;
      for (; next < hours.size() && hours[next].opens == w.opens && hours[next].closes == w.closes; ++next)
        byday += "," + hours[next].day;
      id = make_id("schedule", rec.source, rec.source_key + "#" + std::to_string(n));
      schedules.Add(id, i);
      schedules.Text(id).Borrowed(p.ids.service).Text(byday).BorrowedOrNull(w.opens);
      schedules.BorrowedOrNull(w.closes).BorrowedOrNull(rec.timezone);
      first = next;
    }
  }
  if (auto s = Write(db, pending, phones, kBulkPhone); !s) return s;
  return Write(db, pending, schedules, kBulkSchedule);
}

// How many rows the service table holds and its greatest rowid.
Result<std::pair<int64_t, int64_t>> ServiceRowids(db::Database& db) {
  auto count = db.Prepare("SELECT count(*), coalesce(max(rowid), 0) FROM service");
  if (!count) return Fail(count.error());
  auto row = count->Step();
  if (!row) return Fail(row.error());
  return std::pair{count->ColumnInt(0), count->ColumnInt(1)};
}

// Looks up one written listing's service key.
Result<int64_t> ServiceKey(const Pending& p, LoaderStatements& st) {
  auto found = st.service_key.Bind(1, p.ids.service).Step();
  if (!found) return Fail(At(p, Fail(found.error())).error());
  if (!*found)
    return Fail(At(p, Fail(Error::Internal("service " + p.ids.service + " was not written"))).error());
  int64_t key = st.service_key.ColumnInt(0);
  st.service_key.Reset();
  return key;
}

// Services looked up to check that the rowids of an empty table's services
// are their places in id order.
constexpr size_t kKeysChecked = 64;

// Each written listing's service key (service.rowid, which service_term and
// source_code rows name), by pending index, in service id order (the order
// of its index). `empty_before`: the service table was empty before this
// import wrote its services in that order, so the k-th has rowid k + 1 when
// the table now holds exactly them; that is checked (count, greatest rowid,
// and kKeysChecked of them looked up), else every one is looked up (1e6
// listings: 1e6 index lookups, about 3-4 s).
Result<std::vector<int64_t>> ServiceKeys(db::Database& db, const std::vector<Pending>& pending,
                                         LoaderStatements& st, const std::vector<uint32_t>& by_service,
                                         bool empty_before) {
  std::vector<int64_t> keys(pending.size(), 0);
  const auto n = static_cast<int64_t>(by_service.size());
  if (empty_before && n > 0) {
    auto now = ServiceRowids(db);
    if (!now) return Fail(now.error());
    bool in_order = *now == std::pair{n, n};
    for (size_t c = 0; in_order && c < kKeysChecked; ++c) {
      size_t k = c * (by_service.size() - 1) / (kKeysChecked - 1);
      auto key = ServiceKey(pending[by_service[k]], st);
      if (!key) return Fail(key.error());
      in_order = *key == static_cast<int64_t>(k) + 1;
    }
    if (in_order) {
      for (size_t k = 0; k < by_service.size(); ++k) keys[by_service[k]] = static_cast<int64_t>(k) + 1;
      return keys;
    }
  }
  for (uint32_t i : by_service) {
    auto key = ServiceKey(pending[i], st);
    if (!key) return Fail(key.error());
    keys[i] = *key;
  }
  return keys;
}

// service_term rows (the views attribute and language), keyed by (service
// key, term key): the listings in service id order, each one's terms
// already in term key order (Loader::Prepare), bound straight from the
// loader's term table. Most of the rows an import writes (12 a listing in
// the benchmark), so no copy and no sort of the rows themselves.
Status WriteTerms(db::Database& db, const std::vector<Pending>& pending, const TermTable& terms,
                  const std::vector<int64_t>& service_keys, const std::vector<uint32_t>& by_service) {
  auto attributes = BatchInsert::Prepare(db, kBulkAttribute);
  if (!attributes) return Fail(attributes.error());
  for (uint32_t i : by_service) {
    int64_t service = service_keys[i];
    for (uint16_t t : pending[i].terms) {
      int64_t term_key = terms[t].key;
      auto added = attributes->Add(i, {BatchInsert::Int(service), BatchInsert::Int(term_key)});
      if (!added) return At(pending[attributes->failed()], added);
    }
  }
  if (auto r = attributes->Finish(); !r) return At(pending[attributes->failed()], r);
  return {};
}

// source_code rows (the view source_attribute): each member's unmapped
// codes, attributed to its own source; keyed by (service key, source key,
// value).
Status WriteSourceAttributes(db::Database& db, const std::vector<Pending>& pending,
                             const StoredRecords& stored, LoaderStatements& st,
                             const std::vector<int64_t>& service_keys) {
  SortedRows rows(3);
  std::unordered_map<std::string, int64_t> source_keys;  // by source name
  std::vector<std::pair<int64_t, const std::string*>> unmapped;  // source key, value
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (!p.entities) continue;
    unmapped.clear();
    for (const ListingRecord* member : p.group->members) {
      if (member->source_attributes.empty()) continue;
      auto [known, added] = source_keys.try_emplace(member->source, 0);
      if (added) {
        auto key = QueryRow(st.source_key, stored.SourceId(member->source), 1);
        if (!key) return At(p, Fail(key.error()));
        if (!*key) return At(p, Fail(Error::Internal("source " + member->source + " was not written")));
        known->second = std::stoll((**key)[0]);
      }
      for (const auto& value : member->source_attributes) unmapped.emplace_back(known->second, &value);
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

// New rows for written listings, a touch (imported_at, file, line) for the
// unchanged; keyed by (source id, source key).
Status WriteProvenance(db::Database& db, const std::vector<Pending>& pending,
                       const StoredRecords& stored, std::string_view now) {
  SortedRows added(11), touched(5);
  std::string key;
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    for (const ListingRecord* m : p.group->members) {
      const std::string& source_id = stored.SourceId(m->source);
      (key = source_id) += m->source_key;
      if (!p.entities) {
        touched.Add(key, i);
        touched.Borrowed(source_id).Borrowed(m->source_key).Borrowed(now).Borrowed(m->file);
        touched.Int(m->line);
        continue;
      }
      added.Add(key, i);
      added.Borrowed(p.ids.service_at_location).Borrowed(source_id).Borrowed(m->source_key);
      added.BorrowedOrNull(m->source_url).Borrowed(m->as_of).BorrowedOrNull(m->last_verified);
      added.Borrowed(now).Borrowed(now).Borrowed(p.hash).Borrowed(m->file).Int(m->line);
    }
  }
  if (auto s = Write(db, pending, added, kBulkProvenance); !s) return s;
  return Write(db, pending, touched, kBulkTouchProvenance);
}

// The listing rows, in id order. `rowids`: on a first import the k-th gets
// rowid k + 1, as its full-text row (FullTextAside).
Status WriteListings(db::Database& db, const std::vector<Pending>& pending,
                     const std::vector<uint32_t>& by_listing, bool rowids) {
  // Added in the order the records lie in memory, each with its rank in id
  // order as rowid; SortedRows writes them in id order. Added in id order,
  // every row's dozen short strings were read from records scattered over
  // gigabytes (1e6: most of this phase was memcpy missing the cache).
  std::vector<uint32_t> rank(pending.size());
  for (size_t k = 0; k < by_listing.size(); ++k) rank[by_listing[k]] = static_cast<uint32_t>(k);
  SortedRows listings(16);
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    const ListingRecord& rec = p.group->listing();
    listings.Add(p.ids.service_at_location, i);
    if (rowids) listings.Int(static_cast<int64_t>(rank[i]) + 1);
    else listings.Null();
    listings.Borrowed(p.ids.service_at_location).Borrowed(p.ids.service).Borrowed(rec.kind);
    listings.Borrowed(rec.status).Borrowed(rec.name).Borrowed(rec.organization);
    listings.BorrowedOrNull(rec.address.city).BorrowedOrNull(rec.address.state);
    listings.BorrowedOrNull(rec.address.postal_code).Real(rec.latitude).Real(rec.longitude);
    listings.Borrowed(p.terms_string).TextOrNull(ScheduleString(rec));
    listings.Int(rec.services_stated ? 1 : 0).Blob(p.doc);
  }
  return Write(db, pending, listings, kBulkListing);
}

// Documents rendered to train a file's first dictionary: spread over the
// listings, about 10 MB (TrainDocDictionary reads ~6.5 MB of them).
constexpr size_t kTrainingDocs = 8192;

// Packs every pending doc in place (db/doc_pack.h) with `pack`, the file's
// dictionaries. `render` makes a doc not rendered yet (a first import's):
// each is rendered into one scratch string and only its packed form is kept
// (1e6: 1.3 GB of JSON never held at once). A file with no dictionary gets one
// trained first from docs spread over the listings, when there are enough:
// it is returned for the caller to store (id 0: none).
Result<db::DocDictionary> PackDocs(std::vector<Pending>& pending, std::shared_ptr<const db::DocPack> pack,
                                   const std::function<void(Pending&, std::string&)>& render) {
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
  for (Pending& p : pending) p.doc = pack->Pack(text_of(p, scratch));
  return trained;
}

// A first import's full-text rows, in the listings' rowid order.
Result<std::unique_ptr<FullTextAside>> StartFullText(db::Database& db,
                                                     const std::vector<Pending>& pending,
                                                     const Taxonomy& taxonomy,
                                                     const std::vector<uint32_t>& by_listing) {
  return FullTextAside::Start(db, by_listing.size(), [&pending, &taxonomy, &by_listing](size_t k) {
    const Pending& p = pending[by_listing[k]];
    const ListingRecord& rec = p.group->listing();
    return FullTextColumns{rec.name, rec.organization, rec.description,
                           FullTextLabels(taxonomy, p.terms_string),
                           FullTextPlace(rec.address.city, rec.address.state, rec.address.postal_code)};
  });
}

// A listing a member left is retired once no provenance row points at it.
Status RetireLeft(db::Database& db, const std::vector<Pending>& pending, LoaderStatements& st,
                  std::string_view now, std::vector<std::string>& retired) {
  for (const Pending& p : pending) {
    for (const std::string& was : p.left) {
      auto sources = QueryRow(st.sources_of_listing, was, 1);
      if (!sources) return Fail(sources.error());
      if (*sources) continue;
      auto marked = st.MarkInactive(db, was, now);
      if (!marked) return Fail(marked.error());
      if (*marked) retired.push_back(was);
    }
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> Loader::Flush() {
  const std::string& now = options_.now;
  // The listing rows' order, and so their rowids on a first import.
  auto by_listing = OrderedBy(pending_, &RecordIds::service_at_location, false);
  PhaseMark("decide");
  // A first import: the full text is built on another core meanwhile.
  std::unique_ptr<FullTextAside> full_text;
  if (!stored_->any_listing()) {
    auto started = StartFullText(db_, pending_, taxonomy_, by_listing);
    if (!started) return Fail(started.error());
    full_text = std::move(*started);
  }
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
  if (!pending_.empty() && pending_.front().doc.empty()) {
    docs = std::jthread([this, &packed, &render, pack = *pack] { packed = PackDocs(pending_, pack, render); });
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
  const auto by_service = OrderedBy(pending_, &RecordIds::service, true);
  std::vector<int64_t> service_keys;
  auto services_before = ServiceRowids(db_);
  if (!services_before) return Fail(services_before.error());
  bool no_services_before = services_before->first == 0;
  auto keys_of_services = [&]() -> Status {
    auto keys = ServiceKeys(db_, pending_, *statements_, by_service, no_services_before);
    if (!keys) return Fail(keys.error());
    service_keys = std::move(*keys);
    return {};
  };
  // Each table in turn; the timings name them (CAREFINDER_TIMINGS, phase_mark.h).
  const std::pair<const char*, std::function<Status()>> steps[] = {
      {"entities", [&] { return WriteEntities(db_, pending_, now); }},
      {"phone+schedule", [&] { return WriteContacts(db_, pending_, make_id_); }},
      {"service keys", keys_of_services},
      {"service_term", [&] { return WriteTerms(db_, pending_, *terms_, service_keys, by_service); }},
      {"source_attribute",
       [&] { return WriteSourceAttributes(db_, pending_, *stored_, *statements_, service_keys); }},
      {"docs (wait)", docs_done},
      {"provenance", [&] { return WriteProvenance(db_, pending_, *stored_, now); }},
      {"listing", [&] { return WriteListings(db_, pending_, by_listing, full_text != nullptr); }},
      {"full text (copy)", [&] { return full_text ? full_text->Finish(db_) : Status{}; }},
      {"retire", [&] { return RetireLeft(db_, pending_, *statements_, now, retired); }},
  };
  for (const auto& [name, step] : steps) {
    Status written = step();
    if (!written) return Fail(written.error());
    PhaseMark(name);
  }
  full_text_written_ = full_text != nullptr;
  pending_.clear();
  return retired;
}

}  // namespace carefinder::importer
