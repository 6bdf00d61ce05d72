#!/bin/sh
# Builds the libFuzzer targets in build-fuzz (clang >= 16, AddressSanitizer)
# and runs each for SECONDS (default 60), one after another, from a scratch
# copy of its corpus in tests/fuzz/corpus/<reader>/. Crashes land in
# build-fuzz/crashes/<reader>/; see docs/FUZZING.md for what to do with them.
#   tests/fuzz/run.sh [SECONDS] [READER...]     e.g. tests/fuzz/run.sh 300 samhsa_json
set -eu
seconds=${1:-60}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_FUZZ:-$root/build-fuzz}

compiler=""
for v in 19 18 17 16; do
  if command -v clang++-$v >/dev/null 2>&1; then compiler=$v; break; fi
done
if [ -z "$compiler" ]; then
  echo "run.sh: needs clang 16 or later: apt-get install clang-16 libclang-rt-16-dev" >&2
  exit 2
fi

readers=${*:-$(cd "$root/tests/fuzz" && ls fuzz_*.cc | sed 's/^fuzz_//; s/\.cc$//')}
CC=clang-$compiler CXX=clang++-$compiler cmake -S "$root" -B "$build" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAREFINDER_FUZZ=ON -DCAREFINDER_E2E=OFF >/dev/null
for reader in $readers; do
  cmake --build "$build" -j2 --target "fuzz_$reader"
done

for reader in $readers; do
  work="$build/corpus/$reader" crashes="$build/crashes/$reader"
  mkdir -p "$work" "$crashes"
  cp "$root/tests/fuzz/corpus/$reader"/* "$work"/
  dict=""
  [ -f "$root/tests/fuzz/$reader.dict" ] && dict="-dict=$root/tests/fuzz/$reader.dict"
  echo "== fuzz_$reader for ${seconds}s"
  "$build/fuzz_$reader" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" $dict "$work" \
    2>"$build/fuzz_$reader.log" || { echo "fuzz_$reader FAILED: see $build/fuzz_$reader.log and $crashes/"; tail -40 "$build/fuzz_$reader.log"; exit 1; }
  grep -E "DONE|^stat::" "$build/fuzz_$reader.log" || true
done
