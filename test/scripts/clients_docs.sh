#!/usr/bin/env bash
# docs/clients.md's blocks, run as written (with the fixtures' role names): node-postgres,
# Drizzle, Kysely and psycopg against the server, as alice through an authenticator role, each
# followed by what it wrote (values, edited_by); supabase-js against a stand-in for PostgREST
# (test/fixtures/postgrest_standin.js) that records the requests it gets. Also: every block
# of the page is run here or by the test the page names for it, and the identity helper of
# test/fixtures/postgrest.sql is docs/postgrest.md's. Skipped (77) only when the npm registry
# cannot be reached.
#
# Run alone against any server where the extension is installed (PGHOST, PGPORT, PGUSER).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tools/lib.sh
. test/fixtures/doc_snippets.sh
. test/fixtures/node_packages.sh

status=0
same() {   # same LABEL EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then echo "ok: $1"; else
        printf 'not ok: %s\nexpected:\n%s\nactual:\n%s\n' "$1" "$2" "$3"
        status=1
    fi
}

# The page's blocks, and where each is run (the others are named in its "How this is tested").
same "every block of docs/clients.md has a name" "$(grep -c '^```[a-z]' docs/clients.md)" \
    "$(doc_snippet_names docs/clients.md | wc -l)"
same "the blocks of docs/clients.md, each run here or by the script named" \
    "node-postgres clients_docs.sh
psycopg clients_docs.sh pgbouncer_tenants.sh
pgbouncer.ini pgbouncer_tenants.sh
postgraphile-wrappers postgraphile_v4.sh
postgraphile-v4 postgraphile_v4.sh
postgraphile-v5 not run: PostGraphile v5 needs Node.js 22
drizzle clients_docs.sh
kysely clients_docs.sh
supabase-js clients_docs.sh" \
    "$(doc_snippet_names docs/clients.md | while read -r name; do
        scripts=$(grep -lE -- "(doc_snippet docs/clients.md|\bsnippet) $name\b" test/scripts/*.sh |
            xargs -r -n1 basename | tr '\n' ' ')
        [ "$name" == postgraphile-v5 ] && scripts="not run: PostGraphile v5 needs Node.js 22"
        echo "$name ${scripts% }"
    done)"

# The policy set's identity helper: the fixture's is the page's.
helper() { sed -n '/^CREATE FUNCTION app.request_user_id() RETURNS text$/,/;$/p' "$1"; }
same "test/fixtures/postgrest.sql's request_user_id() is docs/postgrest.md's" "$(helper docs/postgrest.md)" \
    "$(helper test/fixtures/postgrest.sql)"
[ -n "$(helper docs/postgrest.md)" ] || { echo "not ok: no request_user_id() in docs/postgrest.md"; status=1; }

node_packages || exit $?
db=cellupsert_clients_docs
work=$(mktemp -d)
snippets=$NODE_PATH/../snippets  # ES modules find the packages from there
standin=
cleanup() {
    [ -n "$standin" ] && kill "$standin" 2> /dev/null
    dropdb --if-exists "$db"
    psql -X -q -d postgres -c 'DROP ROLE IF EXISTS regress_authenticator'
    rm -rf "$work" "$snippets"
}
trap cleanup EXIT
PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f test/fixtures/ids.sql -f test/fixtures/lists.sql \
    -f test/fixtures/postgrest.sql -f test/fixtures/authenticator.sql > "$work/setup.log" 2>&1 ||
    { cat "$work/setup.log"; exit 1; }
export DATABASE_URL="postgresql://regress_authenticator:regress@${PGHOST:-localhost}:${PGPORT:-5432}/$db"
cells() {
    psql -X -At -d "$db" -c "SELECT r.name, coalesce(c.value, '(null)'), c.edited_by FROM app.list_company_cells c
        JOIN app.list_companies r ON r.list_id = c.list_id AND r.id = c.company_row_id ORDER BY 1"
}
alice=a11ce000-0000-4000-8000-000000000001
version() { psql -X -At -d "$db" -c "SELECT app.cell_version_of('$1', 'complete', NULL, NULL)"; }

# snippet NAME: runs the block NAME (node: an ES module among the packages; python: Debian's
# python3), printing what it prints.
mkdir -p "$snippets"
snippet() {
    case $1 in
    psycopg) doc_snippet docs/clients.md "$1" > "$work/snippet.py" && /usr/bin/python3 "$work/snippet.py" 2>&1 ;;
    *) doc_snippet docs/clients.md "$1" > "$snippets/$1.mjs" && node "$snippets/$1.mjs" 2>&1 ;;
    esac
}

same "node-postgres: what it prints" "1
changed meanwhile: Its version is \"$(version acme.com)\", not \"absent\"; nothing was written." "$(snippet node-postgres)"
same "node-postgres: what it wrote, as alice" "Acme|acme.com|$alice
Globex|globex.com|$alice" "$(cells)"
same "Drizzle: what it prints" "1" "$(snippet drizzle)"
same "Drizzle: what it wrote, as alice" "Acme|drizzle|$alice
Globex|globex.com|$alice" "$(cells)"
same "Kysely: what it prints" "1" "$(snippet kysely)"
same "Kysely: what it wrote, as alice" "Acme|drizzle|$alice
Globex|kysely|$alice" "$(cells)"
same "psycopg: what it prints" "2
changed meanwhile: Its version is \"$(version v3)\", not \"absent\"; nothing was written." "$(snippet psycopg)"
same "psycopg: what it wrote, as alice" "Acme|v3|$alice
Globex|v3|$alice" "$(cells)"
same "the history: every edit alice's" "$alice 13" \
    "$(psql -X -At -d "$db" -c "SELECT string_agg(DISTINCT edited_by, ',') || ' ' || count(*) FROM app.list_cell_history")"

# What the page warns of, as it says: Drizzle renders ${undefined} as nothing (42601) and a JS
# array as a record (42883); Kysely sends a JS array as an array literal (22P02).
cat > "$snippets/pitfalls.mjs" << 'JS'
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql as dsql } from 'drizzle-orm';
import { Kysely, PostgresDialect, sql as ksql } from 'kysely';
const pool = new pg.Pool({ database: process.env.PITFALLS_DB });  // the superuser, from PGHOST, PGUSER, …
const db = drizzle(pool);
const kdb = new Kysely({ dialect: new PostgresDialect({ pool }) });
const [list, row, col] = ['10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000011',
                          '20000000-0000-4000-8000-000000000011'];
const cells = [{ row, col, val: 'x' }, { row, col, val: 'y' }];
const code = (promise) => promise.then(() => 'no error', (e) => (e.cause ?? e).code);
console.log(await code(db.execute(dsql`SELECT app.cell_upsert(${list}, ${row}, ${col}, ${undefined})`)));
console.log(await code(db.execute(dsql`SELECT app.cell_upsert_many(${list}, ${cells})`)));
console.log(await code(ksql`SELECT app.cell_upsert_many(${list}, ${cells}::jsonb)`.execute(kdb)));
await pool.end();
JS
same "the pitfalls docs/clients.md warns of: 42601, 42883, 22P02" "42601
42883
22P02" "$(PITFALLS_DB=$db node "$snippets/pitfalls.mjs" 2>&1)"

# supabase-js against the stand-in.
port=$(free_port)
PORT=$port REQUESTS=$work/requests.jsonl node test/fixtures/postgrest_standin.js > "$work/standin.log" 2>&1 &
standin=$!
for _ in $(seq 40); do grep -q listening "$work/standin.log" && break; sleep 0.25; done
same "supabase-js: what it prints" "true 1" \
    "$(SUPABASE_URL=http://127.0.0.1:$port SUPABASE_ANON_KEY=regress-anon-key snippet supabase-js)"
same "supabase-js: the requests PostgREST gets" \
    '{"method":"POST","path":"/rest/v1/rpc/cell_upsert","apikey":"regress-anon-key","authorization":"Bearer regress-anon-key","body":{"list":"10000000-0000-4000-8000-000000000001","row":"30000000-0000-4000-8000-000000000011","col":"20000000-0000-4000-8000-000000000011","val":"acme.com"}}
{"method":"POST","path":"/rest/v1/rpc/cell_upsert_many","apikey":"regress-anon-key","authorization":"Bearer regress-anon-key","body":{"list":"10000000-0000-4000-8000-000000000001","cells":[{"row":"30000000-0000-4000-8000-000000000012","col":"20000000-0000-4000-8000-000000000011","val":null}]}}' \
    "$(cat "$work/requests.jsonl")"
exit $status
