#!/usr/bin/env bash
# The benchmark harness runs end to end on the test server with tiny sizes: the reference
# check passes (B answers every case as cell_upsert) and the report has every line; so does
# bench/shapes.sh's (the two table shapes side by side); bench/chart.sh draws its charts. Not timed, and no ratio is
# asserted: timings belong to bench/run.sh and bench/shapes.sh, not to the tests.
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

# bench/shapes.sh, the canonical shape against the original API's: every line of its table,
# every figure in its raw file.
BENCH_SHAPES_ROWS=100 BENCH_SHAPES_ROUNDS=1 BENCH_SHAPES_CALLS=50 BENCH_SHAPES_BLOCK=25 \
BENCH_SHAPES_BATCH=200 BENCH_SHAPES_BATCH_RUNS=1 BENCH_RESULTS_DIR="$results" \
BENCH_SHAPES_DATABASE=cellupsert_shapes_smoke \
    bash bench/shapes.sh > "$results/shapes.txt" 2>&1 || { cat "$results/shapes.txt"; exit 1; }
for shape in canonical original; do
    for line in "^$shape +single +insert +1 " "^$shape +single +overwrite +1 " "^$shape +batch +200 cells half existing +1 "; do
        expect "$(ls "$results"/shapes-summary-*.txt)" "$line"
    done
done
for line in '^single +insert +[0-9.]+ ' '^single +overwrite +[0-9.]+ ' '^batch +200 cells half existing +[0-9.]+ '; do
    expect "$results/shapes.txt" "$line"
done
shapes_raw=$(ls "$results"/shapes-2*.csv)
[ "$(grep -c . "$shapes_raw")" -eq 29 ] || { echo "shapes raw lines: $(grep -c . "$shapes_raw"), not 29"; failed=1; }
if grep -qiE ',(nan)?$' "$shapes_raw"; then echo "shapes: an empty or NaN figure"; failed=1; fi
[ $failed -eq 0 ] || { cat "$results/shapes.txt"; exit 1; }

# bench/chart.sh draws both charts from a table of bench/instructions.sh (two revisions).
cat > "$results/instructions.txt" <<'TABLE'
instructions per call (calls: cell_upsert) or per cell (batch: one cell_upsert_many),
workload                                   aaaaaaa     bbbbbbb   bbbbbbb/aaaaaaa
batches of 1, canonical: call              4699463      400000             0.085
batches of 1, canonical: bare               202499      202499             1.000
batches of 1, canonical: single             271423      240000             0.884
batches of 10, canonical: call              958919      150000             0.156
batches of 10, canonical: bare               89734       89734             1.000
calls overwrite, canonical                  262425      237000             0.903
calls overwrite, canonical: PL/pgSQL peer        -      514000                 -
calls overwrite, bare upsert                188855      188855             1.000
calls overwrite, rls                             -      450000                 -
batch overwrite, canonical                   91215       90000             0.987
batch overwrite, bare upsert                 79470       79470             1.000
TABLE
bash bench/chart.sh "$results/instructions.txt" "$results/charts" > "$results/chart.txt" 2>&1 ||
    { cat "$results/chart.txt"; exit 1; }
for chart in batch-sizes single-call; do
    expect "$results/charts/$chart.svg" '<svg'
done
expect "$results/charts/batch-sizes.svg" 'cell_upsert_many, before'
expect "$results/charts/single-call.svg" 'PL/pgSQL peer'
[ $failed -eq 0 ] || { cat "$results/chart.txt"; exit 1; }
echo "bench smoke: ok"
