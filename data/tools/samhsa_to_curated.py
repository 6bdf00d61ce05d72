#!/usr/bin/env python3
"""Convert the shared SAMHSA FindTreatment.gov extracts to curated listing CSVs.

    python3 data/tools/samhsa_to_curated.py [--shared DIR] [--out DIR]

Reads (under --shared, default ../shared/data next to the repository):
  samhsa-findtreatment-ca-residential/residential_facilities_ca.csv
  samhsa-findtreatment-api/api_sample_charlottesville_va_30rows.json
  samhsa-findtreatment-api/api_sample_charlottesville_va_25rows_sa_only.json
and writes (under --out, default data/listings):
  samhsa-findtreatment-ca-2025.csv
  samhsa-findtreatment-va-2019.csv

Service labels become taxonomy terms through data/mappings/samhsa_labels.csv.
A label that maps to no term is kept in `other_services`. A label that is not in
the mapping file at all is an error: the script names each missing label and
exits with status 1, so the mapping stays complete. The script uses only the
standard library, and the same input always gives byte-identical output.
"""

import argparse
import csv
import json
import os
import re
import sys
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

COLUMNS = [
    "source", "source_key", "source_url", "source_license", "as_of", "last_verified",
    "kind", "status", "organization", "name", "description",
    "address1", "address2", "city", "state", "zip", "latitude", "longitude",
    "phones", "website", "email",
    "care", "medication", "substance", "support", "payment", "population", "language",
    "attendance", "other_services", "hours", "conference_url", "conference_phone",
]
TERM_GROUPS = ["kind", "care", "medication", "substance", "support", "payment",
               "population", "language", "attendance"]

CA_SOURCE = "samhsa-findtreatment-ca-2025"
CA_AS_OF = "2025-08-27"
CA_LICENSE = ("Public domain (SAMHSA FindTreatment.gov); "
              "compiled by hackingco/soberlivings-finder (MIT)")
VA_SOURCE = "samhsa-findtreatment-api-2019"
VA_LICENSE = "Public domain / CC0 1.0 (SAMHSA FindTreatment.gov, via CBHSQ/findtreatment)"
VA_FILES = [  # newest first: a facility in both files takes the newer record
    ("api_sample_charlottesville_va_30rows.json", "2019-05-30"),
    ("api_sample_charlottesville_va_25rows_sa_only.json", "2019-05-23"),
]
SOURCE_URL = "https://findtreatment.gov/"


def fail(msg):
    sys.stderr.write("samhsa_to_curated: " + msg + "\n")
    sys.exit(1)


def load_taxonomy(path):
    order = {}
    with open(path, encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            order[(row["group"], row["code"])] = i
    return order


def load_mapping(path, taxonomy):
    """label -> list of (group, code); [] for a label with no term."""
    mapping = {}
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["label", "group", "code"]:
            fail(f"{path}: header must be label,group,code")
        for line, row in enumerate(reader, start=2):
            label, group, code = row["label"], row["group"], row["code"]
            if not label or label != label.strip():
                fail(f"{path}:{line}: empty label or label with surrounding spaces")
            terms = mapping.setdefault(label, [])
            if not group and not code:
                continue
            if (group, code) not in taxonomy:
                fail(f"{path}:{line}: '{group},{code}' is not in taxonomy.csv")
            terms.append((group, code))
    return mapping


def split_labels(text):
    return [s.strip() for s in text.split(";") if s.strip()]


class Converter:
    def __init__(self, mapping, taxonomy):
        self.mapping = mapping
        self.taxonomy = taxonomy
        self.missing = defaultdict(int)
        self.used = set()

    def services(self, labels):
        """Fills the term columns and other_services from a list of labels."""
        terms = set()
        other = []
        for label in labels:
            if label not in self.mapping:
                self.missing[label] += 1
                continue
            self.used.add(label)
            mapped = self.mapping[label]
            if mapped:
                terms.update(mapped)
            elif label not in other:
                other.append(label)
        # Gender accepted: FindTreatment.gov lists "Female" and/or "Male" as the
        # genders a facility accepts. Alone, these labels say nothing about a
        # program for women or men (most facilities accept both), so they map
        # to no term. A facility that accepts only one gender is a women-only or
        # men-only program, so it gets population women or men.
        if "Female" in labels and "Male" not in labels:
            terms.add(("population", "women"))
        if "Male" in labels and "Female" not in labels:
            terms.add(("population", "men"))
        out = {}
        for group in TERM_GROUPS:
            codes = sorted((c for g, c in terms if g == group),
                           key=lambda c: self.taxonomy[(group, c)])
            out[group] = "; ".join(codes)
        if not out["kind"]:
            out["kind"] = "treatment"
        out["other_services"] = "; ".join(other)
        return out


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def phone_key(phone):
    number, _, ext = phone.partition("x")
    return re.sub(r"\D", "", number) + ("x" + re.sub(r"\D", "", ext) if ext else "")


def website(url):
    """The source's website, or "" when it is only a scheme with no host.

    The California export has the bare value "http://" in 7 rows."""
    url = url.strip()
    return "" if re.fullmatch(r"(?i)https?://", url) else url


def phones(*pairs):
    return "; ".join(f"{role}: {num.strip()}" for role, num in pairs if num and num.strip())


def convert_ca(path, conv):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    # source_key: name + ZIP + phone. Some providers run several houses under
    # one name and phone; those rows also get the source's coordinates, and
    # rows that share even those get an ordinal in file order.
    def base(r):
        return f"{slug(r['Name'])}-{r['ZIP'].strip()}-{phone_key(r['Phone'])}"
    by_base = defaultdict(list)
    for i, r in enumerate(rows):
        by_base[base(r)].append(i)
    keys = [None] * len(rows)
    for b, idx in by_base.items():
        if len(idx) == 1:
            keys[idx[0]] = b
            continue
        by_geo = defaultdict(list)
        for i in idx:
            by_geo[f"{b}-{rows[i]['Latitude'].strip()}_{rows[i]['Longitude'].strip()}"].append(i)
        for g, gidx in by_geo.items():
            if len(gidx) == 1:
                keys[gidx[0]] = g
            else:
                for n, i in enumerate(gidx, start=1):
                    keys[i] = f"{g}-{n}"
    if len(set(keys)) != len(keys):
        fail("California source keys are not unique")

    out = []
    for r, key in zip(rows, keys):
        rec = dict.fromkeys(COLUMNS, "")
        name = r["Name"].strip()
        rec.update(
            source=CA_SOURCE, source_key=key, source_url=SOURCE_URL,
            source_license=CA_LICENSE, as_of=CA_AS_OF,
            organization=name, name=name,
            address1=r["Address"].strip(),  # empty in every row of this export
            city=r["City"].strip(), state=r["State"].strip(), zip=r["ZIP"].strip(),
            latitude=r["Latitude"].strip(), longitude=r["Longitude"].strip(),
            phones=phones(("main", r["Phone"])), website=website(r["Website"]),
        )
        rec.update(conv.services(split_labels(r["All Services"])))
        out.append(rec)
    return out


def convert_va(api_dir, conv):
    seen = set()
    out = []
    for filename, as_of in VA_FILES:
        with open(os.path.join(api_dir, filename), encoding="utf-8") as f:
            data = json.load(f)
        for r in data["rows"]:
            if r["frid"] in seen:
                continue
            seen.add(r["frid"])
            s = lambda k: (r.get(k) or "").strip()
            rec = dict.fromkeys(COLUMNS, "")
            rec.update(
                source=VA_SOURCE, source_key=r["frid"], source_url=SOURCE_URL,
                source_license=VA_LICENSE, as_of=as_of,
                # name1 is the organisation; name2, when present, names the
                # program or site (e.g. "Mohr Center"), so it is the listing name.
                organization=s("name1"), name=s("name2") or s("name1"),
                address1=s("street1"), address2=s("street2"),
                city=s("city"), state=s("state"), zip=s("zip"),
                latitude=s("latitude"), longitude=s("longitude"),
                phones=phones(("main", s("phone")), ("intake", s("intake1")),
                              ("hotline", s("hotline1"))),
                website=website(s("website")),
            )
            labels = []
            for svc in r["services"]:
                labels.extend(split_labels(svc["f3"]))
            rec.update(conv.services(labels))
            out.append(rec)
    return out


def write(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared", "data"),
                    help="the shared data directory (default: %(default)s)")
    ap.add_argument("--out", default=os.path.join(REPO, "data", "listings"),
                    help="output directory (default: %(default)s)")
    ap.add_argument("--mapping", default=os.path.join(REPO, "data", "mappings", "samhsa_labels.csv"))
    ap.add_argument("--taxonomy", default=os.path.join(REPO, "data", "taxonomy.csv"))
    args = ap.parse_args()

    taxonomy = load_taxonomy(args.taxonomy)
    conv = Converter(load_mapping(args.mapping, taxonomy), taxonomy)
    ca = convert_ca(os.path.join(args.shared, "samhsa-findtreatment-ca-residential",
                                 "residential_facilities_ca.csv"), conv)
    va = convert_va(os.path.join(args.shared, "samhsa-findtreatment-api"), conv)
    if conv.missing:
        for label, n in sorted(conv.missing.items()):
            sys.stderr.write(f"  label not in {args.mapping}: {label!r} ({n} rows)\n")
        fail(f"{len(conv.missing)} service label(s) missing from the mapping; "
             "add each with its terms, or with empty group,code to keep it as other_services")
    os.makedirs(args.out, exist_ok=True)
    write(os.path.join(args.out, "samhsa-findtreatment-ca-2025.csv"), ca)
    write(os.path.join(args.out, "samhsa-findtreatment-va-2019.csv"), va)
    print(f"wrote {len(ca)} California and {len(va)} Virginia listings to {args.out}")


if __name__ == "__main__":
    main()
