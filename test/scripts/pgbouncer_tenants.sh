#!/usr/bin/env bash
# PgBouncer (Debian's) in transaction mode, set up from docs/clients.md's pgbouncer.ini with
# default_pool_size = 2: two tenants (alice on list1, bob on list2) alternate on the two
# server connections, each transaction in PostgREST's shape (BEGIN; set_config of role and
# request.jwt.claims, local; the call; COMMIT), four pgbench clients. Then: every transaction
# wrote (exact counts, from pgbench and from the history), both tenants went through both
# server connections, no write landed in the other tenant's list or under the other's name.
# Last, docs/clients.md's psycopg block through the same PgBouncer (prepare_threshold=None).
#
# Run alone against any server where the extension is installed (PGHOST, PGPORT, PGUSER).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tools/lib.sh
. test/fixtures/doc_snippets.sh

command -v pgbouncer > /dev/null || { echo "FAIL: pgbouncer is not installed (tools/test.sh installs it)"; exit 1; }
db=cellupsert_pgbouncer
work=$(mktemp -d)
chmod 755 "$work"
bouncer=
cleanup() {
    [ -n "$bouncer" ] && kill "$bouncer" 2> /dev/null && sleep 0.5
    dropdb --if-exists "$db"
    psql -X -q -d postgres -c 'DROP ROLE IF EXISTS regress_authenticator'
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
status=0
same() {   # same LABEL EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then echo "ok: $1"; else
        printf 'not ok: %s\nexpected:\n%s\nactual:\n%s\n' "$1" "$2" "$3"
        status=1
    fi
}
run() { psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db" || fail "createdb"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f test/fixtures/ids.sql -f test/fixtures/lists.sql \
    -f test/fixtures/postgrest.sql -f test/fixtures/authenticator.sql > "$work/setup.log" 2>&1 ||
    { cat "$work/setup.log"; fail "setting up the database"; }

# docs/clients.md's pgbouncer.ini, on this server, a free port, a pool of 2.
port=$(free_port)
doc_snippet docs/clients.md pgbouncer.ini > "$work/pgbouncer.ini" || exit 1
sed -i -e "s|^app = host=127.0.0.1 port=5432 dbname=app$|app = host=${PGHOST:-localhost} port=${PGPORT:-5432} dbname=$db|" \
    -e "s|^listen_port = 6432$|listen_port = $port|" -e "s|^auth_file = .*|auth_file = $work/userlist.txt|" \
    -e "s|^default_pool_size = 20$|default_pool_size = 2|" "$work/pgbouncer.ini"
printf 'unix_socket_dir =\nlogfile = %s/pgbouncer.log\n' "$work" >> "$work/pgbouncer.ini"
for line in "dbname=$db" "listen_port = $port" "auth_file = $work/userlist.txt" "default_pool_size = 2" "pool_mode = transaction"; do
    grep -qF "$line" "$work/pgbouncer.ini" || fail "docs/clients.md's pgbouncer.ini changed (no '$line'): $(cat "$work/pgbouncer.ini")"
done
echo '"regress_authenticator" "regress"' > "$work/userlist.txt"
chmod 644 "$work"/*
# PgBouncer does not run as root: as postgres then.
as_user=()
[ "$(id -u)" -eq 0 ] && as_user=(-u postgres) && chown postgres "$work"
pgbouncer "${as_user[@]}" "$work/pgbouncer.ini" > "$work/pgbouncer.out" 2>&1 &
bouncer=$!
for _ in $(seq 40); do
    PGPASSWORD=regress psql -X -At -h 127.0.0.1 -p "$port" -U regress_authenticator -d app -c 'SELECT 1' > /dev/null 2>&1 && break
    kill -0 "$bouncer" 2> /dev/null || { cat "$work/pgbouncer.out" "$work/pgbouncer.log"; fail "PgBouncer did not start"; }
    sleep 0.25
done

# Each tenant's transaction, as PostgREST sends it; the value names the tenant and the server
# connection (backend pid) that ran it.
tenant_script() {  # NAME SUB LIST ROW COL
    cat << SQL
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"role":"regress_pgrst_authenticated","sub":"$2"}', true);
SELECT app.cell_upsert('$3', '$4', '$5', '$1 ' || pg_backend_pid());
COMMIT;
SQL
}
tenant_script alice a11ce000-0000-4000-8000-000000000001 10000000-0000-4000-8000-000000000001 \
    30000000-0000-4000-8000-000000000011 20000000-0000-4000-8000-000000000011 > "$work/alice.sql"
tenant_script bob b0b00000-0000-4000-8000-000000000002 10000000-0000-4000-8000-000000000002 \
    30000000-0000-4000-8000-000000000021 20000000-0000-4000-8000-000000000021 > "$work/bob.sql"
PGPASSWORD=regress pgbench -n -M simple -h 127.0.0.1 -p "$port" -U regress_authenticator -c 4 -j 2 -t 300 \
    -f "$work/alice.sql@1" -f "$work/bob.sql@1" app > "$work/pgbench.log" 2>&1 ||
    { cat "$work/pgbench.log"; fail "pgbench"; }
transactions() {  # NAME: the transactions pgbench ran of NAME.sql
    awk -v script="/$1.sql" '/^SQL script [0-9]+: / { mine = substr($0, length($0) - length(script) + 1) == script }
                            mine && $2 ~ /^[0-9]+$/ && $3 == "transactions" { print $2; exit }' "$work/pgbench.log"
}
alice=$(transactions alice) bob=$(transactions bob)
same "pgbench: 1200 transactions, none failed" "1200 0" "$((alice + bob)) $(grep -c -i 'error' "$work/pgbench.log")"
same "the history has one edit per transaction, each on its tenant's list and under its name" \
    "10000000-0000-4000-8000-000000000001|a11ce000-0000-4000-8000-000000000001|$alice|alice
10000000-0000-4000-8000-000000000002|b0b00000-0000-4000-8000-000000000002|$bob|bob" \
    "$(run "SELECT list_id, edited_by, count(*), string_agg(DISTINCT split_part(value_after, ' ', 1), ',')
            FROM app.list_cell_history GROUP BY 1, 2 ORDER BY 1, 2")"
same "both tenants went through the same two server connections" "2|2|2" \
    "$(run "SELECT count(DISTINCT split_part(value_after, ' ', 2)),
                   count(DISTINCT split_part(value_after, ' ', 2)) FILTER (WHERE value_after LIKE 'alice %'),
                   count(DISTINCT split_part(value_after, ' ', 2)) FILTER (WHERE value_after LIKE 'bob %')
            FROM app.list_cell_history")"

# docs/clients.md's psycopg block, through the same PgBouncer.
doc_snippet docs/clients.md psycopg > "$work/psycopg_snippet.py" || exit 1
DATABASE_URL="postgresql://regress_authenticator:regress@127.0.0.1:$port/app" \
    /usr/bin/python3 "$work/psycopg_snippet.py" > "$work/psycopg.out" 2>&1
same "docs/clients.md's psycopg block through PgBouncer: what it prints" \
    "2
changed meanwhile: Its version is \"$(run "SELECT app.cell_version_of('v3', 'complete', NULL, NULL)")\", not \"absent\"; nothing was written." \
    "$(cat "$work/psycopg.out")"
same "what it wrote: v3, alice's" \
    "Acme|v3|a11ce000-0000-4000-8000-000000000001
Globex|v3|a11ce000-0000-4000-8000-000000000001" \
    "$(run "SELECT r.name, c.value, c.edited_by FROM app.list_company_cells c
            JOIN app.list_companies r ON r.list_id = c.list_id AND r.id = c.company_row_id
            WHERE c.list_id = '10000000-0000-4000-8000-000000000001' ORDER BY 1")"
exit $status
