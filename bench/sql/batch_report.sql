-- The batch benchmark's table: ratios of the medians over rounds, per way and workload.
CREATE TEMP TABLE raw (way text, workload text, method text, round int, seconds numeric);
\set copy '\\copy raw FROM ' :'raw' ' WITH (FORMAT csv, HEADER)'
:copy
WITH per_round AS (
    SELECT way, workload, round,
           max(seconds) FILTER (WHERE method = 'many') AS many,
           max(seconds) FILTER (WHERE method = 'floor') AS floor,
           max(seconds) FILTER (WHERE method = 'singles') AS singles
    FROM raw GROUP BY way, workload, round)
SELECT way, workload,
       CASE WHEN way = 'in-server' THEN 'many / floor' ELSE 'singles / many' END AS ratio,
       round(min(r), 2) AS min,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r)::numeric, 2) AS median,
       round(max(r), 2) AS max,
       CASE WHEN way = 'in-server' THEN 'target <= 1.5' ELSE 'target >= 10' END AS target
FROM (SELECT way, workload, CASE WHEN way = 'in-server' THEN many / floor ELSE singles / many END AS r
      FROM per_round) ratios
GROUP BY way, workload ORDER BY way DESC, workload;
