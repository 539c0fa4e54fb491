#!/usr/bin/env bash
# Measures A (cell_upsert), B (the PL/pgSQL reference) and C (the bare upsert) side by side
# on the server that PGHOST/PGPORT/PGUSER name (bench/run.sh starts one). Creates its own
# database, prints the report, writes the raw numbers under bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${BENCH_SIZES:-2000 20000}      # company rows of the list (20 columns), one fixture each
OTHER_LISTS=${BENCH_OTHER_LISTS:-0}   # other tenants' lists in the same tables (20 columns each)
ROUNDS=${BENCH_ROUNDS:-5}             # in-server rounds
CALLS=${BENCH_CALLS:-3000}            # in-server calls per method, workload and round
BLOCK=${BENCH_BLOCK:-50}              # in-server calls per timed block; the methods alternate
E2E_ROUNDS=${BENCH_E2E_ROUNDS:-3}     # pgbench rounds per size
E2E_SECONDS=${BENCH_E2E_SECONDS:-4}   # seconds per pgbench run
RESULTS_DIR=${BENCH_RESULTS_DIR:-bench/results}
DATABASE=${BENCH_DATABASE:-cellupsert_bench}

stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS_DIR"
raw="$RESULTS_DIR/raw-$stamp.csv"
summary="$RESULTS_DIR/summary-$stamp.txt"
pgbench_log="$RESULTS_DIR/pgbench-$stamp.log"

psql_quiet() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
maintenance_db=${PGDATABASE:-postgres}
psql_quiet -d "$maintenance_db" -c "SET client_min_messages = warning" \
           -c "DROP DATABASE IF EXISTS $DATABASE" -c "CREATE DATABASE $DATABASE"
drop_database() {
    [ "${BENCH_KEEP:-0}" = 1 ] || psql_quiet -d "$maintenance_db" -c "DROP DATABASE IF EXISTS $DATABASE"
}
trap drop_database EXIT
export PGDATABASE=$DATABASE

# One row per figure. measure: median us/call, mean us/call, calls (in-server);
# latency ms, calls, inserts (end-to-end, interleaved); tps, calls, inserts (end-to-end, separate).
psql_quiet -c "CREATE TABLE bench_results (rows int, way text, workload text, round int,
                   method text, measure text, value float8)"

# The arguments, rotated by $1 so that no method always runs first.
rotated() {
    local shift=$1; shift
    local items=("$@") i
    for ((i = 0; i < $#; i++)); do echo -n "${items[(i + shift) % $#]} "; done
}

# One psql session, as a pooled backend: A's and B's plans are prepared once, by a first
# rolled-back run, then kept.
in_server_script() {
    local rows=$1 round workload
    echo '\set ON_ERROR_STOP on'
    echo "BEGIN; SELECT FROM bench.time_calls('overwrite', $BLOCK, $BLOCK); ROLLBACK;"
    for ((round = 1; round <= ROUNDS; round++)); do
        for workload in $(rotated "$round" insert overwrite guarded refused); do
            echo "BEGIN;"
            echo "SELECT json_agg(t) AS t FROM bench.time_calls('$workload', $CALLS, $BLOCK) t \\gset"
            echo "ROLLBACK;"
            echo "INSERT INTO bench_results SELECT $rows, 'in-server', '$workload', $round, method, measure, value
                  FROM json_to_recordset(:'t') AS t(method text, calls int, median_us float8, mean_us float8),
                  LATERAL (VALUES ('median us/call', median_us), ('mean us/call', mean_us),
                                  ('calls', calls)) AS v(measure, value);"
        done
        echo "VACUUM bench.list_company_cells;"
    done
}

# Columns 11..20 empty again and the dead rows gone: every pgbench run starts alike.
reset_cells() {
    psql_quiet -c "DELETE FROM bench.list_company_cells
                   WHERE column_id IN (SELECT bench.id('20000000', c) FROM generate_series(11, 20) c)" \
               -c "VACUUM bench.list_company_cells"
}

# pgbench_run ROWS WORKLOAD ROUND SYNCHRONOUS_COMMIT SECONDS METHOD... : one pgbench run of
# the scripts of the given methods, drawn at random with equal weights for each transaction.
pgbench_run() {
    local rows=$1 workload=$2 round=$3 sync=$4 seconds=$5; shift 5
    local scripts=() method out
    for method in "$@"; do scripts+=(-f "bench/pgbench/${method,,}.sql"); done
    reset_cells
    out=$(PGOPTIONS="-c synchronous_commit=$sync" pgbench -n -M prepared -c 2 -j 2 \
              -T "$seconds" -D rows="$rows" "${scripts[@]}" 2>&1) || { echo "$out" >&2; return 1; }
    printf '== rows=%s %s round=%s\n%s\n' "$rows" "$workload" "$round" "$out" >> "$pgbench_log"
    [ "$round" -gt 0 ] || return 0
    # Per script (several scripts): its transactions and mean latency; one script: its tps.
    awk -v rows="$rows" -v workload="$workload" -v round="$round" -v first="${1}" '
        function put(m, measure, value) { printf "%s\tend-to-end\t%s\t%s\t%s\t%s\t%s\n", rows, workload, round, m, measure, value }
        /^SQL script [0-9]+: / { n = split($4, path, "/"); m = toupper(substr(path[n], 1, 1)) }
        /^ - [0-9]+ transactions/ { put(m, "calls", $2) }
        /^ - latency average = / { put(m, "latency ms", $5) }
        /^number of transactions actually processed: / { total = $6 }
        /^tps = / { tps = $3 }
        END { if (m == "") { put(first, "calls", total); put(first, "tps", tps) } }
    ' <<< "$out" | psql_quiet -c "\\copy bench_results FROM STDIN"
    psql_quiet -c "INSERT INTO bench_results
                   SELECT $rows, 'end-to-end', '$workload', $round, '$(IFS=; echo "$*")', 'inserts', count(*)
                   FROM bench.list_company_cells
                   WHERE column_id IN (SELECT bench.id('20000000', c) FROM generate_series(11, 20) c)"
}

first_size=1
for rows in $SIZES; do
    echo "== rows=$rows: fixture"
    psql_quiet -v rows="$rows" -v other_lists="$OTHER_LISTS" -f bench/sql/fixture.sql -f bench/sql/reference.sql \
               -f bench/sql/timing.sql
    if [ $first_size = 1 ]; then psql_quiet -f bench/sql/check_reference.sql; fi

    echo "== rows=$rows: in-server, $ROUNDS rounds of $CALLS calls per method and workload"
    in_server_script "$rows" | psql_quiet -o /dev/null

    echo "== rows=$rows: end-to-end, $E2E_ROUNDS rounds of ${E2E_SECONDS}s, interleaved and separate"
    pgbench_run "$rows" warm-up 0 off 1 A B C
    for ((round = 1; round <= E2E_ROUNDS; round++)); do
        pgbench_run "$rows" interleaved "$round" off "$E2E_SECONDS" A B C
        for method in $(rotated "$round" A B C); do
            pgbench_run "$rows" separate "$round" off "$E2E_SECONDS" "$method"
        done
    done
    if [ $first_size = 1 ]; then
        echo "== rows=$rows: end-to-end, synchronous_commit=on, once"
        pgbench_run "$rows" 'interleaved, sync on' 1 on "$E2E_SECONDS" A B C
    fi
    first_size=0
done

psql_quiet -c "\\copy bench_results TO '$raw' CSV HEADER"
{
    psql -X -A -t -c "SELECT format('server %s, fsync=%s, shared_buffers=%s, extension_destdir=%s',
                          current_setting('server_version'), current_setting('fsync'),
                          current_setting('shared_buffers'), current_setting('extension_destdir', true))"
    echo "fixture: 1 list of 20 company columns and the rows below, $OTHER_LISTS other lists"
    echo "in-server: $ROUNDS rounds of $CALLS calls per method, in blocks of $BLOCK; end-to-end: $E2E_ROUNDS rounds of ${E2E_SECONDS}s, pgbench -M prepared -c 2, synchronous_commit=off"
    psql_quiet -f bench/sql/report.sql
} | tee "$summary"
echo "raw numbers: $raw, $pgbench_log; this table: $summary"
