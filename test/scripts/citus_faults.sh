#!/usr/bin/env bash
# Citus under faults: the guide's cluster (docs/citus.md, as test/scripts/citus_cluster.sh sets
# it up), then
#   - shard moves under clients that call inside transactions (PostgREST's shape, a plain
#     BEGIN; SELECT app.cell_upsert(...); COMMIT, batches, REPEATABLE READ) and in autocommit
#     (a call holds the list's shards and writes the cells' shard itself): every outcome
#     counted by SQLSTATE,
#     only 00000 and 40001 allowed, and every acknowledged write in the history exactly once
#     (none lost, none doubled), each client's cell holding its last acknowledged value;
#   - the fields a client receives (SQLSTATE, message, detail, hint) for the errors the guide
#     lists: a viewer's edit, a column deleted while the call waits for it, the worker's
#     backend terminated or killed, a worker down, a call per row of a query on a distributed
#     table, a call sent to a worker without its list: no shard, role, host or port in them.
# Skipped (exit 77) without Citus, like citus_cluster.sh. Alone, from the repository root,
# after staging the extension: bash test/scripts/citus_faults.sh (CITUS_TEST_KEEP=1 keeps the
# cluster; CITUS_FAULTS_SECONDS, default 24, is about how long the clients call during the
# moves, at least one round of 4).
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/citus/cluster.sh
. test/citus/checks.sh
citus_script_start citus_faults

echo "== the guide: docs/citus.md"
cluster_with_data "$STAGE"
# Six more company columns of list1: each client below writes cells of its own.
colA=20000000-0000-4000-8000-0000000000a1
colB=20000000-0000-4000-8000-0000000000b1
colC=20000000-0000-4000-8000-0000000000c1
colD=20000000-0000-4000-8000-0000000000d1
colE=20000000-0000-4000-8000-0000000000f1
colF=20000000-0000-4000-8000-0000000000f2
coordinator -c "INSERT INTO app.list_columns (list_id, id, subject, response_type, name) VALUES
    ('$list1', '$colA', 'company', 'text', 'A'), ('$list1', '$colB', 'company', 'text', 'B'),
    ('$list1', '$colC', 'company', 'text', 'C'), ('$list1', '$colD', 'company', 'text', 'D'),
    ('$list1', '$colE', 'company', 'text', 'E'), ('$list1', '$colF', 'company', 'text', 'F')" >/dev/null
list1_worker=$(coordinator -c "SELECT nodeport FROM citus_shards WHERE table_name = 'app.lists'::regclass
                               AND shardid = get_shard_id_for_distribution_column('app.lists', '$list1'::uuid)")
other_worker=$WORKER1
[ "$list1_worker" = "$WORKER1" ] && other_worker=$WORKER2
cells_shard=$(coordinator -c "SELECT get_shard_id_for_distribution_column('app.list_company_cells', '$list1'::uuid)")

echo "== shard moves under clients that call inside transactions and in autocommit"
# client NAME PSQL_ARGS...: until $WORK/stop exists, one transaction after another in one
# session, each followed by the SQLSTATE of its call and of its COMMIT ("NAME N CALL COMMIT");
# the call of transaction N writes the value "NAME-N". Its output goes to $WORK/NAME.out.
transaction() {  # transaction NAME N: the text of transaction N of client NAME
    local name=$1 n=$2 value="$1-$2"
    case $name in
    postgrest_single)
        printf '%s\n' "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;" \
            "select set_config('search_path', '\"app\", \"public\"', true), set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{\"role\":\"authenticated\",\"sub\":\"alice\"}', true) \\g /dev/null" \
            "select \"app\".\"pre_request\"() \\g /dev/null" \
            "$(rpc_call cell_upsert "{\"list\": \"$list1\", \"row\": \"$row1\", \"col\": \"$colA\", \"val\": \"$value\"}") \\g /dev/null" ;;
    postgrest_batch)
        printf '%s\n' "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;" \
            "select set_config('search_path', '\"app\", \"public\"', true), set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{\"role\":\"authenticated\",\"sub\":\"alice\"}', true) \\g /dev/null" \
            "select \"app\".\"pre_request\"() \\g /dev/null" \
            "$(rpc_call cell_upsert_many "{\"list\": \"$list1\", \"cells\": [{\"row\": \"$row1\", \"col\": \"$colB\", \"val\": \"$value\"}, {\"row\": \"$row1b\", \"col\": \"$colB\", \"val\": \"$value\"}]}") \\g /dev/null" ;;
    plain_single)
        printf '%s\n' "BEGIN;" "SELECT app.cell_upsert('$list1', '$row1', '$colC', '$value') \\g /dev/null" ;;
    repeatable_read)
        printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ;" "SELECT app.cell_upsert('$list1', '$row1', '$colE', '$value') \\g /dev/null" ;;
    autocommit)  # its COMMIT, with no transaction open, only warns
        printf '%s\n' "SELECT app.cell_upsert('$list1', '$row1', '$colF', '$value') \\g /dev/null" ;;
    plain_batch)
        printf '%s\n' "BEGIN;" \
            "SELECT app.cell_upsert_many('$list1', '[{\"row\": \"$row1\", \"col\": \"$colD\", \"val\": \"$value\"}, {\"row\": \"$row1b\", \"col\": \"$colD\", \"val\": \"$value\"}]') \\g /dev/null" ;;
    esac
    printf '%s\n' "\\echo $name $n :SQLSTATE" "COMMIT;" "\\echo commit :SQLSTATE"
}
client() {
    local name=$1 n=0
    shift
    while [ ! -e "$WORK/stop" ]; do
        n=$((n + 1))
        transaction "$name" "$n"
    done | "$@" -X -q -At -v ON_ERROR_STOP=0 -d postgres > "$WORK/$name.out" 2> "$WORK/$name.err"
}
as_postgres=("$cluster_bin/psql" -h 127.0.0.1 -p "$COORDINATOR" -U postgres)
as_authenticator=(env PGPASSWORD=change-me-authenticator "$cluster_bin/psql" -h 127.0.0.1 -p "$COORDINATOR" -U authenticator)
rm -f "$WORK/stop"
client postgrest_single "${as_authenticator[@]}" &
client postgrest_batch "${as_authenticator[@]}" &
client plain_single "${as_postgres[@]}" &
client plain_batch "${as_postgres[@]}" &
client repeatable_read "${as_postgres[@]}" &
client autocommit "${as_postgres[@]}" &
move() {  # move FROM TO MODE
    echo "SELECT citus_move_shard_placement($cells_shard, '127.0.0.1', $1, '127.0.0.1', $2, shard_transfer_mode => '$3');"
    echo "CALL citus_cleanup_orphaned_resources();"
    echo "SELECT pg_sleep(1);"
}
seconds=${CITUS_FAULTS_SECONDS:-24}
moves=0
start=$SECONDS
sleep 1
while [ $((SECONDS - start)) -lt "$seconds" ]; do
    for mode in block_writes force_logical; do
        { move "$list1_worker" "$other_worker" "$mode"; move "$other_worker" "$list1_worker" "$mode"; } |
            on "$COORDINATOR" -At -o /dev/null >> "$WORK/moves.log" 2>&1 || echo "the moves failed" >> "$WORK/moves.log"
        moves=$((moves + 2))
    done
done
touch "$WORK/stop"
wait
grep -q 'failed' "$WORK/moves.log" && not_ok "the moves" "$WORK/moves.log" || ok "$moves moves (block_writes and force_logical)"

# Outcomes: "NAME N CALL_SQLSTATE" then "commit COMMIT_SQLSTATE"; acknowledged: both 00000.
outcomes() {  # outcomes NAME: "SQLSTATE count" of its calls, most frequent first
    awk -v name="$1" '$1 == name { print $3 }' "$WORK/$1.out" | sort | uniq -c | sort -rn | awk '{ printf "%s %s, ", $2, $1 }' | sed 's/, $//'
}
acknowledged() {  # acknowledged NAME: the numbers of its transactions whose call and COMMIT succeeded
    awk -v name="$1" '$1 == name { n = $2; call = $3; next } $1 == "commit" { if (call == "00000" && $2 == "00000") print n }' "$WORK/$1.out"
}
for name in postgrest_single postgrest_batch plain_single plain_batch repeatable_read autocommit; do
    echo "$name: $(outcomes "$name")"
    calls=$(awk -v name="$name" '$1 == name' "$WORK/$name.out" | wc -l)
    if [ "$calls" -ge 50 ] && ! grep -qiE 'server closed|connection to server|FATAL' "$WORK/$name.err"; then
        ok "$name: called throughout ($calls calls), its connection kept"
    else not_ok "$name: called throughout ($calls calls), its connection kept" "$WORK/$name.err"; fi
    refused=$(awk -v name="$name" '$1 == name && $3 != "00000" && $3 != "40001"' "$WORK/$name.out" | wc -l)
    if [ "$refused" -eq 0 ]; then ok "$name: every call succeeded or failed with 40001"; else
        grep -E 'ERROR|DETAIL|HINT|CONTEXT|^\s' "$WORK/$name.err" | sort | uniq -c | sort -rn | head -20 > "$WORK/errors"
        not_ok "$name: every call succeeded or failed with 40001 ($refused did not)" "$WORK/errors"
    fi
    acknowledged "$name" > "$WORK/$name.acked"
    prefix=${name}-
    same "$name: the history holds each acknowledged write once, and nothing else" \
        "$(sed "s/^/$prefix/" "$WORK/$name.acked" | LC_ALL=C sort)" \
        "$(coordinator -c "SELECT value_after FROM app.list_cell_history
                           WHERE list_id = '$list1' AND value_after LIKE '$prefix%' AND company_row_id = '$row1'
                           ORDER BY value_after COLLATE \"C\"")"
    same "$name: its cell holds its last acknowledged value" "$prefix$(tail -1 "$WORK/$name.acked")" \
        "$(coordinator -c "SELECT value FROM app.list_company_cells
                           WHERE list_id = '$list1' AND company_row_id = '$row1' AND value LIKE '$prefix%'")"
done
grep -h 40001 -A2 "$WORK"/*.err | grep -E 'ERROR|HINT' | sort | uniq -c | sort -rn | head -4

echo "== the fields a client receives"
# clean NAME EXPECTED_SQLSTATE ACTUAL_SQLSTATE: the error in $WORK/notices has that SQLSTATE,
# and its message, detail and hint name no shard, role, host or port (nor Citus's advice to
# allow nested execution); prints them.
clean() {
    local name=$1 fields
    fields=$(sed -E 's/^psql:[^ ]* //' "$WORK/notices" |
        awk '/^ERROR:/ { error = 1; print; next } error && /^(DETAIL|HINT):/ { print; next } { error = 0 }')
    echo "$fields" | sed 's/^/    /'
    if [ "$3" = "$2" ] && [ -n "$fields" ] &&
        ! echo "$fields" | grep -qE "_[0-9]{6}\b|127\.0\.0\.1|:($COORDINATOR|$WORKER1|$WORKER2)\b|authenticated@|nested" &&
        ! { [ "${4:-}" = handed-over ] && grep -q 'while executing command on' "$WORK/notices"; }; then
        ok "$name: $2, no shard, role, host or port"
    else not_ok "$name: $2 (got $3), no shard, role, host or port" "$WORK/notices"; fi
}
sqlstate() { sed -n 's/^sqlstate=\([A-Z0-9]*\).*/\1/p'; }

# A viewer's edit: the policies of the cells refuse it on the worker.
state=$(postgrest authenticated carol "$(rpc_call cell_upsert "{\"list\": \"$list1\", \"row\": \"$row1\", \"col\": \"$col1\", \"val\": \"x\"}")" | sqlstate)
clean "a viewer's edit (PostgREST)" 42501 "$state" handed-over
grep -q 'policy for table "list_company_cells"' "$WORK/notices" && ok "a viewer's edit: names list_company_cells" ||
    not_ok "a viewer's edit: names list_company_cells" "$WORK/notices"

# A column deleted while the call waits for it: the checks saw it (its DELETE not committed),
# the write's foreign key check waits for the DELETE, which commits.
colX=20000000-0000-4000-8000-0000000000e1
coordinator -c "INSERT INTO app.list_columns (list_id, id, subject, response_type, name)
                VALUES ('$list1', '$colX', 'company', 'text', 'X')" >/dev/null
{ echo "BEGIN;"; echo "DELETE FROM app.list_columns WHERE list_id = '$list1' AND id = '$colX';"
  echo "SELECT pg_sleep(3);"; echo "COMMIT;"; } | on "$COORDINATOR" -At -o /dev/null &
sleep 1
state=$(postgrest authenticated alice "$(rpc_call cell_upsert "{\"list\": \"$list1\", \"row\": \"$row1\", \"col\": \"$colX\", \"val\": \"x\"}")" | sqlstate)
wait
clean "a column deleted while the call waits (PostgREST)" 23503 "$state" handed-over
grep -q 'table "list_company_cells" violates foreign key constraint "list_company_cells_' "$WORK/notices" &&
    grep -q 'is not present in table "list_columns"' "$WORK/notices" &&
    ok "a column deleted while the call waits: names the tables and the constraint" ||
    not_ok "a column deleted while the call waits: names the tables and the constraint" "$WORK/notices"

# A call per row of a query on a distributed table: Citus runs the query on the shard, where
# the call cannot run its statements (it holds no shards there: serves_a_delegated_call,
# src/pg/delegation.h; Citus sends such a query as a read, which each node commits alone).
on "$COORDINATOR" -At -v ON_ERROR_STOP=0 -c "SELECT app.cell_upsert(r.list_id, r.id, '$col1', 'per row')
    FROM app.list_companies r WHERE r.list_id = '$list1'" > "$WORK/notices" 2>&1
state=$(sqlstate_of "$COORDINATOR" "SELECT app.cell_upsert(r.list_id, r.id, '$col1', 'per row') FROM app.list_companies r WHERE r.list_id = '$list1'")
clean "a call per row of a query on list_companies" 0A000 "$state"
same "nothing written by it" 0 \
    "$(coordinator -c "SELECT count(*) FROM app.list_company_cells WHERE list_id = '$list1' AND value = 'per row'")"

# A call that Citus sent to a worker that does not hold its list (a move ended between Citus's
# routing and the call): as a connection of Citus's (its application_name) would send it, to
# the worker without list1.
not_here="SET application_name = 'citus_internal gpid=10000000001'; SELECT app.cell_upsert('$list1', '$row1', '$col1', 'not here')"
on "$other_worker" -At -v ON_ERROR_STOP=0 -c "$not_here" > "$WORK/notices" 2>&1
clean "a call sent to a worker without its list" 40001 "$(sqlstate_of "$other_worker" "$not_here")"
grep -q 'is not on the node that runs the call' "$WORK/notices" && ok "that call: \"is not on the node that runs the call\"" ||
    not_ok "that call: \"is not on the node that runs the call\"" "$WORK/notices"

# The worker's backend of a batch ended while the batch waits there (for a row another
# transaction holds FOR UPDATE): terminated, PostgreSQL's own 57P01, relayed; killed (SIGKILL,
# the worker then restarts), Citus's XX000 for a connection lost, said as 08006.
end_waiting_batch() {  # end_waiting_batch HOW: terminate, or kill
    local pid
    { echo "BEGIN;"; echo "SELECT FROM app.list_companies WHERE list_id = '$list1' AND id = '$row1' FOR UPDATE;"
      echo "SELECT pg_sleep(4);"; echo "ROLLBACK;"; } | on "$COORDINATOR" -At -o /dev/null 2>/dev/null &
    sleep 1
    postgrest authenticated alice "$(rpc_call cell_upsert_many "{\"list\": \"$list1\", \"cells\": [{\"row\": \"$row1\", \"col\": \"$col1\"}]}")" > "$WORK/killed" &
    for _ in $(seq 1 50); do
        pid=$(on "$list1_worker" -At -c "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%cell_upsert_many%'")
        [ -n "$pid" ] && break
        sleep 0.1
    done
    if [ "$1" = terminate ]; then on "$list1_worker" -At -o /dev/null -c "SELECT pg_terminate_backend($pid)"
    else kill -9 "$pid"; fi
    wait
}
end_waiting_batch terminate
clean "the worker's backend of a batch ended (PostgREST)" 57P01 "$(sqlstate < "$WORK/killed")" handed-over
end_waiting_batch kill
clean "the worker's backend of a batch killed (PostgREST)" 08006 "$(sqlstate < "$WORK/killed")" handed-over
for _ in $(seq 1 60); do on "$list1_worker" -At -c "SELECT 1" >/dev/null 2>&1 && break; sleep 0.5; done

# A worker down: the one that holds list2 (bob's).
list2_worker=$(coordinator -c "SELECT nodeport FROM citus_shards WHERE table_name = 'app.lists'::regclass
                               AND shardid = get_shard_id_for_distribution_column('app.lists', '$list2'::uuid)")
cluster_as_postgres "$cluster_bin/pg_ctl" -D "$CLUSTER_DIR/n$list2_worker" -m fast stop >/dev/null
state=$(postgrest authenticated bob "$(rpc_call cell_upsert "{\"list\": \"$list2\", \"row\": \"$row2\", \"col\": \"$col2\", \"val\": \"x\"}")" | sqlstate)
clean "a worker down (PostgREST)" 08006 "$state" handed-over
state=$(postgrest authenticated bob "$(rpc_call cell_upsert_many "{\"list\": \"$list2\", \"cells\": [{\"row\": \"$row2\", \"col\": \"$col2\"}]}")" | sqlstate)
clean "a worker down, a batch (PostgREST)" 08006 "$state" handed-over
# Citus delegates a plain call itself: its own words (docs/citus.md lists them).
on "$COORDINATOR" -At -v ON_ERROR_STOP=0 -c "SELECT app.cell_upsert('$list2', '$row2', '$col2', 'x')" > "$WORK/plain_down" 2>&1
same "a worker down, a plain call: Citus's own error" "ERROR:  connection to the remote node postgres@127.0.0.1:$list2_worker failed with the following error: Connection refused" \
    "$(head -1 "$WORK/plain_down")"
cluster_as_postgres "$cluster_bin/pg_ctl" -D "$CLUSTER_DIR/n$list2_worker" -l "$CLUSTER_DIR/n$list2_worker.log" -w start >/dev/null
same "the worker back: the call succeeds" "sqlstate=00000 body=true" \
    "$(postgrest authenticated bob "$(rpc_call cell_upsert "{\"list\": \"$list2\", \"row\": \"$row2\", \"col\": \"$col2\", \"val\": \"back\"}")")"

for port in $COORDINATOR $WORKER1 $WORKER2; do
    # (but the backend this script kills)
    if grep -E 'PANIC|TRAP|server process .* was terminated' "$CLUSTER_DIR/n$port.log" |
        grep -v 'terminated by signal 9: Killed' > "$WORK/crashes"; then
        not_ok "no crash on :$port" "$WORK/crashes"
    fi
done

echo "citus_faults: $((checks - failures)) of $checks checks passed"
[ "$failures" -eq 0 ]
