#!/usr/bin/env python3
"""HSDS 3.0 compliance crawl of a real Carefinder server (owner: hsdsapi).

Walks the API the way the Open Referral UK validator does: GET /hsds/ ->
openapi_url -> every HSDS list endpoint the OpenAPI document names (first,
middle and last page) -> {id} for the ids harvested from those pages. Every
body is validated against the official HSDS 3.0 JSON Schemas (the local
copies in hsds-3.0/, every reference mapped to them: nothing is fetched),
plus the Page consistency rules of standards.md §2.4, the error answers,
the headers, the filter semantics (each filter narrows, two give the
intersection) and the Meeting Guide feed at /meetings.json.

  crawl.py --binary build/carefinder --source . [--strict]

--strict injects "additionalProperties": false into every schema object, so
a misspelt field name fails. Prints counts; exits 1 on any problem.
Needs python3 and Debian's python3-jsonschema (4.10), nothing else.
"""
import argparse
import copy
import csv
import glob
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
HSDS_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
DEFAULT_PER_PAGE = 50  # docs/API.md
PAGE_KEYS = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page",
             "empty", "contents"]
ZERO_UUID = "00000000-0000-4000-8000-000000000000"
NDJSON_VALIDATED = 2000  # lines of each ndjson stream validated (all are counted)

# HSDS list path -> (item schema, detail schema); "+sal" / "+org" are the
# compiled detail shapes built from the modular files (see PROVENANCE.md).
ENDPOINTS = {
    "/hsds/services": ("compiled/service_list.json", "service.json"),
    "/hsds/service_at_locations": ("compiled/service_at_location_list.json", "+sal"),
    "/hsds/organizations": ("compiled/organization_list.json", "+org"),
    "/hsds/taxonomies": ("taxonomy.json", "taxonomy.json"),
    "/hsds/taxonomy_terms": ("taxonomy_term.json", "taxonomy_term.json"),
}
FULL_LISTS = {"/hsds/services", "/hsds/service_at_locations", "/hsds/organizations"}


class Problems:
    def __init__(self):
        self.items = []
        self.warnings = 0

    def warn(self, ok, where, what):
        """A consumer's SHOULD that the data cannot meet: reported, not failed."""
        if not ok:
            self.warnings += 1
            print(f"warning {where}: {what}", flush=True)

    def add(self, where, what):
        self.items.append(f"{where}: {what}")
        print(f"PROBLEM {where}: {what}", flush=True)

    def check(self, ok, where, what):
        if not ok:
            self.add(where, what)
        return ok


# ---- schemas ---------------------------------------------------------------

def forbid_unknown(node):
    """additionalProperties: false on every object schema (strict mode)."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for v in node.values():
            forbid_unknown(v)
    elif isinstance(node, list):
        for v in node:
            forbid_unknown(v)
    return node


def format_checker():
    checker = jsonschema.FormatChecker(formats=())
    patterns = {
        "uuid": r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "date-time": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
        "date": r"^\d{4}-\d{2}-\d{2}$",
        "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        "uri": r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$",
    }
    for name, pattern in patterns.items():
        regex = re.compile(pattern)
        checker.checks(name)(lambda value, regex=regex: not isinstance(value, str)
                             or bool(regex.match(value)))
    return checker


class Schemas:
    def __init__(self, strict):
        self.store = {}
        schema_dir = os.path.join(HERE, "hsds-3.0", "schema")
        for path in glob.glob(os.path.join(schema_dir, "*.json")) + \
                glob.glob(os.path.join(schema_dir, "compiled", "*.json")):
            rel = os.path.relpath(path, schema_dir).replace(os.sep, "/")
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            self.store[HSDS_BASE + rel] = forbid_unknown(doc) if strict else doc
        self.strict = strict
        self.checker = format_checker()
        self.store[HSDS_BASE + "+sal"] = self._derived("service_at_location.json", "service",
                                                       self._service_without_locations())
        self.store[HSDS_BASE + "+org"] = self._derived(
            "organization.json", "services",
            {"type": "array", "items": {"$ref": "service.json"}})
        with open(os.path.join(HERE, "meeting-guide", "meeting-guide.schema.json")) as f:
            mg = json.load(f)
        self.meeting_guide = forbid_unknown(mg) if strict else mg
        with open(os.path.join(HERE, "meeting-guide", "types.json")) as f:
            self.official_types = set(json.load(f))

    def _service_without_locations(self):
        service = copy.deepcopy(self.store[HSDS_BASE + "service.json"])
        del service["properties"]["service_at_locations"]
        return service

    def _derived(self, base, prop, schema):
        doc = copy.deepcopy(self.store[HSDS_BASE + base])
        doc["properties"][prop] = schema
        return doc

    def validator(self, schema):
        resolver = jsonschema.RefResolver(base_uri=HSDS_BASE, referrer=schema, store=self.store)
        return jsonschema.Draft202012Validator(schema, resolver=resolver,
                                               format_checker=self.checker)

    def item(self, name):
        return self.validator(self.store[HSDS_BASE + name])

    def page(self, item_name):
        page_props = {k: {"type": "integer"} for k in PAGE_KEYS[:4]}
        page_props.update({k: {"type": "boolean"} for k in PAGE_KEYS[4:7]})
        page_props["contents"] = {"type": "array", "items": {"$ref": item_name}}
        schema = {"type": "object", "required": PAGE_KEYS, "properties": page_props}
        if self.strict:
            schema["additionalProperties"] = False
        return self.validator(schema)


# ---- the server under test ---------------------------------------------------

def shipped_files(source):
    """Most of what `make db` imports: the curated listings and the shipped CSV
    and JSON feeds; not the National Directory workbooks (.xlsx), whose 15,000
    facilities add nothing the schemas check and would make each crawl longer."""
    files = sorted(glob.glob(os.path.join(source, "data", "listings", "*.csv")))
    for path in sorted(glob.glob(os.path.join(source, "data", "feeds", "*", "*"))):
        if path.endswith((".csv", ".json")) and not path.endswith(".source.json"):
            files.append(path)
    return files


def build_database(binary, source, db):
    files = shipped_files(source)
    files.append(os.path.join(source, "tests", "fixtures", "importer", "valid_listings.csv"))
    files += sorted(glob.glob(os.path.join(source, "tests", "fixtures", "compliance", "*.csv")))
    run = subprocess.run([binary, "import", "--db", db, "--gazetteer",
                          os.path.join(source, "data", "gazetteer")] + files,
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):  # 1: some rows of a feed rejected, the rest loaded
        sys.exit(f"import failed ({run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")


def start_server(binary, db):
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    m = re.match(r"listening on (http://\S+)", line)
    if not m:
        proc.kill()
        sys.exit(f"server did not start: {line!r}")
    return proc, m.group(1)


class Client:
    def __init__(self, base, problems):
        self.base = base
        self.problems = problems
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.requests = 0

    def get(self, path, params=None):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        self.requests += 1
        try:
            with self.opener.open(url, timeout=60) as r:
                status, headers, body = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, e.read()
        where = path + ("?" + urllib.parse.urlencode(params) if params else "")
        self.problems.check(headers.get("Access-Control-Allow-Origin") == "*", where,
                            "no Access-Control-Allow-Origin: *")
        return status, headers.get("Content-Type", ""), body

    def json(self, path, params=None, expect=200):
        status, ctype, body = self.get(path, params)
        where = path + ("?" + urllib.parse.urlencode(params) if params else "")
        if not self.problems.check(status == expect, where, f"status {status}, expected {expect}"):
            return None
        want = "application/problem+json" if expect >= 400 else "application/json"
        self.problems.check(ctype.startswith(want), where, f"Content-Type {ctype!r}")
        try:
            return json.loads(body)
        except ValueError as e:
            self.problems.add(where, f"body is not JSON: {e}")
            return None


# ---- the crawl -------------------------------------------------------------

class Crawl:
    def __init__(self, client, schemas, problems):
        self.client, self.schemas, self.problems = client, schemas, problems
        self.endpoints = self.pages = self.objects = 0

    def validate(self, validator, doc, where):
        self.objects += 1
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            path = "/".join(str(p) for p in e.absolute_path)
            self.problems.add(where, f"schema: at '{path}': {e.message[:300]}")
        return not errors

    def check_page(self, body, page, per_page, where):
        missing = [k for k in PAGE_KEYS if k not in body]
        if not self.problems.check(not missing, where, f"Page lacks {missing}"):
            return False
        n = len(body["contents"])
        total = body["total_items"]
        expected_pages = math.ceil(total / per_page) if total else 0
        rules = [
            (body["page_number"] == page, f"page_number {body['page_number']} != {page}"),
            (body["size"] == n, f"size {body['size']} != {n} items"),
            (body["empty"] == (n == 0), f"empty {body['empty']} with {n} items"),
            (body["total_pages"] == expected_pages,
             f"total_pages {body['total_pages']} != ceil({total}/{per_page})"),
            (body["first_page"] == (page == 1), f"first_page {body['first_page']} on page {page}"),
            (body["last_page"] == (page >= body["total_pages"]),
             f"last_page {body['last_page']} on page {page} of {body['total_pages']}"),
            (n <= per_page, f"{n} items on a page of {per_page}"),
            (page > expected_pages or page == expected_pages or n == per_page,
             f"page {page} of {expected_pages} holds {n}, not {per_page}"),
        ]
        for ok, what in rules:
            self.problems.check(ok, where, what)
        return True

    def list_page(self, path, page, item_schema, params=None, per_page=DEFAULT_PER_PAGE):
        q = dict(params or {})
        if page != 1:
            q["page"] = page
        where = path + ("?" + urllib.parse.urlencode(q) if q else "")
        body = self.client.json(path, q)
        self.pages += 1
        if body is None:
            return None
        self.objects -= 1  # the envelope and its items count as one body each below
        self.validate(self.schemas.page(item_schema), body, where)
        self.objects += len(body.get("contents", []))
        self.check_page(body, page, per_page, where)
        return body

    def crawl_list(self, path, detail_path):
        item_schema, detail_schema = ENDPOINTS[path]
        self.endpoints += 1
        first = self.list_page(path, 1, item_schema)
        if first is None:
            return []
        total_pages = first["total_pages"]
        self.problems.check(first["total_items"] > 0, path, "no items (the validator warns)")
        pages = {1: first}
        for p in sorted({(total_pages + 1) // 2, total_pages} - {0, 1}):
            body = self.list_page(path, p, item_schema)
            if body is not None:
                pages[p] = body
        past = self.list_page(path, total_pages + 1, item_schema)
        if past is not None:
            self.problems.check(past["contents"] == [] and past["empty"], path,
                                "a page past the end is not empty")
        seen = {}
        for p, body in pages.items():
            for item in body["contents"]:
                self.problems.check(item.get("id") not in seen, path,
                                    f"id {item.get('id')} on page {p} and page {seen.get(item.get('id'))}")
                seen[item.get("id")] = p
        items = [i for body in pages.values() for i in body["contents"]]
        if detail_path:
            self.crawl_details(detail_path, detail_schema, items)
        self.check_variants(path, item_schema, detail_schema, first["total_items"])
        return items

    def crawl_details(self, detail_path, schema, items):
        self.endpoints += 1
        validator = self.schemas.item(schema)
        for item in items:
            path = detail_path.replace("{id}", item["id"])
            body = self.client.json(path)
            if body is None:
                continue
            self.validate(validator, body, path)
            for k, v in item.items():
                if not isinstance(v, (dict, list)):
                    self.problems.check(body.get(k) == v, path, f"{k} is {body.get(k)!r} in the "
                                        f"object, {v!r} in the list")
        for bad in (ZERO_UUID, "not-a-uuid"):
            body = self.client.json(detail_path.replace("{id}", bad), expect=404)
            if body is not None:
                self.problems.check(body.get("status") == 404, detail_path, "404 body status")

    def check_variants(self, path, item_schema, detail_schema, total):
        """full=true, ndjson, an all-in-one enumeration and bad parameters."""
        if path in FULL_LISTS:
            body = self.client.json(path, {"full": "true", "per_page": 10})
            self.pages += 1
            if body is not None:
                validator = self.schemas.item(detail_schema)
                for item in body["contents"]:
                    self.validate(validator, item, path + "?full=true")
        status, ctype, raw = self.client.get(path, {"format": "ndjson"})
        lines = raw.decode("utf-8").splitlines() if status == 200 else []
        self.problems.check(status == 200 and ctype.startswith("application/x-ndjson"),
                            path + "?format=ndjson", f"status {status}, Content-Type {ctype!r}")
        self.problems.check(len(lines) == total, path + "?format=ndjson",
                            f"{len(lines)} lines for {total} items")
        validator = self.schemas.item(item_schema)
        for line in lines[:NDJSON_VALIDATED]:
            self.validate(validator, json.loads(line), path + "?format=ndjson")
        ids = all_ids(self.client, path, {})
        self.problems.check(len(ids) == total and len(set(ids)) == total, path,
                            f"paging through per_page=1000 gives {len(ids)} ids "
                            f"({len(set(ids))} distinct) for {total} items")
        for params in ({"page": "0"}, {"page": "x"}, {"per_page": "0"}, {"per_page": "1001"},
                       {"format": "xml"}, {"page": "1", "per_page": "5", "search": "!!"}):
            body = self.client.json(path, params, expect=400)
            if body is not None:
                self.problems.check(body.get("status") == 400 and "detail" in body,
                                    path, f"400 body {body}")


def all_ids(client, path, params):
    ids, page = [], 1
    while True:
        body = client.json(path, dict(params, per_page=1000, page=page))
        if body is None:
            return ids
        ids += [i["id"] for i in body["contents"]]
        if body["last_page"] or not body["contents"]:
            return ids
        page += 1


# ---- filter semantics ----------------------------------------------------------

def zip_centroid(source, zip_code):
    with open(os.path.join(source, "data", "gazetteer", "zcta_centroids.csv")) as f:
        for row in csv.reader(f):
            if row and row[0] == zip_code:
                return float(row[1]), float(row[2])
    return None


def metres(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + \
        math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371008.77 * 2 * math.asin(min(1, math.sqrt(h)))


def check_filters(client, problems, source):
    every = set(all_ids(client, "/hsds/services", {}))
    terms = client.json("/hsds/taxonomy_terms", {"search": "detox", "per_page": 100}) or {}
    detox = [t for t in terms.get("contents", []) if t.get("code") == "detox"]
    if not problems.check(detox, "filters", "no taxonomy term with code detox"):
        return
    some = client.json("/hsds/services", {"search": "detox", "per_page": 1}) or {}
    org = some.get("contents", [{}])[0].get("organization_id")
    filters = {
        "search": {"search": "detox"},
        "taxonomy_term_id": {"taxonomy_term_id": detox[0]["id"]},
        "taxonomy_id": {"taxonomy_id": detox[0]["taxonomy_id"]},
        "organization_id": {"organization_id": org},
        "modified_after": {"modified_after": "2000-01-01T00:00:00Z"},
    }
    found = {}
    for name, params in filters.items():
        found[name] = set(all_ids(client, "/hsds/services", params))
        problems.check(found[name] and found[name] <= every, f"filter {name}",
                       f"{len(found[name])} services, not a non-empty subset of {len(every)}")
    problems.check(found["search"] != every and found["organization_id"] != every, "filters",
                   "search or organization_id does not narrow")
    future = all_ids(client, "/hsds/services", {"modified_after": "2999-01-01T00:00:00+02:00"})
    problems.check(future == [], "filter modified_after", "a future date matches services")
    both = set(all_ids(client, "/hsds/services", dict(filters["search"], **filters["organization_id"])))
    problems.check(both == found["search"] & found["organization_id"], "filters",
                   "search + organization_id is not the intersection")
    both = set(all_ids(client, "/hsds/services",
                       dict(filters["search"], **filters["taxonomy_term_id"])))
    problems.check(both == found["search"] & found["taxonomy_term_id"], "filters",
                   "search + taxonomy_term_id is not the intersection")
    check_proximity(client, problems, source, filters["taxonomy_term_id"])


def check_proximity(client, problems, source, term_filter):
    centre = zip_centroid(source, "92374")
    near = {"postcode": "92374", "proximity": "20000"}
    body = client.json("/hsds/service_at_locations", dict(near, per_page=1000)) or {}
    items = body.get("contents", [])
    problems.check(items, "proximity", "nothing within 20 km of 92374")
    distances = [metres(centre, (i["location"]["latitude"], i["location"]["longitude"]))
                 for i in items]
    problems.check(all(d <= 20001 for d in distances), "proximity", "a result beyond 20 km")
    problems.check(distances == sorted(distances), "proximity", "not nearest first")
    by_point = client.json("/hsds/service_at_locations",
                           {"lat": centre[0], "lon": centre[1], "proximity": "20000",
                            "per_page": 1000}) or {}
    problems.check([i["id"] for i in by_point.get("contents", [])] == [i["id"] for i in items],
                   "proximity", "lat/lon and the postcode's centroid disagree")
    narrowed = set(all_ids(client, "/hsds/service_at_locations", dict(near, **term_filter)))
    problems.check(narrowed < {i["id"] for i in items} or not narrowed, "proximity",
                   "postcode + proximity + taxonomy_term_id does not narrow")
    body = client.json("/hsds/service_at_locations", {"postcode": "92374", "full": "true"}) or {}
    for i in body.get("contents", []):
        codes = {a["postal_code"] for a in i["location"].get("addresses", [])}
        problems.check(codes == {"92374"}, "postcode", f"{i['id']} is in {codes}")
    client.json("/hsds/service_at_locations", {"postcode": "00000", "proximity": "1000"},
                expect=400)
    client.json("/hsds/service_at_locations", {"proximity": "1000"}, expect=400)


# ---- the Meeting Guide feed ----------------------------------------------------

def check_meetings(client, schemas, problems, crawl):
    feed = client.json("/meetings.json")
    crawl.endpoints += 1
    if feed is None:
        return
    crawl.validate(jsonschema.Draft202012Validator(schemas.meeting_guide,
                                                   format_checker=schemas.checker),
                   feed, "/meetings.json")
    crawl.objects += len(feed) - 1
    slugs = [m.get("slug") for m in feed]
    problems.check(len(slugs) == len(set(slugs)), "/meetings.json", "duplicate slugs")
    problems.check(len(feed) >= 5, "/meetings.json", f"only {len(feed)} meetings")
    for m in feed:
        where = f"/meetings.json {m.get('slug')}"
        unknown = [t for t in m.get("types", []) if t not in schemas.official_types]
        problems.check(not unknown, where, f"types not in the spec: {unknown}")
        problems.check(("day" in m) == ("time" in m), where, "a day without a time or the reverse")
        online = "conference_url" in m or "conference_phone" in m
        problems.warn(online or m.get("approximate") == "no" or
                      m.get("attendance_option") == "inactive", where,
                      "neither a street address nor a conference link (TSML UI hides it)")
        problems.warn("formatted_address" in m or "city" in m, where,
                      "no place (the Meeting Guide app needs one for the time zone)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()
    problems = Problems()
    schemas = Schemas(args.strict)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "compliance.db")
        build_database(args.binary, args.source, db)
        proc, base = start_server(args.binary, db)
        try:
            client = Client(base, problems)
            crawl = Crawl(client, schemas, problems)
            root = client.json("/hsds/")
            crawl.endpoints += 1
            if root is not None:
                crawl.validate(schemas.validator({
                    "type": "object", "required": ["version", "profile", "openapi_url"],
                    "properties": {"version": {"const": "3.0"}, "profile": {"format": "uri"},
                                   "openapi_url": {"format": "uri"}}}), root, "/hsds/")
                openapi = client.json(urllib.parse.urlparse(root["openapi_url"]).path) or {}
                paths = [p for p in openapi.get("paths", {}) if p.startswith("/hsds/") and
                         "get" in openapi["paths"][p]]
                for path in sorted(p for p in paths if "{id}" not in p and p != "/hsds/"):
                    if problems.check(path in ENDPOINTS, path, "described but not crawlable"):
                        detail = path + "/{id}" if path + "/{id}" in paths else None
                        crawl.crawl_list(path, detail)
                problems.check(set(ENDPOINTS) <= set(paths), "openapi",
                               f"not described: {sorted(set(ENDPOINTS) - set(paths))}")
            client.json("/hsds/locations", expect=404)
            check_filters(client, problems, args.source)
            check_meetings(client, schemas, problems, crawl)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    mode = "strict" if args.strict else "standard"
    print(f"compliance crawl ({mode}): {crawl.endpoints} endpoints, {crawl.pages} pages, "
          f"{crawl.objects} objects validated, {client.requests} requests, "
          f"{len(problems.items)} problems, {problems.warnings} warnings")
    return 1 if problems.items else 0


if __name__ == "__main__":
    sys.exit(main())
