import { ok, pgBoth, type CorpusCase } from './case.js';

/** Legitimate reads that must be allowed with exactly these tables (default schema `public`). */
const reads: Array<[string, string[], string[]?]> = [
  ['SELECT 1', []],
  ['SELECT 1;', []],
  ['VALUES (1, 2), (3, 4)', []],
  ['SELECT a, b FROM t WHERE a > 1 ORDER BY b LIMIT 10', ['public.t:r']],
  ['select * from Sales.Orders o join sales.customers c on o.cid = c.id', ['sales.orders:r', 'sales.customers:r']],
  ['SELECT * FROM "Sales"."Orders"', ['Sales.Orders:r']],
  ['SELECT * FROM db.s.t', ['db.s.t:r']],
  ['SELECT x, sum(y) OVER (PARTITION BY z ORDER BY w ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t', ['public.t:r']],
  ['WITH a AS (SELECT * FROM t) SELECT * FROM a', ['public.t:r']],
  ['WITH a AS (SELECT * FROM t), b AS (SELECT * FROM a) SELECT * FROM b JOIN u USING (id)', ['public.t:r', 'public.u:r']],
  ['WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a', ['public.b:r']],
  ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r', []],
  ['SELECT * FROM (WITH a AS (SELECT 1) SELECT * FROM a) x, a', ['public.a:r']],
  ['SELECT * FROM t UNION SELECT * FROM u EXCEPT SELECT * FROM v', ['public.t:r', 'public.u:r', 'public.v:r']],
  ['SELECT * FROM t WHERE id IN (SELECT id FROM s.u WHERE EXISTS (SELECT 1 FROM v))', ['public.t:r', 's.u:r', 'public.v:r']],
  ['SELECT * FROM t LEFT JOIN LATERAL (SELECT * FROM u WHERE u.id = t.id LIMIT 1) x ON true', ['public.t:r', 'public.u:r']],
  ['SELECT count(*) FILTER (WHERE a > 1), percentile_cont(0.5) WITHIN GROUP (ORDER BY a) FROM t', ['public.t:r']],
  ['SELECT a::text, b::numeric(10,2), CAST(c AS date) FROM t', ['public.t:r']],
  ["SELECT now(), current_setting('TimeZone'), date_trunc('day', ts) FROM t", ['public.t:r']],
  ['SELECT * FROM generate_series(1, 10) g', []],
  ['SELECT coalesce(a, 0), greatest(a, b), nullif(a, b) FROM t', ['public.t:r']],
  ['SELECT * FROM pg_class', ['pg_catalog.pg_class:r']],
  ['SELECT * FROM information_schema.tables', ['information_schema.tables:r']],
  ['EXPLAIN SELECT * FROM t', ['public.t:r']],
  ['TABLE t', ['public.t:r']],
  ['SELECT a FROM t WHERE a = :id AND b::int > :min_b AND c = :id', ['public.t:r'], ['id', 'min_b']],
  ["SELECT ':not_a_param', a[1:2] FROM t -- :nor_this", ['public.t:r'], []],
  ['SELECT a FROM t WHERE a = $1', ['public.t:r'], []],
  ['SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b DESC', ['public.t:r']],
  ['SELECT a, count(*) FROM t GROUP BY ROLLUP (a) HAVING count(*) > 1', ['public.t:r']],
];

export const postgresReads: CorpusCase[] = reads.flatMap(([sql, tables, params]) =>
  pgBoth((d) => ok(d, sql, tables, params === undefined ? {} : { params })),
);
