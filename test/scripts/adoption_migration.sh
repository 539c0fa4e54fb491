#!/usr/bin/env bash
# docs/adoption.md (c): the list tables in the original API's shape (test/fixtures/
# original_shape.sql, about 100,000 cells, policies on every table) moved to the canonical
# shape by the SQL of the guide's "Step" sections, extracted from the guide and run as
# written, one psql per step (the guide and this test cannot drift apart), while the
# application's old writer (test/fixtures/old_writer.pgbench: no list_id, ON CONFLICT
# (column_id, company_row_id)) writes in the background, and once more between steps, and
# cell_upsert is called as the writer's role before the first step and after each. Then:
# every cell kept (count, checksum, and each cell written meanwhile holds its last write),
# every policy kept, list_id filled and matching the column's list, every constraint and
# index valid, the composite foreign keys refusing a cell of another list, the old writer
# still working, cellupsert_check() content, and cell_upsert and cell_upsert_many working.
# Last, the guide's "Later" (once the old writer is gone): cell_upsert still works.
# Runs where the other scripts run (PGHOST, PGPORT, PGUSER: a superuser, the extension
# installable); CELLUPSERT_MIGRATION_LISTS changes the size (10,000 cells a list).
cd "$(dirname "$0")/../.."
. test/lifecycle/lib.sh

lists=${CELLUPSERT_MIGRATION_LISTS:-10}
columns=20
rows=500
writer=regress_adoption_writer
work=$(mktemp -d)
at_exit "rm -rf '$work'"
new_roles $writer
db=adoption_migration
new_db $db
export PGDATABASE=$db

# 1. The original shape, its data and policies; what must survive.
sql -v lists="$lists" -v columns=$columns -v rows=$rows -v writer=$writer -f test/fixtures/original_shape.sql
sql -v writer=$writer -f test/fixtures/old_writer.sql
sql <<'SQL'
CREATE TABLE adoption_test.cells_before AS
    SELECT id, column_id, company_row_id, value, status::text, reasoning, error, created_at, updated_at
    FROM app.list_company_cells;
CREATE TABLE adoption_test.policies_before AS SELECT * FROM pg_policies WHERE schemaname = 'app';
SQL
cells_before=$(sql -At -c 'SELECT count(*) FROM adoption_test.cells_before')
echo "original shape: $cells_before cells, $(sql -At -c "SELECT count(*) FROM pg_policies WHERE schemaname = 'app'") policies"

# 2. The steps, as the guide writes them.
mkdir "$work/steps"
awk -v section='(c)' -v heading='^Step ' -v out="$work/steps" -f test/fixtures/doc_steps.awk \
    docs/adoption.md > "$work/steps.list"
[ "$(wc -l < "$work/steps.list")" -ge 10 ] || fail "found only $(wc -l < "$work/steps.list") steps in docs/adoption.md (c)"

writer_args=(-n -f test/fixtures/old_writer.pgbench -D "role=$writer" -D "lists=$lists" -D "columns=$columns" -D "rows=$rows")
writes() { sql -At -c 'SELECT count(*) FROM adoption_test.writes'; }

# The writer in the background, 50 transactions a second, for longer than the test takes.
pgbench "${writer_args[@]}" -c 1 -R 50 -T 600 > "$work/writer.log" 2>&1 &
writer_pid=$!
at_exit "kill $writer_pid"
sleep 1

# cell_upsert as the application's role on cell (column N, row N) of list 1, logged as a write
# in the same transaction: the extension must work before, during and after the migration.
upsert_probe() {
    sql -At -v writer=$writer -v n="$1" <<'SQL'
BEGIN;
SET LOCAL ROLE :writer;
SELECT app.cell_upsert(app.list_uuid(1), app.row_uuid(:n), app.column_uuid(:n), 'cell_upsert ' || :n);
INSERT INTO adoption_test.writes (column_id, company_row_id, value, took)
VALUES (app.column_uuid(:n), app.row_uuid(:n), 'cell_upsert ' || :n, '0');
COMMIT;
SQL
}
sql -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION cellupsert SCHEMA app'
probe=$(upsert_probe $columns 2>&1) || true
[ "$probe" = t ] || fail "cell_upsert on the original shape: $probe"

status=0
while IFS=$'\t' read -r n title; do
    started=$(date +%s%N)
    # debug1: step 7 must say that the validated check spared SET NOT NULL its scan.
    if ! PGOPTIONS='-c lock_timeout=10s -c client_min_messages=debug1' \
        psql -X -q -v ON_ERROR_STOP=1 -f "$work/steps/$n.sql" > "$work/steps/$n.out" 2>&1; then
        cat "$work/steps/$n.out"
        fail "step $n ($title) failed"
    fi
    ms=$((($(date +%s%N) - started) / 1000000))
    kill -0 $writer_pid 2>/dev/null || { cat "$work/writer.log"; fail "the old writer stopped during step $n ($title)"; }
    # The old writer, between steps: five more writes, each committed.
    before=$(writes)
    pgbench "${writer_args[@]}" -t 5 > "$work/writer-step.log" 2>&1 ||
        { cat "$work/writer-step.log"; fail "the old writer failed after step $n ($title)"; }
    [ "$(writes)" -ge $((before + 5)) ] || fail "the old writer wrote nothing after step $n ($title)"
    probe=$(upsert_probe $((10#$n)) 2>&1) || true
    [ "$probe" = t ] || fail "cell_upsert after step $n ($title): $probe"
    echo "ok: step $n ($title), ${ms} ms; the old writer and cell_upsert work"
done < "$work/steps.list"

grep -q 'SET NOT NULL' "$work"/steps/*.sql || fail "no step sets list_id NOT NULL"
not_null_step=$(grep -l 'SET NOT NULL' "$work"/steps/*.sql | head -1)
grep -q 'are sufficient to prove that it does not contain nulls' "${not_null_step%.sql}.out" ||
    { echo "FAIL: SET NOT NULL scanned the table (no 'sufficient to prove' message):" >&2
      cat "${not_null_step%.sql}.out" >&2; status=1; }

kill -0 $writer_pid 2>/dev/null || { cat "$work/writer.log"; fail "the old writer stopped"; }
kill $writer_pid
wait $writer_pid 2>/dev/null || true
echo "the old writer wrote $(writes) times during the migration; longest write $(sql -At -c \
    "SELECT round(extract(epoch FROM max(took)) * 1000) FROM adoption_test.writes") ms"

# 3. What must hold afterwards; each line is "check|result", compared with what it must be.
sql -At > "$work/checks" <<'SQL'
-- Every cell has the list of its column.
SELECT 'cells whose list_id is not their column''s list', count(*)
FROM app.list_company_cells cell LEFT JOIN app.list_columns c ON c.id = cell.column_id
WHERE cell.list_id IS DISTINCT FROM c.list_id;
-- Cells the writer never wrote: exactly as before, in every column.
CREATE TEMP VIEW untouched_before AS
    SELECT * FROM adoption_test.cells_before b
    WHERE NOT EXISTS (SELECT FROM adoption_test.writes w
                      WHERE w.column_id = b.column_id AND w.company_row_id = b.company_row_id);
CREATE TEMP VIEW untouched_after AS
    SELECT id, column_id, company_row_id, value, status::text, reasoning, error, created_at, updated_at
    FROM app.list_company_cells a
    WHERE NOT EXISTS (SELECT FROM adoption_test.writes w
                      WHERE w.column_id = a.column_id AND w.company_row_id = a.company_row_id);
SELECT 'untouched cells lost or changed', count(*)
FROM (TABLE untouched_before EXCEPT ALL TABLE untouched_after) lost;
SELECT 'untouched cells added', count(*)
FROM (TABLE untouched_after EXCEPT ALL TABLE untouched_before) added;
SELECT 'checksum of untouched cells before = after',
       (SELECT md5(string_agg(u::text, ',' ORDER BY u.id)) FROM untouched_before u)
     = (SELECT md5(string_agg(u::text, ',' ORDER BY u.id)) FROM untouched_after u);
-- Cells the writer wrote: its last write, status complete; none lost, none doubled.
SELECT 'written cells without their last write', count(*)
FROM (SELECT DISTINCT ON (column_id, company_row_id) column_id, company_row_id, value
      FROM adoption_test.writes ORDER BY column_id, company_row_id, seq DESC) w
LEFT JOIN app.list_company_cells cell USING (column_id, company_row_id)
WHERE cell.value IS DISTINCT FROM w.value OR cell.status::text IS DISTINCT FROM 'complete';
SELECT 'cells now = cells before + cells the writer created',
       (SELECT count(*) FROM app.list_company_cells)
     = (SELECT count(*) FROM adoption_test.cells_before)
       + (SELECT count(DISTINCT (column_id, company_row_id)) FROM adoption_test.writes w
          WHERE NOT EXISTS (SELECT FROM adoption_test.cells_before b
                            WHERE b.column_id = w.column_id AND b.company_row_id = w.company_row_id));
-- Every policy as it was.
SELECT 'policies lost or changed', count(*)
FROM (TABLE adoption_test.policies_before EXCEPT SELECT * FROM pg_policies WHERE schemaname = 'app') p;
SELECT 'policies added', count(*)
FROM (SELECT * FROM pg_policies WHERE schemaname = 'app' EXCEPT TABLE adoption_test.policies_before) p;
-- The canonical keys, valid.
SELECT 'list_id NOT NULL', attnotnull FROM pg_attribute
WHERE attrelid = 'app.list_company_cells'::regclass AND attname = 'list_id';
SELECT 'constraints not validated', count(*) FROM pg_constraint
WHERE connamespace = 'app'::regnamespace AND NOT convalidated;
SELECT 'indexes not valid', count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE c.relnamespace = 'app'::regnamespace AND NOT (i.indisvalid AND i.indisready);
SELECT 'check list_company_cells_list_id_not_null left', count(*) FROM pg_constraint
WHERE conrelid = 'app.list_company_cells'::regclass AND conname = 'list_company_cells_list_id_not_null';
SELECT 'constraint ' || conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid IN ('app.list_company_cells'::regclass, 'app.list_columns'::regclass, 'app.list_companies'::regclass)
  AND conname IN ('list_company_cells_list_id_column_id_fkey', 'list_company_cells_list_id_company_row_id_fkey',
                  'list_columns_list_id_id_key', 'list_companies_list_id_id_key', 'list_company_cells_source_check')
ORDER BY conname;
SELECT 'unique index on (list_id, column_id, company_row_id)', count(*) FROM pg_index i
WHERE i.indrelid = 'app.list_company_cells'::regclass AND i.indisunique AND i.indisvalid
  AND i.indpred IS NULL AND i.indexprs IS NULL
  AND (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
      = ARRAY['list_id', 'column_id', 'company_row_id']::name[];
SQL
cat > "$work/checks.expected" <<'EOF'
cells whose list_id is not their column's list|0
untouched cells lost or changed|0
untouched cells added|0
checksum of untouched cells before = after|t
written cells without their last write|0
cells now = cells before + cells the writer created|t
policies lost or changed|0
policies added|0
list_id NOT NULL|t
constraints not validated|0
indexes not valid|0
check list_company_cells_list_id_not_null left|0
constraint list_columns_list_id_id_key|UNIQUE (list_id, id)
constraint list_companies_list_id_id_key|UNIQUE (list_id, id)
constraint list_company_cells_list_id_column_id_fkey|FOREIGN KEY (list_id, column_id) REFERENCES app.list_columns(list_id, id) ON DELETE CASCADE
constraint list_company_cells_list_id_company_row_id_fkey|FOREIGN KEY (list_id, company_row_id) REFERENCES app.list_companies(list_id, id) ON DELETE CASCADE
constraint list_company_cells_source_check|CHECK ((source = ANY (ARRAY['enrichment'::text, 'manual'::text])))
unique index on (list_id, column_id, company_row_id)|1
EOF
same "cells, policies and constraints after the migration" "$work/checks.expected" "$work/checks" || status=1

# A cell whose column is not of its list is refused, even from a writer that sets list_id
# (list 1's row, list 2's column: the single-column foreign keys let it through).
refused=$(psql -X -At -c "INSERT INTO app.list_company_cells (list_id, column_id, company_row_id)
    VALUES (app.list_uuid(1), app.column_uuid($columns + 1), app.row_uuid(1))" 2>&1) || true
case $refused in
*'violates foreign key constraint "list_company_cells_list_id_column_id_fkey"'*) echo "ok: a cell of another list is refused" ;;
*) echo "FAIL: a cell of another list: $refused" >&2; status=1 ;;
esac

# 4. The old writer after the migration.
before=$(writes)
pgbench "${writer_args[@]}" -t 50 > "$work/writer-after.log" 2>&1 || { cat "$work/writer-after.log"; fail "the old writer fails after the migration"; }
[ "$(writes)" -eq $((before + 50)) ] || fail "the old writer's 50 writes after the migration did not all commit"
[ "$(sql -At -c 'SELECT count(*) FROM app.list_company_cells WHERE list_id IS NULL')" = 0 ] ||
    fail "the old writer's cells lack list_id"
echo "ok: the old writer works after the migration"

# 5. cellupsert on the migrated tables: nothing for cellupsert_check() to report; cell_upsert
# and cell_upsert_many as the writer's role, under its policies.
if [ "$(sql -At -c 'SELECT count(*) FROM app.cellupsert_check() WHERE NOT ok')" != 0 ]; then
    sql -c 'SELECT * FROM app.cellupsert_check()'
    echo "FAIL: cellupsert_check() reports a problem on the migrated tables" >&2
    status=1
else
    echo "ok: cellupsert_check() finds nothing wrong"
fi
sql -At -v writer=$writer > "$work/upsert" 2>&1 <<'SQL'
SET ROLE :writer;
SELECT app.cell_upsert(app.list_uuid(1), app.row_uuid(1), app.column_uuid(1), 'by cell_upsert');
SELECT app.cell_upsert_many(app.list_uuid(1), jsonb_build_array(
    jsonb_build_object('row', app.row_uuid(2), 'col', app.column_uuid(2), 'val', 'by cell_upsert_many'),
    jsonb_build_object('row', app.row_uuid(1), 'col', app.column_uuid(2), 'val', 'by cell_upsert_many')));
-- Another list's column: invisible to the writer, refused as if it did not exist.
\set ON_ERROR_STOP 0
\set VERBOSITY terse
SELECT app.cell_upsert(app.list_uuid(1), app.row_uuid(1), app.column_uuid(21), 'refused');
\set ON_ERROR_STOP 1
RESET ROLE;
SELECT value, status, source, edited_by, list_id = app.list_uuid(1)
FROM app.list_company_cells
WHERE (column_id, company_row_id) IN ((app.column_uuid(1), app.row_uuid(1)),
                                      (app.column_uuid(2), app.row_uuid(2)),
                                      (app.column_uuid(2), app.row_uuid(1)))
ORDER BY column_id, company_row_id;
SELECT count(*) FROM app.list_company_cells WHERE value = 'refused';
SQL
sed -i 's/^psql:[^ ]*: //' "$work/upsert"
{
    echo t
    echo 2
    echo "ERROR:  column 20000000-0000-4000-8000-000000000015 does not exist in list 10000000-0000-4000-8000-000000000001"
    echo "by cell_upsert|complete|manual|$writer|t"
    echo "by cell_upsert_many|complete|manual|$writer|t"
    echo "by cell_upsert_many|complete|manual|$writer|t"
    echo 0
} > "$work/upsert.expected"
same "cell_upsert and cell_upsert_many on the migrated tables" "$work/upsert.expected" "$work/upsert" || status=1

# 6. The guide's "Later", once the old writer is gone: cellupsert keeps working on what is left,
# and the old writer's ON CONFLICT (column_id, company_row_id) has lost its key.
mkdir "$work/later"
awk -v section='(c)' -v heading='^Later' -v out="$work/later" -f test/fixtures/doc_steps.awk \
    docs/adoption.md > /dev/null
[ -s "$work/later/01.sql" ] || fail "docs/adoption.md (c): no SQL under Later"
sql -f "$work/later/01.sql"
[ "$(sql -At -c 'SELECT count(*) FROM app.cellupsert_check() WHERE NOT ok')" = 0 ] ||
    { sql -c 'SELECT * FROM app.cellupsert_check()'; echo "FAIL: cellupsert_check() after Later" >&2; status=1; }
probe=$(upsert_probe 3 2>&1) || true
[ "$probe" = t ] || { echo "FAIL: cell_upsert after Later: $probe" >&2; status=1; }
if pgbench "${writer_args[@]}" -t 1 > "$work/writer-later.log" 2>&1 ||
    ! grep -q 'there is no unique or exclusion constraint matching the ON CONFLICT specification' "$work/writer-later.log"; then
    cat "$work/writer-later.log"
    echo "FAIL: the old writer after Later: not the 42P10 of a missing conflict key" >&2
    status=1
fi
[ $status -eq 0 ] && echo "ok: after Later, cell_upsert works and the old writer's key is gone"
exit $status
