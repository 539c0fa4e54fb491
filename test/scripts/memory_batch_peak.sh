#!/usr/bin/env bash
# Peak memory of one cell_upsert_many call of CELLUPSERT_PEAK_CELLS cells (default 100,000),
# against a bare set-based INSERT ... SELECT FROM jsonb_array_elements(...) ON CONFLICT of
# the same number of cells from the same kind of input, each in a fresh backend (warmed up
# on 3 cells). A second session reads the backend's /proc status during the statement, with
# pauses of 1 ms: its private memory (RssAnon) is what the statement itself allocates; VmRSS
# and VmHWM also count the pages of shared buffers it touches (the table, its indexes, the
# WAL buffers), much the same for both. Prints the figures, and fails if the
# function's peak private memory grows by more than 10 times the size of its input (the
# JSON text of the batch).
#
# Needs a superuser (pg_read_file); creates and drops the database cellupsert_memory_peak.
# Run alone against any server where the extension is installed (PGHOST, PGPORT, PGUSER):
#   CELLUPSERT_PEAK_CELLS=200000 bash test/scripts/memory_batch_peak.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

cells=${CELLUPSERT_PEAK_CELLS:-100000}
db=cellupsert_memory_peak

if [ "$(psql -X -At -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')" != t ]; then
    echo "memory_batch_peak: FAILED: needs a superuser (it reads /proc through pg_read_file)"
    exit 1
fi

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db"
watcher=
trap '[ -z "$watcher" ] || kill "$watcher" 2>/dev/null; dropdb --if-exists "$db"' EXIT
psql -X -q -v ON_ERROR_STOP=1 -v cells="$cells" -d "$db" -f test/scripts/memory_batch_peak.sql

# measure LABEL WARM-UP STATEMENT: runs STATEMENT in a fresh backend after WARM-UP, while
# a second session samples its memory.
measure() {
    local label=$1 warm_up=$2 statement=$3
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
        -c 'SELECT pg_advisory_lock(1), pg_advisory_lock(3)' \
        -c "SELECT memtest.watch('$label')" > /dev/null &
    watcher=$!
    # The watcher must hold its locks before the measured backend asks for them.
    for _ in $(seq 600); do
        [ "$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_locks
              WHERE locktype = 'advisory' AND objid IN (1, 3) AND granted")" = 2 ] && break
        sleep 0.1
    done
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" > /dev/null <<SQL
BEGIN;
$warm_up;
ROLLBACK;
SELECT pg_advisory_lock(2);
SELECT pg_advisory_lock(1);
SELECT pg_advisory_unlock(1);
BEGIN;
$statement;
COMMIT;
SELECT pg_advisory_unlock(2);
SELECT pg_advisory_lock(3);
SQL
    wait "$watcher"
    watcher=
}

echo "memory_batch_peak: one call of $cells cells, against a bare INSERT ... ON CONFLICT"
list() { echo "memtest.list_id($1)"; }
measure cell_upsert_many \
    "SELECT app.cell_upsert_many($(list 3), (SELECT cells FROM memtest.input WHERE list_id = $(list 3)))" \
    "SELECT app.cell_upsert_many($(list 1), (SELECT cells FROM memtest.input WHERE list_id = $(list 1)))"
measure bare "SELECT memtest.bare_upsert($(list 3))" "SELECT memtest.bare_upsert($(list 2))"

psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
\pset footer off
SELECT (SELECT count(*) FROM app.list_company_cells WHERE list_id = memtest.list_id(1)) AS cells_by_function,
       (SELECT count(*) FROM app.list_company_cells WHERE list_id = memtest.list_id(2)) AS cells_by_bare,
       pg_size_pretty(octet_length(cells::text)::bigint) AS input_json_text,
       pg_size_pretty(pg_column_size(cells::text::jsonb)::bigint) AS input_jsonb,
       pg_size_pretty(pg_column_size(cells)::bigint) AS input_stored
FROM memtest.input WHERE list_id = memtest.list_id(1);
SELECT label, samples,
       pg_size_pretty(1024 * (rss_anon_peak - rss_anon_kb)) AS private_peak_growth,
       pg_size_pretty(1024 * (rss_anon_after - rss_anon_kb)) AS private_growth_after,
       pg_size_pretty(1024 * (vm_hwm_after - vm_rss_kb)) AS resident_peak_growth,
       round((1024 * (rss_anon_peak - rss_anon_kb))::numeric / octet_length(i.cells::text), 2)
         AS private_peak_per_input_byte,
       round((rss_anon_peak - rss_anon_kb)::numeric
             / (SELECT b.rss_anon_peak - b.rss_anon_kb FROM memtest.peaks b WHERE b.label = 'bare'), 2)
         AS private_peak_vs_bare
FROM memtest.peaks, memtest.input i WHERE i.list_id = memtest.list_id(1)
ORDER BY label DESC;
SQL

verdict=$(psql -X -At -v ON_ERROR_STOP=1 -d "$db" <<SQL
SELECT format('%s %s', 1024 * (f.rss_anon_peak - f.rss_anon_kb) <= 10 * octet_length(i.cells::text)
                       AND (SELECT count(*) FROM app.list_company_cells WHERE list_id = i.list_id) = $cells,
              round((1024 * (f.rss_anon_peak - f.rss_anon_kb))::numeric / octet_length(i.cells::text), 2))
FROM memtest.peaks f, memtest.input i
WHERE f.label = 'cell_upsert_many' AND i.list_id = memtest.list_id(1);
SQL
)
if [ "${verdict%% *}" != t ]; then
    echo "memory_batch_peak: FAILED: private memory grew by ${verdict#* } times the input, or cells are missing"
    exit 1
fi
echo "memory_batch_peak: ok, the function's private memory peaked at ${verdict#* } times its input (limit 10)"
