// Queries over the HSDS tables: see hsds_store.h. Every table has one column
// list (SQL expression -> HSDS field name); every list and lookup is one SQL
// text built from those once, prepared once per connection, with every value
// bound: a filter that is not given is bound NULL and switches its clause off.
#include "store/hsds_store.h"

#include <algorithm>
#include <bit>
#include <span>

#include "core/text.h"
#include "core/uuid.h"
#include "store/connection.h"
#include "store/fts_query.h"
#include "store/snapshot.h"
#include "store/text_filter.h"

namespace carefinder::store {

const HsdsField* HsdsRecord::Find(std::string_view name) const {
  for (const auto& f : fields) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

std::string_view HsdsRecord::Text(std::string_view name) const {
  const HsdsField* f = Find(name);
  return f && !f->is_number ? std::string_view(f->text) : std::string_view();
}

namespace {

struct Column {
  const char* expr;  // SQL over the table's alias
  const char* name;  // HSDS field name
  bool number = false;
  // The table whose row `expr`, an integer key, names: the field is that
  // row's id (schema.sql: UUIDs are for the edges).
  const char* parent = nullptr;
  // Read only to make the row's computed id (Table::id_key), not a field.
  bool id_only = false;
};

// HSDS requires organization.description and address.address_1, which our
// sources do not always give: an organization without a description is
// described by its name; a street line we do not know is "" (the CSV export
// leaves such addresses out: an empty CSV cell would be a missing value).
constexpr Column kOrganizationColumns[] = {
    {"o.id", "id"}, {"o.name", "name"}, {"coalesce(o.description, o.name)", "description"},
    {"o.email", "email"}, {"o.website", "website"}};
constexpr Column kServiceColumns[] = {
    {"s.id", "id"}, {"s.organization", "organization_id", false, "organization"}, {"s.name", "name"},
    {"s.description", "description"}, {"s.url", "url"}, {"s.email", "email"},
    {"s.status", "status"}, {"s.assured_date", "assured_date"},
    {"(SELECT started_at FROM import_run WHERE id = s.modified_in)", "last_modified"}};
constexpr Column kServiceAtLocationColumns[] = {
    {"sal.id", "id"}, {"sal.service", "service_id", false, "service"},
    {"sal.location", "location_id", false, "location"},
    {"sal.description", "description"}};
constexpr Column kLocationColumns[] = {
    {"loc.id", "id"}, {"loc.location_type", "location_type"}, {"loc.url", "url"},
    {"loc.organization", "organization_id", false, "organization"}, {"coalesce(loc.name, (SELECT name FROM organization WHERE rowid = loc.organization))", "name"},
    {"loc.latitude", "latitude", true}, {"loc.longitude", "longitude", true}};
// Address, phone and schedule rows store no UUID (schema v7): their ids are
// computed from the parent's (Table::id_kind), which comes first.
constexpr Column kAddressColumns[] = {
    {"a.location", "location_id", false, "location"},
    {"coalesce(a.address_1, '')", "address_1"}, {"a.address_2", "address_2"},
    {"a.city", "city"}, {"a.state_province", "state_province"},
    {"a.postal_code", "postal_code"}, {"a.country", "country"},
    {"a.address_type", "address_type"}};
constexpr Column kPhoneColumns[] = {
    {"p.service", "service_id", false, "service"}, {"p.number", "number"},
    {"CAST(p.extension AS INTEGER)", "extension", true}, {"p.type", "type"},
    {"p.description", "description"}, {"p.position", "position", false, nullptr, true}};
// opens_at NULL means all day (schema.sql); HSDS has no field for that.
constexpr Column kScheduleColumns[] = {
    {"sc.service", "service_id", false, "service"}, {"sc.freq", "freq"},
    {"sc.byday", "byday"},
    {"coalesce(sc.description, CASE WHEN sc.opens_at IS NULL THEN 'Open all day' END)",
     "description"},
    {"sc.opens_at", "opens_at"}, {"sc.closes_at", "closes_at"},
    {"sc.position", "position", false, nullptr, true}};
constexpr Column kTaxonomyColumns[] = {
    {"t.id", "id"}, {"t.name", "name"}, {"t.description", "description"}, {"t.uri", "uri"},
    {"t.version", "version"}};
constexpr Column kTermColumns[] = {
    {"tt.id", "id"}, {"tt.code", "code"}, {"tt.name", "name"},
    {"tt.description", "description"}, {"tt.parent_id", "parent_id"},
    {"'en'", "language"}, {"tt.taxonomy_id", "taxonomy_id"}};
// The first column of the next two is the "source" of the computed id.
constexpr Column kAttributeColumns[] = {
    {"at.link_id", "link_id"}, {"at.taxonomy_term_id", "taxonomy_term_id"},
    {"at.link_type", "link_type"}, {"at.link_entity", "link_entity"}, {"at.value", "value"}};
constexpr Column kLanguageColumns[] = {
    {"lg.service_id", "service_id"}, {"lg.name", "name"}, {"lg.code", "code"}};
constexpr Column kCostOptionColumns[] = {
    {"co.id", "id"}, {"co.service", "service_id", false, "service"}, {"co.option", "option"},
    {"co.amount_description", "amount_description"}};

struct Table {
  std::span<const Column> columns;
  const char* from;             // FROM clause with the alias the columns use
  const char* order;            // ORDER BY after the key
  const char* id_kind = nullptr;  // computed id: StableId(id_kind, columns[0], id_key)
  const char* id_key = nullptr;   // a column's name; none: ""
};

const Table kOrganization{kOrganizationColumns, "organization o", "o.name, o.id"};
const Table kService{kServiceColumns, "service s", "s.name, s.id"};
const Table kServiceAtLocation{
    kServiceAtLocationColumns,
    "service_at_location sal JOIN service s ON s.rowid = sal.service", "s.name, sal.id"};
const Table kLocation{kLocationColumns, "location loc", "loc.id"};
const Table kAddress{kAddressColumns, "address a", "a.location", "address"};
const Table kPhone{kPhoneColumns, "phone p", "p.position", "phone", "position"};
const Table kSchedule{kScheduleColumns, "schedule sc", "sc.position", "schedule", "position"};
const Table kTaxonomy{kTaxonomyColumns, "taxonomy t", "t.name, t.id"};
const Table kTerm{kTermColumns, "taxonomy_term tt", "tt.term_group, tt.position, tt.id"};
const Table kAttribute{kAttributeColumns,
                       "attribute at JOIN taxonomy_term tt ON tt.id = at.taxonomy_term_id",
                       "tt.term_group, tt.position", "attribute", "taxonomy_term_id"};
const Table kLanguage{kLanguageColumns, "language lg", "lg.code", "language", "code"};
const Table kCostOption{kCostOptionColumns, "cost_option co", "co.id"};

// A column's value: a parent's id where it holds the parent's key.
std::string ValueExpr(const Column& c) {
  if (!c.parent) return c.expr;
  return std::string("(SELECT id FROM ") + c.parent + " WHERE rowid = " + c.expr + ")";
}

std::string SelectList(const Table& t) {
  std::string out;
  for (const auto& c : t.columns) out += (out.empty() ? "" : ", ") + ValueExpr(c);
  return out;
}

// Parameters every list statement is bound with (unused ones stay NULL).
enum Param {
  kSearch = 1, kTermId, kTaxonomyId, kOrganizationId, kModifiedAfter, kLat, kLon, kRadius,
  kPostalCode, kLike, kParentId, kTopOnly, kLimit, kOffset
};

// Services matching the service filters; `s` is the service (its terms are
// service.terms, read with json_each as the view `attribute` does). The
// term filter's keys are found once, not joined per term of each service:
// at 1e6, 1.10 -> 0.82 s of CPU for the count.
constexpr const char* kServiceWhere =
    "(?1 IS NULL OR s.rowid IN (SELECT sal1.service FROM service_at_location sal1 WHERE "
    "sal1.rowid IN temp.search_listing)) "
    "AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(s.terms) a2 WHERE a2.value IN (SELECT "
    "t2.rowid FROM taxonomy_term t2 WHERE t2.id IN (WITH RECURSIVE sub(id) AS (SELECT ?2 UNION "
    "SELECT c.id FROM taxonomy_term c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)))) "
    "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM json_each(s.terms) a3 JOIN taxonomy_term t3 ON "
    "t3.rowid = a3.value WHERE t3.taxonomy_id = ?3)) "
    "AND (?4 IS NULL OR s.organization = (SELECT rowid FROM organization WHERE id = ?4)) "
    "AND (?5 IS NULL OR s.modified_in IN (SELECT id FROM import_run WHERE started_at >= ?5))";

// Great-circle metres from (?6, ?7) to the location (geo.h's earth radius).
constexpr const char* kDistance =
    "(6371008.77 * 2 * asin(min(1, sqrt(pow(sin(radians(loc.latitude - ?6) / 2), 2) + "
    "cos(radians(?6)) * cos(radians(loc.latitude)) * pow(sin(radians(loc.longitude - ?7) / 2), "
    "2)))))";

struct ListSql {
  std::string count, page;
};

// The alias of the first table of a FROM clause ("service s JOIN ..." -> "s").
std::string FirstAlias(const std::string& from) {
  size_t start = from.find(' ') + 1;
  return from.substr(start, from.find(' ', start) - start);
}

// A page is chosen by the rows' keys alone, then only its rows are read with
// their columns: sorting every matching row with all its columns (a parent's
// id is a lookup, schema v6) made page 1,000 of 1e6 services take 1.9 s;
// chosen by key first, 0.6 s (docs/PERFORMANCE.md "Schema v6").
ListSql MakeList(const Table& t, const std::string& from, const std::string& where,
                 const std::string& order) {
  const std::string key = FirstAlias(from) + ".rowid";
  return {"SELECT count(*) FROM " + from + " WHERE " + where,
          "SELECT " + SelectList(t) + " FROM " + from + " WHERE " + key + " IN (SELECT " + key +
              " FROM " + from + " WHERE " + where + " ORDER BY " + order +
              " LIMIT ?13 OFFSET ?14) ORDER BY " + order};
}

constexpr int kListCount = int(HsdsList::kTaxonomyTerms) + 1;
constexpr int kLookupCount = int(HsdsLookup::kTermById) + 1;

struct Queries {
  ListSql lists[kListCount];
  std::string lookups[kLookupCount];
  std::string listings;
};

const Table& LookupTable(HsdsLookup lookup) {
  switch (lookup) {
    case HsdsLookup::kOrganizationById: return kOrganization;
    case HsdsLookup::kServiceById:
    case HsdsLookup::kServiceByOrganization: return kService;
    case HsdsLookup::kServiceAtLocationById:
    case HsdsLookup::kServiceAtLocationByService: return kServiceAtLocation;
    case HsdsLookup::kLocationById:
    case HsdsLookup::kLocationByOrganization: return kLocation;
    case HsdsLookup::kAddressByLocation: return kAddress;
    case HsdsLookup::kPhoneByService: return kPhone;
    case HsdsLookup::kScheduleByService: return kSchedule;
    case HsdsLookup::kAttributeByService: return kAttribute;
    case HsdsLookup::kLanguageByService: return kLanguage;
    case HsdsLookup::kCostOptionByService: return kCostOption;
    case HsdsLookup::kTaxonomyById: return kTaxonomy;
    case HsdsLookup::kTermById: return kTerm;
  }
  return kService;
}

// The lookup's key field in its table.
const Column* KeyColumn(HsdsLookup lookup) {
  const Table& t = LookupTable(lookup);
  std::string_view field = LookupKeyField(lookup);
  for (const auto& c : t.columns) {
    if (field == c.name) return &c;
  }
  return nullptr;
}

// A lookup: the rows whose key field is one of the ids in the JSON array
// ?1, grouped by key. A parent's id is matched through its key, so the
// lookup uses the index on that key.
std::string LookupSql(HsdsLookup lookup) {
  const Table& t = LookupTable(lookup);
  const Column* key = KeyColumn(lookup);  // every lookup's key is one of its table's columns
  std::string ids = "(SELECT value FROM json_each(?1))";
  if (key->parent) ids = std::string("(SELECT rowid FROM ") + key->parent + " WHERE id IN " + ids + ")";
  return "SELECT " + SelectList(t) + " FROM " + t.from + " WHERE " + key->expr + " IN " + ids +
         " ORDER BY " + ValueExpr(*key) + ", " + t.order;
}

Queries BuildQueries() {
  Queries q;
  const std::string sal_from =
      "service_at_location sal JOIN service s ON s.rowid = sal.service "
      "JOIN location loc ON loc.rowid = sal.location";
  q.lists[int(HsdsList::kServices)] = MakeList(kService, "service s", kServiceWhere, "s.name, s.id");
  q.lists[int(HsdsList::kServiceAtLocations)] = MakeList(
      kServiceAtLocation, sal_from,
      std::string(kServiceWhere) +
          " AND (?9 IS NULL OR EXISTS (SELECT 1 FROM address a9 WHERE a9.location = loc.rowid "
          "AND a9.postal_code = ?9)) AND (?8 IS NULL OR " + kDistance + " <= ?8)",
      std::string("CASE WHEN ?6 IS NULL THEN 0 ELSE coalesce(") + kDistance +
          ", 1e99) END, s.name, sal.id");
  q.lists[int(HsdsList::kOrganizations)] = MakeList(
      kOrganization, "organization o",
      std::string("((?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL) OR o.rowid IN (SELECT "
                  "s.organization FROM service s WHERE ") + kServiceWhere + "))",
      "o.name, o.id");
  q.lists[int(HsdsList::kTaxonomies)] = MakeList(
      kTaxonomy, "taxonomy t",
      "(?10 IS NULL OR t.name LIKE ?10 ESCAPE '\\' OR t.description LIKE ?10 ESCAPE '\\')",
      "t.name, t.id");
  q.lists[int(HsdsList::kTaxonomyTerms)] = MakeList(
      kTerm, "taxonomy_term tt",
      "(?10 IS NULL OR tt.name LIKE ?10 ESCAPE '\\' OR tt.description LIKE ?10 ESCAPE '\\' OR "
      "tt.code LIKE ?10 ESCAPE '\\') AND (?3 IS NULL OR tt.taxonomy_id = ?3) AND "
      "(?11 IS NULL OR tt.parent_id = ?11) AND (?12 = 0 OR tt.parent_id IS NULL)",
      "tt.taxonomy_id, tt.term_group, tt.position, tt.id");
  for (int i = 0; i < kLookupCount; ++i) q.lookups[i] = LookupSql(static_cast<HsdsLookup>(i));
  q.listings =
      "SELECT sal.id, s.id, listing_doc(l.doc), p.source_key, coalesce(loc.name, ''), coalesce(r.started_at, ''), "
      "src.name, coalesce(src.url, ''), coalesce(src.attribution, '') FROM listing l "
      "JOIN service_at_location sal ON sal.rowid = l.rowid JOIN service s ON s.rowid = sal.service "
      "LEFT JOIN import_run r ON r.id = s.modified_in JOIN location loc ON loc.rowid = sal.location "
      "JOIN provenance p ON p.listing = l.rowid JOIN source src ON src.rowid = p.source "
      "WHERE (?1 = 0 OR l.kind = 'meeting') "
      "ORDER BY l.name, sal.id, p.first_import, src.name";
  return q;
}

const Queries& Sql() {
  static const Queries queries = BuildQueries();
  return queries;
}

const Table& ListTable(HsdsList list) {
  switch (list) {
    case HsdsList::kServices: return kService;
    case HsdsList::kServiceAtLocations: return kServiceAtLocation;
    case HsdsList::kOrganizations: return kOrganization;
    case HsdsList::kTaxonomies: return kTaxonomy;
    case HsdsList::kTaxonomyTerms: return kTerm;
  }
  return kService;
}

HsdsRecord ReadRecord(const db::Statement& st, const Table& t) {
  HsdsRecord r;
  r.fields.reserve(t.columns.size() + 1);
  std::string id_key;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    int col = static_cast<int>(i);
    if (st.ColumnIsNull(col)) continue;
    const Column& c = t.columns[i];
    if (t.id_key && std::string_view(c.name) == t.id_key) id_key = st.ColumnString(col);
    if (c.id_only) continue;
    if (c.number) r.fields.push_back({c.name, {}, st.ColumnDouble(col), true});
    else r.fields.push_back({c.name, st.ColumnString(col), 0, false});
  }
  if (t.id_kind) {
    std::string id = StableId(t.id_kind, r.Text(t.columns[0].name), id_key);
    r.fields.insert(r.fields.begin(), HsdsField{"id", std::move(id), 0, false});
  }
  return r;
}

Status ReadAll(db::Statement& st, const Table& t, std::vector<HsdsRecord>& out) {
  while (true) {
    auto row = st.Step();
    if (!row) return Fail(row.error());
    if (!*row) return {};
    out.push_back(ReadRecord(st, t));
  }
}

// "%text%" for LIKE, with the LIKE wildcards and the escape character escaped.
std::string LikePattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "%";
}

bool UsesWords(HsdsList list) { return list != HsdsList::kTaxonomies && list != HsdsList::kTaxonomyTerms; }

// The listings `search`'s words match, as the search matches them, into
// temp.search_listing (this connection's own), which kServiceWhere reads:
// false when it has no words.
constexpr const char* kSearchTableSql =
    "CREATE TEMP TABLE IF NOT EXISTS search_listing (rowid INTEGER PRIMARY KEY)";
constexpr const char* kSearchClearSql = "DELETE FROM temp.search_listing";
constexpr const char* kSearchAddSql = "INSERT INTO temp.search_listing (rowid) VALUES (?1)";

Result<bool> FillSearchListings(Connection& c, HsdsList list, const HsdsFilter& f) {
  std::vector<std::string> words = UsesWords(list) ? SplitWords(text::Trim(f.search)) : std::vector<std::string>{};
  // The table exists before any list statement is prepared (they name it);
  // without words ?1 is NULL and its rows are never read, so it is left as is.
  auto create = c.Get(kSearchTableSql);
  if (!create) return Fail(create.error());
  if (auto s = (*create)->Run(); !s) return Fail(s.error());
  if (words.empty()) return false;
  auto clear = c.Get(kSearchClearSql);
  if (!clear) return Fail(clear.error());
  if (auto s = (*clear)->Run(); !s) return Fail(s.error());
  if (f.snapshot == nullptr) return Fail(Error::Internal("ListHsds: a search with words needs the snapshot"));
  const Snapshot& snap = *f.snapshot;
  auto every = MatchEveryWord(c, snap.index, snap.word_sets, *snap.labels, words);
  if (!every) return Fail(every.error());
  std::vector<int64_t> rowids;
  for (size_t w = 0; w < every->size(); ++w) {
    for (uint64_t m = (*every)[w]; m != 0; m &= m - 1)
      rowids.push_back(snap.index.rowid(static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(m)))));
  }
  std::sort(rowids.begin(), rowids.end());  // appended in key order
  auto add = c.Get(kSearchAddSql);
  if (!add) return Fail(add.error());
  for (int64_t rowid : rowids) {
    (*add)->Reset();
    (*add)->Bind(1, rowid);
    if (auto s = (*add)->Run(); !s) return Fail(s.error());
  }
  return true;
}

void BindFilter(db::Statement& st, HsdsList list, const HsdsFilter& f, bool words) {
  std::string search(text::Trim(f.search));
  if (words) st.Bind(kSearch, int64_t{1});
  else if (!UsesWords(list) && !search.empty()) st.Bind(kLike, LikePattern(search));
  st.BindOptional(kTermId, f.taxonomy_term_id).BindOptional(kTaxonomyId, f.taxonomy_id);
  if (list == HsdsList::kServices || list == HsdsList::kServiceAtLocations) {
    st.BindOptional(kOrganizationId, f.organization_id);
    st.BindOptional(kModifiedAfter, f.modified_after);
  }
  if (list == HsdsList::kServiceAtLocations) {
    if (f.center) st.Bind(kLat, f.center->lat).Bind(kLon, f.center->lon);
    if (f.center && f.radius_metres) st.Bind(kRadius, *f.radius_metres);
    st.BindOptional(kPostalCode, f.postal_code);
  }
  if (list == HsdsList::kTaxonomyTerms) {
    st.BindOptional(kParentId, f.parent_id).Bind(kTopOnly, f.top_only ? 1 : 0);
  }
}

}  // namespace

const char* LookupKeyField(HsdsLookup lookup) {
  switch (lookup) {
    case HsdsLookup::kServiceByOrganization:
    case HsdsLookup::kLocationByOrganization: return "organization_id";
    case HsdsLookup::kServiceAtLocationByService:
    case HsdsLookup::kPhoneByService:
    case HsdsLookup::kScheduleByService:
    case HsdsLookup::kLanguageByService:
    case HsdsLookup::kCostOptionByService: return "service_id";
    case HsdsLookup::kAttributeByService: return "link_id";
    case HsdsLookup::kAddressByLocation: return "location_id";
    default: return "id";
  }
}

Result<HsdsPage> ListHsds(Connection& c, HsdsList list, const HsdsFilter& filter,
                          const HsdsPageRequest& page) {
  const ListSql& sql = Sql().lists[int(list)];
  HsdsPage out;
  auto words = FillSearchListings(c, list, filter);  // before the statements that read its table
  if (!words) return Fail(words.error());
  auto count = c.Get(sql.count.c_str());
  if (!count) return Fail(count.error());
  BindFilter(**count, list, filter, *words);
  auto counted = (*count)->Step();
  if (!counted) return Fail(counted.error());
  out.total_items = (*count)->ColumnInt(0);
  (*count)->Reset();

  auto rows = c.Get(sql.page.c_str());
  if (!rows) return Fail(rows.error());
  BindFilter(**rows, list, filter, *words);
  (*rows)->Bind(kLimit, page.all ? int64_t{-1} : page.per_page);
  (*rows)->Bind(kOffset, page.all ? int64_t{0} : (page.page - 1) * page.per_page);
  if (auto s = ReadAll(**rows, ListTable(list), out.rows); !s) return Fail(s.error());
  return out;
}

Result<std::vector<HsdsRecord>> LookupHsds(Connection& c, HsdsLookup lookup,
                                           const std::vector<std::string>& keys) {
  std::vector<HsdsRecord> out;
  if (keys.empty()) return out;
  std::string array = "[";
  for (const auto& k : keys) {
    if (array.size() > 1) array += ',';
    text::AppendJsonString(array, k);
  }
  array += ']';
  auto st = c.Get(Sql().lookups[int(lookup)].c_str());
  if (!st) return Fail(st.error());
  (*st)->Bind(1, array);
  if (auto s = ReadAll(**st, LookupTable(lookup), out); !s) return Fail(s.error());
  return out;
}

Result<std::vector<ListingRow>> ListListingRows(Connection& c, bool meetings_only) {
  auto st = c.Get(Sql().listings.c_str());
  if (!st) return Fail(st.error());
  (*st)->Bind(1, meetings_only ? 1 : 0);
  std::vector<ListingRow> out;
  while (true) {
    auto row = (*st)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return out;
    const db::Statement& s = **st;
    ListingRow l{s.ColumnString(0), s.ColumnString(1), "", s.ColumnString(3), s.ColumnString(4),
                 s.ColumnString(5), s.ColumnString(6), s.ColumnString(7), s.ColumnString(8)};
    // A merged listing has several sources: keep the one its id was made from.
    bool same_listing = !out.empty() && out.back().id == l.id;
    bool made_it = StableId("service_at_location", l.source_name, l.source_key) == l.id;
    if (same_listing && !made_it) continue;
    l.doc = s.ColumnString(2);
    if (same_listing) out.back() = std::move(l);
    else out.push_back(std::move(l));
  }
}

Result<std::vector<SourceRow>> ListSources(Connection& c) {
  static constexpr const char* kSourcesSql =
      "SELECT name, coalesce(url, ''), coalesce(license, ''), coalesce(attribution, '') "
      "FROM source ORDER BY name";
  auto st = c.Get(kSourcesSql);
  if (!st) return Fail(st.error());
  std::vector<SourceRow> out;
  while (true) {
    auto row = (*st)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return out;
    const db::Statement& s = **st;
    out.push_back({s.ColumnString(0), s.ColumnString(1), s.ColumnString(2), s.ColumnString(3)});
  }
}

}  // namespace carefinder::store
