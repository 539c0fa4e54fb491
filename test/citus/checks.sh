# Shared by the scripts that test a Citus cluster (test/scripts/citus_*.sh), sourced after
# test/citus/cluster.sh: the checks' bookkeeping (ok, not_ok, same), the guide's cluster with
# its data (alice edits list1, carol views it, bob edits list2), and the calls as clients send
# them (sqlstate_of, rpc_call, postgrest). WORK is the caller's scratch directory.
# shellcheck shell=bash

failures=0
checks=0

# citus_script_start NAME: what each script does first. Skips (exit 77) without Citus; sets
# STAGE, the staged extension (exits when there is none); clears the caller's libpq variables
# (not the pg_virtualenv server the other tests use: everything is explicit); makes WORK, a
# scratch directory; at exit, stops the cluster and removes WORK (CITUS_TEST_KEEP=1 leaves
# the cluster running, for a look after the run, and says how to stop it).
citus_script_start() {
    local name=$1
    if ! citus_installed; then
        echo "$name: SKIPPED: Citus is not installed in $("$cluster_bin/pg_config" --pkglibdir)"
        exit 77
    fi
    STAGE=${CELLUPSERT_STAGE_DIR:-$PWD/build/destdir}
    if [ ! -f "$STAGE$("$cluster_bin/pg_config" --sharedir)/extension/cellupsert.control" ]; then
        echo "$name: no staged extension under $STAGE (run tools/test.sh first)" >&2
        exit 1
    fi
    unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSERVICE PGOPTIONS
    WORK=$(mktemp -d "/tmp/cellupsert-$name.XXXXXX")
    if [ -n "${CITUS_TEST_KEEP:-}" ]; then
        trap 'echo "kept: CLUSTER_DIR=$CLUSTER_DIR COORDINATOR=$COORDINATOR WORKER1=$WORKER1 WORKER2=$WORKER2" \
                   "(to stop it: set these, . test/citus/cluster.sh, cluster_stop)"; rm -rf "$WORK"' EXIT
    else
        trap 'cluster_stop; rm -rf "$WORK"' EXIT
    fi
}

ok() {
    checks=$((checks + 1))
    echo "ok: $1"
}
not_ok() {
    checks=$((checks + 1))
    failures=$((failures + 1))
    echo "FAIL: $1"
    [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -40
    return 0
}
# same NAME EXPECTED ACTUAL
same() {
    if [ "$2" == "$3" ]; then ok "$1"; else
        printf 'expected:\n%s\nactual:\n%s\n' "$2" "$3" > "$WORK/diff"
        not_ok "$1" "$WORK/diff"
    fi
}
coordinator() { on "$COORDINATOR" -At "$@"; }

# The data: alice edits list1, carol views it, bob edits list2.
list1=10000000-0000-4000-8000-000000000001
list2=10000000-0000-4000-8000-000000000002
col1=20000000-0000-4000-8000-000000000011
person1=20000000-0000-4000-8000-000000000012
col2=20000000-0000-4000-8000-000000000021
row1=30000000-0000-4000-8000-000000000011
row1b=30000000-0000-4000-8000-000000000012
row2=30000000-0000-4000-8000-000000000021
missing=90000000-0000-4000-8000-000000000099

# cluster_with_data STAGE: the guide's cluster (cluster.sh), then the data; exits when the
# guide's steps fail.
cluster_with_data() {
    if ! cluster_setup "$1" > "$WORK/setup.log" 2>&1; then
        cat "$WORK/setup.log"
        for log in "$CLUSTER_DIR"/*.log; do echo "== $log"; tail -20 "$log"; done
        echo "FAIL: the guide's steps"
        exit 1
    fi
    echo "coordinator 127.0.0.1:$COORDINATOR, workers :$WORKER1 and :$WORKER2"

    coordinator <<SQL
INSERT INTO app.lists (id, name) VALUES ('$list1', 'list one'), ('$list2', 'list two');
INSERT INTO app.list_columns (list_id, id, subject, response_type, name) VALUES
    ('$list1', '$col1', 'company', 'number', 'Employees'),
    ('$list1', '$person1', 'person', 'text', 'CEO'),
    ('$list2', '$col2', 'company', 'text', 'Website');
INSERT INTO app.list_companies (list_id, id, name) VALUES
    ('$list1', '$row1', 'Acme'), ('$list1', '$row1b', 'Globex'), ('$list2', '$row2', 'Initech');
INSERT INTO app.list_members (list_id, user_id, can_edit) VALUES
    ('$list1', 'alice', true), ('$list1', 'carol', false), ('$list2', 'bob', true);
SQL
}

# sqlstate_of PORT SQL: the SQLSTATE of a statement run as postgres.
sqlstate_of() {
    PGOPTIONS= "$cluster_bin/psql" -X -q -At -h 127.0.0.1 -p "$1" -U postgres -d postgres \
        -c "$2" -c '\echo sqlstate=:SQLSTATE' 2>/dev/null | sed -n 's/^sqlstate=//p' | tail -1
}

# A call in the shape PostgREST sends it: a CTE over json_to_record, named arguments.
rpc_call() {  # rpc_call FUNCTION BODY_JSON
    local function=$1 body=$2 columns names args
    if [ "$function" = cell_upsert ]; then
        columns='"list" uuid, "row" uuid, "col" uuid, "val" text'
        names='"list", "row", "col", "val"'
        args='"list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val"'
        if [[ $body == *'"if_match"'* ]]; then
            columns+=', "if_match" text'
            names+=', "if_match"'
            args+=', "if_match" := pgrst_body."if_match"'
        fi
    else
        columns='"list" uuid, "cells" jsonb'
        names='"list", "cells"'
        args='"list" := pgrst_body."list", "cells" := pgrst_body."cells"'
    fi
    echo "WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '$body'::json AS json_data) pgrst_payload, LATERAL (SELECT $names FROM json_to_record(pgrst_payload.json_data) AS _($columns) LIMIT 1) pgrst_body, LATERAL (SELECT \"app\".\"$function\"($args) pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT \"$function\".* FROM \"pgrst_source\" AS \"$function\") _postgrest_t"
}

# postgrest ROLE SUB CALL_SQL [READ ONLY|READ WRITE]: replays PostgREST's transaction as
# authenticator (a password over TCP): BEGIN, set_config of the search path, the role and the
# claims, the pre-request function, the call, COMMIT. citus.log_remote_commands is set, with
# SET LOCAL (so that it reaches the worker too), to see where the statements run. Prints
# "sqlstate=S body=B"; the notices and errors go to $WORK/notices.
postgrest() {
    local role=$1 sub=$2 call=$3 mode=${4:-READ WRITE}
    cat > "$WORK/request.sql" <<SQL
BEGIN ISOLATION LEVEL READ COMMITTED $mode;
\o /dev/null
select set_config('search_path', '"app", "public"', true), set_config('role', '$role', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"$role","sub":"$sub"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/call', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json"}', true), set_config('request.cookies', '{}', true);
select "app"."pre_request"();
\o
SET LOCAL citus.log_remote_commands = on;
$call \gset pgrst_
\echo sqlstate=:SQLSTATE body=:pgrst_body
COMMIT;
SQL
    PGPASSWORD=change-me-authenticator "$cluster_bin/psql" -X -q -At -h 127.0.0.1 -p "$COORDINATOR" \
        -U authenticator -d postgres -f "$WORK/request.sql" 2> "$WORK/notices" | grep '^sqlstate='
}
