-- C: the bare upsert, no validation; it writes the provenance A writes.
\set r 100000000000 + random(1, :rows)
\set c 100000000000 + random(1, 20)
INSERT INTO bench.list_company_cells AS cell (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at) VALUES ('10000000-0000-4000-8000-100000000001', ('20000000-0000-4000-8000-' || :c::text)::uuid, ('30000000-0000-4000-8000-' || :r::text)::uuid, 'manual edit', 'complete', 'manual', current_user, now()) ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
