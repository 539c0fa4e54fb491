#!/usr/bin/env bash
# Crash safety: every cell_upsert call that returned true survives a crash of the server.
#
# Starts a throwaway server of its own (fsync and synchronous_commit on), runs 4 clients
# that call cell_upsert in autocommit, each over cells of its own, and crashes the server
# mid-load, twice: with "pg_ctl stop -m immediate", then by SIGKILL of one client's backend
# (the postmaster then ends every other backend and reinitialises). After recovery, every
# cell must hold the value of its last acknowledged call, or of the one call its client had
# in flight at the crash (which may or may not have committed), with status complete, and
# no cell may dangle. Prints acknowledged, found and lost per crash; exits 1 if anything
# is lost.
#
# Alone, from the repository root, as root (the server runs as user postgres) or as a user
# allowed to run postgres, after staging the extension (tools/test.sh does it, or
# "make install DESTDIR=$PWD/build/destdir"):
#     bash test/scripts/crash_safety.sh
# CELLUPSERT_STAGE_DIR (default build/destdir) is where the staged extension is.
set -uo pipefail
cd "$(dirname "$0")/../.."

BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
STAGE=${CELLUPSERT_STAGE_DIR:-$PWD/build/destdir}
CLIENTS=4
CALLS=20000             # per client: more than a round runs before its crash
CRASH_AFTER=1500        # commits before the crash (or CRASH_WAIT seconds, whichever first)
CRASH_WAIT=30
PORT=5497               # the socket lives in our own directory: no clash with other servers

if [ ! -f "$STAGE$("$BIN/pg_config" --sharedir)/extension/cellupsert.control" ]; then
    echo "crash_safety: no staged extension under $STAGE (run tools/test.sh first)" >&2
    exit 1
fi

WORK=$(mktemp -d /tmp/cellupsert-crash.XXXXXX)
client_pids=()

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
    for pid in "${client_pids[@]}"; do kill "$pid" 2>/dev/null; done
    as_postgres "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

# Not the pg_virtualenv server the other tests use: everything is explicit.
unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSERVICE
PSQL=("$BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$WORK" -p "$PORT" -U postgres)
sql() { "${PSQL[@]}" -d "${DB:-crash}" "$@"; }

fail() {
    echo "crash_safety: $*" >&2
    tail -20 "$WORK/server.log" >&2
    exit 1
}

start_server() {
    as_postgres "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 120 start -o "\
        -c listen_addresses='' -c unix_socket_directories='$WORK' -c port=$PORT \
        -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c restart_after_crash=on \
        -c max_connections=20 -c extension_destdir='$STAGE'" >/dev/null ||
        fail "the server did not start"
}

# The database: one list with 8 company columns and 40 rows, 320 cells; client k owns the
# rows k, k+4, ..., k+36, so that each cell has one writer and a well-defined last call.
create_database() {
    chown postgres "$WORK" 2>/dev/null
    as_postgres "$BIN/initdb" -D "$WORK/data" -U postgres -A trust -N >/dev/null || fail "initdb failed"
    start_server
    DB=postgres sql -c 'CREATE DATABASE crash' || fail "could not create the database"
    sql <<EOF
SET client_min_messages = warning;
CREATE SCHEMA app;
CREATE EXTENSION cellupsert SCHEMA app;
SET search_path = app;
\i $STAGE$("$BIN/pg_config" --sharedir)/extension/cellupsert_list_tables.sql
INSERT INTO lists (id) VALUES ('10000000-0000-4000-8000-000000000001');
INSERT INTO list_columns (list_id, id, subject)
SELECT '10000000-0000-4000-8000-000000000001', format('20000000-0000-4000-8000-%s', lpad(i::text, 12, '0'))::uuid, 'company'
FROM generate_series(1, 8) i;
INSERT INTO list_companies (list_id, id)
SELECT '10000000-0000-4000-8000-000000000001', format('30000000-0000-4000-8000-%s', lpad(i::text, 12, '0'))::uuid
FROM generate_series(1, 40) i;
EOF
    [ $? -eq 0 ] || fail "could not create the list tables"
}

# plan.k: "client seq row col value" per call (value "\N" for a clear, 1 call in 10);
# calls.k: the same calls as SQL, each printing its seq when cell_upsert returns true.
write_plans() {
    local round=$1
    for k in $(seq 1 $CLIENTS); do
        awk -v round="$round" -v k="$k" -v n="$CALLS" -v clients="$CLIENTS" '
            BEGIN {
                srand(round * 100 + k)
                for (seq = 1; seq <= n; seq++) {
                    row = sprintf("30000000-0000-4000-8000-%012d", k + clients * int(rand() * 10))
                    col = sprintf("20000000-0000-4000-8000-%012d", 1 + int(rand() * 8))
                    clear = rand() < 0.1
                    value = clear ? "" : sprintf("r%d-c%d-%d", round, k, seq)
                    printf "%d\t%d\t%s\t%s\t%s\n", k, seq, row, col, clear ? "\\N" : value > "plan." k
                    printf "SELECT %d WHERE app.cell_upsert(%s, %s, %s, %s);\n", seq,
                        "'\''10000000-0000-4000-8000-000000000001'\''",
                        "'\''" row "'\''", "'\''" col "'\''", "'\''" value "'\''" > "calls." k
                }
            }'
    done
}

commits() { sql -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'crash'"; }

start_clients() {
    client_pids=()
    for k in $(seq 1 $CLIENTS); do
        PGAPPNAME=crash_client_$k "${PSQL[@]}" -d crash -f "calls.$k" > "acks.$k" 2> "errors.$k" &
        client_pids+=($!)
    done
}

# Waits until the clients have committed CRASH_AFTER calls (statistics lag by a second at
# most) or CRASH_WAIT seconds passed, and checks that every client is still running.
wait_for_load() {
    local before
    before=$(commits)
    for _ in $(seq 1 $((CRASH_WAIT * 4))); do
        sleep 0.25
        [ $(($(commits) - before)) -ge $CRASH_AFTER ] && break
    done
    for k in $(seq 1 $CLIENTS); do
        kill -0 "${client_pids[$((k - 1))]}" 2>/dev/null || fail "client $k ended before the crash: $(cat "errors.$k")"
    done
}

# The clients end on their own once the connection is gone; a bounded wait all the same.
wait_for_clients() {
    for _ in $(seq 1 120); do
        local running=0
        for pid in "${client_pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
        [ $running -eq 0 ] && break
        sleep 0.25
    done
    for pid in "${client_pids[@]}"; do wait "$pid" 2>/dev/null; done
    client_pids=()
}

wait_until_ready() {
    for _ in $(seq 1 240); do
        sql -c 'SELECT 1' >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    fail "the server did not come back"
}

# Compares the cells with the acknowledged calls; prints the figures, returns 1 on a loss.
verify() {
    local how=$1 report
    report=$(cat plan.* > plan.all && cat /dev/null > acks.all &&
        for k in $(seq 1 $CLIENTS); do sed "s/^/$k\t/" "acks.$k" >> acks.all; done &&
        sql <<'EOF'
CREATE TEMP TABLE plan (client int, seq int, row_id uuid, col_id uuid, val text, PRIMARY KEY (client, seq));
CREATE TEMP TABLE acked (client int, seq int, PRIMARY KEY (client, seq));
\copy plan FROM 'plan.all'
\copy acked FROM 'acks.all'
WITH clients AS (SELECT DISTINCT client FROM plan),
-- The one call per client that was sent and not acknowledged when the server went down.
in_flight AS (
    SELECT p.* FROM clients c
    JOIN plan p ON p.client = c.client
     AND p.seq = 1 + coalesce((SELECT max(a.seq) FROM acked a WHERE a.client = c.client), 0)),
last_acked AS (
    SELECT DISTINCT ON (p.row_id, p.col_id) p.*
    FROM plan p JOIN acked a USING (client, seq)
    ORDER BY p.row_id, p.col_id, p.seq DESC),
cells AS (
    SELECT c.company_row_id AS row_id, c.column_id AS col_id, c.value, c.status
    FROM app.list_company_cells c),
-- Per cell with an acknowledged call: its last acknowledged value, or the later call in flight.
per_acked_cell AS (
    SELECT l.row_id, c.row_id IS NOT NULL AND c.status = 'complete' AND (
               c.value IS NOT DISTINCT FROM l.val
               OR (i.seq IS NOT NULL AND c.value IS NOT DISTINCT FROM i.val)) AS found
    FROM last_acked l
    LEFT JOIN cells c ON c.row_id = l.row_id AND c.col_id = l.col_id
    LEFT JOIN in_flight i ON i.row_id = l.row_id AND i.col_id = l.col_id),
-- A cell without any acknowledged call may only hold the call in flight.
unexplained AS (
    SELECT c.* FROM cells c
    WHERE NOT EXISTS (SELECT FROM last_acked l WHERE l.row_id = c.row_id AND l.col_id = c.col_id)
      AND NOT EXISTS (SELECT FROM in_flight i WHERE i.row_id = c.row_id AND i.col_id = c.col_id
                      AND c.status = 'complete' AND c.value IS NOT DISTINCT FROM i.val))
SELECT
    (SELECT count(*) FROM acked),
    (SELECT count(*) FROM per_acked_cell),
    (SELECT count(*) FILTER (WHERE found) FROM per_acked_cell),
    (SELECT count(*) FILTER (WHERE found IS NOT true) FROM per_acked_cell),
    (SELECT count(*) FROM in_flight),
    (SELECT count(*) FROM in_flight i JOIN cells c ON c.row_id = i.row_id AND c.col_id = i.col_id
      WHERE c.value = i.val),
    (SELECT count(*) FROM unexplained),
    (SELECT count(*) FROM app.list_company_cells c
      WHERE NOT EXISTS (SELECT FROM app.list_columns k WHERE k.list_id = c.list_id AND k.id = c.column_id)
         OR NOT EXISTS (SELECT FROM app.list_companies r WHERE r.list_id = c.list_id AND r.id = c.company_row_id));
EOF
    ) || fail "verification failed to run"
    local acknowledged cells found lost in_flight committed unexplained dangling
    IFS='|' read -r acknowledged cells found lost in_flight committed unexplained dangling <<< "$report"
    echo "crash by $how: acknowledged $acknowledged calls on $cells cells; found $found, lost $lost;" \
         "in flight $in_flight, of which committed $committed; unexplained cells $unexplained, dangling $dangling"
    [ "$acknowledged" -gt 0 ] || { echo "crash_safety: nothing was acknowledged before the crash" >&2; return 1; }
    [ "$lost" -eq 0 ] && [ "$unexplained" -eq 0 ] && [ "$dangling" -eq 0 ]
}

run_round() {
    local round=$1 how=$2
    rm -f plan.* calls.* acks.* errors.*
    sql -c 'TRUNCATE app.list_company_cells' || fail "could not empty the cells"
    write_plans "$round"
    start_clients
    wait_for_load
    case $how in
    immediate)
        as_postgres "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null || fail "pg_ctl stop failed"
        wait_for_clients
        start_server ;;
    sigkill)
        local pid
        pid=$(sql -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'crash_client_2'")
        [ -n "$pid" ] || fail "no backend for client 2"
        kill -KILL "$pid"
        wait_for_clients
        wait_until_ready
        grep -q 'all server processes terminated; reinitializing' "$WORK/server.log" ||
            fail "the server did not reinitialise after the SIGKILL" ;;
    esac
    verify "$how"
}

cd "$WORK" || exit 1
create_database
status=0
run_round 1 "immediate" || status=1
run_round 2 "sigkill" || status=1
[ $status -eq 0 ] || echo "crash_safety: acknowledged upserts were lost" >&2
exit $status
