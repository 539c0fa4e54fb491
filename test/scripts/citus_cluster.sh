#!/usr/bin/env bash
# Citus: a coordinator and two workers on loopback, set up by following docs/citus.md as
# written (test/citus/cluster.sh runs its marked blocks, with this cluster's hosts, ports and
# paths), then every check the guide's "Tests" section lists: the distribution; calls through
# the coordinator, in autocommit and in replayed PostgREST transactions, each delegated (the
# coordinator sends the call itself, the worker runs the statements locally); the SQLSTATEs;
# all-or-nothing batches on every shard; tenants apart; edited_by; a trigger-skipped write;
# a batch's row deleted while it waits; 4 clients x 300 upserts of one cell; a worker
# backend's memory over 3,000 calls and over 200 lists; a shard move between calls and back;
# cellupsert_distribute() again and its errors; conditional writes (if_match, PT412) and
# cell_version through the coordinator; the manual-edit guard and cell_release.
#
# Skipped (exit 77) when Citus is not installed in this PostgreSQL: building Citus is not part
# of this project. Alone, from the repository root, as root (the servers run as postgres) or
# as a user allowed to run postgres, after staging the extension (tools/test.sh does it, or
# "make install DESTDIR=$PWD/build/destdir"):
#     bash test/scripts/citus_cluster.sh
# CELLUPSERT_STAGE_DIR (default build/destdir) is where the staged extension is;
# CITUS_TEST_KEEP=1 keeps the cluster running after the checks.
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/citus/cluster.sh
. test/citus/checks.sh
citus_script_start citus_cluster

echo "== the guide: docs/citus.md"
cluster_with_data "$STAGE"

echo "== the distribution"
same "the five tables: hash-distributed by id / list_id, one co-location group" \
"app.lists|h|id|t
app.list_columns|h|list_id|t
app.list_companies|h|list_id|t
app.list_company_cells|h|list_id|t
app.list_cell_history|h|list_id|t" \
"$(coordinator -c "SELECT p.logicalrelid::regclass, p.partmethod, column_to_column_name(p.logicalrelid, p.partkey),
                          p.colocationid = (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'app.lists'::regclass)
                   FROM pg_dist_partition p WHERE p.logicalrelid::regclass::text LIKE 'app.%' ORDER BY p.logicalrelid")"
same "the shards of the cells on both workers" "2" \
"$(coordinator -c "SELECT count(DISTINCT nodeport) FROM citus_shards
                   WHERE table_name = 'app.list_company_cells'::regclass AND nodeport IN ($WORKER1, $WORKER2)")"
same "the functions: distributed by list, co-located with the cells, force_delegation" \
"app.cell_changes(uuid,text,integer)|0|t|t
app.cell_enrich_many(uuid,jsonb)|0|t|t
app.cell_history(uuid,uuid,uuid,integer)|0|t|t
app.cell_release(uuid,uuid,uuid)|0|t|t
app.cell_release_many(uuid,jsonb)|0|t|t
app.cell_revert(uuid,uuid,uuid,uuid,boolean)|0|t|t
app.cell_undo(uuid,uuid,boolean)|0|t|t
app.cell_upsert(uuid,uuid,uuid,text,text)|0|t|t
app.cell_upsert_many(uuid,jsonb)|0|t|t
app.cell_version(uuid,uuid,uuid)|0|t|t" \
"$(coordinator -c "SELECT d.objid::regprocedure, d.distribution_argument_index,
                          d.colocationid = (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'app.list_company_cells'::regclass),
                          d.force_delegation
                   FROM pg_dist_object d
                   WHERE d.classid = 'pg_proc'::regclass
                     AND d.objid IN ('app.cell_upsert(uuid,uuid,uuid,text,text)'::regprocedure, 'app.cell_upsert_many(uuid,jsonb)'::regprocedure,
                                     'app.cell_version(uuid,uuid,uuid)'::regprocedure, 'app.cell_release(uuid,uuid,uuid)'::regprocedure,
                                     'app.cell_enrich_many(uuid,jsonb)'::regprocedure, 'app.cell_release_many(uuid,jsonb)'::regprocedure,
                                     'app.cell_history(uuid,uuid,uuid,integer)'::regprocedure,
                                     'app.cell_revert(uuid,uuid,uuid,uuid,boolean)'::regprocedure,
                                     'app.cell_undo(uuid,uuid,boolean)'::regprocedure,
                                     'app.cell_changes(uuid,text,integer)'::regprocedure)
                   ORDER BY d.objid::regprocedure::text COLLATE \"C\"")"
same "cellupsert_distribute() again: already distributed, fifteen times" \
"app.lists|already distributed
app.list_columns|already distributed
app.list_companies|already distributed
app.list_company_cells|already distributed
app.list_cell_history|already distributed
app.cell_upsert(uuid,uuid,uuid,text,text)|already distributed
app.cell_upsert_many(uuid,jsonb)|already distributed
app.cell_version(uuid,uuid,uuid)|already distributed
app.cell_release(uuid,uuid,uuid)|already distributed
app.cell_enrich_many(uuid,jsonb)|already distributed
app.cell_release_many(uuid,jsonb)|already distributed
app.cell_history(uuid,uuid,uuid,integer)|already distributed
app.cell_revert(uuid,uuid,uuid,uuid,boolean)|already distributed
app.cell_undo(uuid,uuid,boolean)|already distributed
app.cell_changes(uuid,text,integer)|already distributed" \
"$(coordinator -c "SELECT * FROM app.cellupsert_distribute()")"

same "cellupsert_distribute() on a worker: 0A000" "0A000" "$(sqlstate_of "$WORKER1" "SELECT * FROM app.cellupsert_distribute()")"
same "cellupsert_distribute(0): 22023" "22023" "$(sqlstate_of "$COORDINATOR" "SELECT * FROM app.cellupsert_distribute(0)")"
same "cellupsert_distribute(7), lists having 32 shards: 22023" "22023" \
    "$(sqlstate_of "$COORDINATOR" "SELECT * FROM app.cellupsert_distribute(7)")"

# delegated NAME ISSUED: the last call's notices show the coordinator issuing ISSUED (the call)
# and no statement of its own on the list tables (the worker writes: a batch through Citus
# there, a single cell on the shards themselves, "the call writes the cell on the cells'
# shard itself" below).
delegated() {
    local name=$1 issued=$2
    if grep -qF "issuing $issued" "$WORK/notices" &&
        ! grep -E 'issuing (SELECT (FROM|subject|id)|INSERT)' "$WORK/notices" | grep -q .; then
        ok "$name: delegated"
    else
        not_ok "$name: delegated (the coordinator sends the call and nothing else)" "$WORK/notices"
    fi
}

cell() {  # cell LIST ROW COL: value|status|source|edited_by
    coordinator -c "SELECT value, status, source, edited_by FROM app.list_company_cells
                    WHERE list_id = '$1' AND company_row_id = '$2' AND column_id = '$3'"
}
cells_on_shards() {  # the number of cells, summed over every shard
    coordinator -c "SELECT sum(result::bigint) FROM run_command_on_shards('app.list_company_cells', 'SELECT count(*) FROM %s')"
}

echo "== calls in autocommit, through the coordinator"
on "$COORDINATOR" -At -c "SET citus.log_remote_commands = on" \
    -c "SELECT app.cell_upsert('$list1', '$row1', '$col1', 'autocommit single')" > "$WORK/out" 2> "$WORK/notices"
same "autocommit cell_upsert: true" "t" "$(cat "$WORK/out")"
if grep -qF "issuing SELECT app.cell_upsert('$list1'::uuid" "$WORK/notices" &&
    ! grep -qE 'issuing (SELECT (FROM|subject|id)|INSERT)' "$WORK/notices"; then
    ok "autocommit cell_upsert: delegated"
else not_ok "autocommit cell_upsert: delegated" "$WORK/notices"; fi
on "$COORDINATOR" -At -c "SET citus.log_remote_commands = on" \
    -c "SELECT app.cell_upsert_many('$list2', '[{\"row\": \"$row2\", \"col\": \"$col2\", \"val\": \"autocommit batch\"}]')" \
    > "$WORK/out" 2> "$WORK/notices"
same "autocommit cell_upsert_many: 1" "1" "$(cat "$WORK/out")"
if grep -qF "issuing SELECT app.cell_upsert_many('$list2'::uuid" "$WORK/notices" &&
    ! grep -qE 'issuing (SELECT (FROM|subject|id)|INSERT)' "$WORK/notices"; then
    ok "autocommit cell_upsert_many: delegated"
else not_ok "autocommit cell_upsert_many: delegated" "$WORK/notices"; fi
same "autocommit writes: the owner as editor" \
"autocommit single|complete|manual|postgres
autocommit batch|complete|manual|postgres" "$(cell $list1 $row1 $col1; cell $list2 $row2 $col2)"

echo "== calls in PostgREST's transactions, through the coordinator"
same "PostgREST cell_upsert (alice, list1): true" "sqlstate=00000 body=true" \
    "$(postgrest authenticated alice "$(rpc_call cell_upsert "{\"list\": \"$list1\", \"row\": \"$row1\", \"col\": \"$col1\", \"val\": \"42\"}")")"
delegated "PostgREST cell_upsert" "SELECT r FROM app.cell_upsert('$list1'::uuid"
same "edited_by is the JWT's sub" "42|complete|manual|alice" "$(cell $list1 $row1 $col1)"
cp "$WORK/notices" "$WORK/notices.postgrest_single"
same "PostgREST cell_upsert_many (bob, list2): 1" "sqlstate=00000 body=1" \
    "$(postgrest authenticated bob "$(rpc_call cell_upsert_many "{\"list\": \"$list2\", \"cells\": [{\"row\": \"$row2\", \"col\": \"$col2\", \"val\": \"initech.com\"}]}")")"
delegated "PostgREST cell_upsert_many" "SELECT n FROM app.cell_upsert_many('$list2'::uuid"
same "edited_by is the JWT's sub (batch)" "initech.com|complete|manual|bob" "$(cell $list2 $row2 $col2)"
same "a plain SELECT app.cell_upsert(...) in PostgREST's transaction: true" "sqlstate=00000 body=t" \
    "$(postgrest authenticated alice "SELECT app.cell_upsert('$list1', '$row1b', '$col1', 'plain') AS body")"
delegated "a plain call in a transaction block" "SELECT app.cell_upsert('$list1'::uuid"

echo "== SQLSTATEs, as PostgREST gets them"
expect_sqlstate() {  # expect_sqlstate NAME SQLSTATE ROLE SUB CALL [MODE]
    local name=$1 expected=$2 actual
    actual=$(postgrest "$3" "$4" "$5" "${6:-READ WRITE}")
    if [[ $actual == "sqlstate=$expected "* ]]; then ok "$name: $expected"; else
        echo "$actual" >> "$WORK/notices"
        not_ok "$name: $expected" "$WORK/notices"
    fi
}
single() { rpc_call cell_upsert "{\"list\": \"$1\", \"row\": $2, \"col\": $3, \"val\": \"x\"}"; }
many() { rpc_call cell_upsert_many "{\"list\": \"$1\", \"cells\": $2}"; }
expect_sqlstate "a null row" 22004 authenticated alice "$(single $list1 null "\"$col1\"")"
expect_sqlstate "an id outside the UUID pattern" 22023 authenticated alice \
    "$(single $list1 '"30000000-0000-9000-8000-000000000011"' "\"$col1\"")"
expect_sqlstate "an id that is not a UUID" 22P02 authenticated alice "$(single $list1 '"not-a-uuid"' "\"$col1\"")"
expect_sqlstate "a person column" 22023 authenticated alice "$(single $list1 "\"$row1\"" "\"$person1\"")"
expect_sqlstate "a list that does not exist" 23503 authenticated alice "$(single $missing "\"$row1\"" "\"$col1\"")"
expect_sqlstate "a column of another list" 23503 authenticated alice "$(single $list1 "\"$row1\"" "\"$col2\"")"
expect_sqlstate "a row that does not exist" 23503 authenticated alice "$(single $list1 "\"$missing\"" "\"$col1\"")"
expect_sqlstate "another tenant's list (alice on bob's list2)" 23503 authenticated alice "$(single $list2 "\"$row2\"" "\"$col2\"")"
grep -q "list $list2 does not exist" "$WORK/notices" && ok "another tenant's list: \"does not exist\"" ||
    not_ok "another tenant's list: \"does not exist\"" "$WORK/notices"
expect_sqlstate "a viewer's write (carol)" 42501 authenticated carol "$(single $list1 "\"$row1\"" "\"$col1\"")"
expect_sqlstate "a read-only transaction (a GET)" 25006 authenticated alice "$(single $list1 "\"$row1\"" "\"$col1\"")" "READ ONLY"
expect_sqlstate "a batch element with a bad id" 22023 authenticated alice \
    "$(many $list1 "[{\"row\": \"$row1\", \"col\": \"20000000-0000-4000-c000-000000000011\"}]")"
expect_sqlstate "a batch element that is not a UUID" 22P02 authenticated alice \
    "$(many $list1 "[{\"row\": \"$row1\", \"col\": \"nope\"}]")"
expect_sqlstate "a batch element of a person column" 22023 authenticated alice \
    "$(many $list1 "[{\"row\": \"$row1\", \"col\": \"$col1\"}, {\"row\": \"$row1\", \"col\": \"$person1\"}]")"
grep -q "cells\[1\]: column $person1 is not a company column" "$WORK/notices" &&
    ok "the batch error names its element" || not_ok "the batch error names its element" "$WORK/notices"
expect_sqlstate "another tenant's row, then an element whose row is not a UUID" 23503 authenticated alice \
    "$(many $list1 "[{\"row\": \"$row2\", \"col\": \"$col1\"}, {\"row\": \"not-a-uuid\", \"col\": \"$col1\"}]")"
grep -q "cells\[0\]: row $row2 does not exist in list $list1" "$WORK/notices" &&
    ok "the batch error names the first refused element in input order" ||
    not_ok "the batch error names the first refused element in input order" "$WORK/notices"
expect_sqlstate "a batch on another tenant's list" 23503 authenticated alice \
    "$(many $list2 "[{\"row\": \"$row2\", \"col\": \"$col2\"}]")"
expect_sqlstate "the anonymous role (a request without a token)" 42501 anon "" "$(single $list1 "\"$row1\"" "\"$col1\"")"
grep -q 'issuing' "$WORK/notices" && not_ok "the anonymous role: refused on the coordinator" "$WORK/notices" ||
    ok "the anonymous role: refused on the coordinator, no connection to a worker"
coordinator -c "CREATE ROLE cellupsert_nologin NOLOGIN IN ROLE authenticated" -c "GRANT cellupsert_nologin TO authenticator" >/dev/null
expect_sqlstate "a NOLOGIN role, which Citus cannot connect as" 08006 cellupsert_nologin alice \
    "$(single $list1 "\"$row1\"" "\"$col1\"")"

echo "== a refused batch writes nothing, on any shard"
before=$(cells_on_shards)
expect_sqlstate "a batch with a refused second element" 23503 authenticated alice \
    "$(many $list1 "[{\"row\": \"$row1\", \"col\": \"$col1\", \"val\": \"not written\"}, {\"row\": \"$missing\", \"col\": \"$col1\"}]")"
grep -q "cells\[1\]: row $missing does not exist in list $list1" "$WORK/notices" &&
    ok "the refused batch names cells[1]" || not_ok "the refused batch names cells[1]" "$WORK/notices"
same "the cells on every shard: as before" "$before" "$(cells_on_shards)"
same "the first element's cell: unchanged" "42|complete|manual|alice" "$(cell $list1 $row1 $col1)"

echo "== a batch's row deleted while the batch waits to lock it"
# A DELETE of a row holds it when the batch has checked it (the DELETE is not committed
# yet), so the batch's lock of its rows waits; the DELETE commits: the batch finds the row
# gone, checks again and refuses that element with its own error (without that second
# check, the write's foreign key raised 23503 with PostgreSQL's message).
row_gone=30000000-0000-4000-8000-000000000013
coordinator -c "INSERT INTO app.list_companies (list_id, id, name) VALUES ('$list1', '$row_gone', 'Soon gone')" >/dev/null
before=$(cell $list1 $row1 $col1)
on "$COORDINATOR" -c "BEGIN" -c "DELETE FROM app.list_companies WHERE list_id = '$list1' AND id = '$row_gone'" \
    -c "SELECT pg_sleep(3)" -c "COMMIT" > "$WORK/deleter.log" 2>&1 &
deleter=$!
sleep 1
on "$COORDINATOR" -At -v ON_ERROR_STOP=0 -v VERBOSITY=verbose -c "SELECT app.cell_upsert_many('$list1',
    '[{\"row\": \"$row1\", \"col\": \"$col1\", \"val\": \"not written\"}, {\"row\": \"$row_gone\", \"col\": \"$col1\"}]')" \
    > "$WORK/race.log" 2>&1
wait $deleter
grep -q "ERROR:  23503: cells\[1\]: row $row_gone does not exist in list $list1" "$WORK/race.log" &&
    ok "the batch refused with its own error: 23503, cells[1]" ||
    not_ok "the batch refused with its own error: 23503, cells[1]" "$WORK/race.log"
same "the deleter committed; the first element's cell: unchanged" "0|$before" \
"$(coordinator -c "SELECT count(*) FROM app.list_companies WHERE id = '$row_gone'")|$(cell $list1 $row1 $col1)"

echo "== a write skipped by a trigger"
coordinator >/dev/null <<'SQL' || not_ok "the trigger created"
SET citus.enable_unsafe_triggers = on;
CREATE FUNCTION app.skip_marked() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN IF NEW.value = 'skip me' THEN RETURN NULL; END IF; RETURN NEW; END $$;
CREATE TRIGGER skip_marked BEFORE INSERT OR UPDATE ON app.list_company_cells
FOR EACH ROW EXECUTE FUNCTION app.skip_marked();
SQL
same "cell_upsert skipped by a trigger: false" "sqlstate=00000 body=false" \
    "$(postgrest authenticated alice "$(rpc_call cell_upsert "{\"list\": \"$list1\", \"row\": \"$row1\", \"col\": \"$col1\", \"val\": \"skip me\"}")")"
same "cell_upsert_many with one element skipped by a trigger: 1" "sqlstate=00000 body=1" \
    "$(postgrest authenticated alice "$(many $list1 "[{\"row\": \"$row1\", \"col\": \"$col1\", \"val\": \"skip me\"}, {\"row\": \"$row1b\", \"col\": \"$col1\", \"val\": \"written\"}]")")"
same "the skipped cells: unchanged" "42|complete|manual|alice
written|complete|manual|alice" "$(cell $list1 $row1 $col1; cell $list1 $row1b $col1)"
coordinator -c "SET citus.enable_unsafe_triggers = on" -c "DROP TRIGGER skip_marked ON app.list_company_cells" \
    >/dev/null || not_ok "the trigger dropped"

echo "== an application's trigger on the cells: the upsert at every call"
# In one session, a call on a list that the worker's backend used lately updates the cell
# first (cell_overwrite) where nothing could tell the update from the upsert (next section).
# A BEFORE INSERT trigger of the application could (the upsert fires it, and writes what it
# returns): with one, every call upserts. Its notices (forwarded by Citus) show it.
row1w=30000000-0000-4000-8000-000000000013
row1x=30000000-0000-4000-8000-000000000014
coordinator >/dev/null <<SQL || not_ok "the trigger and the rows created"
SET citus.enable_unsafe_triggers = on;
CREATE FUNCTION app.say_write() RETURNS trigger LANGUAGE plpgsql AS
\$\$ BEGIN RAISE NOTICE 'write: % %', TG_OP, coalesce(NEW.value, 'NULL'); RETURN NEW; END \$\$;
CREATE TRIGGER say_write BEFORE INSERT OR UPDATE ON app.list_company_cells
FOR EACH ROW EXECUTE FUNCTION app.say_write();
INSERT INTO app.list_companies (list_id, id, name) VALUES ('$list1', '$row1w', 'Hooli'), ('$list1', '$row1x', 'Umbrella');
SQL
warm_call() { echo "SELECT app.cell_upsert('$list1', '$1', '$col1', '$2')"; }
on "$COORDINATOR" -At -c "$(warm_call "$row1w" 'warm 1')" -c "$(warm_call "$row1w" 'warm 2')" \
    -c "$(warm_call "$row1w" '')" -c "$(warm_call "$row1x" 'warm new')" > "$WORK/out" 2> "$WORK/notices"
same "4 calls in one session: true each" "t t t t" "$(tr '\n' ' ' < "$WORK/out" | sed 's/ $//')"
same "each call upserts: BEFORE INSERT, then BEFORE UPDATE on a conflict" \
"write: INSERT warm 1
write: INSERT warm 2
write: UPDATE warm 2
write: INSERT NULL
write: UPDATE NULL
write: INSERT warm new" "$(sed -n 's/^NOTICE:  //p' "$WORK/notices")"
same "the cells as the upsert writes them (edited_at and updated_at the call's now())" \
"|complete|manual|postgres|t
warm new|complete|manual|postgres|t" \
    "$(coordinator -c "SELECT value, status, source, edited_by, edited_at = updated_at AND updated_at > created_at
                       FROM app.list_company_cells WHERE list_id = '$list1' AND company_row_id = '$row1w' AND column_id = '$col1'
                       UNION ALL
                       SELECT value, status, source, edited_by, edited_at = updated_at AND updated_at = created_at
                       FROM app.list_company_cells WHERE list_id = '$list1' AND company_row_id = '$row1x' AND column_id = '$col1'")"
same "their history: each call once, as a person's edit" \
"manual|f||warm 1|postgres
manual|t|warm 1|warm 2|postgres
manual|t|warm 2||postgres
manual|f||warm new|postgres" \
    "$(coordinator -c "SELECT kind, existed_before, value_before, value_after, edited_by FROM app.list_cell_history
                       WHERE list_id = '$list1' AND company_row_id IN ('$row1w', '$row1x') AND column_id = '$col1'
                       ORDER BY id")"
coordinator -c "SET citus.enable_unsafe_triggers = on" -c "DROP TRIGGER say_write ON app.list_company_cells" \
    >/dev/null || not_ok "the trigger dropped"

echo "== the checks read the list's shards, on the worker that holds them"
# Straight on that worker, in one session, with Citus's log of the statements it runs there
# (citus.log_local_commands): the checks are not among them (they read the shards themselves:
# src/pg/shard_plans.h); the first call's write is the upsert, the next ones' the update (no
# trigger of the application's on the cells now).
holder=$(coordinator -c "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
                         WHERE p.shardid = get_shard_id_for_distribution_column('app.lists', '$list1')")
on "$holder" -At -c "SET citus.log_local_commands = on" -c "$(warm_call "$row1w" 'shard 1')" \
    -c "$(warm_call "$row1w" 'shard 2')" -c "$(warm_call "$row1w" 'shard 3')" > "$WORK/out" 2> "$WORK/notices"
same "3 calls on the list's worker: true each" "t t t" "$(tr '\n' ' ' < "$WORK/out" | sed 's/ $//')"
same "what Citus runs: no check; the upsert, then the update (and each time the history's insert)" \
"INSERT app.list_company_cells
INSERT app.list_cell_history
UPDATE app.list_company_cells
INSERT app.list_cell_history
UPDATE app.list_company_cells
INSERT app.list_cell_history" \
    "$(awk '/^NOTICE:  executing the command locally: / && match($0, /app\.[a-z_]+_[0-9]+/) {
                relation = substr($0, RSTART, RLENGTH); sub(/_[0-9]+$/, "", relation); print $6, relation }' "$WORK/notices")"
same "the cell: the last call's, edited_at and updated_at its now()" "shard 3|complete|manual|postgres|t" \
    "$(coordinator -c "SELECT value, status, source, edited_by, edited_at = updated_at AND updated_at > created_at
                       FROM app.list_company_cells WHERE list_id = '$list1' AND company_row_id = '$row1w' AND column_id = '$col1'")"
# Inside a transaction block opened on that worker (no other node's call), the checks go
# through Citus: such a transaction may have written the shards through a connection to the
# worker itself, which a read of the shards in this backend would not see.
on "$holder" -At -c "BEGIN" -c "SET LOCAL citus.log_local_commands = on" -c "$(warm_call "$row1w" 'shard block')" \
    -c "COMMIT" > "$WORK/out" 2> "$WORK/notices"
same "in a transaction block opened on the worker: the checks through Citus" \
"SELECT app.lists
SELECT app.list_columns
SELECT app.list_companies" \
    "$(awk '/^NOTICE:  executing the command locally: SELECT / && match($0, /app\.[a-z_]+_[0-9]+/) {
                relation = substr($0, RSTART, RLENGTH); sub(/_[0-9]+$/, "", relation); print $6, relation }' "$WORK/notices")"
same "the updates' history: each call once, as a person's edit" \
"manual|t||shard 1|postgres
manual|t|shard 1|shard 2|postgres
manual|t|shard 2|shard 3|postgres
manual|t|shard 3|shard block|postgres" \
    "$(coordinator -c "SELECT kind, existed_before, value_before, value_after, edited_by FROM app.list_cell_history
                       WHERE list_id = '$list1' AND company_row_id = '$row1w' AND column_id = '$col1'
                       AND value_after LIKE 'shard %' ORDER BY id")"

echo "== through the coordinator, the call writes the cell on the cells' shard itself"
# A call that the coordinator delegated holds the list's shards on their worker (Citus's
# metadata lock: src/pg/list_placement.h) and writes the cell on the cells' shard, and its
# history row on the history's shard, with no Citus in between: Citus's log on that worker
# (citus.log_local_commands, sent there as a SET LOCAL) shows nothing, in a transaction block
# and in autocommit.
on "$COORDINATOR" -At -c "SET citus.propagate_set_commands = 'local'" -c "BEGIN" \
    -c "SET LOCAL citus.log_local_commands = on" -c "$(warm_call "$row1w" 'direct 1')" \
    -c "$(warm_call "$row1w" 'direct 2')" -c "COMMIT" > "$WORK/out" 2> "$WORK/notices"
same "2 calls in a transaction block: true each" "t t" "$(grep -v -e BEGIN -e SET -e COMMIT "$WORK/out" | tr '\n' ' ' | sed 's/ $//')"
same "what Citus runs on the worker: nothing" "" \
    "$(awk '/^NOTICE:  executing the command locally: / && match($0, /app\.[a-z_]+_[0-9]+/) {
                relation = substr($0, RSTART, RLENGTH); sub(/_[0-9]+$/, "", relation); print $6, relation }' "$WORK/notices")"
same "the cell: the last call's, edited_at and updated_at its now()" "direct 2|complete|manual|postgres|t" \
    "$(coordinator -c "SELECT value, status, source, edited_by, edited_at = updated_at AND updated_at > created_at
                       FROM app.list_company_cells WHERE list_id = '$list1' AND company_row_id = '$row1w' AND column_id = '$col1'")"
on "$holder" -c "ALTER SYSTEM SET citus.log_local_commands = on" -c "SELECT pg_reload_conf()" >/dev/null
on "$COORDINATOR" -At -c "$(warm_call "$row1w" 'direct 3')" > "$WORK/out" 2> "$WORK/notices"
on "$holder" -c "ALTER SYSTEM RESET citus.log_local_commands" -c "SELECT pg_reload_conf()" >/dev/null
same "in autocommit: true, and Citus runs nothing" "t " \
    "$(cat "$WORK/out") $(awk '/^NOTICE:  executing the command locally: / && match($0, /app\.[a-z_]+_[0-9]+/) {
                relation = substr($0, RSTART, RLENGTH); sub(/_[0-9]+$/, "", relation); print $6, relation }' "$WORK/notices")"
same "the history: each call once, as a person's edit" \
"manual|t|shard block|direct 1|postgres
manual|t|direct 1|direct 2|postgres
manual|t|direct 2|direct 3|postgres" \
    "$(coordinator -c "SELECT kind, existed_before, value_before, value_after, edited_by FROM app.list_cell_history
                       WHERE list_id = '$list1' AND company_row_id = '$row1w' AND column_id = '$col1'
                       AND value_after LIKE 'direct %' ORDER BY id")"
same "their ids: from the history's sequence on that worker, as Citus gives them" "3|t" \
    "$(coordinator -c "SELECT count(DISTINCT id), bool_and(id > (SELECT max(id) FROM app.list_cell_history
                              WHERE value_after = 'shard block'))
                       FROM app.list_cell_history WHERE list_id = '$list1' AND value_after LIKE 'direct %'")"

echo "== 4 clients x 300 upserts of one cell, through the coordinator"
cat > "$WORK/same_cell.sql" <<SQL
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"authenticated","sub":"alice"}', true);
select "app"."pre_request"();
$(rpc_call cell_upsert "{\"list\": \"$list1\", \"row\": \"$row1b\", \"col\": \"$col1\", \"val\": \"client :client_id\"}");
COMMIT;
SQL
PGPASSWORD=change-me-authenticator "$cluster_bin/pgbench" -n -h 127.0.0.1 -p "$COORDINATOR" -U authenticator \
    -c 4 -j 4 -t 300 -f "$WORK/same_cell.sql" postgres > "$WORK/pgbench.log" 2>&1
status=$?
if [ $status -eq 0 ] && grep -q 'number of transactions actually processed: 1200/1200' "$WORK/pgbench.log" &&
    ! grep -qiE 'error|abort' "$WORK/pgbench.log"; then
    ok "1200 upserts, no failure"
else not_ok "1200 upserts, no failure" "$WORK/pgbench.log"; fi
same "one row for the cell, written by a client" "1|t" \
    "$(coordinator -c "SELECT count(*), bool_and(value ~ '^client [0-3]$') FROM app.list_company_cells
                       WHERE list_id = '$list1' AND company_row_id = '$row1b' AND column_id = '$col1'")"

echo "== the memory of a worker's backend over 3,000 calls"
# One coordinator session, so one worker backend (Citus keeps the connection): its resident
# memory after 300 calls, then after 3,000 more. Citus 13.2.2 keeps a new plan per execution
# of a kept plan of a fast-path query with the list as a parameter (the functions keep none:
# their reads have the list as a constant, their writes are planned anew: src/pg/statement_context.cpp).
cat > "$WORK/sample.sh" <<SH
# Appends to $WORK/rss the private resident memory (kB; RssAnon: not the shared buffers it
# touched) of the worker backend that serves the coordinator backend whose global pid is in
# $WORK/gpid.
. test/citus/cluster.sh
for port in $WORKER1 $WORKER2; do
    pid=\$(on "\$port" -At -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'citus_internal gpid=\$(cat $WORK/gpid)'")
    [ -n "\$pid" ] && awk '/^RssAnon:/ { print \$2 }' /proc/\$pid/status >> $WORK/rss
done
SH
# check_growth WHAT LOG: the two samples in $WORK/rss differ by less than 5 MB.
check_growth() {
    if [ "$(wc -l < "$WORK/rss")" -ne 2 ]; then not_ok "the worker's backend sampled twice" "$2"; return; fi
    local growth
    growth=$(awk 'NR == 1 { a = $1 } NR == 2 { print $1 - a }' "$WORK/rss")
    echo "private resident memory: $(head -1 "$WORK/rss") kB, then $(tail -1 "$WORK/rss") kB"
    if [ "$growth" -lt 5120 ]; then ok "the worker's backend grew by $growth kB (under 5 MB)"; else
        not_ok "the worker's backend grew by $growth kB over $1 (5 MB allowed)"; fi
}
{
    echo "SELECT citus_backend_gpid() \\g $WORK/gpid"
    for i in $(seq 1 300); do echo "SELECT app.cell_upsert('$list1', '$row1', '$col1', 'warm-up $i');"; done
    echo "\\! bash $WORK/sample.sh"
    for i in $(seq 1 3000); do echo "SELECT app.cell_upsert('$list1', '$row1', '$col1', 'call $i');"; done
    echo "\\! bash $WORK/sample.sh"
} > "$WORK/calls.sql"
: > "$WORK/rss"
on "$COORDINATOR" -At -o /dev/null -f "$WORK/calls.sql" > "$WORK/calls.log" 2>&1
check_growth "3,000 calls" "$WORK/calls.log"

echo "== the plans kept per list: a worker's backend over 200 lists"
# The reads of a call are planned once per list and kept for the last 16 lists a backend
# used (src/pg/list_plans.h), about 90 kB a list: kept for every list, 200 lists would take
# some 18 MB. 200 new lists on list1's worker (one column, one row each), called twice each
# from one coordinator session after 300 calls on list1.
list1_worker=$(coordinator -c "SELECT nodeport FROM citus_shards WHERE table_name = 'app.lists'::regclass
                                  AND shardid = get_shard_id_for_distribution_column('app.lists', '$list1'::uuid)")
coordinator <<SQL
CREATE TEMP TABLE many AS
SELECT id FROM (SELECT ('40000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid AS id FROM generate_series(1, 1000) g) ids
WHERE (SELECT nodeport FROM citus_shards WHERE table_name = 'app.lists'::regclass
         AND shardid = get_shard_id_for_distribution_column('app.lists', ids.id)) = $list1_worker
LIMIT 200;
INSERT INTO app.lists (id, name) SELECT id, 'many' FROM many;
INSERT INTO app.list_columns (list_id, id, subject, response_type, name) SELECT id, '$col1', 'company', 'text', 'c' FROM many;
INSERT INTO app.list_companies (list_id, id, name) SELECT id, '$row1', 'r' FROM many;
SQL
{
    echo "SELECT citus_backend_gpid() \\g $WORK/gpid"
    for i in $(seq 1 300); do echo "SELECT app.cell_upsert('$list1', '$row1', '$col1', 'warm-up $i');"; done
    echo "\\! bash $WORK/sample.sh"
    for round in 1 2; do
        coordinator -c "SELECT format('SELECT app.cell_upsert(%L, %L, %L, %L);', id, '$row1', '$col1', 'round $round')
                        FROM app.lists WHERE name = 'many' ORDER BY id"
    done
    echo "\\! bash $WORK/sample.sh"
} > "$WORK/many.sql"
: > "$WORK/rss"
on "$COORDINATOR" -At -f "$WORK/many.sql" > "$WORK/many.log" 2>&1
same "300 calls on list1, then 400 on 200 lists: true each" "700" "$(grep -c '^t$' "$WORK/many.log")"
check_growth "200 lists" "$WORK/many.log"
same "the 200 lists' cells: written twice, round 2 last" "200|200" \
"$(coordinator -c "SELECT count(*), count(*) FILTER (WHERE value = 'round 2') FROM app.list_company_cells
                   WHERE list_id IN (SELECT id FROM app.lists WHERE name = 'many')")"

echo "== a shard move between calls, and back"
# One coordinator session calls on list1, then moves list1's shards (the four tables' shards
# move together) to the other worker, calls, moves them back, calls: the plans kept on each
# worker for list1 are planned again after each move (Citus invalidates the tables).
other_worker=$WORKER1
[ "$list1_worker" = "$WORKER1" ] && other_worker=$WORKER2
cells_shard=$(coordinator -c "SELECT get_shard_id_for_distribution_column('app.list_company_cells', '$list1'::uuid)")
move() {  # move FROM TO
    echo "SELECT citus_move_shard_placement($cells_shard, '127.0.0.1', $1, '127.0.0.1', $2, shard_transfer_mode => 'block_writes');"
    echo "CALL citus_cleanup_orphaned_resources();"
}
{
    echo "\\set VERBOSITY verbose"
    echo "SELECT app.cell_upsert('$list1', '$row1', '$col1', 'before the move');"
    move "$list1_worker" "$other_worker"
    echo "SELECT app.cell_upsert('$list1', '$row1', '$col1', 'moved');"
    echo "SELECT app.cell_upsert('$list1', '$row1', '$person1', 'moved');"
    move "$other_worker" "$list1_worker"
    echo "SELECT app.cell_upsert('$list1', '$row1', '$col1', 'moved back');"
    echo "SELECT app.cell_upsert('$list1', '$row1', '$person1', 'moved back');"
} > "$WORK/move.sql"
on "$COORDINATOR" -At -v ON_ERROR_STOP=0 -f "$WORK/move.sql" > "$WORK/move.log" 2>&1
same "calls before, between and after the moves; the person column refused each time" \
"t
t
ERROR:  22023
t
ERROR:  22023" \
"$(grep -oE '^(t|f)$|ERROR:  [0-9A-Z]{5}' "$WORK/move.log")"
same "list1's shards back on their worker, the cell written there" "$list1_worker|moved back" \
"$(coordinator -c "SELECT (SELECT nodeport FROM citus_shards WHERE shardid = $cells_shard),
                          (SELECT value FROM app.list_company_cells WHERE list_id = '$list1' AND company_row_id = '$row1' AND column_id = '$col1')")"

echo "== shard moves during calls"
# 2 clients call cell_upsert and cell_upsert_many on list1 for 14 s through the coordinator,
# while list1's shards move to the other worker and back, twice (block_writes: the calls
# wait during each copy). A call that waited for a move fails with 40001 (list_placement.h),
# which pgbench retries.
cat > "$WORK/during_single.sql" <<SQL
SELECT app.cell_upsert('$list1', '$row1', '$col1', 'during ' || :client_id);
SQL
cat > "$WORK/during_batch.sql" <<SQL
SELECT app.cell_upsert_many('$list1', '[{"row": "$row1b", "col": "$col1", "val": "during"}, {"row": "$row1", "col": "$col1", "val": "during"}]');
SQL
"$cluster_bin/pgbench" -n -h 127.0.0.1 -p "$COORDINATOR" -U postgres -c 2 -j 2 -T 14 --max-tries=10 \
    -f "$WORK/during_single.sql" -f "$WORK/during_batch.sql" postgres > "$WORK/during.log" 2>&1 &
calls=$!
sleep 2
for round in 1 2; do
    { move "$list1_worker" "$other_worker"; echo "SELECT pg_sleep(2);"; move "$other_worker" "$list1_worker"; echo "SELECT pg_sleep(2);"; } |
        on "$COORDINATOR" -At -o /dev/null >> "$WORK/moves.log" 2>&1 || echo "the moves failed" >> "$WORK/moves.log"
done
wait $calls
if grep -q 'number of failed transactions: 0 ' "$WORK/during.log" && ! grep -qiE 'abort|error' "$WORK/during.log" &&
    [ "$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/during.log")" -gt 0 ]; then
    ok "calls during 4 shard moves: no failure, 40001 retried ($(sed -n 's/^number of transactions actually processed: //p' "$WORK/during.log") calls, $(sed -n 's/^number of transactions retried: //p' "$WORK/during.log") retried)"
else not_ok "calls during 4 shard moves: no failure, 40001 retried" "$WORK/during.log"; fi
grep -q 'failed' "$WORK/moves.log" && not_ok "the 4 moves" "$WORK/moves.log" || ok "the 4 moves"
same "list1's shards back on their worker; its cells: one per key, the two written last" "$list1_worker|t|2" \
"$(coordinator -c "SELECT (SELECT nodeport FROM citus_shards WHERE shardid = $cells_shard),
                          count(*) = count(DISTINCT (column_id, company_row_id)),
                          count(*) FILTER (WHERE value LIKE 'during%')
                   FROM app.list_company_cells WHERE list_id = '$list1'")"

echo "== conditional writes (if_match), through the coordinator"
# On list2 (bob's), whose cell the checks above leave alone; a new row for a conditional create.
row2b=30000000-0000-4000-8000-000000000022
coordinator -c "INSERT INTO app.list_companies (list_id, id, name) VALUES ('$list2', '$row2b', 'Hooli')" >/dev/null
version=$(coordinator -c "SELECT app.cell_version('$list2', '$row2', '$col2')")
same "cell_version: the version of the cell's fields" \
    "$(coordinator -c "SELECT app.cell_version_of(value, status, reasoning, error) FROM app.list_company_cells
                       WHERE list_id = '$list2' AND company_row_id = '$row2' AND column_id = '$col2'")" "$version"
conditional() { rpc_call cell_upsert "{\"list\": \"$1\", \"row\": \"$2\", \"col\": \"$3\", \"val\": \"$4\", \"if_match\": \"$5\"}"; }
same "PostgREST cell_upsert with the cell's version: true" "sqlstate=00000 body=true" \
    "$(postgrest authenticated bob "$(conditional $list2 $row2 $col2 hooli.com "$version")")"
grep -qF "issuing SELECT r FROM app.cell_upsert('$list2'::uuid" "$WORK/notices" &&
    ! grep -qE 'issuing (UPDATE|INSERT)' "$WORK/notices" &&
    ok "conditional cell_upsert: delegated, the worker writes" ||
    not_ok "conditional cell_upsert: delegated, the worker writes" "$WORK/notices"
expect_sqlstate "the same, now stale, if_match" PT412 authenticated bob "$(conditional $list2 $row2 $col2 other.com "$version")"
grep -q "has changed" "$WORK/notices" && ok "PT412: \"has changed\"" || not_ok "PT412: \"has changed\"" "$WORK/notices"
expect_sqlstate "if_match absent, on a cell that exists" PT412 authenticated bob "$(conditional $list2 $row2 $col2 other.com absent)"
same "the refused writes: nothing written" "hooli.com|complete|manual|bob" "$(cell $list2 $row2 $col2)"
same "if_match absent, on a cell that does not exist: true" "sqlstate=00000 body=true" \
    "$(postgrest authenticated bob "$(conditional $list2 $row2b $col2 new.com absent)")"
expect_sqlstate "the same create again" PT412 authenticated bob "$(conditional $list2 $row2b $col2 again.com absent)"
expect_sqlstate "a bad if_match" 22023 authenticated bob "$(conditional $list2 $row2 $col2 x '\"quoted\"')"
same "cell_version in PostgREST's read-only transaction (a GET)" \
    "sqlstate=00000 body=$(coordinator -c "SELECT app.cell_version_of('new.com', 'complete', NULL, NULL)")" \
    "$(postgrest authenticated bob "SELECT app.cell_version('$list2', '$row2b', '$col2') AS body" "READ ONLY")"
expect_sqlstate "cell_version of another tenant's cell (alice on list2)" 23503 authenticated alice \
    "SELECT app.cell_version('$list2', '$row2b', '$col2') AS body" "READ ONLY"
same "the conditional cells" "hooli.com|complete|manual|bob
new.com|complete|manual|bob" "$(cell $list2 $row2 $col2; cell $list2 $row2b $col2)"
version=$(coordinator -c "SELECT app.cell_version('$list2', '$row2', '$col2')")
conditional_batch="[{\"row\": \"$row2\", \"col\": \"$col2\", \"val\": \"batch.com\", \"if_match\": \"$version\"}]"
same "PostgREST cell_upsert_many with the cell's version: 1" "sqlstate=00000 body=1" \
    "$(postgrest authenticated bob "$(many $list2 "$conditional_batch")")"
expect_sqlstate "the same batch again: stale" PT412 authenticated bob "$(many $list2 "$conditional_batch")"
grep -q "cells\[0\]: cell" "$WORK/notices" && ok "the batch's PT412 names cells[0]" ||
    not_ok "the batch's PT412 names cells[0]" "$WORK/notices"
same "the stale batch: nothing written" "batch.com|complete|manual|bob" "$(cell $list2 $row2 $col2)"

echo "== manual edits win: the guard on the distributed cells"
row2c=30000000-0000-4000-8000-000000000023
coordinator -c "INSERT INTO app.list_companies (list_id, id, name) VALUES ('$list2', '$row2c', 'Umbrella')" >/dev/null
# Attached by the canonical DDL; cellupsert_distribute() distributed the cells with it
# (Citus distributes a table with triggers only under citus.enable_unsafe_triggers).
same "the guard, attached by the DDL, on every shard of the cells" "t" \
    "$(coordinator -c "SELECT bool_and(success AND result = '1') FROM run_command_on_shards('app.list_company_cells',
                         \$\$SELECT count(*) FROM pg_trigger WHERE tgrelid = '%s'::regclass AND tgfoid = 'app.cell_manual_guard'::regproc\$\$)")"
same "citus.enable_unsafe_triggers after cellupsert_distribute(): as it was" "off" \
    "$(coordinator -c "SELECT * FROM app.cellupsert_distribute()" -c "SHOW citus.enable_unsafe_triggers" | tail -1)"
same "an ORM's upsert of bob's manual cell, through the coordinator: skipped" "batch.com|complete|manual|bob" \
    "$(coordinator -c "INSERT INTO app.list_company_cells (list_id, column_id, company_row_id, value, status)
                       VALUES ('$list2', '$col2', '$row2', 'orm.com', 'pending')
                       ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET value = EXCLUDED.value" >/dev/null
       cell $list2 $row2 $col2)"
same "a plain UPDATE of it: skipped" "batch.com|complete|manual|bob" \
    "$(coordinator -c "UPDATE app.list_company_cells SET value = 'plain.com' WHERE list_id = '$list2'" >/dev/null
       cell $list2 $row2 $col2)"
same "PostgREST cell_upsert of it (bob): true, written" "sqlstate=00000 body=true|guarded.com|complete|manual|bob" \
    "$(postgrest authenticated bob "$(rpc_call cell_upsert "{\"list\": \"$list2\", \"row\": \"$row2\", \"col\": \"$col2\", \"val\": \"guarded.com\"}")")|$(cell $list2 $row2 $col2)"
same "cell_enrich_many of bob's manual cell and a new one, in a transaction block: one kept" \
    "sqlstate=00000 body={\"kept\": 1, \"written\": 1}|guarded.com|complete|manual|bob" \
    "$(postgrest authenticated bob "SELECT app.cell_enrich_many('$list2', '[{\"row\": \"$row2\", \"col\": \"$col2\", \"val\": \"job.com\"},
                                     {\"row\": \"$row2c\", \"col\": \"$col2\", \"val\": \"job.com\", \"status\": \"error\", \"error\": \"timeout\"}]') AS body")|$(cell $list2 $row2 $col2)"
same "the enrichment's new cell" "job.com|error|enrichment|" "$(cell $list2 $row2c $col2)"
same "cell_release in PostgREST's transaction (bob): true, handed over" "sqlstate=00000 body=t" \
    "$(postgrest authenticated bob "SELECT app.cell_release('$list2', '$row2', '$col2') AS body")"
same "cell_release_many of it, after a manual edit, in a transaction block: 1, handed over" "sqlstate=00000 body=1" \
    "$(coordinator -c "SELECT app.cell_upsert('$list2', '$row2', '$col2', 'again.com')" >/dev/null
       postgrest authenticated bob "SELECT app.cell_release_many('$list2', '[{\"row\": \"$row2\", \"col\": \"$col2\"}]') AS body")"
same "after the release, the ORM's upsert writes" "orm.com|complete|enrichment|postgres" \
    "$(coordinator -c "INSERT INTO app.list_company_cells (list_id, column_id, company_row_id, value, status)
                       VALUES ('$list2', '$col2', '$row2', 'orm.com', 'pending')
                       ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET value = EXCLUDED.value" >/dev/null
       cell $list2 $row2 $col2)"

echo "== the history of the distributed cells"
# Written on the list's worker by the trigger on the cells' shard, into the co-located
# history shard; read back through cell_history(), delegated by its list.
same "cell_history of bob's cell, newest first: the ORM, the releases and the edits, none of the skipped writes" \
"external|again.com|orm.com
release|again.com|again.com
manual|guarded.com|again.com
release|guarded.com|guarded.com
manual|batch.com|guarded.com" \
    "$(coordinator -c "SELECT kind, value_before, value_after FROM app.cell_history('$list2', '$row2', '$col2', 5)")"
same "the enrichment's new cell: one row, created" "enrichment|f|job.com" \
    "$(coordinator -c "SELECT kind, existed_before, value_after FROM app.cell_history('$list2', '$row2c', '$col2')")"
same "cell_revert of bob's first edit there, in PostgREST's transaction: PT412 (changed since), then forced" \
    "sqlstate=PT412
sqlstate=00000 body=t|batch.com|complete|manual|bob" \
    "$(edit=$(coordinator -c "SELECT edit_id FROM app.cell_history('$list2', '$row2', '$col2', 10) WHERE value_after = 'guarded.com' AND kind = 'manual'")
       postgrest authenticated bob "SELECT app.cell_revert('$list2', '$row2', '$col2', '$edit') AS body" | sed -n 's/^\(sqlstate=[A-Z0-9]*\).*/\1/p'
       postgrest authenticated bob "SELECT app.cell_revert('$list2', '$row2', '$col2', '$edit', force => true) AS body")|$(cell $list2 $row2 $col2)"
same "cell_undo of that revert, through the coordinator: 1, back to the ORM's value" "1|orm.com" \
    "$(edit=$(coordinator -c "SELECT edit_id FROM app.cell_history('$list2', '$row2', '$col2', 1)")
       coordinator -c "SELECT app.cell_undo('$list2', '$edit')")|$(coordinator -c "SELECT value FROM app.list_company_cells WHERE list_id = '$list2' AND company_row_id = '$row2'")"
same "cell_changes of list2 through the coordinator: its whole history, in order, then nothing after the last cursor" \
    "t|0" \
    "$(coordinator -c "SELECT count(*) = (SELECT count(*) FROM app.list_cell_history WHERE list_id = '$list2')
                              AND bool_and(c.id IS NOT NULL) FROM app.cell_changes('$list2', NULL, 1000) c")|$(
       last=$(coordinator -c "SELECT \"cursor\" FROM app.cell_changes('$list2', NULL, 1000) ORDER BY id DESC LIMIT 1")
       coordinator -c "SELECT count(*) FROM app.cell_changes('$list2', '$last')")"
# In about three batches: each is a distributed DELETE of its own transaction.
same "cellupsert_prune_history on the coordinator, in batches: every row older than the cutoff gone" \
    "t|0" \
    "$(rows=$(coordinator -c "SELECT count(*) FROM app.list_cell_history")
       echo "$([ "$rows" -gt 3 ] && echo t)|$(
       coordinator -c "CALL app.cellupsert_prune_history('0 seconds', $((rows / 3 + 1)))" >/dev/null
       coordinator -c "SELECT count(*) FROM app.list_cell_history")")"

for port in $COORDINATOR $WORKER1 $WORKER2; do
    if grep -E 'PANIC|TRAP|server process .* was terminated' "$CLUSTER_DIR/n$port.log" > "$WORK/crashes"; then
        not_ok "no crash on :$port" "$WORK/crashes"
    fi
done

echo "citus_cluster: $((checks - failures)) of $checks checks passed"
[ "$failures" -eq 0 ]
