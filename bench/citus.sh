#!/usr/bin/env bash
# The Citus benchmark: bash bench/citus.sh
# Builds and stages the extension, starts a coordinator and two workers on loopback set up as
# docs/citus.md says (test/citus/cluster.sh, fsync on), loads BENCH_CITUS_LISTS lists of 20
# company columns and BENCH_CITUS_ROWS rows, and runs pgbench through the coordinator with 2
# clients, in rounds that alternate the function and the bare upsert of the same cells (which
# runs first alternates too):
#   autocommit   SELECT app.cell_upsert(...) against INSERT ... VALUES ... ON CONFLICT DO
#                UPDATE of the same cell and columns, as the tables' owner;
#   postgrest    PostgREST's transaction (BEGIN, set_config of the search path, the role and
#                the claims, the pre-request function, the call as PostgREST writes it,
#                COMMIT), as authenticator, against the same transaction with the bare upsert
#                in place of the call (as authenticated, under the same policies);
#   batch        SELECT app.cell_upsert_many(...) of 10,000 cells against the set-based
#                INSERT ... SELECT ... FROM jsonb_to_recordset(<the same JSON>) ON CONFLICT,
#                as the owner.
# A random list, row and column per call. The functions keep the plans of their reads for
# the last 16 lists a worker's backend used (src/pg/list_plans.h): with the 8 lists of the
# default, every call finds them; BENCH_CITUS_LISTS=1000 BENCH_CITUS_ROWS=200 measures calls
# that almost never do (and skips the batch, which needs 500 rows). Prints, per workload,
# the ratio of the function's throughput to the bare upsert's in each round, and their
# median; then the same ratio from one run that interleaves both (pgbench draws the script of
# each transaction, so that a burst of load on a shared machine hits both alike): the ratio
# of their mean latencies. Reported, never asserted.
# Also: BENCH_CITUS_ROUNDS (5), BENCH_CITUS_SECONDS per run (10), BENCH_CITUS_BATCH_CALLS per
# client and batch run (4), BENCH_CITUS_SYNCHRONOUS_COMMIT (on), BENCH_CITUS_HISTORY (on; off
# drops the history's triggers), BENCH_CITUS_CELLS (empty: the runs insert cells at first, and
# overwrite more of them as they fill; full: every cell is written before the runs, so every
# call overwrites one, as a person's edit of an enriched list does). About 13 minutes with the
# defaults; as root (it installs the packages it needs, as tools/test.sh does).
# Skipped (exit 77) when Citus is not installed. Raw pgbench output: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/lib.sh
. test/citus/cluster.sh

LISTS=${BENCH_CITUS_LISTS:-8}
ROWS=${BENCH_CITUS_ROWS:-2000}
ROUNDS=${BENCH_CITUS_ROUNDS:-5}
SECONDS_PER_RUN=${BENCH_CITUS_SECONDS:-10}
BATCH_CELLS=10000                          # 500 rows x 20 columns
BATCH_CALLS=${BENCH_CITUS_BATCH_CALLS:-4}  # per client and run
SYNCHRONOUS_COMMIT=${BENCH_CITUS_SYNCHRONOUS_COMMIT:-on}
HISTORY=${BENCH_CITUS_HISTORY:-on}   # off: the history's triggers dropped from the cells
CELLS=${BENCH_CITUS_CELLS:-empty}    # full: every cell written before the runs (overwrites only)

if ! citus_installed; then
    echo "bench/citus.sh: SKIPPED: Citus is not installed in $("$cluster_bin/pg_config" --pkglibdir)"
    exit 77
fi
install_packages
build_and_stage
unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSERVICE PGOPTIONS
work=$(mktemp -d /tmp/cellupsert-citus-bench.XXXXXX)
trap 'cluster_stop; rm -rf "$work"' EXIT
CLUSTER_FSYNC=on cluster_setup "$STAGE_DIR" > "$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }
for port in $COORDINATOR $WORKER1 $WORKER2; do
    on "$port" -c "ALTER SYSTEM SET synchronous_commit = $SYNCHRONOUS_COMMIT" -c "SELECT pg_reload_conf()" >/dev/null
done
# Without the manual-edit guard, as on a single node (bench/sql/fixture.sql): the runs compare
# writers, and the guard would skip the bare upserts of cells that are a person's edit, as all
# of them are once written (nothing written, no WAL to flush at commit).
on "$COORDINATOR" -c "SET citus.enable_unsafe_triggers = on" \
    -c "DROP TRIGGER list_company_cells_manual_guard ON app.list_company_cells" >/dev/null
if [ "$HISTORY" = off ]; then
    on "$COORDINATOR" -c "SET citus.enable_unsafe_triggers = on" \
        -c "DROP TRIGGER list_company_cells_history_insert ON app.list_company_cells" \
        -c "DROP TRIGGER list_company_cells_history_update ON app.list_company_cells" >/dev/null
fi
echo "cluster: coordinator :$COORDINATOR, workers :$WORKER1 :$WORKER2; $LISTS lists x 20 columns x $ROWS rows;" \
     "synchronous_commit=$SYNCHRONOUS_COMMIT; history $HISTORY; cells $CELLS; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# Ids: a prefix and a 12-digit number, so that pgbench can write them (:l, :r, :c).
on "$COORDINATOR" -v lists="$LISTS" -v rows="$ROWS" <<'SQL'
INSERT INTO app.lists (id, name)
SELECT ('10000000-0000-4000-8000-' || (100000000000 + l))::uuid, 'list ' || l FROM generate_series(1, :lists) l;
INSERT INTO app.list_columns (list_id, id, subject, name)
SELECT l.id, ('20000000-0000-4000-8000-' || (100000000000 + c))::uuid, 'company', 'column ' || c
FROM app.lists l, generate_series(1, 20) c;
INSERT INTO app.list_companies (list_id, id, name)
SELECT l.id, ('30000000-0000-4000-8000-' || (100000000000 + r))::uuid, 'row ' || r
FROM app.lists l, generate_series(1, :rows) r;
INSERT INTO app.list_members (list_id, user_id, can_edit) SELECT id, 'bench', true FROM app.lists;
SQL
if [ "$CELLS" = full ]; then
    on "$COORDINATOR" -c "INSERT INTO app.list_company_cells (list_id, column_id, company_row_id, value, status)
                          SELECT c.list_id, c.id, r.id, 'enriched', 'complete'
                          FROM app.list_columns c JOIN app.list_companies r USING (list_id)" >/dev/null
fi

pick='\set l 100000000000 + random(1, '$LISTS')
\set r 100000000000 + random(1, '$ROWS')
\set c 100000000000 + random(1, 20)'
list="'10000000-0000-4000-8000-:l'"
row="'30000000-0000-4000-8000-:r'"
col="'20000000-0000-4000-8000-:c'"
columns="list_id, column_id, company_row_id, value, status, source, edited_by, edited_at"
set_list="value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at"
bare="INSERT INTO app.list_company_cells ($columns) VALUES ($list, $col, $row, 'bench ' || :client_id, 'complete', 'manual', current_user, now()) ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET $set_list;"
begin="BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '\"app\", \"public\"', true), set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{\"aud\":\"authenticated\",\"role\":\"authenticated\",\"sub\":\"bench\"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true);
select \"app\".\"pre_request\"();"
rpc="WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{\"list\": \"10000000-0000-4000-8000-:l\", \"row\": \"30000000-0000-4000-8000-:r\", \"col\": \"20000000-0000-4000-8000-:c\", \"val\": \"bench :client_id\"}'::json AS json_data) pgrst_payload, LATERAL (SELECT \"list\", \"row\", \"col\", \"val\" FROM json_to_record(pgrst_payload.json_data) AS _(\"list\" uuid, \"row\" uuid, \"col\" uuid, \"val\" text) LIMIT 1) pgrst_body, LATERAL (SELECT \"app\".\"cell_upsert\"(\"list\" := pgrst_body.\"list\", \"row\" := pgrst_body.\"row\", \"col\" := pgrst_body.\"col\", \"val\" := pgrst_body.\"val\") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT \"cell_upsert\".* FROM \"pgrst_source\" AS \"cell_upsert\") _postgrest_t;"

printf '%s\n%s\n' "$pick" "SELECT app.cell_upsert($list, $row, $col, 'bench ' || :client_id);" > "$work/autocommit.function.sql"
printf '%s\n%s\n' "$pick" "$bare" > "$work/autocommit.bare.sql"
printf '%s\n%s\n%s\nCOMMIT;\n' "$pick" "$begin" "$rpc" > "$work/postgrest.function.sql"
printf '%s\n%s\n%s\nCOMMIT;\n' "$pick" "$begin" "$bare" > "$work/postgrest.bare.sql"
# The batch: rows 1 to 500 of a random list, 20 columns each, in one JSON array.
cells=$(on "$COORDINATOR" -At -c "SELECT jsonb_agg(jsonb_build_object(
            'row', '30000000-0000-4000-8000-' || (100000000000 + r), 'col', '20000000-0000-4000-8000-' || (100000000000 + c),
            'val', 'batch ' || r || '.' || c) ORDER BY r, c)
        FROM generate_series(1, $((BATCH_CELLS / 20))) r, generate_series(1, 20) c")
printf '%s\n%s\n' "$pick" "SELECT app.cell_upsert_many($list, '$cells');" > "$work/batch.function.sql"
printf '%s\n%s\n' "$pick" "INSERT INTO app.list_company_cells ($columns) SELECT $list, e.col, e.\"row\", e.val, 'complete', 'manual', current_user, now() FROM jsonb_to_recordset('$cells') AS e (\"row\" uuid, col uuid, val text) ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET $set_list;" \
    > "$work/batch.bare.sql"

mkdir -p bench/results
raw=bench/results/citus-$(date +%Y%m%d-%H%M%S).log
tps() {  # tps WORKLOAD METHOD: runs one pgbench, prints its tps
    local user=postgres password= limit=(-T "$SECONDS_PER_RUN")
    [ "$1" = postgrest ] && user=authenticator password=change-me-authenticator
    [ "$1" = batch ] && limit=(-t "$BATCH_CALLS")
    PGPASSWORD=$password "$cluster_bin/pgbench" -n -h 127.0.0.1 -p "$COORDINATOR" -U "$user" -c 2 -j 2 \
        "${limit[@]}" -f "$work/$1.$2.sql" postgres > "$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out"; exit 1; }
    { echo "== $1 $2"; grep -vE '^(transaction type|scaling factor|query mode|number of threads|maximum number)' "$work/pgbench.out"; } >> "$raw"
    grep -q 'number of failed transactions: 0 ' "$work/pgbench.out" || { cat "$work/pgbench.out"; exit 1; }
    sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$work/pgbench.out"
}

interleaved() {  # interleaved WORKLOAD: both scripts in one run; bare's mean latency / function's
    local user=postgres password= seconds=$((2 * SECONDS_PER_RUN))
    [ "$1" = postgrest ] && user=authenticator password=change-me-authenticator
    [ "$1" = batch ] && seconds=$((6 * SECONDS_PER_RUN))
    PGPASSWORD=$password "$cluster_bin/pgbench" -n -h 127.0.0.1 -p "$COORDINATOR" -U "$user" -c 2 -j 2 \
        -T "$seconds" -f "$work/$1.function.sql@1" -f "$work/$1.bare.sql@1" postgres > "$work/pgbench.out" 2>&1 ||
        { cat "$work/pgbench.out"; exit 1; }
    { echo "== $1 interleaved"; cat "$work/pgbench.out"; } >> "$raw"
    grep -q 'number of failed transactions: 0 ' "$work/pgbench.out" || { cat "$work/pgbench.out"; exit 1; }
    sed -n 's/^ - latency average = \([0-9.]*\) ms$/\1/p' "$work/pgbench.out" |
        awk '{ l[NR] = $1 } END { if (NR == 2) printf "%.2f (mean latency %.2f ms against %.2f ms)", l[2] / l[1], l[1], l[2] }'
}

echo "workload    round  function tps   bare tps   function/bare"
workloads=(autocommit postgrest batch)
if [ "$ROWS" -lt $((BATCH_CELLS / 20)) ]; then
    echo "(no batch: it writes rows 1 to $((BATCH_CELLS / 20)) of a list, and a list has $ROWS)"
    workloads=(autocommit postgrest)
fi
for workload in "${workloads[@]}"; do
    ratios=()
    for ((round = 1; round <= ROUNDS; round++)); do
        if [ $((round % 2)) -eq 1 ]; then
            f=$(tps "$workload" function); b=$(tps "$workload" bare)
        else
            b=$(tps "$workload" bare); f=$(tps "$workload" function)
        fi
        ratio=$(awk -v f="$f" -v b="$b" 'BEGIN { printf "%.2f", f / b }')
        ratios+=("$ratio")
        printf '%-11s %5d %13.1f %10.1f %15s\n' "$workload" "$round" "$f" "$b" "$ratio"
    done
    median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    printf '%-11s median function/bare: %s (min %s, max %s)\n' "$workload" "$median" \
        "$(printf '%s\n' "${ratios[@]}" | sort -n | head -1)" "$(printf '%s\n' "${ratios[@]}" | sort -n | tail -1)"
    printf '%-11s interleaved function/bare: %s\n' "$workload" "$(interleaved "$workload")"
done
echo "raw pgbench output: $raw"
