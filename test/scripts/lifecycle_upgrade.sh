#!/usr/bin/env bash
# Upgrades: a database installed at each earlier version, with that version's list tables
# and data, then upgraded as docs/operations.md says (ALTER EXTENSION cellupsert UPDATE, then
# the list-table migrations in order, in one transaction), must equal a fresh
# install of the newest version with the current DDL: same extension members and function
# definitions, same table shape; its data kept, and cell_upsert working before and after.
# Also each version's install script must equal the upgrade chain that leads to it, whether
# a superuser or a database owner (the extension is trusted) runs them.
cd "$(dirname "$0")/../.."
. test/lifecycle/lib.sh

mapfile -t installs < <(install_versions)
mapfile -t versions < <(all_versions)
oldest=${installs[0]}
newest=$(default_version)
base_ddl=$(base_ddl_file "$oldest")
[ -f "$base_ddl" ] || fail "no $base_ddl (see test/scripts/lifecycle_versions.sh)"

work=$(mktemp -d)
at_exit "rm -rf '$work'"
status=0
owner=regress_lifecycle_owner
new_roles $owner

# migrations FROM TO: "-f file" for each list-table migration from version FROM to TO.
migrations() {
    local i a b
    for ((i = 0; i < ${#versions[@]} - 1; i++)); do
        a=${versions[i]} b=${versions[i + 1]}
        [ "$(printf '%s\n' "$a" "$1" | sort -V | head -1)" = "$1" ] || continue
        [ "$(printf '%s\n' "$b" "$2" | sort -V | tail -1)" = "$2" ] || continue
        [ -f "sql/cellupsert_list_tables--$a--$b.sql" ] && echo "-f sql/cellupsert_list_tables--$a--$b.sql"
    done
    return 0
}

# 1. Each install script after the oldest equals the chain of upgrade scripts up to it, run
# by a superuser, then by a database owner (who owns the schema and the functions).
for installer in "" $owner; do
    role=()
    [ -n "$installer" ] && role=(-c "SET ROLE $installer")
    for db in lifecycle_upgrade_install lifecycle_upgrade_chain; do
        new_db $db
        [ -n "$installer" ] && sql -d $db -c "ALTER DATABASE $db OWNER TO $installer"
    done
    for v in "${installs[@]:1}"; do
        for db in lifecycle_upgrade_install lifecycle_upgrade_chain; do
            sql -d $db "${role[@]}" -c 'SET client_min_messages = warning' -c 'DROP SCHEMA IF EXISTS app CASCADE' -c 'CREATE SCHEMA app'
        done
        sql -d lifecycle_upgrade_install "${role[@]}" -c "CREATE EXTENSION cellupsert SCHEMA app VERSION '$v'"
        sql -d lifecycle_upgrade_chain "${role[@]}" -c "CREATE EXTENSION cellupsert SCHEMA app VERSION '$oldest'" \
            -c "ALTER EXTENSION cellupsert UPDATE TO '$v'"
        catalog lifecycle_upgrade_install app > "$work/install.$v"
        catalog lifecycle_upgrade_chain app > "$work/chain.$v"
        same "install script of $v = $oldest upgraded to $v, by ${installer:-a superuser}" \
            "$work/install.$v" "$work/chain.$v" || status=1
    done
done

# 2. The newest version, freshly installed with the current DDL: what every upgrade must equal.
fresh=lifecycle_upgrade_fresh
new_db $fresh
sql -d $fresh -c 'CREATE SCHEMA app' -c 'CREATE EXTENSION cellupsert SCHEMA app' \
    -c 'SET search_path = app' -f sql/cellupsert_list_tables.sql
catalog $fresh app > "$work/catalog.fresh"
grep -q "^extension|cellupsert|$newest|app|" "$work/catalog.fresh" ||
    fail "a fresh install is not at default_version $newest: $(head -1 "$work/catalog.fresh")"

# 3. upgrade_from V: version V with the list tables as they were at V (the oldest DDL and
# the migrations up to V) and data written with the installed library, which must still
# serve V's functions until the update; then one ALTER EXTENSION UPDATE, which follows the
# chain, and the migrations from V on, in version order, all in one transaction.
upgrade_from() {
    local start=$1 up=lifecycle_upgrade_from_${1//./_}
    echo "upgrading $start -> $newest"
    new_db "$up"
    # shellcheck disable=SC2046
    sql -d "$up" -c 'CREATE SCHEMA app' -c "CREATE EXTENSION cellupsert SCHEMA app VERSION '$start'" \
        -c 'SET search_path = app' -f "$base_ddl" $(migrations "$oldest" "$start") -f - <<'SQL'
SET search_path = app;
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
-- What the upgrade must keep, in the columns the start version has.
CREATE SCHEMA lifecycle_before;
SELECT format('CREATE TABLE lifecycle_before.%I AS TABLE app.%I', c.relname, c.relname)
FROM pg_class c WHERE c.relnamespace = 'app'::regnamespace AND c.relkind = 'r' \gexec
SQL

    # shellcheck disable=SC2046
    sql -d "$up" --single-transaction -c 'SET search_path = app' -c 'ALTER EXTENSION cellupsert UPDATE' \
        $(migrations "$start" "$newest")

    catalog "$up" app > "$work/catalog.$start"
    same "$start upgraded to $newest = $newest installed (extension and list tables)" \
        "$work/catalog.fresh" "$work/catalog.$start" || status=1

    # Every row kept, in the columns it had; then cell_upsert works on the upgraded tables.
    sql -At -d "$up" > "$work/kept.$start" <<'SQL'
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
    same "data kept by the upgrade from $start (table|rows before|rows added|rows lost)" \
        "$work/kept.expected" "$work/kept.$start" || status=1

    sql -At -d "$up" > "$work/after.$start" <<'SQL'
SELECT app.cell_upsert('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000012',
                       '20000000-0000-4000-8000-000000000011', 'after upgrade');
SELECT value, status, reasoning, error FROM app.list_company_cells
WHERE company_row_id = '30000000-0000-4000-8000-000000000012';
SQL
    same "cell_upsert after the upgrade from $start" "$work/after.expected" "$work/after.$start" || status=1
}

cat > "$work/kept.expected" <<'EOF'
list_columns|3|0|0
list_companies|3|0|0
list_company_cells|3|0|0
lists|2|0|0
EOF
printf 't\nafter upgrade|complete|no source|timeout\n' > "$work/after.expected"
for v in "${installs[@]}"; do
    [ "$v" = "$newest" ] || upgrade_from "$v"
done

# The current DDL under an extension older than the history (1.3): the guard attached, the
# history's triggers not, and a WARNING that says just that and how to attach them.
new_db lifecycle_upgrade_ddl13
sql -d lifecycle_upgrade_ddl13 -c 'CREATE SCHEMA app' -c "CREATE EXTENSION cellupsert SCHEMA app VERSION '1.3'" \
    -c 'SET search_path = app' -f sql/cellupsert_list_tables.sql 2>&1 |
    sed -n 's/.*\(WARNING\|HINT\): */\1: /p' > "$work/ddl13.warning"
sql -At -d lifecycle_upgrade_ddl13 -c "SELECT tgname FROM pg_trigger WHERE tgrelid = 'app.list_company_cells'::regclass
                                       AND NOT tgisinternal ORDER BY 1" >> "$work/ddl13.warning"
cat > "$work/ddl13.expected" <<'EOF'
WARNING: cellupsert_list_tables.sql created the list tables without the history's triggers
HINT: After ALTER EXTENSION cellupsert UPDATE, attach them with cellupsert_list_tables--1.3--1.4.sql.
list_company_cells_manual_guard
EOF
same "the current DDL under 1.3: the guard, no history triggers, and a WARNING that says so" \
    "$work/ddl13.expected" "$work/ddl13.warning" || status=1
exit $status
