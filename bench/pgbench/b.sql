-- B: the PL/pgSQL reference.
\set r 100000000000 + random(1, :rows)
\set c 100000000000 + random(1, 20)
SELECT bench.cell_upsert_plpgsql('10000000-0000-4000-8000-100000000001', ('30000000-0000-4000-8000-' || :r::text)::uuid, ('20000000-0000-4000-8000-' || :c::text)::uuid, 'manual edit');
