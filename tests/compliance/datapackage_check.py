#!/usr/bin/env python3
"""Datapackage check of `carefinder export --format hsds-csv` (owner: hsdsapi).

Imports the same data as crawl.py, exports it as an HSDS 3.0 Tabular Data
Package and holds the package to the official descriptor
(hsds-3.0/datapackage.json): every resource we write is an official one with
the official file name; its fields are the official fields in the official
order with the official types, formats and `required`; every CSV has that
header; every cell parses as its type, required cells are present, enums
hold, ids are unique and every foreign key resolves (a key into a table we do
not write must be empty). The frictionless tool the official CI uses is not
packaged for Debian, so this is the same check written out.

  datapackage_check.py --binary build/carefinder --source .
Prints counts; exits 1 on any problem.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

from crawl import HERE, Problems, build_database

TYPES = {
    ("string", "uuid"): r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ("string", "email"): r"[^@\s]+@[^@\s]+\.[^@\s]+",
    ("string", "uri"): r"[A-Za-z][A-Za-z0-9+.-]*:\S+",
    ("string", None): r"(?s).*",
    ("number", None): r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?",
    ("date", None): r"\d{4}-\d{2}-\d{2}",
    ("time", None): r"\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?",
    ("datetime", None): r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
}


def check_descriptor(ours, official, problems):
    """Our resources against the official ones; returns {name: official resource}."""
    by_name = {r["name"]: r for r in official["resources"]}
    problems.check(ours.get("profile") == "tabular-data-package", "datapackage.json",
                   f"profile {ours.get('profile')!r}")
    matched = {}
    for res in ours.get("resources", []):
        name = res.get("name")
        where = f"datapackage.json resource {name}"
        if not problems.check(name in by_name, where, "not an HSDS resource"):
            continue
        off = by_name[name]
        matched[name] = off
        problems.check(res.get("path") == off["path"], where,
                       f"path {res.get('path')!r}, HSDS says {off['path']!r}")
        mine = [(f["name"], f["type"], f.get("format"), f.get("constraints", {}).get("required"))
                for f in res["schema"]["fields"]]
        theirs = [(f["name"], f["type"], f.get("format"), f["constraints"].get("required"))
                  for f in off["schema"]["fields"]]
        problems.check(mine == theirs, where, f"fields differ: {sorted(set(mine) ^ set(theirs))}")
        for fk in res["schema"].get("foreignKeys", []):
            problems.check(fk in off["schema"].get("foreignKeys", []), where,
                           f"foreign key {fk} is not one HSDS declares")
    return matched


def read_rows(path, fields, problems):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        problems.check(header == fields, path, f"header {header} is not {fields}")
        return [dict(zip(header, row)) for row in reader
                if problems.check(len(row) == len(header), path, f"a row of {len(row)} cells")]


def check_rows(name, off, rows, problems):
    cells = 0
    for i, row in enumerate(rows, start=2):
        for f in off["schema"]["fields"]:
            value = row.get(f["name"], "")
            where = f"{off['path']}:{i}: field '{f['name']}'"
            cells += 1
            if value == "":
                problems.check(not f["constraints"].get("required"), where, "required but empty")
                continue
            pattern = TYPES[(f["type"], f.get("format"))]
            problems.check(re.fullmatch(pattern, value), where,
                           f"{value!r} is not a {f['type']} {f.get('format') or ''}")
            enum = f["constraints"].get("enum")
            problems.check(not enum or value in enum, where, f"{value!r} not in {enum}")
    ids = [r.get("id") for r in rows]
    problems.check(len(ids) == len(set(ids)), off["path"], "duplicate ids")
    return cells


def check_foreign_keys(tables, official, problems):
    by_name = {r["name"]: r for r in official["resources"]}
    for name, rows in tables.items():
        for fk in by_name[name]["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"]
            known = {r["id"] for r in tables.get(target, [])}
            for i, row in enumerate(rows, start=2):
                value = row.get(fk["fields"], "")
                if value:
                    problems.check(value in known, f"{by_name[name]['path']}:{i}",
                                   f"{fk['fields']} {value} is not an id of {target}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    problems = Problems()
    with open(os.path.join(HERE, "hsds-3.0", "datapackage.json")) as f:
        official = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        db, out = os.path.join(tmp, "export.db"), os.path.join(tmp, "package")
        build_database(args.binary, args.source, db)
        run = subprocess.run([args.binary, "export", "--format", "hsds-csv", "--db", db, out],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"export failed ({run.returncode}): {run.stderr}")
        with open(os.path.join(out, "datapackage.json")) as f:
            ours = json.load(f)
        matched = check_descriptor(ours, official, problems)
        tables, cells = {}, 0
        for name, off in matched.items():
            fields = [f["name"] for f in off["schema"]["fields"]]
            tables[name] = read_rows(os.path.join(out, off["path"]), fields, problems)
            cells += check_rows(name, off, tables[name], problems)
        check_foreign_keys(tables, official, problems)
    rows = sum(len(t) for t in tables.values())
    for needed in ("organization", "service", "location", "service_at_location", "taxonomy_term"):
        problems.check(tables.get(needed), needed, "no rows written")
    print(f"datapackage check: {len(tables)} resources, {rows} rows, {cells} cells, "
          f"{len(problems.items)} problems")
    return 1 if problems.items else 0


if __name__ == "__main__":
    sys.exit(main())
