#!/usr/bin/env bash
# The migration of docs/adoption.md (c), timed: bash bench/migration.sh (~5 minutes)
# Builds the list tables in the original API's shape (test/fixtures/original_shape.sql) with
# BENCH_MIGRATION_LISTS x 20 columns x 500 rows cells (100 lists: 1,000,000), then runs the SQL
# of each "Step" of the guide, as test/scripts/adoption_migration.sh does, while the old
# writer (test/fixtures/old_writer.pgbench) runs BENCH_MIGRATION_WRITER_RATE transactions a
# second (0: none). For each step it reports its time, the relation locks it held on the list
# tables as a second session saw them in pg_locks, and the old writer's longest transaction
# among those that ended during the step. Steps that can run in a transaction block run in
# one, and the second session reads the locks before the COMMIT, so that it sees them all;
# the others (CONCURRENTLY, VACUUM, the batches' COMMIT) are watched every 5 ms while they run.
# A throwaway server of its own (bench/server.sh), unless PGHOST is set. Raw results go to
# bench/results/migration-*.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
lists=${BENCH_MIGRATION_LISTS:-100}
rate=${BENCH_MIGRATION_WRITER_RATE:-50}
columns=20
rows=500
writer=bench_migration_writer

. bench/server.sh
start_server_unless_pghost

mkdir -p bench/results
report=bench/results/migration-$(date +%Y%m%d-%H%M%S).txt
work=$(mktemp -d)
writer_pid=
cleanup() {
    [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null
    rm -rf "$work"
    stop_server
}
trap cleanup EXIT
db=cellupsert_migration_bench
psql -qX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -qX -d postgres <<< "SELECT 'CREATE ROLE $writer' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$writer') \gexec"
export PGDATABASE=$db
sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== building $((lists * columns * rows)) cells in the original shape"
t0=$SECONDS
sql -v lists="$lists" -v columns=$columns -v rows=$rows -v writer=$writer -f test/fixtures/original_shape.sql
sql -v writer=$writer -f test/fixtures/old_writer.sql
sql -c 'CHECKPOINT'
echo "   built in $((SECONDS - t0)) s; cells: $(sql -At -c "SELECT pg_size_pretty(pg_total_relation_size('app.list_company_cells'))") with indexes"

mkdir "$work/steps"
awk -v section='(c)' -v heading='^Step ' -v out="$work/steps" -f test/fixtures/doc_steps.awk \
    docs/adoption.md > "$work/steps.list"

# The relation locks on the list tables held by the backends :'where' selects.
# One line, as psql's \! needs it.
locks_sql="SELECT DISTINCT c.relname || ' ' || l.mode || CASE WHEN l.granted THEN '' ELSE ' (waiting)' END"
locks_sql+=" FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_stat_activity a ON a.pid = l.pid"
locks_sql+=" WHERE l.locktype = 'relation' AND c.relnamespace = 'app'::regnamespace AND c.relkind = 'r' AND"

if [ "$rate" -gt 0 ]; then
    pgbench -n -f test/fixtures/old_writer.pgbench -D role=$writer -D lists="$lists" -D columns=$columns \
        -D rows=$rows -c 1 -R "$rate" -T 36000 > "$work/writer.log" 2>&1 &
    writer_pid=$!
    sleep 2
fi

{
    echo "cellupsert migration benchmark, docs/adoption.md (c): $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "$(sql -At -c 'SELECT count(*) FROM app.list_company_cells') cells; $(nproc) cores; $(sql -At -c 'SHOW server_version');" \
         "old writer at $rate transactions/s"
    echo
    echo "| step | time | locks held (pg_locks) | old writer: longest transaction, writes |"
    echo "|---|---|---|---|"
} > "$report"

while IFS=$'\t' read -r n title; do
    step=$work/steps/$n.sql
    : > "$work/locks"
    if grep -qE 'CONCURRENTLY|VACUUM|COMMIT' "$step"; then
        # Autocommit only: a second session samples the step's locks while it runs.
        printf '%s\n' "$locks_sql a.application_name = 'migration_step' ORDER BY 1" '\watch 0.005' > "$work/sampler.sql"
        psql -X -At -f "$work/sampler.sql" > "$work/samples" 2>/dev/null &
        sampler_pid=$!
        sleep 0.3
        PGAPPNAME=migration_step sql -At > "$work/step.out" <<SQL
SELECT clock_timestamp() AS t0 \gset
\i $step
SELECT :'t0', clock_timestamp(), round(extract(epoch FROM clock_timestamp() - :'t0') * 1000);
SQL
        sleep 0.05
        kill -INT $sampler_pid
        wait $sampler_pid || true
        grep -v '^$' "$work/samples" | sort -u > "$work/locks" || true
    else
        # In a transaction: the second session reads the locks before the COMMIT.
        sql -At > "$work/step.out" <<SQL
SELECT pg_backend_pid() AS pid \gset
\setenv STEP_PID :pid
BEGIN;
SELECT clock_timestamp() AS t0 \gset
\i $step
SELECT :'t0', clock_timestamp(), round(extract(epoch FROM clock_timestamp() - :'t0') * 1000);
\! psql -X -At -c "$locks_sql a.pid = \$STEP_PID ORDER BY 1" > $work/locks
COMMIT;
SQL
    fi
    IFS='|' read -r started ended ms < <(tail -1 "$work/step.out")
    locks=$(paste -sd ';' "$work/locks" | sed 's/;/; /g')
    writes=$(sql -At -c "SELECT coalesce(round(extract(epoch FROM max(took)) * 1000) || ' ms', '-') || ', ' || count(*)
                         FROM adoption_test.writes WHERE ended BETWEEN '$started' AND '$ended'")
    printf '| %s | %s ms | %s | %s |\n' "$title" "$ms" "$locks" "$writes" | tee -a "$report"
done < "$work/steps.list"

if [ -n "$writer_pid" ]; then
    kill -0 "$writer_pid" 2>/dev/null || { cat "$work/writer.log"; echo "the old writer stopped" >&2; exit 1; }
    kill "$writer_pid"
    wait "$writer_pid" 2>/dev/null || true
    writer_pid=
    echo >> "$report"
    echo "old writer over the whole run: $(sql -At -c "SELECT count(*) || ' writes, longest ' ||
        round(extract(epoch FROM max(took)) * 1000) || ' ms' FROM adoption_test.writes")" | tee -a "$report"
fi
[ "$(sql -At -c 'SELECT count(*) FROM app.list_company_cells WHERE list_id IS NULL')" = 0 ] ||
    { echo "cells without list_id after the migration" >&2; exit 1; }
echo "report: $report"
psql -qX -d postgres -c "DROP DATABASE $db" -c "DROP ROLE $writer"
