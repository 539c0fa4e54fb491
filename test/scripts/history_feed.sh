#!/usr/bin/env bash
# The change feed (cell_changes, docs/history.md) under load: CELLUPSERT_FEED_WRITERS clients
# (default 12) edit the cells of one list, each edit in a transaction held open for a random
# time (0-6 ms) so that transactions commit out of the order they started in, and batches of
# 2-5 cells among them: CELLUPSERT_FEED_TRANSACTIONS transactions (default 28,800), at least
# CELLUPSERT_FEED_MIN_CHANGES cells written (default 100,000); one poller follows
# the feed meanwhile, from the cursor it keeps, and records what it gets. At the end every
# history row of the list must have been received exactly once (none missed, none twice),
# in the order of (xact, id).
#
# Run alone against any server where the extension is installed (PGHOST, PGPORT, PGUSER):
#   CELLUPSERT_FEED_TRANSACTIONS=6000 CELLUPSERT_FEED_MIN_CHANGES=20000 bash test/scripts/history_feed.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

writers=${CELLUPSERT_FEED_WRITERS:-12}
transactions=${CELLUPSERT_FEED_TRANSACTIONS:-28800}
min_changes=${CELLUPSERT_FEED_MIN_CHANGES:-100000}
per_writer=$((transactions / writers))
db=cellupsert_history_feed
work=$(mktemp -d)

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db"
trap 'dropdb --if-exists "$db"; rm -rf "$work"' EXIT
sharedir=$(psql -X -At -d "$db" -c "SELECT coalesce(current_setting('extension_destdir', true), '') || setting
                                      FROM pg_config WHERE name = 'SHAREDIR'")
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
CREATE SCHEMA app;
CREATE EXTENSION cellupsert SCHEMA app;
SET search_path = app;
\i $sharedir/extension/cellupsert_list_tables.sql
INSERT INTO lists (id) VALUES ('10000000-0000-4000-8000-000000000001');
INSERT INTO list_columns (list_id, id, subject)
SELECT '10000000-0000-4000-8000-000000000001', ('20000000-0000-4000-8000-' || lpad(c::text, 12, '0'))::uuid, 'company'
FROM generate_series(1, 10) c;
INSERT INTO list_companies (list_id, id)
SELECT '10000000-0000-4000-8000-000000000001', ('30000000-0000-4000-8000-' || lpad(r::text, 12, '0'))::uuid
FROM generate_series(1, 50) r;
-- The poller's state: its cursor, and every change it got, in the order it got them.
CREATE TABLE feed_cursor (c text);
INSERT INTO feed_cursor VALUES (NULL);
CREATE TABLE feed_seen (n bigserial PRIMARY KEY, id bigint NOT NULL, xact xid8 NOT NULL);
CREATE FUNCTION poll() RETURNS bigint LANGUAGE plpgsql AS \$\$
DECLARE
    r record;
    got bigint := 0;
    last text;
BEGIN
    -- In the feed's order (a join may return its rows in another): the last is the cursor.
    FOR r IN SELECT c."cursor", c.id, h.xact
             FROM app.cell_changes('10000000-0000-4000-8000-000000000001', (SELECT f.c FROM app.feed_cursor f), 5000)
                  WITH ORDINALITY c
             JOIN app.list_cell_history h ON h.list_id = '10000000-0000-4000-8000-000000000001' AND h.id = c.id
             ORDER BY c.ordinality LOOP
        INSERT INTO app.feed_seen (id, xact) VALUES (r.id, r.xact);
        last := r."cursor";
        got := got + 1;
    END LOOP;
    IF last IS NOT NULL THEN UPDATE app.feed_cursor SET c = last; END IF;
    RETURN got;
END \$\$;
SQL

cat > "$work/writer.sql" <<'SQL'
\set r random(1, 50)
\set c random(1, 10)
\set batch random(1, 8)
\set hold random(0, 6000)
BEGIN;
SELECT CASE WHEN :batch > 1 THEN NULL ELSE app.cell_upsert('10000000-0000-4000-8000-000000000001',
           ('30000000-0000-4000-8000-' || lpad(:r::text, 12, '0'))::uuid,
           ('20000000-0000-4000-8000-' || lpad(:c::text, 12, '0'))::uuid, 'edit ' || :client_id) END;
SELECT CASE WHEN :batch = 1 THEN NULL ELSE app.cell_upsert_many('10000000-0000-4000-8000-000000000001',
           (SELECT jsonb_agg(jsonb_build_object('row', '30000000-0000-4000-8000-' || lpad(((:r + k) % 50 + 1)::text, 12, '0'),
                                                'col', '20000000-0000-4000-8000-' || lpad(:c::text, 12, '0'),
                                                'val', 'batch ' || :client_id))
            FROM generate_series(1, least(:batch, 5)) k)) END;
SELECT pg_sleep(:hold / 1000000.0);
COMMIT;
SQL

echo "history_feed: $writers writers x $per_writer transactions, one poller"
pgbench -n -c "$writers" -j 2 -t "$per_writer" -f "$work/writer.sql" "$db" > "$work/pgbench.log" 2>&1 &
writers_pid=$!
polls=0
while kill -0 "$writers_pid" 2>/dev/null; do
    psql -X -q -At -d "$db" -c 'SELECT app.poll()' > /dev/null
    polls=$((polls + 1))
done
if ! wait "$writers_pid"; then
    cat "$work/pgbench.log"
    echo "history_feed: FAILED: the writers failed"
    exit 1
fi
# Once every writer has ended, the rest of the feed.
while [ "$(psql -X -q -At -d "$db" -c 'SELECT app.poll()')" != 0 ]; do polls=$((polls + 1)); done

psql -X -q -At -F ' ' -d "$db" > "$work/result" <<'SQL'
SELECT (SELECT count(*) FROM app.list_cell_history),
       (SELECT count(*) FROM app.feed_seen),
       (SELECT count(*) FROM (SELECT id FROM app.list_cell_history EXCEPT SELECT id FROM app.feed_seen) missed),
       (SELECT count(*) - count(DISTINCT id) FROM app.feed_seen),
       (SELECT count(*) FROM (SELECT (xact, id) < (lag(xact) OVER w, lag(id) OVER w) AS back
                              FROM app.feed_seen WINDOW w AS (ORDER BY n)) s WHERE back);
SQL
read -r changes seen missed twice out_of_order < "$work/result"
echo "history_feed: $changes changes recorded, $seen received in $polls polls; missed $missed, twice $twice, out of order $out_of_order"
if [ "$changes" -lt "$min_changes" ] || [ "$seen" != "$changes" ] || [ "$missed" != 0 ] || [ "$twice" != 0 ] ||
    [ "$out_of_order" != 0 ]; then
    echo "history_feed: FAILED"
    exit 1
fi
echo "history_feed: ok, every change exactly once, in order"
