-- The report: ratios per round, then min / median / max over the rounds, from bench_results.
\set QUIET on
\pset tuples_only on
\pset format unaligned

-- Time per call of A, B and C in each round: in-server the median block, net of the empty
-- loop's; end-to-end the mean latency (interleaved runs) or 1 / tps (separate runs).
CREATE TEMP VIEW per_round AS
SELECT rows, way, workload, round,
       max(value) FILTER (WHERE method = 'A') - max(value) FILTER (WHERE method = '0') AS a,
       max(value) FILTER (WHERE method = 'B') - max(value) FILTER (WHERE method = '0') AS b,
       max(value) FILTER (WHERE method = 'C') - max(value) FILTER (WHERE method = '0') AS c
FROM bench_results
WHERE way = 'in-server' AND workload IN ('insert', 'overwrite') AND measure = 'median us/call'
GROUP BY 1, 2, 3, 4
UNION ALL
SELECT rows, way, workload, round,
       max(value) FILTER (WHERE method = 'A'),
       max(value) FILTER (WHERE method = 'B'),
       max(value) FILTER (WHERE method = 'C')
FROM bench_results WHERE way = 'end-to-end' AND measure = 'latency ms'
GROUP BY 1, 2, 3, 4
UNION ALL
SELECT rows, way, workload, round,
       1 / max(value) FILTER (WHERE method = 'A'),
       1 / max(value) FILTER (WHERE method = 'B'),
       1 / max(value) FILTER (WHERE method = 'C')
FROM bench_results WHERE way = 'end-to-end' AND measure = 'tps'
GROUP BY 1, 2, 3, 4;

CREATE TEMP VIEW spread AS
SELECT rows, way, workload, count(*) AS rounds,
       min(a / c) AS ac_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY a / c) AS ac, max(a / c) AS ac_max,
       min(b / c) AS bc_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY b / c) AS bc, max(b / c) AS bc_max,
       min(a / b) AS ab_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY a / b) AS ab, max(a / b) AS ab_max
FROM per_round GROUP BY 1, 2, 3;

CREATE FUNCTION pg_temp.three(lo float8, mid float8, hi float8) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format('%s %s %s', to_char(lo, 'FM90.00'), to_char(mid, 'FM90.00'), to_char(hi, 'FM90.00'));

\echo
\echo 'A = cell_upsert, B = PL/pgSQL reference (bench/sql/reference.sql), C = bare INSERT ... ON CONFLICT'
\echo 'time per call relative to another: min median max over the rounds (A/C 1.00 = as cheap as the bare upsert)'
\echo
SELECT format('%-6s %-11s %-21s %-7s %-16s %-16s %-16s', 'rows', 'way', 'workload', 'rounds', 'A/C', 'B/C', 'A/B');
SELECT format('%-6s %-11s %-21s %-7s %-16s %-16s %-16s', rows, way, workload, rounds,
              pg_temp.three(ac_min, ac, ac_max), pg_temp.three(bc_min, bc, bc_max),
              pg_temp.three(ab_min, ab, ab_max))
FROM spread ORDER BY rows, way DESC, workload;

\echo
\echo 'mix: share of calls that inserted a new cell, the others overwrote one (in-server: insert 100%, overwrite 0%)'
SELECT format('%-6s %-11s %-21s %s', rows, way, workload,
              string_agg(format('%s %s', method, to_char(share, 'FM990"%"')), '  ' ORDER BY method))
FROM (SELECT rows, way, workload, i.method,
             100 * sum(i.value) / (SELECT sum(c.value) FROM bench_results c
                                   WHERE (c.rows, c.way, c.workload, c.measure) = (i.rows, i.way, i.workload, 'calls')
                                     AND strpos(i.method, c.method) > 0) AS share
      FROM bench_results i WHERE way = 'end-to-end' AND measure = 'inserts'
      GROUP BY rows, way, workload, method) s
GROUP BY rows, way, workload ORDER BY rows, workload;

\echo
\echo 'refused call (a foreign column) / successful overwrite, in-server, both inside an exception block'
\echo '(for C, the refusal is the foreign key error of the bare upsert)'
SELECT format('%-6s %-11s %-21s %-7s %-16s %-16s %-16s', 'rows', 'way', '', 'rounds', 'A', 'B', 'C');
WITH net AS (
    SELECT r.rows, r.round, r.method,
           (r.value - rz.value) / (g.value - gz.value) AS ratio
    FROM bench_results r
    JOIN bench_results rz ON (rz.rows, rz.round, rz.workload, rz.measure, rz.method) = (r.rows, r.round, r.workload, r.measure, '0')
    JOIN bench_results g ON (g.rows, g.round, g.workload, g.measure, g.method) = (r.rows, r.round, 'guarded', r.measure, r.method)
    JOIN bench_results gz ON (gz.rows, gz.round, gz.workload, gz.measure, gz.method) = (r.rows, r.round, 'guarded', r.measure, '0')
    WHERE r.way = 'in-server' AND r.workload = 'refused' AND r.measure = 'median us/call' AND r.method <> '0')
SELECT format('%-6s %-11s %-21s %-7s %-16s %-16s %-16s', rows, 'in-server', '', count(*) / 3,
              pg_temp.three(min(ratio) FILTER (WHERE method = 'A'),
                            percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) FILTER (WHERE method = 'A'),
                            max(ratio) FILTER (WHERE method = 'A')),
              pg_temp.three(min(ratio) FILTER (WHERE method = 'B'),
                            percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) FILTER (WHERE method = 'B'),
                            max(ratio) FILTER (WHERE method = 'B')),
              pg_temp.three(min(ratio) FILTER (WHERE method = 'C'),
                            percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) FILTER (WHERE method = 'C'),
                            max(ratio) FILTER (WHERE method = 'C')))
FROM net GROUP BY rows ORDER BY rows;

\echo
\echo 'targets, on the medians (ratios measured in one run, not a timed test)'
SELECT format('%-46s %-6s (worst: %s)', 'in-server A/C <= 1.25',
              CASE WHEN max(ac) <= 1.25 THEN 'met' ELSE 'MISSED' END, to_char(max(ac), 'FM90.00'))
FROM spread WHERE way = 'in-server';
SELECT format('%-46s %-6s (worst A tps / C tps: %s)', 'end-to-end A tps >= 0.95 x C tps, ' || workload,
              CASE WHEN min(1 / ac) >= 0.95 THEN 'met' ELSE 'MISSED' END, to_char(min(1 / ac), 'FM90.00'))
FROM spread WHERE way = 'end-to-end' AND workload IN ('interleaved', 'separate') GROUP BY workload ORDER BY workload;
SELECT format('%-46s %-6s (worst A/B: %s)', 'A faster than B, ' || way_label,
              CASE WHEN max(ab) < 1 THEN 'met' ELSE 'MISSED' END, to_char(max(ab), 'FM90.00'))
FROM (SELECT CASE way WHEN 'in-server' THEN way ELSE way || ', ' || workload END AS way_label, ab
      FROM spread WHERE workload <> 'interleaved, sync on') s
GROUP BY way_label ORDER BY way_label <> 'in-server', way_label;
