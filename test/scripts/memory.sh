#!/usr/bin/env bash
# Memory: one backend makes CELLUPSERT_MEMORY_CALLS calls of cell_upsert (default 1,000,000:
# inserts, overwrites, clears and refused calls, a quarter each), then
# CELLUPSERT_MEMORY_REFUSED_CALLS refused calls only (default: a quarter as many, as many as
# the first phase refused). Then, in the same backend, CELLUPSERT_MEMORY_BATCHES batches of
# cell_upsert_many (default 10,000 of 50 cells: inserts, overwrites with repeated cells,
# clears and refused batches, a quarter each) and CELLUPSERT_MEMORY_REFUSED_BATCHES refused
# batches of 3 cells (default as many). After a warm-up, the backend's memory must not
# grow over any phase: the sum of its memory contexts (pg_backend_memory_contexts) and its
# private resident memory (RssAnon in /proc/self/status, read through pg_read_file: needs a
# superuser). Prints the growth; fails above 1 MiB.
#
# Why 1 MiB: the smallest palloc costs at least 24 bytes (chunk header included), so one
# allocation leaked per call shows in the contexts as 24 MB over 1,000,000 calls and 6 MB
# over 250,000; 1 MiB leaves room for caches that grow once (catalog entries, hash tables)
# and catches one leaked palloc per call from about 44,000 calls on. RssAnon is coarser
# (whole pages; malloc reuses freed memory first): a malloc(40) leaked by each refused call
# that reaches the lookups (two thirds of them) showed as 7.4 MB over 250,000 refused calls.
# Batches: one palloc leaked per cell would be 9 MB over the 375,000 cells the batches
# write; a leak of anything sized by the batch (its arrays take 16 bytes a cell or more),
# 8 MB; a leak of a fixed size per batch shows from 105 bytes over 10,000 batches (mixed
# or refused).
# VmRSS is printed but not judged: it also counts the pages of shared buffers the backend
# touches for the first time (RssShmem), which grow with the table and are bounded by
# shared_buffers, not by the number of calls.
#
# Run alone against any server where the extension is installed (PGHOST, PGPORT, PGUSER):
#   CELLUPSERT_MEMORY_CALLS=100000 bash test/scripts/memory.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

calls=${CELLUPSERT_MEMORY_CALLS:-1000000}
refused_calls=${CELLUPSERT_MEMORY_REFUSED_CALLS:-$((calls / 4))}
batches=${CELLUPSERT_MEMORY_BATCHES:-10000}
refused_batches=${CELLUPSERT_MEMORY_REFUSED_BATCHES:-$batches}
limit_bytes=$((1024 * 1024))
db=cellupsert_memory

if [ "$(psql -X -At -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')" != t ]; then
    echo "memory: FAILED: needs a superuser (it reads /proc/self/status through pg_read_file)"
    exit 1
fi

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db"
trap 'dropdb --if-exists "$db"' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f test/scripts/memory.sql

echo "memory: $calls mixed calls, $refused_calls refused calls, $batches mixed batches" \
     "and $refused_batches refused batches, in one backend"
started=$SECONDS
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
-- Warm-up: plans prepared, caches filled, every code path taken at least once.
CALL memtest.run(20000, false, NULL);
CALL memtest.run(20000, true, NULL);
CALL memtest.sample('mixed before', 0);
CALL memtest.run($calls, false, 'mixed');
CALL memtest.sample('mixed after', $calls);
CALL memtest.sample('refused before', 0);
CALL memtest.run($refused_calls, true, 'refused');
CALL memtest.sample('refused after', $refused_calls);
-- The same for cell_upsert_many.
CALL memtest.run_batches(800, false, NULL);
CALL memtest.run_batches(1000, true, NULL);
CALL memtest.sample('batches before', 0);
CALL memtest.run_batches($batches, false, 'batches');
CALL memtest.sample('batches after', $batches);
CALL memtest.sample('refused_batches before', 0);
CALL memtest.run_batches($refused_batches, true, 'refused_batches');
CALL memtest.sample('refused_batches after', $refused_batches);
SQL
echo "memory: $((SECONDS - started)) s in all"

# One line per phase; the in-transaction peak is the sum of contexts just before each commit.
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
\pset footer off
SELECT phase,
       max(s.calls) FILTER (WHERE s.label = phase || ' end') AS calls,
       round(extract(epoch FROM max(s.taken_at) - min(s.taken_at)), 1) AS seconds,
       sum(s.context_bytes * sign) AS context_growth_bytes,
       sum(s.rss_anon_kb * sign) AS rss_anon_growth_kb,
       sum(s.vm_rss_kb * sign) AS vm_rss_growth_kb,
       sum(s.rss_shmem_kb * sign) AS rss_shmem_growth_kb,
       max(s.context_bytes) FILTER (WHERE s.label = phase || ' end')
         - min(s.context_bytes) FILTER (WHERE s.label = phase || ' end') AS peak_spread_bytes
FROM memtest.samples s,
     LATERAL (SELECT split_part(s.label, ' ', 1) AS phase,
                     CASE split_part(s.label, ' ', 2) WHEN 'after' THEN 1
                                                      WHEN 'before' THEN -1 ELSE 0 END AS sign) p
GROUP BY phase ORDER BY phase;
SQL

grown=$(psql -X -At -v ON_ERROR_STOP=1 -d "$db" <<SQL
SELECT string_agg(phase, ' ' ORDER BY phase) FROM (
    SELECT split_part(label, ' ', 1) AS phase,
           sum(context_bytes) FILTER (WHERE label LIKE '% after')
             - sum(context_bytes) FILTER (WHERE label LIKE '% before') AS context_growth,
           1024 * (sum(rss_anon_kb) FILTER (WHERE label LIKE '% after')
             - sum(rss_anon_kb) FILTER (WHERE label LIKE '% before')) AS rss_anon_growth
    FROM memtest.samples GROUP BY 1) g
WHERE context_growth IS NULL OR rss_anon_growth IS NULL
   OR context_growth > $limit_bytes OR rss_anon_growth > $limit_bytes;
SQL
)
if [ -n "$grown" ]; then
    echo "memory: FAILED: grew by more than $limit_bytes bytes (contexts or RssAnon): $grown"
    exit 1
fi
echo "memory: ok, no phase grew by more than $limit_bytes bytes (contexts, RssAnon)"
