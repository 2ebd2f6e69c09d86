import { no, ok, pgBoth, type CorpusCase } from './case.js';

const deep = (n: number) => 'SELECT ' + '('.repeat(n) + '1' + ')'.repeat(n);

/** Lexical tricks, hidden writes and hostile input for PostgreSQL and Redshift. */
export const postgresTricks: CorpusCase[] = [
  // comments cannot hide a second statement, nor reveal one
  ...pgBoth((d) => ok(d, 'SELECT 1 -- ; DROP TABLE x', [])),
  ...pgBoth((d) => ok(d, 'SELECT 1 /* ; DROP TABLE x */', [])),
  ...pgBoth((d) => no(d, 'SELECT 1 /* /* */ ; DROP TABLE x */', 'sql_ambiguous_literal')),
  ...pgBoth((d) => no(d, 'SELECT 1 /* unterminated', 'sql_parse_error')),
  ...pgBoth((d) => no(d, '-- only a comment', 'sql_empty')),
  ...pgBoth((d) => no(d, '/* c */ ;', 'sql_empty')),
  ...pgBoth((d) => no(d, '', 'sql_empty')),
  ...pgBoth((d) => no(d, '   \n\t ', 'sql_empty')),
  ...pgBoth((d) => no(d, ';;;', 'sql_empty')),
  // strings and quoting
  ...pgBoth((d) => ok(d, "SELECT 'DROP TABLE x; --'", [])),
  ...pgBoth((d) => no(d, "SELECT 'a\\'; DROP TABLE x; --'", 'sql_ambiguous_literal')),
  ...pgBoth((d) => no(d, "SELECT 'a\\'\n' ; DROP TABLE x; --'", 'sql_ambiguous_literal')),
  ok('postgres', "SELECT E'it\\'s'", []),
  no('redshift', "SELECT E'it\\'s'", 'sql_ambiguous_literal'),
  no('postgres', "SELECT E'\\''; DROP TABLE x", 'sql_multiple_statements'),
  ok('postgres', "SELECT $$;DROP TABLE x;$$", []),
  ok('postgres', "SELECT $tag$ ; DELETE FROM t; $tag$", []),
  no('postgres', "SELECT $a$ x $b$; DROP TABLE t; $b$ $a$; DROP TABLE u", 'sql_multiple_statements'),
  no('redshift', "SELECT $$;DROP TABLE x;$$", 'sql_ambiguous_literal'),
  no('postgres', "SELECT $$ unterminated", 'sql_parse_error'),
  ...pgBoth((d) => ok(d, 'SELECT "DROP", "select" FROM "from"', ['public.from:r'])),
  ok('postgres', 'SELECT U&"d\\0061ta" FROM t', ['public.t:r']),
  ...pgBoth((d) => ok(d, "SELECT 'it''s'", [])),
  // hidden writes
  ...pgBoth((d) => no(d, 'WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'WITH x AS (INSERT INTO t VALUES (1) RETURNING a) SELECT a FROM x', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'WITH a AS (SELECT 1), b AS (UPDATE t SET a = 1 RETURNING a) SELECT * FROM a', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'SELECT * INTO newt FROM t', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'SELECT * FROM t FOR UPDATE', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'SELECT * FROM t FOR SHARE', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'SELECT * FROM (SELECT * FROM t FOR UPDATE) s', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'EXPLAIN ANALYZE DELETE FROM t', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'EXPLAIN ANALYZE INSERT INTO t SELECT 1', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'INSERT INTO t VALUES (1)', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'UPDATE t SET a = 1', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'DELETE FROM t', 'sql_write_not_allowed')),
  ...pgBoth((d) => no(d, 'CREATE TABLE n AS SELECT * FROM t', 'sql_write_not_allowed')),
  no('postgres', 'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', 'sql_write_not_allowed'),
  no('redshift', "UNLOAD ('select * from t') TO 's3://bucket/x' IAM_ROLE 'arn'", 'sql_forbidden_statement'),
  no('redshift', "unload ('select 1') to 's3://b/x'", 'sql_forbidden_statement'),
  no('redshift', "COPY t FROM 's3://b/x' IAM_ROLE 'arn'", 'sql_parse_error'),
  // hostile input
  ...pgBoth((d) => no(d, deep(10_000), 'sql_too_complex')),
  ...pgBoth((d) => no(d, 'SELECT ' + Array(5000).fill('1').join('+'), 'sql_too_complex')),
  ...pgBoth((d) => no(d, 'SELECT ' + 'NOT '.repeat(3000) + 'true', 'sql_too_complex')),
  ...pgBoth((d) => no(d, 'SELECT ' + '(SELECT '.repeat(2000) + '1' + ')'.repeat(2000), 'sql_too_complex')),
  ...pgBoth((d) => no(d, "SELECT '" + 'x'.repeat(200_000) + "'", 'sql_too_long')),
  ...pgBoth((d) => no(d, 'SELECT 1\u0000; DROP TABLE x', 'sql_invalid_characters')),
  ...pgBoth((d) => no(d, 'SELECT 1 \u0001', 'sql_invalid_characters')),
  ...pgBoth((d) => no(d, "SELECT '\uD800'", 'sql_invalid_characters')),
  ...pgBoth((d) => no(d, 'SELEC 1', 'sql_parse_error')),
  ...pgBoth((d) => no(d, 'SELECT FROM WHERE', 'sql_parse_error')),
  ...pgBoth((d) => no(d, "SELECT 'unterminated", 'sql_parse_error')),
  // parameters
  ...pgBoth((d) => no(d, 'SELECT :a, $1', 'sql_unsupported_parameter')),
];
