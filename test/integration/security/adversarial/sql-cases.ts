import { allow, refuse, type AdversarialCase } from './case.js';

/**
 * SQL attacks from the warehouse issue, run through the `query` tool on the machine's
 * PostgreSQL. `{s}` is the exposed schema (orders, canary), `{hr}` an exposed schema annotated
 * `restricted`, `{hidden}` a schema the connector does not expose at all. The SA is a plain
 * `reader`: no write grant, so every write must be refused and none may land.
 */
export interface SqlInput {
  sql: string;
  params?: Record<string, unknown>;
  dry_run?: boolean;
}

type Row = [name: string, sql: string, code: 'INVALID_ARGUMENT' | 'POLICY_DENIED' | null, why: string, extra?: Omit<SqlInput, 'sql'>];

const I = 'INVALID_ARGUMENT';
const P = 'POLICY_DENIED';

const ROWS: Row[] = [
  // Stacked statements: a second statement must never ride along with a read.
  ['stacked-drop', 'SELECT 1; DROP TABLE {s}.canary', I, 'classic stacked statement'],
  ['stacked-delete-no-space', 'SELECT 1;DELETE FROM {s}.canary;', I, 'stacked write without whitespace'],
  ['stacked-commit-delete', 'COMMIT; DELETE FROM {s}.canary', I, 'end the read-only transaction, then write'],
  ['stacked-after-line-comment', 'SELECT 1 -- x\n; UPDATE {s}.canary SET v = 0', I, 'the semicolon after a line comment still separates'],
  ['stacked-after-string', "SELECT ';'; TRUNCATE {s}.canary", I, 'a quoted semicolon first, then a real one'],
  ['stacked-after-block-comment', 'SELECT 1 /* ; */ ; DROP SCHEMA {s} CASCADE', I, 'a commented semicolon first, then a real one'],
  ['stacked-mixed-case', 'sElEcT 1; dRoP tAbLe {s}.canary', I, 'keyword case games'],
  ['stacked-after-dollar-quote', 'SELECT $$;$$; DELETE FROM {s}.canary', I, 'a dollar-quoted semicolon first, then a real one'],
  ['stacked-rollback-select', 'ROLLBACK; SELECT * FROM {hr}.salaries', I, 'leave the transaction, then read a restricted table'],
  // Transaction and session control: the read-only transaction must not be escapable.
  ['begin', 'BEGIN', I, 'open a transaction of our own'],
  ['start-read-write', 'START TRANSACTION READ WRITE', I, 'a read-write transaction'],
  ['set-read-only-off', 'SET transaction_read_only = off', I, 'turn the read-only transaction off'],
  ['set-session-read-write', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE', I, 'make later transactions writable'],
  ['set-role', 'SET ROLE postgres', I, 'become another role'],
  ['set-session-authorization', 'SET SESSION AUTHORIZATION postgres', I, 'become another user'],
  ['reset-all', 'RESET ALL', I, 'drop the statement timeout and search path'],
  ['set-config-fn', "SELECT set_config('transaction_read_only', 'off', false)", I, 'the function form of SET'],
  ['set-config-qualified', "SELECT pg_catalog.set_config('default_transaction_read_only', 'off', false)", I, 'schema-qualified set_config'],
  ['rollback', 'ROLLBACK', I, 'abort the guarded transaction'],
  ['discard-all', 'DISCARD ALL', I, 'reset the session state'],
  // DDL and writes: forbidden statements, or writes that need a grant the reader lacks.
  ['drop-table', 'DROP TABLE {s}.canary', I, 'DDL'],
  ['truncate', 'TRUNCATE {s}.canary', I, 'DDL-class write'],
  ['create-table', 'CREATE TABLE {s}.evil (a int)', I, 'DDL'],
  ['alter-table', 'ALTER TABLE {s}.canary ADD COLUMN x int', I, 'DDL'],
  ['grant', 'GRANT ALL ON {s}.canary TO public', I, 'privilege change'],
  ['create-function', 'CREATE FUNCTION {s}.f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql', I, 'code the guard cannot see into'],
  ['do-block', 'DO $$ BEGIN DELETE FROM {s}.canary; END $$', I, 'anonymous plpgsql block'],
  ['call-procedure', 'CALL {s}.p()', I, 'procedures can commit and write'],
  ['insert', 'INSERT INTO {s}.canary VALUES (99)', P, 'plain write without a write grant'],
  ['update', 'UPDATE {s}.canary SET v = 0', P, 'plain write without a write grant'],
  ['delete', 'DELETE FROM {s}.canary', P, 'plain write without a write grant'],
  ['insert-select', 'INSERT INTO {s}.canary SELECT amount FROM {s}.orders', P, 'write fed by a read'],
  ['merge', 'MERGE INTO {s}.canary c USING (SELECT 1 AS v) x ON c.v = x.v WHEN MATCHED THEN DELETE', P, 'MERGE is a write'],
  ['cte-delete', 'WITH x AS (DELETE FROM {s}.canary RETURNING *) SELECT * FROM x', P, 'a write hidden in a CTE'],
  ['cte-update-unused', 'WITH a AS (SELECT 1), b AS (UPDATE {s}.canary SET v = v + 1 RETURNING v) SELECT * FROM a', P, 'a data-modifying CTE runs even when unused'],
  ['select-into', 'SELECT * INTO {s}.copy FROM {s}.canary', P, 'SELECT INTO creates a table'],
  ['create-table-as', 'CREATE TABLE {s}.copy AS SELECT * FROM {s}.canary', P, 'CTAS creates a table'],
  ['create-temp-table-as', 'CREATE TEMP TABLE t AS SELECT 1', P, 'a temp table shadows names via pg_temp'],
  ['for-update', 'SELECT * FROM {s}.canary FOR UPDATE', P, 'row locks are writes'],
  ['for-no-key-update-subquery', 'SELECT * FROM (SELECT * FROM {s}.canary FOR NO KEY UPDATE) x', P, 'a lock hidden in a subquery'],
  ['explain-analyze-delete', 'EXPLAIN ANALYZE DELETE FROM {s}.canary', P, 'EXPLAIN ANALYZE executes the statement'],
  ['dry-run-delete', 'DELETE FROM {s}.canary', P, 'dry_run does not unlock writes', { dry_run: true }],
  // Server files, programs and dynamic SQL.
  ['copy-to-file', "COPY {s}.canary TO '/tmp/data-mcp-pwned'", I, 'write a server file'],
  ['copy-to-program', "COPY (SELECT 1) TO PROGRAM 'touch /tmp/data-mcp-pwned'", I, 'run a shell command'],
  ['copy-from-program', "COPY {s}.canary FROM PROGRAM 'id'", I, 'run a shell command'],
  ['pg-read-file', "SELECT pg_read_file('/etc/passwd')", I, 'read a server file'],
  ['pg-read-file-upper', "SELECT PG_READ_FILE('/etc/passwd')", I, 'function names fold to lower case'],
  ['pg-read-file-quoted', `SELECT "pg_read_file"('/etc/passwd')`, I, 'a quoted function name'],
  ['pg-read-binary-file', "SELECT pg_catalog.pg_read_binary_file('postgresql.conf')", I, 'read a server file, qualified'],
  ['pg-ls-dir', "SELECT * FROM pg_ls_dir('.')", I, 'list the data directory'],
  ['lo-import', "SELECT lo_import('/etc/passwd')", I, 'large object from a server file'],
  ['lo-export', "SELECT lo_export(1, '/tmp/data-mcp-pwned')", I, 'large object to a server file'],
  ['dblink', "SELECT * FROM dblink('host=127.0.0.1 dbname=test', 'DELETE FROM x') AS t(a int)", I, 'a second connection outside the transaction'],
  ['query-to-xml', "SELECT query_to_xml('DELETE FROM {s}.canary RETURNING *', true, true, '')", I, 'dynamic SQL runs a write'],
  ['table-to-xml', "SELECT table_to_xml('{hr}.salaries', true, true, '')", I, 'dynamic SQL reads a restricted table by name'],
  ['ts-stat', "SELECT * FROM ts_stat('SELECT to_tsvector(who) FROM {hr}.salaries')", I, 'dynamic SQL in a text-search function'],
  ['nextval', "SELECT nextval('{s}.seq')", I, 'sequences advance even in read-only transactions'],
  ['txid-current', 'SELECT txid_current()', I, 'assigns a transaction id'],
  ['pg-notify', "SELECT pg_notify('ch', 'x')", I, 'a side effect in a SELECT'],
  ['advisory-lock', 'SELECT pg_advisory_lock(42)', I, 'a lock held past the query'],
  ['terminate-backend', 'SELECT pg_terminate_backend(pg_backend_pid())', I, 'signal a backend'],
  ['reload-conf', 'SELECT pg_reload_conf()', I, 'server control'],
  ['load-library', "LOAD 'auto_explain'", I, 'load a shared library'],
  ['vacuum', 'VACUUM {s}.canary', I, 'maintenance command'],
  ['listen', 'LISTEN ch', I, 'session state'],
  ['prepare', 'PREPARE q AS DELETE FROM {s}.canary', I, 'a prepared write for later'],
  ['execute', 'EXECUTE q', I, 'run a prepared statement'],
  ['declare-cursor', 'DECLARE c CURSOR WITH HOLD FOR SELECT 1', I, 'a cursor outliving the transaction'],
  // Denial of service: refused before it runs, never a hang.
  ['pg-sleep', 'SELECT pg_sleep(60)', I, 'hold a connection'],
  ['pg-sleep-order-by', 'SELECT id FROM {s}.orders ORDER BY pg_sleep(10)', I, 'sleep hidden in ORDER BY'],
  ['pg-sleep-dry-run', 'SELECT pg_catalog.pg_sleep(10)', I, 'dry_run checks the guard too', { dry_run: true }],
  ['explain-sleep', 'EXPLAIN (ANALYZE) SELECT pg_sleep(5)', I, 'EXPLAIN ANALYZE runs the sleep'],
  ['deep-parens', `SELECT ${'('.repeat(10_000)}1${')'.repeat(10_000)}`, I, 'parser recursion'],
  ['long-plus-chain', `SELECT ${Array(4000).fill('1').join('+')}`, I, 'a very deep expression tree'],
  // Reaching outside the grant: restricted, unexposed and system schemas.
  ['restricted-table', 'SELECT * FROM {hr}.salaries', P, 'restricted classification'],
  ['restricted-quoted', 'SELECT * FROM "{hr}"."salaries"', P, 'quoted identifiers are the same table'],
  ['restricted-upper', 'SELECT * FROM {HR}.SALARIES', P, 'unquoted identifiers fold to lower case'],
  ['restricted-unicode-escape', 'SELECT * FROM {hrU}.salaries', P, 'a U&"" escaped schema name'],
  ['restricted-catalog-qualified', 'SELECT * FROM test.{hr}.salaries', P, 'database.schema.table'],
  ['restricted-join', 'SELECT o.id FROM {s}.orders o JOIN {hr}.salaries x ON true', P, 'a join reaches the restricted table'],
  ['restricted-in-subquery', 'SELECT * FROM {s}.orders WHERE id IN (SELECT pay FROM {hr}.salaries)', P, 'a subquery reaches the restricted table'],
  ['restricted-scalar-subquery', 'SELECT (SELECT who FROM {hr}.salaries LIMIT 1)', P, 'a scalar subquery in the select list'],
  ['restricted-cte', 'WITH x AS (SELECT * FROM {hr}.salaries) SELECT * FROM x', P, 'a CTE reaches the restricted table'],
  ['restricted-union', 'SELECT id::text FROM {s}.orders UNION ALL SELECT who FROM {hr}.salaries', P, 'a UNION branch reaches the restricted table'],
  ['restricted-lateral', 'SELECT * FROM {s}.orders, LATERAL (SELECT * FROM {hr}.salaries) x', P, 'a LATERAL subquery'],
  ['restricted-table-stmt', 'TABLE {hr}.salaries', P, 'the TABLE statement'],
  ['restricted-exists', 'SELECT 1 WHERE EXISTS (SELECT 1 FROM {hr}.salaries WHERE pay > 0)', P, 'a boolean oracle on restricted data'],
  ['restricted-dry-run', 'SELECT * FROM {hr}.salaries', P, 'dry_run is authorized like a run', { dry_run: true }],
  ['hidden-schema', 'SELECT * FROM {hidden}.vault', P, 'a schema the connector does not expose'],
  ['pg-authid', 'SELECT rolname, rolpassword FROM pg_catalog.pg_authid', P, 'password hashes'],
  ['pg-shadow-unqualified', 'SELECT usename, passwd FROM pg_shadow', P, 'pg_catalog is searched first even when not in search_path'],
  ['pg-stat-activity', 'SELECT query FROM pg_stat_activity', P, "other sessions' SQL"],
  ['information-schema', 'SELECT * FROM information_schema.tables', P, 'catalog browsing beyond the grant'],
  ['pg-temp', 'SELECT * FROM pg_temp.x', P, 'the temp schema shadows names'],
  // Lexical ambiguity and hostile text.
  ['backslash-quote', "SELECT 'a\\'; DROP TABLE {s}.canary; --'", I, 'two lexers disagree on the backslash'],
  ['nested-comment', 'SELECT 1 /* /* */ ; DROP TABLE {s}.canary */', I, 'nested comment depth games'],
  ['nul-byte', 'SELECT 1\u0000; DROP TABLE {s}.canary', I, 'NUL ends a C string early'],
  ['control-char', 'SELECT 1 \u0001', I, 'control characters'],
  ['lone-surrogate', "SELECT '\uD800'", I, 'not encodable as UTF-8'],
  ['fullwidth-select', '\uFF33\uFF25\uFF2C\uFF25\uFF23\uFF34 1', I, 'look-alike keyword'],
  ['line-separator', 'SELECT 1\u2028; DROP TABLE {s}.canary', I, 'a Unicode line separator before a stacked statement'],
  ['empty', '   ', I, 'whitespace only'],
  ['comment-only', '-- nothing\n/* here */ ;', I, 'comments only'],
  ['over-long', `SELECT '${'x'.repeat(100_001)}'`, I, 'over the argument limit'],
  ['mixed-params', 'SELECT :a, $1', I, 'two parameter styles', { params: { a: 1 } }],
  ['bad-param-name', 'SELECT :a', I, 'a parameter name that is SQL', { params: { 'a; DROP TABLE x': 1 } }],
  // Legitimate-but-odd: must run, read only what the grant allows, write nothing.
  ['param-quote-injection', 'SELECT id FROM {s}.orders WHERE region = :r', null, 'a quote in a parameter is data', { params: { r: "x' OR '1'='1" } }],
  ['param-stacked-injection', 'SELECT id FROM {s}.orders WHERE region = :r', null, 'a statement in a parameter is data', { params: { r: "'; DROP TABLE canary; --" } }],
  ['string-with-drop', "SELECT 'DROP TABLE x; --' AS s", null, 'SQL inside a string literal'],
  ['dollar-with-drop', 'SELECT $$;DROP TABLE {s}.canary;$$ AS s', null, 'SQL inside a dollar-quoted literal'],
  ['comment-with-drop', 'SELECT 1 AS one -- ; DROP TABLE x', null, 'SQL inside a comment'],
  ['tautology', 'SELECT id FROM {s}.orders WHERE id = 1 OR 1 = 1', null, 'a tautology only widens within the granted table'],
];

export const SQL_CASES: Array<AdversarialCase<SqlInput>> = ROWS.map(([name, sql, code, why, extra]) => ({
  id: `sql/${name}`,
  category: 'sql',
  input: { sql, ...(extra ?? {}) },
  expect: code ? refuse(code) : allow('a read of the granted schema only'),
  why,
}));
