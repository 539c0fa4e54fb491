-- One cell_upsert_many call with the whole batch, timed inside the server.
DO $$
DECLARE started timestamptz := clock_timestamp();
BEGIN
    PERFORM cell_upsert_many('10000000-0000-4000-8000-000000000001', cells) FROM batch_input;
    RAISE NOTICE 'seconds=%', extract(epoch FROM clock_timestamp() - started);
END $$;
