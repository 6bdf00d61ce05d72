// Loader::Flush: writes what Load decided, one table at a time, each in the
// order of its primary key (see load.h).
//
// Why: the keys are UUIDs, so rows written listing by listing land at random
// places in a dozen B-trees. At 1e6 listings those trees outgrow the page
// cache, and every insert seeks a page that has been evicted. Written in key
// order, each tree only ever grows at its right edge. Rows are not copied:
// the order is a permutation of the pending listings, and values are bound
// from the records and the pending docs, which outlive each statement.
#include <algorithm>
#include <functional>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

#include "importer/full_text_aside.h"
#include "importer/listing_doc.h"
#include "importer/load.h"
#include "importer/load_statements.h"
#include "importer/normalise.h"
#include "importer/import.h"

namespace carefinder::importer {

namespace {

// The most attribute rows one statement inserts.
constexpr size_t kAttributeRowsPerStatement = 32;

const char* PhoneType(std::string_view role) {
  if (role == "fax") return "fax";
  if (role == "tty") return "textphone";
  if (role == "sms") return "text";
  return "voice";
}

// The first 8 bytes of `key` as a number that orders as the bytes do: most
// comparisons of a sort end on it without touching the strings themselves
// (1e6 keys on the heap: following the pointers was most of a sort's time).
uint64_t Prefix(std::string_view key) {
  uint64_t out = 0;
  for (size_t i = 0; i < 8; ++i)
    out = out << 8 | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0);
  return out;
}

// Indexes of `pending` (those `keep` accepts), ordered by `key`; equal keys
// keep the order Load saw them in, so the last one written wins as before.
template <class Key, class Keep>
std::vector<uint32_t> OrderBy(const std::vector<Pending>& pending, Key key, Keep keep) {
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  keyed.reserve(pending.size());
  for (uint32_t i = 0; i < pending.size(); ++i) {
    if (keep(pending[i])) keyed.emplace_back(Prefix(key(pending[i])), i);
  }
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    int c = key(pending[a.second]).compare(key(pending[b.second]));
    return c != 0 ? c < 0 : a.second < b.second;
  });
  std::vector<uint32_t> order;
  order.reserve(keyed.size());
  for (const auto& k : keyed) order.push_back(k.second);
  return order;
}

bool Entities(const Pending& p) { return p.entities; }

// A failed write names the listing's first record, as Load's errors do.
Status At(const Pending& p, const Status& s) {
  if (s) return s;
  const ListingRecord& first = *p.group->members[0];
  return Fail(Error::Database(first.file + ":" + std::to_string(first.line) + ": " +
                              s.error().message));
}

// One child row (phone, schedule): its id, its listing, its position there.
struct ChildRow {
  uint64_t prefix;  // Prefix(id)
  std::string id;
  uint32_t pending;
  uint32_t part;
  bool operator<(const ChildRow& o) const {
    return prefix != o.prefix ? prefix < o.prefix : id < o.id;
  }
};

ChildRow MakeChildRow(std::string id, uint32_t pending, uint32_t part) {
  uint64_t prefix = Prefix(id);
  return {prefix, std::move(id), pending, part};
}

Status WriteOrganizations(Loader::Statements& st) {
  auto order = OrderBy(st.pending, [](const Pending& p) -> const std::string& {
    return p.ids.organization;
  }, Entities);
  for (uint32_t i : order) {
    const Pending& p = st.pending[i];
    auto& s = st[kOrganization];
    s.BindBorrowed(1, p.ids.organization).BindBorrowed(2, p.group->listing().organization);
    if (auto r = s.Run(); !r) return At(p, r);
  }
  return {};
}

Status WriteServices(Loader::Statements& st, const std::vector<uint32_t>& by_service,
                     std::string_view now) {
  for (uint32_t i : by_service) {
    const Pending& p = st.pending[i];
    const ListingRecord& rec = p.group->listing();
    auto& svc = st[kService];
    svc.BindBorrowed(1, p.ids.service).BindBorrowed(2, p.ids.organization).BindBorrowed(3, rec.name);
    svc.BindOptionalBorrowed(4, rec.description).BindOptionalBorrowed(5, rec.website);
    svc.BindOptionalBorrowed(6, rec.email).BindBorrowed(7, rec.status).BindBorrowed(8, rec.kind);
    svc.BindOptionalBorrowed(9, rec.hours_text).BindBorrowed(10, now);
    if (auto r = svc.BindOptionalBorrowed(11, rec.last_verified).Run(); !r) return At(p, r);
  }
  return {};
}

// An online-only meeting happens at its conference URL, not at an address.
bool VirtualOnly(const ListingRecord& rec) {
  return IsOnlineOnly(rec) || (!rec.latitude && rec.address.postal_code.empty());
}

Status WriteLocations(Loader::Statements& st) {
  auto order = OrderBy(st.pending, [](const Pending& p) -> const std::string& {
    return p.ids.location;
  }, Entities);
  for (uint32_t i : order) {
    const Pending& p = st.pending[i];
    const ListingRecord& rec = p.group->listing();
    auto& loc = st[kLocation];
    loc.BindBorrowed(1, p.ids.location).BindBorrowed(2, p.ids.organization);
    loc.BindBorrowed(3, VirtualOnly(rec) ? "virtual" : "physical");
    loc.BindBorrowed(4, rec.location_name.empty() ? rec.organization : rec.location_name);
    loc.BindOptionalBorrowed(5, rec.conference_url).BindOptional(6, rec.latitude);
    loc.BindOptional(7, rec.longitude);
    if (rec.latitude) loc.BindBorrowed(8, GeoPrecisionName(rec.precision));
    if (auto r = loc.Run(); !r) return At(p, r);
  }
  return {};
}

Status WriteAddresses(Loader::Statements& st) {
  auto order = OrderBy(st.pending, [](const Pending& p) -> const std::string& {
    return p.ids.address;
  }, [](const Pending& p) {
    const ListingRecord& rec = p.group->listing();
    return p.entities && !VirtualOnly(rec) && !rec.address.postal_code.empty();
  });
  for (uint32_t i : order) {
    const Pending& p = st.pending[i];
    const Address& a = p.group->listing().address;
    auto& s = st[kAddress];
    s.BindBorrowed(1, p.ids.address).BindBorrowed(2, p.ids.location).BindOptionalBorrowed(3, a.line1);
    s.BindOptionalBorrowed(4, a.line2).BindBorrowed(5, a.city).BindBorrowed(6, a.state);
    if (auto r = s.BindBorrowed(7, a.postal_code).Run(); !r) return At(p, r);
  }
  return {};
}

Status WriteServiceAtLocations(Loader::Statements& st, const std::vector<uint32_t>& by_listing) {
  for (uint32_t i : by_listing) {
    const Pending& p = st.pending[i];
    if (!p.entities) continue;
    auto& sal = st[kServiceAtLocation];
    sal.BindBorrowed(1, p.ids.service_at_location).BindBorrowed(2, p.ids.service);
    if (auto r = sal.BindBorrowed(3, p.ids.location).Run(); !r) return At(p, r);
  }
  return {};
}

Status WritePhones(Loader::Statements& st) {
  std::vector<ChildRow> rows;
  for (uint32_t i = 0; i < st.pending.size(); ++i) {
    const Pending& p = st.pending[i];
    if (!p.entities) continue;
    const ListingRecord& rec = p.group->listing();
    for (uint32_t n = 0; n < rec.phones.size(); ++n)
      rows.push_back(MakeChildRow(st.id("phone", rec.source, rec.source_key + "#" + std::to_string(n)), i, n));
  }
  std::sort(rows.begin(), rows.end());
  for (const ChildRow& row : rows) {
    const Pending& p = st.pending[row.pending];
    const Phone& phone = p.group->listing().phones[row.part];
    auto& s = st[kPhone];
    s.BindBorrowed(1, row.id).BindBorrowed(2, p.ids.service).BindBorrowed(3, phone.display);
    s.BindOptionalBorrowed(4, phone.e164).BindOptionalBorrowed(5, phone.extension);
    s.BindBorrowed(6, PhoneType(phone.role)).BindBorrowed(7, phone.role);
    if (auto r = s.Bind(8, static_cast<int64_t>(row.part)).Run(); !r) return At(p, r);
  }
  return {};
}

// One row per run of days with the same times (HSDS byday is a list): 24/7
// is one row, not seven. `part` is the index of the run's first day.
Status WriteSchedules(Loader::Statements& st) {
  std::vector<ChildRow> rows;
  for (uint32_t i = 0; i < st.pending.size(); ++i) {
    const Pending& p = st.pending[i];
    if (!p.entities) continue;
    const ListingRecord& rec = p.group->listing();
    const auto& hours = rec.hours;
    for (size_t first = 0, n = 0; first < hours.size(); ++n) {
      rows.push_back(MakeChildRow(st.id("schedule", rec.source, rec.source_key + "#" + std::to_string(n)),
                                  i, static_cast<uint32_t>(first)));
      size_t next = first + 1;
      while (next < hours.size() && hours[next].opens == hours[first].opens &&
             hours[next].closes == hours[first].closes)
        ++next;
      first = next;
    }
  }
  std::sort(rows.begin(), rows.end());
  for (const ChildRow& row : rows) {
    const Pending& p = st.pending[row.pending];
    const auto& hours = p.group->listing().hours;
    const WeeklyTime& w = hours[row.part];
    std::string byday = w.day;
    for (size_t d = row.part + 1;
         d < hours.size() && hours[d].opens == w.opens && hours[d].closes == w.closes; ++d)
      byday += "," + hours[d].day;
    auto& s = st[kSchedule];
    s.BindBorrowed(1, row.id).BindBorrowed(2, p.ids.service).Bind(3, byday);
    s.BindOptionalBorrowed(4, w.opens).BindOptionalBorrowed(5, w.closes);
    if (auto r = s.Run(); !r) return At(p, r);
  }
  return {};
}

// The statement that inserts `rows` attribute rows of one service.
Result<db::Statement*> AttributeStatement(db::Database& db, Loader::Statements& st, size_t rows) {
  if (st.attribute_rows.size() < rows) st.attribute_rows.resize(rows);
  db::Statement& s = st.attribute_rows[rows - 1];
  if (!s) {
    std::string sql = "INSERT INTO attribute(link_id, taxonomy_term_id, link_type) VALUES ";
    for (size_t k = 0; k < rows; ++k) {
      sql += (k ? ", (?1, ?" : "(?1, ?") + std::to_string(2 + 2 * k) + ", ?" +
             std::to_string(3 + 2 * k) + ")";
    }
    auto prepared = db.Prepare(sql);
    if (!prepared) return Fail(prepared.error());
    s = std::move(*prepared);
  }
  return &s;
}

// attribute, language and source_attribute: keyed by service id first.
Status WriteServiceTerms(db::Database& db, Loader::Statements& st, const Taxonomy& taxonomy,
                         const std::vector<uint32_t>& by_service) {
  std::vector<std::pair<const std::string*, const Term*>> terms;  // term id, term
  std::vector<const Term*> languages;
  std::vector<std::pair<const std::string*, const std::string*>> source_values;
  for (uint32_t i : by_service) {
    const Pending& p = st.pending[i];
    if (!p.entities) continue;
    const ListingRecord& rec = p.group->listing();
    terms.clear();
    languages.clear();
    for (const auto& code : rec.terms) {
      const Term* t = taxonomy.Find(code);
      terms.emplace_back(&st.term_ids.at(code), t);
      if (t->group == "language") languages.push_back(t);
    }
    std::sort(terms.begin(), terms.end(),
              [](const auto& a, const auto& b) { return *a.first < *b.first; });
    for (size_t from = 0; from < terms.size(); from += kAttributeRowsPerStatement) {
      size_t rows = std::min(kAttributeRowsPerStatement, terms.size() - from);
      auto s = AttributeStatement(db, st, rows);
      if (!s) return Fail(s.error());
      (*s)->BindBorrowed(1, p.ids.service);
      for (size_t k = 0; k < rows; ++k) {
        (*s)->BindBorrowed(static_cast<int>(2 + 2 * k), *terms[from + k].first);
        (*s)->BindBorrowed(static_cast<int>(3 + 2 * k), terms[from + k].second->group);
      }
      if (auto r = (*s)->Run(); !r) return At(p, r);
    }
    std::sort(languages.begin(), languages.end(),
              [](const Term* a, const Term* b) { return a->code < b->code; });
    for (const Term* t : languages) {
      auto& lang = st[kLanguage];
      lang.BindBorrowed(1, p.ids.service).BindBorrowed(2, t->code).BindBorrowed(3, t->label);
      if (auto r = lang.Run(); !r) return At(p, r);
    }
    // Each member's unmapped codes stay attributed to its own source.
    source_values.clear();
    for (const ListingRecord* member : p.group->members) {
      const std::string& source_id = st.source_ids.at(member->source);
      for (const auto& value : member->source_attributes) source_values.emplace_back(&source_id, &value);
    }
    std::sort(source_values.begin(), source_values.end(), [](const auto& a, const auto& b) {
      return std::tie(*a.first, *a.second) < std::tie(*b.first, *b.second);
    });
    for (const auto& [source_id, value] : source_values) {
      auto& s = st[kSourceAttribute];
      s.BindBorrowed(1, p.ids.service).BindBorrowed(2, *source_id).BindBorrowed(3, *value);
      if (auto r = s.Run(); !r) return At(p, r);
    }
  }
  return {};
}

// New rows for written listings, a touch (imported_at, file, line) for the
// unchanged; keyed by (source id, source key).
Status WriteProvenance(Loader::Statements& st, std::string_view now) {
  // Sources in id order: a row's rank stands for its source id in the sort.
  std::vector<const std::string*> source_ids;
  for (const auto& [name, id] : st.source_ids) source_ids.push_back(&id);
  std::sort(source_ids.begin(), source_ids.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  std::unordered_map<std::string_view, uint32_t> rank;
  for (uint32_t r = 0; r < source_ids.size(); ++r) rank.emplace(*source_ids[r], r);
  struct Row {
    uint32_t source_rank;
    uint64_t key_prefix;
    const std::string* source_id;
    const ListingRecord* member;
    uint32_t pending;
  };
  std::vector<Row> rows;
  for (uint32_t i = 0; i < st.pending.size(); ++i) {
    for (const ListingRecord* m : st.pending[i].group->members) {
      const std::string& source_id = st.source_ids.at(m->source);
      rows.push_back({rank.at(source_id), Prefix(m->source_key), &source_id, m, i});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.source_rank != b.source_rank) return a.source_rank < b.source_rank;
    if (a.key_prefix != b.key_prefix) return a.key_prefix < b.key_prefix;
    int c = a.member->source_key.compare(b.member->source_key);
    return c != 0 ? c < 0 : a.pending < b.pending;
  });
  for (const Row& row : rows) {
    const Pending& p = st.pending[row.pending];
    const ListingRecord& m = *row.member;
    if (!p.entities) {
      auto& touch = st[kTouchProvenance];
      touch.BindBorrowed(1, *row.source_id).BindBorrowed(2, m.source_key).BindBorrowed(3, now);
      if (auto r = touch.BindBorrowed(4, m.file).Bind(5, m.line).Run(); !r) return At(p, r);
      continue;
    }
    auto& prov = st[kProvenance];
    prov.BindBorrowed(1, p.ids.service_at_location).BindBorrowed(2, *row.source_id);
    prov.BindBorrowed(3, m.source_key).BindOptionalBorrowed(4, m.source_url);
    prov.BindBorrowed(5, m.as_of).BindOptionalBorrowed(6, m.last_verified).BindBorrowed(7, now);
    prov.BindBorrowed(8, p.hash).BindBorrowed(9, m.file).Bind(10, m.line);
    if (auto r = prov.Run(); !r) return At(p, r);
  }
  return {};
}

// The listing rows. `rowids`: on a first import, the k-th gets rowid k + 1,
// as its full-text row (FullTextAside).
Status WriteListings(Loader::Statements& st, const Taxonomy& taxonomy,
                     const std::vector<uint32_t>& by_listing, bool rowids) {
  for (size_t k = 0; k < by_listing.size(); ++k) {
    const Pending& p = st.pending[by_listing[k]];
    const ListingRecord& rec = p.group->listing();
    std::string terms = TermsString(rec, taxonomy);
    auto& s = st[kListing];
    s.BindBorrowed(1, p.ids.service_at_location).BindBorrowed(2, p.ids.service);
    s.BindBorrowed(3, rec.kind).BindBorrowed(4, rec.status).BindBorrowed(5, rec.name);
    s.BindBorrowed(6, rec.organization).BindOptionalBorrowed(7, rec.address.city);
    s.BindOptionalBorrowed(8, rec.address.state).BindOptionalBorrowed(9, rec.address.postal_code);
    s.BindOptional(10, rec.latitude).BindOptional(11, rec.longitude);
    s.BindBorrowed(12, terms).BindOptional(13, ScheduleString(rec)).BindBorrowed(14, p.doc);
    if (rowids) s.Bind(15, static_cast<int64_t>(k + 1));
    if (auto r = s.Run(); !r) return At(p, r);
  }
  return {};
}

// A first import's full-text rows, in the listings' rowid order.
Result<std::unique_ptr<FullTextAside>> StartFullText(db::Database& db, const Loader::Statements& st,
                                                     const Taxonomy& taxonomy,
                                                     const std::vector<uint32_t>& by_listing) {
  return FullTextAside::Start(db, by_listing.size(), [&st, &taxonomy, &by_listing](size_t k) {
    const ListingRecord& rec = st.pending[by_listing[k]].group->listing();
    return FullTextColumns{rec.name, rec.organization, rec.description,
                           FullTextLabels(taxonomy, TermsString(rec, taxonomy)),
                           FullTextPlace(rec.address.city, rec.address.state, rec.address.postal_code)};
  });
}

// A listing a member left is retired once no provenance row points at it.
Status RetireLeft(db::Database& db, Loader::Statements& st, std::string_view now,
                  std::vector<std::string>& retired) {
  for (const Pending& p : st.pending) {
    for (const std::string& was : p.left) {
      auto sources = QueryRow(st[kSourcesOfListing], was, 1);
      if (!sources) return Fail(sources.error());
      if (*sources) continue;
      auto marked = MarkInactive(db, st, was, now);
      if (!marked) return Fail(marked.error());
      if (*marked) retired.push_back(was);
    }
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> Loader::Flush() {
  Statements& st = *st_;
  const std::string& now = options_.now;
  auto by_service = OrderBy(st.pending, [](const Pending& p) -> const std::string& {
    return p.ids.service;
  }, Entities);
  auto by_listing = OrderBy(st.pending, [](const Pending& p) -> const std::string& {
    return p.ids.service_at_location;
  }, [](const Pending&) { return true; });
  PhaseMark("decide");
  // A first import: the full text is built on another core meanwhile.
  std::unique_ptr<FullTextAside> full_text;
  if (!st.any_listing) {
    auto started = StartFullText(db_, st, taxonomy_, by_listing);
    if (!started) return Fail(started.error());
    full_text = std::move(*started);
  }
  std::vector<std::string> retired;
  // Each table in turn; the timings name them (CAREFINDER_TIMINGS, import.h).
  const std::pair<const char*, std::function<Status()>> steps[] = {
      {"organization", [&] { return WriteOrganizations(st); }},
      {"service", [&] { return WriteServices(st, by_service, now); }},
      {"location", [&] { return WriteLocations(st); }},
      {"address", [&] { return WriteAddresses(st); }},
      {"service_at_location", [&] { return WriteServiceAtLocations(st, by_listing); }},
      {"phone", [&] { return WritePhones(st); }},
      {"schedule", [&] { return WriteSchedules(st); }},
      {"attribute+language", [&] { return WriteServiceTerms(db_, st, taxonomy_, by_service); }},
      {"provenance", [&] { return WriteProvenance(st, now); }},
      {"listing", [&] { return WriteListings(st, taxonomy_, by_listing, full_text != nullptr); }},
      {"full text (copy)", [&] { return full_text ? full_text->Finish(db_) : Status{}; }},
      {"retire", [&] { return RetireLeft(db_, st, now, retired); }},
  };
  for (const auto& [name, step] : steps) {
    Status written = step();
    if (!written) return Fail(written.error());
    PhaseMark(name);
  }
  st.full_text_written = full_text != nullptr;
  st.pending.clear();
  return retired;
}

}  // namespace carefinder::importer
