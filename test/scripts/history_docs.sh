#!/usr/bin/env bash
# docs/history.md's snippets, run as written: every ```sql block in the order of the page
# (the example policy and its grant, the DDL's two triggers, LISTEN) and the retention CALL,
# on the canonical tables without their history triggers (the page's CREATE TRIGGER puts
# them back). Then what the page says of them: a member reads her list's history and not
# another's; an edit is recorded; with cellupsert.notify_changes on, the LISTEN of the page
# hears the list's channel at commit; the CALL deletes the old rows.
#
# Run alone against any server where the extension is installed (PGHOST, PGPORT, PGUSER).
set -euo pipefail
cd "$(dirname "$0")/../.."

db=cellupsert_history_docs
work=$(mktemp -d)
PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db"
trap 'dropdb --if-exists "$db"; rm -rf "$work"' EXIT
failures=0
same() {   # same LABEL EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then echo "ok: $1"; else
        printf 'not ok: %s\nexpected:\n%s\nactual:\n%s\n' "$1" "$2" "$3"
        failures=$((failures + 1))
    fi
}
run() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "SET search_path = app" "$@"; }

sharedir=$(psql -X -At -d "$db" -c "SELECT coalesce(current_setting('extension_destdir', true), '') || setting
                                      FROM pg_config WHERE name = 'SHAREDIR'")
list1=10000000-0000-4000-8000-000000000001 list2=10000000-0000-4000-8000-000000000002
col=20000000-0000-4000-8000-000000000001 row=30000000-0000-4000-8000-000000000001
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
SET client_min_messages = warning;
CREATE SCHEMA app;
CREATE EXTENSION cellupsert SCHEMA app;
SET search_path = app;
\i $sharedir/extension/cellupsert_list_tables.sql
DROP TRIGGER list_company_cells_history_insert ON list_company_cells;
DROP TRIGGER list_company_cells_history_update ON list_company_cells;
-- docs/adoption.md's members, whom the page's policy reads.
CREATE TABLE list_members (list_id uuid NOT NULL, member name NOT NULL, PRIMARY KEY (list_id, member));
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') THEN CREATE ROLE app_user; END IF;
END \$\$;
GRANT USAGE ON SCHEMA app TO app_user;
GRANT SELECT ON list_members TO app_user;
INSERT INTO lists (id) VALUES ('$list1'), ('$list2');
INSERT INTO list_columns (list_id, id, subject) VALUES ('$list1', '$col', 'company'), ('$list2', '$col', 'company');
INSERT INTO list_companies (list_id, id) VALUES ('$list1', '$row'), ('$list2', '$row');
INSERT INTO list_members VALUES ('$list1', 'app_user');
SQL

# The page's ```sql blocks, each a file, in order.
awk -v out="$work" '/^```sql$/ { n++; file = sprintf("%s/%02d.sql", out, n); next }
                    /^```$/ { file = ""; next }
                    file != "" { print > file }' docs/history.md
blocks=$(ls "$work"/*.sql | wc -l)
same "docs/history.md has its three sql blocks" "3" "$blocks"
for block in "$work"/*.sql; do
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET search_path = app" -f "$block" > /dev/null
done

run -c "SELECT cell_upsert('$list1', '$row', '$col', 'one'), cell_upsert('$list2', '$row', '$col', 'two')" > /dev/null
same "after the page's triggers, an edit is recorded" "manual|one" \
    "$(run -c "SELECT kind, value_after FROM cell_history('$list1', '$row', '$col')")"
same "under the page's policy, app_user reads list1's history and not list2's" "1|0" \
    "$(run -c "SET ROLE app_user" -c "SELECT (SELECT count(*) FROM list_cell_history WHERE list_id = '$list1'),
                                             (SELECT count(*) FROM list_cell_history WHERE list_id = '$list2')")"
same "app_user cannot delete the history" "42501" \
    "$(run -c "SET ROLE app_user" -c "DELETE FROM list_cell_history" 2>&1 | sed -n 's/.*permission denied.*/42501/p')"

# The page's LISTEN, in a session that then writes with the setting on: the notification
# comes at the commit, on the list's channel.
heard=$(psql -X -q -d "$db" -c "SET search_path = app" -f "$work/03.sql" \
            -c "SET cellupsert.notify_changes = on" \
            -c "SELECT cell_upsert('$list1', '$row', '$col', 'three')" -c "SELECT 1" 2>&1 |
        sed -n 's/^Asynchronous notification "\([^"]*\)".*/\1/p')
same "with cellupsert.notify_changes on, the page's LISTEN hears the list's channel" "cell_changes:$list1" "$heard"

# The page's retention CALL, with list2's row made older than its cutoff.
call=$(sed -n 's/^    \(CALL cellupsert_prune_history([^;]*;\).*/\1/p' docs/history.md)
same "docs/history.md's retention CALL" "CALL cellupsert_prune_history('90 days');" "$call"
run -c "UPDATE list_cell_history SET edited_at = now() - interval '100 days' WHERE list_id = '$list2'"
psql -X -q -d "$db" -c "SET search_path = app" -c "$call" 2> "$work/notice"
same "it deletes the rows older than that, and says so" \
    "NOTICE:  cellupsert_prune_history: 1 history rows deleted|0|2" \
    "$(cat "$work/notice")|$(run -c "SELECT count(*) FROM list_cell_history WHERE list_id = '$list2'")|$(
       run -c "SELECT count(*) FROM list_cell_history WHERE list_id = '$list1'")"

run -c "DROP OWNED BY app_user" > /dev/null
[ "$failures" -eq 0 ]
