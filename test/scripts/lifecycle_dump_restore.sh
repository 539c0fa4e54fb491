#!/usr/bin/env bash
# Backup and restore keep the extension, the list data and the application's security:
# pg_dump -Fc | pg_restore, pg_dump | psql, and pg_dump -n app -e cellupsert, each into a
# fresh database, must reproduce the source's catalog state (extension, members and their
# grants, tables, columns and defaults, constraints, indexes, RLS flags, policies, grants)
# and table contents exactly; afterwards cell_upsert behaves there as in the source.
cd "$(dirname "$0")/../.."
. test/lifecycle/lib.sh

work=$(mktemp -d)
at_exit "rm -rf '$work'"
new_roles regress_lifecycle_member regress_lifecycle_outsider
src=lifecycle_dump_src
new_db "$src"
sql -d "$src" -f test/lifecycle/app.sql

catalog "$src" app > "$work/catalog.src"
contents "$src" app > "$work/contents.src"
grep -q '^app.list_company_cells|1[0-9][0-9]|' "$work/contents.src" ||
    fail "the source has fewer cells than the setup writes: $(cat "$work/contents.src")"

pg_dump -Fc -d "$src" -f "$work/dump.custom"
pg_dump -d "$src" -f "$work/dump.sql"
pg_dump -d "$src" -n app -e cellupsert -f "$work/dump-app.sql"

# What pg_dump writes: the extension as one CREATE EXTENSION, never its functions.
status=0
for f in dump.sql dump-app.sql; do
    [ "$(grep -c '^CREATE EXTENSION IF NOT EXISTS cellupsert WITH SCHEMA app;$' "$work/$f")" = 1 ] ||
        { echo "FAIL: $f has no single CREATE EXTENSION cellupsert" >&2; status=1; }
    ! grep -q 'CREATE FUNCTION' "$work/$f" ||
        { echo "FAIL: $f defines the extension's functions itself" >&2; status=1; }
done
# The documented trap: a dump of the schema alone leaves the extension, and its grants, out.
! pg_dump -d "$src" -n app | grep -q 'EXTENSION' ||
    { echo "FAIL: pg_dump -n app now includes the extension: update docs/operations.md" >&2; status=1; }

new_db lifecycle_dump_custom
pg_restore --exit-on-error --single-transaction -d lifecycle_dump_custom "$work/dump.custom"
new_db lifecycle_dump_plain
sql -d lifecycle_dump_plain --single-transaction -f "$work/dump.sql" >/dev/null
new_db lifecycle_dump_app
sql -d lifecycle_dump_app --single-transaction -f "$work/dump-app.sql" >/dev/null

psql -X -q -At -d "$src" -f test/lifecycle/probe.sql > "$work/probe.src" 2>&1
same "cell_upsert in the source after the dump" test/lifecycle/probe.out "$work/probe.src" || status=1
for db in lifecycle_dump_custom lifecycle_dump_plain lifecycle_dump_app; do
    catalog "$db" app > "$work/catalog.$db"
    contents "$db" app > "$work/contents.$db"
    same "catalog state after $db" "$work/catalog.src" "$work/catalog.$db" || status=1
    same "table contents after $db" "$work/contents.src" "$work/contents.$db" || status=1
    psql -X -q -At -d "$db" -f test/lifecycle/probe.sql > "$work/probe.$db" 2>&1
    same "cell_upsert after $db" test/lifecycle/probe.out "$work/probe.$db" || status=1
done
exit $status
