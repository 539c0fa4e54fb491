#!/usr/bin/env bash
# The two table shapes side by side (issue 12, item 7): bash bench/shapes.sh
# For the canonical shape (sql/cellupsert_list_tables.sql) and the original API's shape (no
# list_id in the cells, a surrogate id, UNIQUE (column_id, company_row_id), enums), each in a
# database of its own on the same server, with the same list and the same provenance columns
# (bench/sql/shapes_fixture.sql), it measures in one run:
# - single calls, in-server: cell_upsert against the bare INSERT ... ON CONFLICT of the same
#   cells in the same shape, taking turns with an empty loop in blocks of a few calls timed
#   with clock_timestamp(), the median block less the empty loop's the figure
#   (bench/sql/shapes_timing.sql); workloads insert and overwrite;
# - batches, in-server: one cell_upsert_many of BENCH_SHAPES_BATCH cells (half of them exist)
#   against the bare set-based INSERT ... SELECT ... ON CONFLICT of the same cells,
#   BENCH_SHAPES_BATCH_RUNS times each per round in the order X Y Y X X Y ..., alternating
#   which goes first; the figure is the round's total time of each.
# Rounds alternate the shapes too, so that load on a shared machine hits both alike. It
# prints, for each shape, the ratios cell_upsert / bare, and the ratio of the two shapes'
# ratios (original / canonical), which issue 12 wants within 5%: reported, never asserted.
# Builds, stages and starts a throwaway server as bench/run.sh does, or uses PGHOST if set.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${BENCH_SHAPES_ROWS:-2000}         # company rows of the list (20 company columns), both shapes
ROUNDS=${BENCH_SHAPES_ROUNDS:-9}        # rounds; each has both shapes, single calls and batches
CALLS=${BENCH_SHAPES_CALLS:-2000}       # single calls per method, workload, shape and round
BLOCK=${BENCH_SHAPES_BLOCK:-10}         # single calls per timed block; the methods alternate
BATCH=${BENCH_SHAPES_BATCH:-10000}      # cells of the batch: whole rows of 20 cells, 10 existing
BATCH_RUNS=${BENCH_SHAPES_BATCH_RUNS:-4} # batches per method, shape and round
RESULTS_DIR=${BENCH_RESULTS_DIR:-bench/results}
DATABASE=${BENCH_SHAPES_DATABASE:-cellupsert_shapes}   # + _canonical, _original
SHAPES=(canonical original)

BATCH=$((BATCH / 20 * 20))
if [ "$BATCH" -lt 20 ] || [ "$BATCH" -gt $((20 * ROWS)) ]; then
    echo "BENCH_SHAPES_BATCH must be between 20 and 20 x BENCH_SHAPES_ROWS ($((20 * ROWS)))" >&2
    exit 2
fi

. bench/server.sh
start_server_unless_pghost

psql_quiet() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
maintenance_db=${PGDATABASE:-postgres}
cleanup() {
    if [ "${BENCH_KEEP:-0}" != 1 ]; then
        for shape in "${SHAPES[@]}"; do
            psql_quiet -d "$maintenance_db" -c "DROP DATABASE IF EXISTS ${DATABASE}_$shape" || true
        done
    fi
    stop_server
}
trap cleanup EXIT

stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS_DIR"
raw="$RESULTS_DIR/shapes-$stamp.csv"
summary="$RESULTS_DIR/shapes-summary-$stamp.txt"

for shape in "${SHAPES[@]}"; do
    echo "== $shape shape: fixture ($ROWS rows x 20 columns, a batch of $BATCH cells)"
    psql_quiet -d "$maintenance_db" -c "SET client_min_messages = warning" \
               -c "DROP DATABASE IF EXISTS ${DATABASE}_$shape" -c "CREATE DATABASE ${DATABASE}_$shape"
    canonical=false; [ "$shape" = canonical ] && canonical=true
    psql_quiet -d "${DATABASE}_$shape" -v canonical=$canonical -v rows="$ROWS" -v batch="$BATCH" \
               -f bench/sql/shapes_fixture.sql -f bench/sql/shapes_timing.sql > /dev/null
done

# The arguments, rotated by $1 so that no method or shape always runs first.
rotated() {
    local shift=$1; shift
    local items=("$@") i
    for ((i = 0; i < $#; i++)); do echo -n "${items[(i + shift) % $#]} "; done
}

# One round of one shape, in one backend: a warm-up (rolled back) that discovers the shape
# and prepares every plan, then the timed runs, each rolled back and followed by a VACUUM,
# so that every run starts from the same table. Prints CSV lines of the raw file.
round_script() {
    local shape=$1 round=$2 workload method
    echo '\set ON_ERROR_STOP on'
    echo '\o /dev/null'
    echo "BEGIN; SELECT FROM bench.time_calls('overwrite', $BLOCK, $BLOCK); ROLLBACK;"
    echo "BEGIN; SELECT bench.time_batch('many', 20), bench.time_batch('bare', 20); ROLLBACK;"
    echo '\o'
    for workload in $(rotated "$round" insert overwrite); do
        echo "BEGIN;"
        echo "SELECT concat_ws(',', '$shape', 'single', '$workload', $round, method, measure, value)
              FROM bench.time_calls('$workload', $CALLS, $BLOCK) t,
              LATERAL (VALUES ('median us/call', median_us), ('mean us/call', mean_us)) v(measure, value);"
        echo "ROLLBACK;"
    done
    echo "VACUUM bench.list_company_cells;"
    # The batches in the order X Y Y X X Y ..., so that a steady drift of the load hits both alike.
    local order j
    read -ra order <<< "$(rotated "$round" many bare)"
    for ((j = 0; j < 2 * BATCH_RUNS; j++)); do
        method=${order[(j + 1) / 2 % 2]}
        echo "BEGIN;"
        echo "SELECT concat_ws(',', '$shape', 'batch', '$BATCH cells half existing', $round, '$method', 'seconds',
                               bench.time_batch('$method', $BATCH));"
        echo "ROLLBACK;"
        echo "VACUUM bench.list_company_cells;"
    done
}

echo "shape,way,workload,round,method,measure,value" > "$raw"
echo "== $ROUNDS rounds: $CALLS single calls per method and workload in blocks of $BLOCK, $BATCH_RUNS batches per method"
for ((round = 1; round <= ROUNDS; round++)); do
    for shape in $(rotated "$round" "${SHAPES[@]}"); do
        round_script "$shape" "$round" | psql -X -q -A -t -d "${DATABASE}_$shape" >> "$raw"
    done
done

{
    psql -X -A -t -d "${DATABASE}_canonical" \
         -c "SELECT format('server %s, fsync=%s, shared_buffers=%s', current_setting('server_version'),
                           current_setting('fsync'), current_setting('shared_buffers'))"
    echo "each shape: 1 list of 20 company columns x $ROWS rows, columns 1..10 filled; provenance columns in both"
    echo "$ROUNDS rounds, the shapes alternating; single: $CALLS calls per method and workload, blocks of $BLOCK; batch: $BATCH cells, $BATCH_RUNS runs per method, X Y Y X X Y ..."
    psql_quiet -d "${DATABASE}_canonical" -v raw="$(realpath "$raw")" -f bench/sql/shapes_report.sql
} | tee "$summary"
echo "raw numbers: $raw; this table: $summary"
