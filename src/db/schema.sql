-- Carefinder database schema (embedded at build; PRAGMA user_version = 9).
--
-- Owns: the HSDS 3.0-shaped listing tables, provenance, import history, the
-- gazetteer, and the derived search tables.
--
-- Invariants:
--  * Every entity id is a lower-case UUID: UUIDv5 of (kind, source name,
--    source key) (src/core/uuid.h), so a re-import keeps every id.
--  * Absent values are NULL, never '' or 'NA'.
--  * A listing (the unit of search) is one service_at_location row. The
--    tables `listing` and `listing_fts` are DERIVED from the HSDS tables by
--    the importer (importer/load.cc) in the same transaction as the load;
--    nothing else writes them. listing.rowid is listing_fts.rowid.
--  * listing.terms holds the listing's taxonomy terms including every
--    ancestor, packed as their keys (taxonomy_term.rowid; src/db/term_pack.h);
--    listing_terms(terms) reads them as ' detox detox-residential medicaid '.
--  * Nothing is "verified" unless provenance.assured_date is set, and only a
--    person's check sets it (the curated `last_verified` column).
--  * Coordinates are WGS84 degrees; geo_precision says how they were found.
--  * The server opens the file read-only; only the importer writes.
--  * `attribute` and `language` rows (views of service.terms) have no id
--    column: they are a service's terms, twelve a listing, stored in the
--    service row (schema v7). Their HSDS id, when one is exported, is
--    StableId('attribute' | 'language', link_id/service_id, term id/code).
--  * UUIDs are for the edges (the API, exports, re-imports): each entity
--    stores its own id once (with the index that finds it), and inside the
--    file every row names another by its integer key (schema v6), e.g.
--    service.organization = organization.rowid. The readers join to get a
--    parent's UUID (src/store/hsds_store.cc). service.terms holds term
--    keys and the view `attribute` gives them their HSDS shape.
--    Every integer key is an INTEGER PRIMARY KEY, so VACUUM keeps it.
--  * A listing's key is its service_at_location's: listing.rowid =
--    service_at_location.rowid = listing_fts.rowid; its id is that
--    service_at_location row's id (listing has no id column).
--  * address rows are keyed by their location, phone and schedule rows by
--    (service, position): none stores a UUID; the readers make their HSDS
--    ids from the parent's (schema v7). No row is found by its own id alone.
--  * listing.doc, the API's document, is stored packed (schema v5,
--    src/db/doc_pack.h): a zstd frame made with a dictionary trained on the
--    file's own documents (doc_dictionary), 169-237 B on average instead of
--    1.3-1.7 KB. SQL reads it as listing_doc(doc) and writes it with
--    listing_doc_pack(text), functions every Carefinder connection has.
--  * An entity's UUID is unique by a named index, `<table>_id` (schema v8),
--    not by a UNIQUE column: a first import drops it, writes the rows in
--    the order of its input and builds it once at the end (load_flush.cc).
--  * A secondary index exists only for a query that needs it: the store's
--    provenance lookup by listing. A child's rows are found by the first
--    column of its key (address by location, phone and schedule by
--    service). The store reads `listing` whole, or one row by its key, so it
--    needs no other index.

-- page_size must come first: the first write (even user_version) fixes it.
-- 16 KB pages hold ten ~1.5 KB listing rows where 4 KB pages held two.
PRAGMA page_size = 16384;
PRAGMA user_version = 9;
PRAGMA journal_mode = WAL;

CREATE TABLE source (
  rowid       INTEGER PRIMARY KEY,    -- source_code.source: kept by every upsert
  id          TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL UNIQUE,   -- e.g. 'samhsa-findtreatment-2025'
  url         TEXT,
  license     TEXT,
  attribution TEXT
);

CREATE TABLE import_run (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,          -- ISO 8601 UTC
  finished_at TEXT NOT NULL,
  files       TEXT NOT NULL,          -- JSON array of paths
  added       INTEGER NOT NULL,
  changed     INTEGER NOT NULL,
  unchanged   INTEGER NOT NULL,
  inactivated INTEGER NOT NULL,
  rejected    INTEGER NOT NULL,
  report      TEXT NOT NULL           -- the whole report, JSON
);

-- ---- HSDS 3.0 core ---------------------------------------------------------

CREATE TABLE organization (
  rowid       INTEGER PRIMARY KEY,    -- service.organization, location.organization
  id          TEXT NOT NULL,
  name        TEXT NOT NULL,
  description TEXT,
  website     TEXT,
  email       TEXT
);
CREATE UNIQUE INDEX organization_id ON organization(id);

CREATE TABLE service (
  rowid           INTEGER PRIMARY KEY,    -- phone.service, source_code.service: kept by every upsert
  id              TEXT NOT NULL,
  organization    INTEGER NOT NULL REFERENCES organization(rowid),
  name            TEXT NOT NULL,
  description     TEXT,
  url             TEXT,
  email           TEXT,
  status          TEXT NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active','inactive','defunct','temporarily closed')),
  kind            TEXT NOT NULL DEFAULT 'treatment' CHECK (kind IN ('treatment','meeting')),
  hours_text      TEXT,               -- opening hours as the source wrote them
  -- The import that last changed our copy (import_run.id): its started_at
  -- is the HSDS last_modified, a key and not the 20-character time (v7).
  modified_in     INTEGER NOT NULL REFERENCES import_run(id),
  assured_date    TEXT,               -- last verified by a person (YYYY-MM-DD)
  -- Its taxonomy terms (HSDS attributes, link_entity 'service'): a JSON
  -- array of taxonomy_term.rowid keys in key order, '[3,17,45]'; NULL when
  -- it has none. The views `attribute` and `language` give them their HSDS
  -- shape with json_each (schema v7: ~30 B, where a row each took ~136 B).
  terms           TEXT CHECK (terms IS NULL OR json_type(terms) = 'array')
);
CREATE UNIQUE INDEX service_id ON service(id);

CREATE TABLE location (
  rowid           INTEGER PRIMARY KEY,    -- address.location, service_at_location.location
  id              TEXT NOT NULL,
  organization    INTEGER REFERENCES organization(rowid),
  location_type   TEXT NOT NULL CHECK (location_type IN ('physical','postal','virtual')),
  name            TEXT,               -- NULL: the organization's name (v7: not stored twice)
  url             TEXT,               -- conference URL for virtual locations
  latitude        REAL CHECK (latitude BETWEEN -90 AND 90),
  longitude       REAL CHECK (longitude BETWEEN -180 AND 180),
  geo_precision   TEXT CHECK (geo_precision IN ('exact','postal_code_centroid','city_centroid')),
  CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE UNIQUE INDEX location_id ON location(id);

-- A location's street address (one at most). It stores no UUID: its HSDS
-- id is StableId('address', location id, '') (schema v7), made by the
-- readers (src/store/hsds_store.cc).
CREATE TABLE address (
  location       INTEGER PRIMARY KEY REFERENCES location(rowid) ON DELETE CASCADE,
  address_1      TEXT,                   -- NULL when the source publishes no street address
  address_2      TEXT,
  city           TEXT NOT NULL,
  state_province TEXT NOT NULL,
  postal_code    TEXT NOT NULL,
  country        TEXT NOT NULL DEFAULT 'US',
  address_type   TEXT NOT NULL DEFAULT 'physical' CHECK (address_type IN ('physical','postal','virtual'))
);

CREATE TABLE service_at_location (
  rowid       INTEGER PRIMARY KEY,    -- listing.rowid, provenance.listing
  id          TEXT NOT NULL,
  service     INTEGER NOT NULL REFERENCES service(rowid) ON DELETE CASCADE,
  location    INTEGER NOT NULL REFERENCES location(rowid) ON DELETE CASCADE,
  description TEXT
);
CREATE UNIQUE INDEX service_at_location_id ON service_at_location(id);

-- A service's phones and schedules: keyed by (service key, position), so
-- the service's rows are together and need no second index. They store no
-- UUID: a row's HSDS id is StableId('phone' | 'schedule', service id,
-- position) (schema v7), made by the readers (src/store/hsds_store.cc).
CREATE TABLE phone (
  service     INTEGER NOT NULL REFERENCES service(rowid) ON DELETE CASCADE,
  position    INTEGER NOT NULL,       -- its place in the service's list, from 0
  number      TEXT NOT NULL,          -- display form, '(909) 488-7181'
  e164        TEXT,                   -- '+19094887181'; NULL for short codes
  extension   TEXT,
  type        TEXT,                   -- HSDS: text | voice | fax | cell | video | pager | textphone
  description TEXT,                   -- our role: main | intake | hotline | fax | tty | sms
  PRIMARY KEY (service, position)
) WITHOUT ROWID;

CREATE TABLE schedule (
  service     INTEGER NOT NULL REFERENCES service(rowid) ON DELETE CASCADE,
  position    INTEGER NOT NULL,       -- its place in the service's list, from 0
  freq        TEXT NOT NULL DEFAULT 'WEEKLY',
  byday       TEXT NOT NULL,          -- 'MO'..'SU'
  opens_at    TEXT,                   -- 'HH:MM' (24h); NULL = all day
  closes_at   TEXT,
  timezone    TEXT,                   -- IANA name when known
  description TEXT,
  PRIMARY KEY (service, position)
) WITHOUT ROWID;

CREATE TABLE taxonomy (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT NOT NULL,
  uri         TEXT,
  version     TEXT
);

CREATE TABLE taxonomy_term (
  rowid       INTEGER PRIMARY KEY,    -- service.terms, listing.terms: kept by every upsert
  id          TEXT NOT NULL UNIQUE,
  code        TEXT NOT NULL UNIQUE,   -- 'detox-residential'
  term_group  TEXT NOT NULL,          -- care | medication | substance | support | payment
                                      -- | population | language | attendance | kind
  name        TEXT NOT NULL,          -- plain-language label
  description TEXT NOT NULL,          -- one-sentence explanation
  parent_id   TEXT REFERENCES taxonomy_term(id),
  taxonomy_id TEXT NOT NULL REFERENCES taxonomy(id),
  position    INTEGER NOT NULL        -- display order within the group
);

-- A service's terms (service.terms) in their HSDS shape: link_type is the
-- term's group and value is always NULL, so neither is stored.
CREATE VIEW attribute(link_id, taxonomy_term_id, link_type, link_entity, value) AS
  SELECT s.id, tt.id, tt.term_group, 'service', NULL
  FROM service s, json_each(s.terms) st
  JOIN taxonomy_term tt ON tt.rowid = st.value;

-- Source codes or labels with no term in our taxonomy: kept, never dropped;
-- by integer keys (17 a listing in the shipped set), the view
-- `source_attribute` names the service and source by UUID.
CREATE TABLE source_code (
  service INTEGER NOT NULL REFERENCES service(rowid) ON DELETE CASCADE,
  source  INTEGER NOT NULL REFERENCES source(rowid),
  value   TEXT NOT NULL,
  PRIMARY KEY (service, source, value)
) WITHOUT ROWID;

CREATE VIEW source_attribute(service_id, source_id, value) AS
  SELECT s.id, src.id, sc.value
  FROM source_code sc
  JOIN service s ON s.rowid = sc.service
  JOIN source src ON src.rowid = sc.source;

-- A service's languages are its terms of the group 'language' (code and
-- label): a view, not a second copy of those terms (v4).
CREATE VIEW language(service_id, code, name) AS
  SELECT s.id, tt.code, tt.name
  FROM service s, json_each(s.terms) st
  JOIN taxonomy_term tt ON tt.rowid = st.value
  WHERE tt.term_group = 'language';

CREATE TABLE cost_option (
  id          TEXT PRIMARY KEY,
  service     INTEGER NOT NULL REFERENCES service(rowid) ON DELETE CASCADE,
  option      TEXT,
  amount_description TEXT
);

-- ---- provenance ------------------------------------------------------------

-- The input files records were last seen in, each path once.
CREATE TABLE import_file (
  rowid       INTEGER PRIMARY KEY,
  path        TEXT NOT NULL UNIQUE
);

-- Every source a listing came from (one listing may merge several).
CREATE TABLE provenance (
  listing       INTEGER NOT NULL REFERENCES service_at_location(rowid) ON DELETE CASCADE,
  source        INTEGER NOT NULL REFERENCES source(rowid),
  source_key    TEXT NOT NULL,        -- the source's own key
  record_url    TEXT,
  as_of         TEXT,                 -- the source's own date, YYYY-MM-DD
  assured_date  TEXT,                 -- last verified by a person, YYYY-MM-DD
  -- The imports that first and last saw it (import_run.id; its started_at
  -- is when): a key, not the 20-character time in every row (schema v6).
  first_import  INTEGER NOT NULL REFERENCES import_run(id),
  last_import   INTEGER NOT NULL REFERENCES import_run(id),
  content_hash  TEXT NOT NULL,        -- of the normalised record: change detection
  file          INTEGER REFERENCES import_file(rowid),  -- where it was last seen, and
  line          INTEGER,                              -- its line there
  PRIMARY KEY (source, source_key)
) WITHOUT ROWID;
CREATE INDEX provenance_listing ON provenance(listing);

-- ---- gazetteer (offline place resolution) ----------------------------------

CREATE TABLE zip_centroid (
  zip       TEXT PRIMARY KEY,         -- 5 digits, leading zeros kept
  latitude  REAL NOT NULL,
  longitude REAL NOT NULL
) WITHOUT ROWID;

CREATE TABLE place (
  id        INTEGER PRIMARY KEY,
  name      TEXT NOT NULL,            -- as GeoNames writes it
  name_key  TEXT NOT NULL,            -- folded: lower case, 'st.'->'saint', no punctuation
  state     TEXT NOT NULL,            -- USPS code
  county    TEXT,
  latitude  REAL NOT NULL,
  longitude REAL NOT NULL,
  population   INTEGER NOT NULL DEFAULT 0,  -- GeoNames figure; 0 when unknown. Ranks same names
  feature_code TEXT                        -- GeoNames: PPL, PPLA2 (county seat), PPLX (city section)
);
CREATE INDEX place_key ON place(name_key, state);
CREATE INDEX place_state ON place(state, name_key);

-- Names people type that the gazetteer does not hold (data/gazetteer/aliases.csv):
-- 'nyc' -> New York City, NY. The target is a (name, state) of `place`.
CREATE TABLE place_alias (
  alias_key TEXT PRIMARY KEY,         -- folded as place.name_key
  name      TEXT NOT NULL,
  state     TEXT NOT NULL
) WITHOUT ROWID;

-- ---- derived search tables (rebuilt by the importer) -----------------------

CREATE TABLE listing (
  rowid           INTEGER PRIMARY KEY,    -- service_at_location.rowid: its id is that row's
  kind            TEXT NOT NULL,
  status          TEXT NOT NULL,
  name            TEXT NOT NULL,
  organization    TEXT NOT NULL,
  city            TEXT,
  state           TEXT,
  postal_code     TEXT,
  latitude        REAL,                   -- NULL for online-only meetings
  longitude       REAL,
  terms           BLOB NOT NULL,          -- its terms incl. ancestors as term keys: read it as
                                          -- listing_terms(terms), ' code code ' (term_pack.h)
  schedule        TEXT,                   -- 'MO 19:00-20:00;TU ...' weekly times
  services_stated INTEGER NOT NULL DEFAULT 0,  -- 1: a term it lacks means "does not offer"
  doc             BLOB NOT NULL           -- the API result object (docs/API.md), packed:
                                          -- read it as listing_doc(doc) (doc_pack.h)
);

-- The dictionaries listing.doc frames are packed with, each trained by an
-- import from its documents when the file had none. Never deleted: old
-- frames name theirs.
CREATE TABLE doc_dictionary (
  seq   INTEGER PRIMARY KEY,               -- order added: the newest packs
  id    INTEGER NOT NULL UNIQUE,           -- the zstd dictionary id its frames name
  dict  BLOB NOT NULL
);

-- A listing's words. Its terms' labels are not here: a label is the same for
-- every listing with the term, so searches match the taxonomy's labels once
-- per word and take the listings with those terms from listing.terms
-- (src/store/label_words.h). `tokenize` is also kFullTextTokenizer there.
CREATE VIRTUAL TABLE listing_fts USING fts5(
  name, organization, description, place,
  content = '',
  tokenize = 'unicode61 remove_diacritics 2'
);
