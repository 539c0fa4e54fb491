#!/usr/bin/env bash
# Upgrades: a database installed at the oldest version, with that version's list tables and
# data, then upgraded as docs/operations.md says (the list-table migrations in order, then
# ALTER EXTENSION cellupsert UPDATE, in one transaction), must equal a fresh install of the
# newest version with the current DDL: same extension members and function definitions, same
# table shape; its data kept, and cell_upsert working before and after. Also each version's
# install script must equal the upgrade chain that leads to it.
cd "$(dirname "$0")/../.."
. test/lifecycle/lib.sh

mapfile -t installs < <(install_versions)
mapfile -t versions < <(all_versions)
oldest=${installs[0]}
newest=$(default_version)
base_ddl=$(base_ddl_file "$oldest")
[ -f "$base_ddl" ] || fail "no $base_ddl (see test/scripts/lifecycle_versions.sh)"
echo "upgrading $oldest -> $newest"

work=$(mktemp -d)
at_exit "rm -rf '$work'"
status=0

# 1. Each install script after the oldest equals the chain of upgrade scripts up to it.
[ ${#installs[@]} -gt 1 ] && new_db lifecycle_upgrade_install && new_db lifecycle_upgrade_chain
for v in "${installs[@]:1}"; do
    for db in lifecycle_upgrade_install lifecycle_upgrade_chain; do
        sql -d $db -c 'SET client_min_messages = warning' -c 'DROP SCHEMA IF EXISTS app CASCADE' -c 'CREATE SCHEMA app'
    done
    sql -d lifecycle_upgrade_install -c "CREATE EXTENSION cellupsert SCHEMA app VERSION '$v'"
    sql -d lifecycle_upgrade_chain -c "CREATE EXTENSION cellupsert SCHEMA app VERSION '$oldest'" \
        -c "ALTER EXTENSION cellupsert UPDATE TO '$v'"
    catalog lifecycle_upgrade_install app > "$work/install.$v"
    catalog lifecycle_upgrade_chain app > "$work/chain.$v"
    same "install script of $v = $oldest upgraded to $v" "$work/install.$v" "$work/chain.$v" || status=1
done

# 2. The oldest version with its own list tables and data, written with the installed
# library: it must still serve the oldest version's functions until the update.
up=lifecycle_upgrade_upgraded
new_db $up
sql -d $up -v oldest="$oldest" <<SQL
CREATE SCHEMA app;
CREATE EXTENSION cellupsert SCHEMA app VERSION :'oldest';
SET search_path = app;
\i $base_ddl
INSERT INTO lists (id, name) VALUES
    ('10000000-0000-4000-8000-000000000001', 'list one'),
    ('10000000-0000-4000-8000-000000000002', 'list two');
INSERT INTO list_columns (list_id, id, subject, response_type, name) VALUES
    ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000011', 'company', 'number', 'Employees'),
    ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000012', 'person', 'text', 'CEO'),
    ('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000021', 'company', 'text', 'Website');
INSERT INTO list_companies (list_id, id, name) VALUES
    ('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000011', 'Acme'),
    ('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000012', 'Globex'),
    ('10000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000021', 'Initech');
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value, status, reasoning, error) VALUES
    ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000011',
     '30000000-0000-4000-8000-000000000012', NULL, 'error', 'no source', 'timeout');
\o /dev/null
SELECT app.cell_upsert('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000011',
                       '20000000-0000-4000-8000-000000000011', '120');
SELECT app.cell_upsert('10000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000021',
                       '20000000-0000-4000-8000-000000000021', 'initech.example');
\o
-- What the upgrade must keep, in the columns the oldest version has.
CREATE SCHEMA lifecycle_before;
SELECT format('CREATE TABLE lifecycle_before.%I AS TABLE app.%I', c.relname, c.relname)
FROM pg_class c WHERE c.relnamespace = 'app'::regnamespace AND c.relkind = 'r' \gexec
SQL

# 3. The upgrade: each migration from the oldest version on, in version order, then one
# ALTER EXTENSION UPDATE, which follows the chain; all in one transaction.
steps=()
for ((i = 0; i < ${#versions[@]} - 1; i++)); do
    a=${versions[i]} b=${versions[i + 1]}
    [ "$(printf '%s\n' "$a" "$oldest" | sort -V | head -1)" = "$oldest" ] || continue
    migration=sql/cellupsert_list_tables--$a--$b.sql
    [ -f "$migration" ] && steps+=(-f "$migration") && echo "migration: $migration"
done
sql -d $up --single-transaction -c 'SET search_path = app' "${steps[@]}" \
    -c 'ALTER EXTENSION cellupsert UPDATE'

# 4. The newest version, freshly installed with the current DDL.
fresh=lifecycle_upgrade_fresh
new_db $fresh
sql -d $fresh -c 'CREATE SCHEMA app' -c 'CREATE EXTENSION cellupsert SCHEMA app' \
    -c 'SET search_path = app' -f sql/cellupsert_list_tables.sql

catalog $up app > "$work/catalog.upgraded"
catalog $fresh app > "$work/catalog.fresh"
grep -q "^extension|cellupsert|$newest|app|" "$work/catalog.fresh" ||
    fail "a fresh install is not at default_version $newest: $(head -1 "$work/catalog.fresh")"
same "$oldest upgraded to $newest = $newest installed (extension and list tables)" \
    "$work/catalog.fresh" "$work/catalog.upgraded" || status=1

# Every row kept, in the columns it had; then cell_upsert works on the upgraded tables.
sql -At -d $up > "$work/kept" <<'SQL'
SELECT format('SELECT %L, (SELECT count(*) FROM lifecycle_before.%I),
                 (SELECT count(*) FROM (SELECT %s FROM app.%I EXCEPT ALL TABLE lifecycle_before.%I) added),
                 (SELECT count(*) FROM (TABLE lifecycle_before.%I EXCEPT ALL SELECT %s FROM app.%I) lost)',
              c.relname, c.relname,
              string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), c.relname, c.relname,
              c.relname, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), c.relname)
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'lifecycle_before'::regnamespace
GROUP BY c.relname ORDER BY c.relname \gexec
SQL
cat > "$work/kept.expected" <<'EOF'
list_columns|3|0|0
list_companies|3|0|0
list_company_cells|3|0|0
lists|2|0|0
EOF
same "data kept by the upgrade (table|rows before|rows added|rows lost)" "$work/kept.expected" "$work/kept" || status=1

sql -At -d $up > "$work/after" <<'SQL'
SELECT app.cell_upsert('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000012',
                       '20000000-0000-4000-8000-000000000011', 'after upgrade');
SELECT value, status, reasoning, error FROM app.list_company_cells
WHERE company_row_id = '30000000-0000-4000-8000-000000000012';
SQL
printf 't\nafter upgrade|complete|no source|timeout\n' > "$work/after.expected"
same "cell_upsert after the upgrade" "$work/after.expected" "$work/after" || status=1
exit $status
