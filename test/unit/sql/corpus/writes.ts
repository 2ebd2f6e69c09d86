import { no, ok, pgBoth, type CorpusCase } from './case.js';

const w = { allowWrite: true };

/** With write granted: DML is allowed and reports written tables; everything else stays refused. */
export const writeCases: CorpusCase[] = [
  ...pgBoth((d) => ok(d, 'INSERT INTO s.t (a) SELECT a FROM s.u', ['s.t:w', 's.u:r'], w)),
  ...pgBoth((d) => ok(d, 'UPDATE t SET a = u.a FROM u WHERE t.id = u.id', ['public.t:w', 'public.u:r'], w)),
  ...pgBoth((d) => ok(d, 'DELETE FROM t USING u WHERE t.id = u.id', ['public.t:w', 'public.u:r'], w)),
  ...pgBoth((d) => ok(d, 'SELECT * INTO s.n FROM t', ['s.n:w', 'public.t:r'], w)),
  ...pgBoth((d) => ok(d, 'CREATE TABLE s.n AS SELECT * FROM t', ['s.n:w', 'public.t:r'], w)),
  ...pgBoth((d) => ok(d, 'WITH t AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM t', ['public.t:w'], w)),
  ...pgBoth((d) => ok(d, 'WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x', ['public.t:w'], w)),
  ...pgBoth((d) => ok(d, 'SELECT * FROM t FOR UPDATE', ['public.t:w'], w)),
  ...pgBoth((d) => ok(d, 'EXPLAIN ANALYZE DELETE FROM t', ['public.t:w'], w)),
  ok('postgres', 'MERGE INTO t USING s.src s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a', ['public.t:w', 's.src:r'], w),
  ...pgBoth((d) => ok(d, 'INSERT INTO t (a) VALUES (:a)', ['public.t:w'], { ...w, params: ['a'] })),
  ...pgBoth((d) => no(d, 'INSERT INTO t VALUES (1); DROP TABLE t', 'sql_multiple_statements', w)),
  ...pgBoth((d) => no(d, "INSERT INTO t SELECT pg_read_file('x')", 'sql_forbidden_function', w)),
  ...pgBoth((d) => no(d, "INSERT INTO t SELECT nextval('s')", 'sql_forbidden_function', w)),
  ...pgBoth((d) => no(d, 'DROP TABLE t', 'sql_forbidden_statement', w)),
  ...pgBoth((d) => no(d, 'TRUNCATE t', 'sql_forbidden_statement', w)),
  ...pgBoth((d) => no(d, 'COMMIT', 'sql_forbidden_statement', w)),
  ...pgBoth((d) => no(d, 'SET ROLE admin', 'sql_forbidden_statement', w)),
  ...pgBoth((d) => no(d, "COPY t TO PROGRAM 'x'", 'sql_forbidden_statement', w)),
  no('redshift', "UNLOAD ('select 1') TO 's3://b/x'", 'sql_forbidden_statement', w),
  ok('bigquery', 'INSERT INTO d.t (a) SELECT a FROM d.s', ['d.t:w', 'd.s:r'], w),
  ok('bigquery', 'UPDATE d.t SET a = 1 WHERE b = @b', ['d.t:w'], { ...w, params: ['b'] }),
  ok('bigquery', 'DELETE FROM d.t WHERE a IN (SELECT a FROM d.s)', ['d.t:w', 'd.s:r'], w),
  ok('bigquery', 'MERGE d.t T USING d.s S ON T.id = S.id WHEN MATCHED THEN DELETE', ['d.t:w', 'd.s:r'], w),
  ok('bigquery', 'CREATE TABLE p.d.n AS SELECT * FROM d.t', ['p.d.n:w', 'd.t:r'], w),
  no('bigquery', "EXPORT DATA OPTIONS(uri='gs://b/*.csv', format='CSV') AS SELECT 1", 'sql_forbidden_statement', w),
  no('bigquery', 'DROP TABLE d.t', 'sql_forbidden_statement', w),
  no('bigquery', "INSERT INTO d.t SELECT * FROM EXTERNAL_QUERY('c', 'select 1')", 'sql_forbidden_function', w),
  no('bigquery', 'INSERT INTO d.t VALUES (1); DELETE FROM d.t WHERE true', 'sql_multiple_statements', w),
];
