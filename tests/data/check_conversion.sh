#!/bin/sh
# Data test: rerun data/tools/samhsa_to_curated.py into a temporary directory
# and compare with the committed data/listings files byte for byte. A
# difference means either the tool, the mapping or the committed output was
# changed without regenerating the others.
#
#   tests/data/check_conversion.sh [REPO_DIR [SHARED_DATA_DIR]]
#
# Exits 77 (ctest: skipped) when the shared source data is not present.
set -eu
repo=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
shared=${2:-${CAREFINDER_SHARED_DATA:-$(dirname "$repo")/shared/data}}

if [ ! -f "$shared/samhsa-findtreatment-ca-residential/residential_facilities_ca.csv" ]; then
  echo "skipped: shared source data not found at $shared (set CAREFINDER_SHARED_DATA)"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 "$repo/data/tools/samhsa_to_curated.py" --shared "$shared" --out "$tmp"

status=0
for f in samhsa-findtreatment-ca-2025.csv samhsa-findtreatment-va-2019.csv; do
  if ! cmp -s "$tmp/$f" "$repo/data/listings/$f"; then
    echo "FAIL: data/listings/$f differs from a fresh conversion:"
    diff -u "$repo/data/listings/$f" "$tmp/$f" | head -40
    status=1
  else
    echo "ok: data/listings/$f is reproducible"
  fi
done

# Imported data is never marked verified (only a person who phoned may set it,
# and then only in a hand-curated file).
if ! python3 - "$repo/data/listings" <<'PY'
import csv, sys, os
bad = 0
for f in ("samhsa-findtreatment-ca-2025.csv", "samhsa-findtreatment-va-2019.csv"):
    with open(os.path.join(sys.argv[1], f), encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            if row.get("last_verified", ""):
                print(f"FAIL: {f}:{n}: last_verified is set ({row['last_verified']}); nobody verified it")
                bad = 1
sys.exit(bad)
PY
then status=1; fi
exit $status
