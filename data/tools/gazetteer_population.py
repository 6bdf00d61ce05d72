#!/usr/bin/env python3
"""Rebuilds data/gazetteer/places.csv: the shared GeoNames place list with each
place's GeoNames population and feature code joined from the shared
us_places_population.csv (see data/gazetteer/PROVENANCE.md).

Usage: python3 data/tools/gazetteer_population.py [SHARED_DIR] [OUT_CSV]
  SHARED_DIR defaults to ../shared/data/geonames-us-cities beside the repository.

A place matches a population row on name and state with coordinates equal at
0.01 degree; failing that, the nearest row of the same name and state within
0.1 degree; failing that, a row of the same state at exactly the same point
("Washington, D.C." for "Washington", DC). Unmatched places get population 0 and an empty feature code."""
import csv
import math
import os
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        repo, '..', 'shared', 'data', 'geonames-us-cities')
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        repo, 'data', 'gazetteer', 'places.csv')
    by_name, by_point = {}, {}
    with open(os.path.join(shared, 'us_places_population.csv'), newline='') as f:
        for row in csv.DictReader(f):
            by_name.setdefault((row['name'], row['state']), []).append(row)
            by_point.setdefault((row['state'], row['latitude'], row['longitude']), row)
    with open(os.path.join(shared, 'us_places_geonames.csv'), newline='') as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames + ['population', 'feature_code']
        rows = list(reader)
    matched = 0
    for row in rows:
        best = Match(row, by_name.get((row['name'], row['state']), [])) or \
            by_point.get((row['state'], row['latitude'], row['longitude']))
        row['population'] = best['population'] if best else '0'
        row['feature_code'] = best['feature_code'] if best else ''
        matched += best is not None
    with open(out_path, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator='\n')
        writer.writeheader()
        writer.writerows(rows)
    print(f'{out_path}: {len(rows)} places, {matched} with a population', file=sys.stderr)


def Match(row, candidates):
    lat, lon = float(row['latitude']), float(row['longitude'])
    best, best_d = None, 0.1
    for c in candidates:
        d = math.hypot(float(c['latitude']) - lat, float(c['longitude']) - lon)
        if round(float(c['latitude']), 2) == round(lat, 2) and \
                round(float(c['longitude']), 2) == round(lon, 2):
            return c
        if d <= best_d:
            best, best_d = c, d
    return best


if __name__ == '__main__':
    main()
