// The only writer of the listing tables: see load.h. Statements are prepared
// once and reused (1e6 rows in one transaction); an unchanged listing touches
// only its provenance and listing rows, and the rarer paths (a listing folded
// into another, --prune) run their own statements only when they happen.
#include "importer/load.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <unordered_set>
#include <vector>

#include "core/place_name.h"
#include "core/text.h"
#include "importer/listing_doc.h"
#include "importer/load_statements.h"
#include "importer/normalise.h"

namespace carefinder::importer {

namespace {

const char* PhoneType(std::string_view role) {
  if (role == "fax") return "fax";
  if (role == "tty") return "textphone";
  if (role == "sms") return "text";
  return "voice";
}

}  // namespace

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
  for (const Term& t : taxonomy.terms()) loader->st_->term_ids.emplace(t.code, TermId(t.code));
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

Status WriteContacts(Loader::Statements& st, const ListingGroup& group, const RecordIds& ids,
                     const Taxonomy& taxonomy) {
  const ListingRecord& rec = group.listing();
  for (size_t i = 0; i < rec.phones.size(); ++i) {
    const Phone& p = rec.phones[i];
    auto& s = st[kPhone];
    s.Bind(1, st.id("phone", rec.source, rec.source_key + "#" + std::to_string(i)));
    s.Bind(2, ids.service).Bind(3, p.display).BindOptional(4, p.e164).BindOptional(5, p.extension);
    s.Bind(6, PhoneType(p.role)).Bind(7, p.role).Bind(8, static_cast<int64_t>(i));
    if (auto r = s.Run(); !r) return r;
  }
  // One row per run of days with the same times (HSDS byday is a list): 24/7
  // is one row, not seven.
  for (size_t i = 0, n = 0; i < rec.hours.size(); ++n) {
    const WeeklyTime& w = rec.hours[i];
    std::string byday = w.day;
    while (++i < rec.hours.size() && rec.hours[i].opens == w.opens && rec.hours[i].closes == w.closes)
      byday += "," + rec.hours[i].day;
    auto& s = st[kSchedule];
    s.Bind(1, st.id("schedule", rec.source, rec.source_key + "#" + std::to_string(n)));
    s.Bind(2, ids.service).Bind(3, byday).BindOptional(4, w.opens).BindOptional(5, w.closes);
    if (auto r = s.Run(); !r) return r;
  }
  for (const auto& code : rec.terms) {
    const Term* t = taxonomy.Find(code);
    auto& s = st[kAttribute];
    s.Bind(1, ids.service).Bind(2, st.term_ids.at(code)).Bind(3, t->group);
    if (auto r = s.Run(); !r) return r;
    if (t->group != "language") continue;
    auto& lang = st[kLanguage];
    lang.Bind(1, ids.service).Bind(2, code).Bind(3, t->label);
    if (auto r = lang.Run(); !r) return r;
  }
  // Each member's unmapped codes stay attributed to its own source.
  for (const ListingRecord* member : group.members) {
    const std::string& source_id = st.source_ids.at(member->source);
    for (const auto& value : member->source_attributes) {
      auto& s = st[kSourceAttribute];
      if (auto r = s.Bind(1, ids.service).Bind(2, source_id).Bind(3, value).Run(); !r) return r;
    }
  }
  return {};
}

Status WriteEntities(Loader::Statements& st, const ListingRecord& rec, const RecordIds& ids,
                     std::string_view now) {
  if (auto r = st[kOrganization].Bind(1, ids.organization).Bind(2, rec.organization).Run(); !r)
    return r;
  auto& svc = st[kService];
  svc.Bind(1, ids.service).Bind(2, ids.organization).Bind(3, rec.name);
  svc.BindOptional(4, rec.description).BindOptional(5, rec.website).BindOptional(6, rec.email);
  svc.Bind(7, rec.status).Bind(8, rec.kind).BindOptional(9, rec.hours_text).Bind(10, now);
  if (auto r = svc.BindOptional(11, rec.last_verified).Run(); !r) return r;
  // An online-only meeting happens at its conference URL, not at an address.
  bool virtual_only = IsOnlineOnly(rec) || (!rec.latitude && rec.address.postal_code.empty());
  auto& loc = st[kLocation];
  loc.Bind(1, ids.location).Bind(2, ids.organization);
  loc.Bind(3, virtual_only ? "virtual" : "physical");
  loc.Bind(4, rec.location_name.empty() ? rec.organization : rec.location_name);
  loc.BindOptional(5, rec.conference_url).BindOptional(6, rec.latitude);
  loc.BindOptional(7, rec.longitude);
  if (rec.latitude) loc.Bind(8, GeoPrecisionName(rec.precision));
  if (auto r = loc.Run(); !r) return r;
  if (!virtual_only && !rec.address.postal_code.empty()) {
    auto& a = st[kAddress];
    a.Bind(1, ids.address).Bind(2, ids.location).BindOptional(3, rec.address.line1);
    a.BindOptional(4, rec.address.line2).Bind(5, rec.address.city).Bind(6, rec.address.state);
    if (auto r = a.Bind(7, rec.address.postal_code).Run(); !r) return r;
  }
  auto& sal = st[kServiceAtLocation];
  return sal.Bind(1, ids.service_at_location).Bind(2, ids.service).Bind(3, ids.location).Run();
}

Status WriteListing(Loader::Statements& st, const ListingRecord& rec, const RecordIds& ids,
                    std::string doc, const Taxonomy& taxonomy) {
  auto& s = st[kListing];
  s.Bind(1, ids.service_at_location).Bind(2, ids.service).Bind(3, rec.kind).Bind(4, rec.status);
  s.Bind(5, rec.name).Bind(6, rec.organization).BindOptional(7, rec.address.city);
  s.BindOptional(8, rec.address.state).BindOptional(9, rec.address.postal_code);
  s.BindOptional(10, rec.latitude).BindOptional(11, rec.longitude);
  s.Bind(12, TermsString(rec, taxonomy)).BindOptional(13, ScheduleString(rec));
  return s.Bind(14, doc).Run();
}

Status WriteProvenance(Loader::Statements& st, const ListingRecord& m, const std::string& listing,
                       const std::string& hash, std::string_view now) {
  auto& prov = st[kProvenance];
  prov.Bind(1, listing).Bind(2, st.source_ids.at(m.source)).Bind(3, m.source_key);
  prov.BindOptional(4, m.source_url).Bind(5, m.as_of).BindOptional(6, m.last_verified);
  prov.Bind(7, now).Bind(8, hash).Bind(9, m.file).Bind(10, m.line);
  return prov.Run();
}

// A listing a member left is retired once no provenance row points at it.
Status RetireLeft(db::Database& db, Loader::Statements& st, const std::vector<std::string>& left,
                  std::string_view now, std::vector<std::string>& retired) {
  for (const std::string& was : left) {
    auto sources = QueryRow(st[kSourcesOfListing], was, 1);
    if (!sources) return Fail(sources.error());
    if (*sources) continue;
    auto marked = MarkInactive(db, st, was, now);
    if (!marked) return Fail(marked.error());
    if (*marked) retired.push_back(was);
  }
  return {};
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

Result<Identity> Identify(Loader::Statements& st, const ListingGroup& group) {
  const ListingRecord& rec = group.listing();
  const ListingRecord* creator = nullptr;
  for (const ListingRecord* m : group.members) {
    if (const Stored* s = StoredOf(st, m); s && s->own) {
      creator = m;
      break;
    }
  }
  Identity out{RecordIds::For(creator ? *creator : rec, st.id), creator != nullptr};
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

Result<Loaded> Loader::Load(const ListingGroup& group) {
  Statements& st = *st_;
  const ListingRecord& rec = group.listing();
  auto identity = Identify(st, group);
  if (!identity) return Fail(identity.error());
  const RecordIds& ids = identity->ids;
  // The normalised record is its doc without imported_at: the hash ignores when.
  std::string doc = RenderListingDoc(rec, ids, taxonomy_, "");
  std::string hash = ContentHash(doc);
  doc = Stamped(std::move(doc), options_.now);

  Loaded out;
  out.id = ids.service_at_location;
  bool same_members = identity->existing, same_hash = identity->existing;
  std::vector<std::string> left;  // listings members pointed at before, other than this one
  for (const ListingRecord* m : group.members) {
    const Stored* s = StoredOf(st, m);
    if (!s) {
      same_members = false;
      continue;
    }
    std::string was = s->own ? st.id("service_at_location", m->source, m->source_key) : s->listing;
    if (was != ids.service_at_location) same_members = false, left.push_back(std::move(was));
    if (s->hash != hash) same_hash = false;
  }
  if (options_.track_loaded) st.loaded.insert(ids.service_at_location);
  if (same_members && same_hash) {
    out.kind = Loaded::Kind::kUnchanged;
    ++counts_.unchanged;
    for (const ListingRecord* m : group.members) {
      auto& touch = st[kTouchProvenance];
      touch.Bind(1, st.source_ids.at(m->source)).Bind(2, m->source_key).Bind(3, options_.now);
      if (auto r = touch.Bind(4, m->file).Bind(5, m->line).Run(); !r) return Fail(r.error());
    }
    if (auto r = WriteListing(st, rec, ids, std::move(doc), taxonomy_); !r) return Fail(r.error());
    return out;
  }
  if (identity->existing) {
    out.kind = Loaded::Kind::kChanged;
    ++counts_.changed;
    auto old = QueryRow(st[kOldDoc], ids.service_at_location, 1);
    if (!old) return Fail(old.error());
    if (!same_hash) out.changed_fields = ChangedFields(*old ? (**old)[0] : "{}", doc);
    if (!same_members) out.changed_fields.push_back("sources");
    for (size_t i = kDeleteChildren; i < kDeleteChildren + 5; ++i) {
      if (auto r = st[i].Bind(1, ids.service).Run(); !r) return Fail(r.error());
    }
    if (auto r = st[kDeleteAddress].Bind(1, ids.location).Run(); !r) return Fail(r.error());
  } else {
    ++counts_.added;
  }
  if (auto r = WriteEntities(st, rec, ids, options_.now); !r) return Fail(r.error());
  if (auto r = WriteContacts(st, group, ids, taxonomy_); !r) return Fail(r.error());
  for (const ListingRecord* m : group.members) {
    if (auto r = WriteProvenance(st, *m, ids.service_at_location, hash, options_.now); !r)
      return Fail(r.error());
  }
  if (auto r = WriteListing(st, rec, ids, std::move(doc), taxonomy_); !r) return Fail(r.error());
  if (auto r = RetireLeft(db_, st, left, options_.now, out.retired); !r) return Fail(r.error());
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
