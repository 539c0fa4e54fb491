-- Row count and md5 of the ordered contents of every table in schema :schema, one line per
-- table, for diffing two databases (psql -At -v schema=app -f contents.sql).
SET search_path = pg_catalog;
SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) FROM %s t',
              c.oid::regclass, E'\n', '', c.oid::regclass)
FROM pg_class c
WHERE c.relnamespace = :'schema'::regnamespace AND c.relkind IN ('r', 'p')
ORDER BY c.relname
\gexec
