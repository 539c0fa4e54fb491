#!/usr/bin/env bash
# The batch benchmark (issue "manual edits at scale"): bash bench/batch.sh
# 1. in-server: cell_upsert_many with BENCH_BATCH_ROWS x 20 cells (100,000 by default) in one
#    call, against the bare set-based INSERT ... SELECT ... ON CONFLICT of the same cells with
#    no validation (the floor), on an empty table (inserts) then a full one (overwrites),
#    alternating the order over BENCH_BATCH_ROUNDS rounds; ratio many/floor.
# 2. end-to-end: the same cells sent by a client (psql over the local socket) as one
#    cell_upsert_many call, and as single cell_upsert calls, one round trip each; ratio
#    singles/many (the speed-up).
# Ratios only, measured side by side in one run; absolute times go to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${BENCH_BATCH_ROWS:-5000}
rounds=${BENCH_BATCH_ROUNDS:-3}
e2e_rounds=${BENCH_BATCH_E2E_ROUNDS:-2}

. bench/server.sh
start_server_unless_pghost

mkdir -p bench/results
stamp=$(date +%Y%m%d-%H%M%S)
raw=bench/results/batch-$stamp.csv
work=$(mktemp -d)
trap 'rm -rf "$work"; stop_server' EXIT
db=cellupsert_batch_bench
psql -qX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
export PGDATABASE=$db
psql -qX -v ON_ERROR_STOP=1 -v rows="$rows" -f bench/sql/batch_fixture.sql

# The client's inputs: one statement with the whole batch, and one statement per cell.
psql -AtqX -c "SELECT format('SELECT cell_upsert_many(%L, %L);', '10000000-0000-4000-8000-000000000001', cells) FROM batch_input" > "$work/many.sql"
psql -AtqX -c "SELECT format('SELECT cell_upsert(%L, %L, %L, %L);', '10000000-0000-4000-8000-000000000001', row_id, col_id, val) FROM batch_rows ORDER BY n" > "$work/singles.sql"
cells=$(psql -AtqX -c "SELECT count(*) FROM batch_rows")
input_bytes=$(psql -AtqX -c "SELECT octet_length(cells::text) FROM batch_input")

echo "way,workload,method,round,seconds" > "$raw"
server_time() {  # server_time METHOD: seconds for one statement, timed inside the server
    psql -AtqX -v ON_ERROR_STOP=1 -f "bench/sql/batch_$1.sql" 2>&1 | sed -n 's/.*seconds=//p'
}
client_time() {  # client_time FILE: seconds for psql to send the file, one statement at a time
    local t0 t1
    t0=$(date +%s%N)
    psql -qX -v ON_ERROR_STOP=1 -o /dev/null -f "$1"
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.4f\n", ns / 1e9 }'
}

for ((r = 1; r <= rounds; r++)); do
    order=(many floor)
    [ $((r % 2)) -eq 0 ] && order=(floor many)
    for method in "${order[@]}"; do
        psql -qX -c "TRUNCATE list_company_cells"
        echo "in-server,insert,$method,$r,$(server_time "$method")" >> "$raw"
        echo "in-server,overwrite,$method,$r,$(server_time "$method")" >> "$raw"
    done
done
for ((r = 1; r <= e2e_rounds; r++)); do
    for method in many singles; do
        psql -qX -c "TRUNCATE list_company_cells"
        echo "end-to-end,insert,$method,$r,$(client_time "$work/$method.sql")" >> "$raw"
    done
done
psql -qX -c "SELECT count(*) AS cells_written FROM list_company_cells" -At > /dev/null

echo "batch of $cells cells ($input_bytes bytes of JSON); raw figures: $raw"
psql -X -q -v raw="$PWD/$raw" -f bench/sql/batch_report.sql
psql -qX -d postgres -c "DROP DATABASE $db"
