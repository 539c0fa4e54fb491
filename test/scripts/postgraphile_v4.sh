#!/usr/bin/env bash
# PostGraphile v4 (npm postgraphile@4) in front of the extension, as docs/clients.md sets it
# up: its api wrappers and flags, JWT auth. Calls both functions as GraphQL mutations over
# HTTP (test/fixtures/postgraphile_calls.js): successes, a foreign column, another tenant's
# list, an omitted val, a bad batch element, a viewer, no token, PT412, each error with its
# SQLSTATE; then checks what was written as the superuser: row-level security held, the cells
# are the user's (edited_by). Skipped (77) only when the npm registry cannot be reached.
#
# Run alone against any server where the extension is installed (PGHOST, PGPORT, PGUSER).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tools/lib.sh
. test/fixtures/doc_snippets.sh
. test/fixtures/node_packages.sh
node_packages || exit $?

db=cellupsert_postgraphile
work=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2> /dev/null && wait "$server" 2> /dev/null
    dropdb --if-exists "$db"
    psql -X -q -d postgres -c 'DROP ROLE IF EXISTS regress_authenticator'
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db" || fail "createdb"
doc_snippet docs/clients.md postgraphile-wrappers > "$work/wrappers.sql" || exit 1
sed -i "s/PASSWORD 'change me'/PASSWORD 'regress'/" "$work/wrappers.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'SET client_min_messages = warning' -c 'DROP ROLE IF EXISTS regress_authenticator' \
    -f test/fixtures/ids.sql -f test/fixtures/lists.sql -f test/fixtures/postgrest.sql -f "$work/wrappers.sql" \
    > "$work/setup.log" 2>&1 || { cat "$work/setup.log"; fail "setting up the database"; }

# docs/clients.md's command line, on this server and a free port.
port=$(free_port)
export JWT_SECRET=regress-secret-0123456789
doc_snippet docs/clients.md postgraphile-v4 > "$work/postgraphile.sh" || exit 1
sed -i -e "s|npx postgraphile@4|exec \"\$NODE_PATH/.bin/postgraphile\"|" \
    -e "s|postgres://regress_authenticator:…@localhost:5432/app|postgres://regress_authenticator:regress@${PGHOST:-localhost}:${PGPORT:-5432}/$db|" \
    -e '$ s|$| --port '"$port"' --disable-query-log|' "$work/postgraphile.sh"
grep -q -- "--port $port" "$work/postgraphile.sh" || fail "docs/clients.md's PostGraphile v4 command changed: $(cat "$work/postgraphile.sh")"
bash "$work/postgraphile.sh" > "$work/postgraphile.log" 2>&1 &
server=$!
for _ in $(seq 60); do
    grep -q 'server listening' "$work/postgraphile.log" && break
    kill -0 "$server" 2> /dev/null || { cat "$work/postgraphile.log"; fail "PostGraphile did not start"; }
    sleep 0.5
done
grep -q 'server listening' "$work/postgraphile.log" || { cat "$work/postgraphile.log"; fail "PostGraphile did not listen"; }

status=0
GRAPHQL_URL=http://localhost:$port/graphql node test/fixtures/postgraphile_calls.js || status=1

# What was written, as the superuser: alice's cells only, hers (the row, the value, the value
# it replaced, edited_by); bob's list untouched.
expected="Acme|batch 1|by alice|a11ce000-0000-4000-8000-000000000001
Globex|(null)|250|a11ce000-0000-4000-8000-000000000001"
actual=$(psql -X -At -d "$db" -v ON_ERROR_STOP=1 -P null='(null)' -c "
    SELECT r.name, coalesce(c.value, '(null)'),
           (SELECT h.value_after FROM app.list_cell_history h WHERE h.list_id = c.list_id
              AND h.company_row_id = c.company_row_id AND h.column_id = c.column_id ORDER BY h.id DESC OFFSET 1 LIMIT 1),
           c.edited_by
    FROM app.list_company_cells c JOIN app.list_companies r ON r.list_id = c.list_id AND r.id = c.company_row_id
    ORDER BY r.name")
if [ "$actual" == "$expected" ]; then echo "ok: the cells are alice's, on her list only"; else
    printf 'not ok: the cells written\nexpected:\n%s\nactual:\n%s\n' "$expected" "$actual"
    status=1
fi
editors=$(psql -X -At -d "$db" -c "SELECT string_agg(DISTINCT edited_by, ',') || ' ' || count(*) FROM app.list_cell_history")
[ "$editors" == "a11ce000-0000-4000-8000-000000000001 4" ] && echo "ok: every recorded edit is alice's (4)" ||
    { echo "not ok: the history's editors: $editors"; status=1; }
exit $status
