-- The catalog state of the extension and of the relations in schema :schema, one tagged
-- line per fact, for diffing two databases (psql -At -v schema=app -f catalog.sql).
-- Everything prints by name and deparsed, never by oid, so equal states print equal text.
SET search_path = pg_catalog;

SELECT 'extension', e.extname, e.extversion, n.nspname AS schema, e.extrelocatable,
       e.extowner::regrole,
       (SELECT array_agg(c::regclass::text ORDER BY c::regclass::text)
        FROM unnest(e.extconfig) c) AS config_tables, e.extcondition
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'cellupsert';

-- Every member of the extension, whatever its kind, and its comment.
SELECT 'member', pg_describe_object(d.classid, d.objid, d.objsubid) AS member,
       (SELECT ds.description FROM pg_description ds
        WHERE ds.classoid = d.classid AND ds.objoid = d.objid AND ds.objsubid = d.objsubid)
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'cellupsert'
ORDER BY member;

-- Member functions in full: pg_get_functiondef carries arguments, defaults, result,
-- language, volatility, strictness, security, parallel safety, cost, settings and body.
SELECT 'function', p.oid::regprocedure, p.prokind, p.proowner::regrole, p.proacl,
       CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cellupsert'
ORDER BY p.oid::regprocedure::text;

-- The privileges the scripts set on members: pg_dump writes only what differs from them.
SELECT 'init_privs', pg_describe_object(i.classoid, i.objoid, i.objsubid) AS member, i.privtype,
       i.initprivs
FROM pg_init_privs i
JOIN pg_depend d ON d.classid = i.classoid AND d.objid = i.objoid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cellupsert'
ORDER BY member;

SELECT 'schema', n.nspname, n.nspowner::regrole, n.nspacl, obj_description(n.oid, 'pg_namespace')
FROM pg_namespace n WHERE n.nspname = :'schema';

SELECT 'relation', c.oid::regclass, c.relkind, c.relpersistence, c.relowner::regrole,
       c.relrowsecurity, c.relforcerowsecurity, c.reloptions, c.relacl,
       obj_description(c.oid, 'pg_class')
FROM pg_class c WHERE c.relnamespace = :'schema'::regnamespace
ORDER BY c.relname;

-- Columns by position among the live ones, so a migrated table matches a fresh one only if
-- its columns come in the same order.
SELECT 'column', a.attrelid::regclass,
       row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS position,
       a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(ad.adbin, ad.adrelid) AS "default", a.attidentity, a.attgenerated,
       CASE WHEN a.attcollation <> 0 THEN a.attcollation::regcollation END, a.attacl,
       col_description(a.attrelid, a.attnum)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relnamespace = :'schema'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum;

SELECT 'constraint', co.conrelid::regclass, co.conname, co.contype,
       pg_get_constraintdef(co.oid), co.convalidated, obj_description(co.oid, 'pg_constraint')
FROM pg_constraint co WHERE co.connamespace = :'schema'::regnamespace
ORDER BY co.conrelid::regclass::text, co.conname;

SELECT 'index', pg_get_indexdef(i.indexrelid), i.indisprimary, i.indisunique, i.indisvalid
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE c.relnamespace = :'schema'::regnamespace
ORDER BY c.relname;

SELECT 'trigger', t.tgrelid::regclass, t.tgname, t.tgenabled, pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = :'schema'::regnamespace AND NOT t.tgisinternal
ORDER BY c.relname, t.tgname;

SELECT 'policy', tablename, policyname, permissive, roles, cmd, qual, with_check
FROM pg_policies WHERE schemaname = :'schema'
ORDER BY tablename, policyname;
