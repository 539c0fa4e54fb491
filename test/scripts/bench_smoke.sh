#!/usr/bin/env bash
# The benchmark harness runs end to end on the test server with tiny sizes: the reference
# check passes (B answers every case as cell_upsert) and the report has every line. Not
# timed, and no ratio is asserted: timings belong to bench/run.sh, not to the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
BENCH_SIZES=100 BENCH_ROUNDS=1 BENCH_CALLS=50 BENCH_BLOCK=25 BENCH_E2E_ROUNDS=1 \
BENCH_E2E_SECONDS=1 BENCH_RESULTS_DIR="$results" BENCH_DATABASE=cellupsert_bench_smoke \
    bash bench/run.sh > "$results/out.txt" 2>&1 || { cat "$results/out.txt"; exit 1; }

summary=$(ls "$results"/summary-*.txt)
failed=0
expect() {
    grep -qE "$2" "$1" || { echo "missing in $(basename "$1"): $2"; failed=1; }
}
expect "$results/out.txt" 'reference check: B answers as A in all 18 cases'
for line in '^100 +in-server +insert ' '^100 +in-server +overwrite ' '^100 +end-to-end +interleaved ' \
            '^100 +end-to-end +interleaved, sync on ' '^100 +end-to-end +separate ' '^100 +end-to-end +interleaved +ABC [0-9]+%' \
            '^100 +in-server +1 ' '^in-server A/C <= 1.25 ' '^A faster than B, in-server '; do
    expect "$summary" "$line"
done
# Every in-server figure of every method, workload and measure, and no NaN or empty value.
expect "$(ls "$results"/raw-*.csv)" '^100,in-server,refused,1,A,median us/call,[0-9.]+$'
[ "$(grep -c ',in-server,' "$results"/raw-*.csv)" -eq 48 ] || { echo "in-server rows: $(grep -c ',in-server,' "$results"/raw-*.csv), not 48"; failed=1; }
if grep -qiE ',(nan)?$' "$results"/raw-*.csv; then echo "an empty or NaN figure"; failed=1; fi
[ $failed -eq 0 ] || { cat "$results/out.txt"; exit 1; }
echo "bench smoke: ok"
