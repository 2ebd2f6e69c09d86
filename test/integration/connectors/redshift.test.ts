import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedshiftConnectorConfig } from '../../../src/config/schema.js';
import { createRedshiftConnector } from '../../../src/connectors/redshift/index.js';
import type { CallOptions, Connector, CredentialScope, QueryRequest } from '../../../src/connectors/types.js';
import { columnValues, rowsOf } from '../../helpers/arrow-values.js';
import { failureOf } from '../../helpers/connector-contract.js';
import { startRedshiftDataDouble, type RedshiftDataDouble } from '../../helpers/fakes/redshift-data-double.js';

const suffix = randomBytes(4).toString('hex');
const SCHEMA = `rs_it_${suffix}`;
const OTHER = `rs_it_${suffix}_other`;
const EVENTS = 12_000;
const SECRET = `rs-secret-${suffix}-do-not-leak`;
const scope: CredentialScope = { id: 'aws:static:rs-test', material: { kind: 'aws', accessKeyId: 'AKIDREDSHIFTTEST', secretAccessKey: SECRET } };

const call = (signal = new AbortController().signal): CallOptions => ({ signal, credentials: scope });
const request = (sql: string, over: Partial<QueryRequest> = {}): QueryRequest => ({ sql, params: {}, maxRows: 100, dryRun: false, readOnly: true, timeoutMs: 20_000, ...over });

function config(endpoint: string, over: Partial<RedshiftConnectorConfig> = {}): RedshiftConnectorConfig {
  return { kind: 'redshift', region: 'us-east-1', database: 'test', workgroup_name: 'wg-test', endpoint, poll_interval_ms: 20, statement_timeout_ms: 60_000, annotations: {}, ...over };
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('redshift connector through the real SDK and a Data API double on PostgreSQL', () => {
  let admin: pg.Client;
  let double: RedshiftDataDouble;
  let connector: Connector;

  beforeAll(async () => {
    admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${SCHEMA}; CREATE SCHEMA ${OTHER};
      CREATE TABLE ${SCHEMA}.typed (id int4 NOT NULL PRIMARY KEY, big int8, small int2, price numeric(10,2), wide numeric(30,5), ratio float8, r4 float4,
        flag bool, label varchar(50), code char(3), note text, day date, ts timestamp, tstz timestamptz, doc jsonb);
      INSERT INTO ${SCHEMA}.typed VALUES
        (1, 9007199254740991, 7, 12.50, 12345678901234567890.12345, 0.25, 1.5, true, 'alpha', 'abc', 'note :not_a_param', '2026-01-02', '2026-01-02 03:04:05.678', '2026-01-02 03:04:05+02', '{"k":[1,2]}'),
        (2, -5, -7, -0.01, 0, -1e300, 0, false, 'beta', 'xyz', '', '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59+00', 'null'),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
      CREATE VIEW ${SCHEMA}.typed_view AS SELECT id, label FROM ${SCHEMA}.typed;
      CREATE TABLE ${SCHEMA}.events AS SELECT g AS id, 'grp-' || (g % 7) AS grp FROM generate_series(0, ${EVENTS - 1}) g;
      CREATE TABLE ${OTHER}.hidden (x int);`);
    double = await startRedshiftDataDouble({ pageSize: 1000 });
    connector = await createRedshiftConnector('warehouse', config(double.endpoint), {});
  });

  afterAll(async () => {
    await connector?.close();
    await double?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; DROP SCHEMA IF EXISTS ${OTHER} CASCADE`);
    await admin?.end();
  });

  const opsSince = (start: number) => double.calls.slice(start).map((c) => c.op);

  describe('browse', () => {
    it('lists schemas as prefixes (system schemas hidden), through ListSchemas', async () => {
      const start = double.calls.length;
      const page = await connector.list('', { ...call(), limit: 1000 });
      const paths = page.entries.map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining([`${SCHEMA}/`, `${OTHER}/`, 'public/']));
      expect(page.entries.every((e) => e.kind === 'prefix')).toBe(true);
      expect(paths.some((p) => p.startsWith('pg_') || p === 'information_schema/')).toBe(false);
      expect(opsSince(start)).toEqual(['ListSchemas']);
    });

    it('honours the schema allowlist and pages schemas with a cursor, each exactly once', async () => {
      const allowed = await createRedshiftConnector('narrow', config(double.endpoint, { schemas: [OTHER, SCHEMA, 'pg_catalog'] }), {});
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await allowed.list('', { ...call(), limit: 1, ...(cursor ? { cursor } : {}) });
        expect(page.entries.length).toBeLessThanOrEqual(1);
        seen.push(...page.entries.map((e) => e.path));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([`${SCHEMA}/`, `${OTHER}/`, 'pg_catalog/'].sort());
      const denied = await failureOf(allowed.list('public/', { ...call(), limit: 10 }));
      expect(denied.code).toBe('NOT_FOUND');
      await allowed.close();
    });

    it('lists tables and views of a schema, paged exactly, and refuses foreign cursors', async () => {
      const all = await connector.list(`${SCHEMA}/`, { ...call(), limit: 100 });
      expect(all.entries).toEqual([
        { name: 'events', path: `${SCHEMA}/events`, kind: 'table' },
        { name: 'typed', path: `${SCHEMA}/typed`, kind: 'table' },
        { name: 'typed_view', path: `${SCHEMA}/typed_view`, kind: 'table' },
      ]);
      const first = await connector.list(`${SCHEMA}/`, { ...call(), limit: 2 });
      expect(first.entries.map((e) => e.name)).toEqual(['events', 'typed']);
      const second = await connector.list(`${SCHEMA}/`, { ...call(), limit: 2, cursor: first.nextCursor! });
      expect(second.entries.map((e) => e.name)).toEqual(['typed_view']);
      expect(second.nextCursor).toBeUndefined();
      expect((await failureOf(connector.list(`${OTHER}/`, { ...call(), limit: 2, cursor: first.nextCursor! }))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(connector.list('', { ...call(), limit: 2, cursor: 'not-a-cursor' }))).code).toBe('INVALID_ARGUMENT');
    });

    it('refuses unsafe or malformed paths before calling upstream', async () => {
      const start = double.calls.length;
      for (const bad of ['../etc/', `${SCHEMA}//`, '/abs/', `${SCHEMA}/typed/extra`, `${SCHEMA}/typed/`, 'a\u0000b/']) {
        expect((await failureOf(connector.list(bad, { ...call(), limit: 10 }))).code, bad).toBe('INVALID_ARGUMENT');
      }
      expect((await failureOf(connector.list(`${SCHEMA}/typed`, { ...call(), limit: 10 }))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(connector.list('pg_catalog/', { ...call(), limit: 10 }))).code).toBe('NOT_FOUND');
      expect((await failureOf(connector.stat(`${SCHEMA}/typed`, call()))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(connector.open(`${SCHEMA}/typed`, call()))).code).toBe('INVALID_ARGUMENT');
      expect(double.calls.length).toBe(start);
    });

    it('describes a table through DescribeTable with readable types and nullability', async () => {
      const d = await connector.describeTable!(`${SCHEMA}/typed`, call());
      expect(d.path).toBe(`${SCHEMA}/typed`);
      expect(d.rowCountExact).toBe(false);
      expect(d.columns.map((c) => [c.name, c.type])).toEqual([
        ['id', 'int'], ['big', 'int64'], ['small', 'int'], ['price', 'decimal'], ['wide', 'decimal'], ['ratio', 'float'], ['r4', 'float'],
        ['flag', 'bool'], ['label', 'string'], ['code', 'string'], ['note', 'string'], ['day', 'date'], ['ts', 'timestamp'], ['tstz', 'timestamp'], ['doc', 'json'],
      ]);
      expect(d.columns[0]!.nullable).toBe(false);
      expect(d.columns[1]!.nullable).toBe(true);
      expect(double.calls.at(-1)).toMatchObject({ op: 'DescribeTable', input: { Schema: SCHEMA, Table: 'typed', Database: 'test', WorkgroupName: 'wg-test' } });
    });

    it('answers NOT_FOUND for a missing table and for a path outside the exposed schemas', async () => {
      expect((await failureOf(connector.describeTable!(`${SCHEMA}/nope`, call()))).code).toBe('NOT_FOUND');
      expect((await failureOf(connector.describeTable!('information_schema/tables', call()))).code).toBe('NOT_FOUND');
      expect((await failureOf(connector.describeTable!(`${SCHEMA}/`, call()))).code).toBe('INVALID_ARGUMENT');
    });
  });

  describe('query', () => {
    it('maps every column type from ColumnMetadata and records, nulls included', async () => {
      const result = await connector.query!(request(`SELECT * FROM ${SCHEMA}.typed ORDER BY id`), call());
      expect(result.complete).toBe(true);
      expect(result.totalRows).toBe(3);
      expect(result.upstream.statementId).toBe([...double.statements.keys()].at(-1));
      const rows = rowsOf(result.table);
      expect(rows[0]).toMatchObject({ id: 1, small: 7, price: 12.5, wide: '12345678901234567890.12345', ratio: 0.25, r4: 1.5, flag: true, label: 'alpha', code: 'abc', note: 'note :not_a_param' });
      expect(columnValues(result.table, 'big')).toEqual([9007199254740991n, -5n, null]);
      expect(columnValues(result.table, 'day')).toEqual([Date.UTC(2026, 0, 2), Date.UTC(1999, 11, 31), null]);
      expect(columnValues(result.table, 'ts')).toEqual([Date.UTC(2026, 0, 2, 3, 4, 5, 678), Date.UTC(1999, 11, 31, 23, 59, 59), null]);
      expect(columnValues(result.table, 'tstz')).toEqual([Date.UTC(2026, 0, 2, 1, 4, 5), Date.UTC(1999, 11, 31, 23, 59, 59), null]);
      expect(JSON.parse(columnValues(result.table, 'doc')[0] as string)).toEqual({ k: [1, 2] });
      expect(rows[1]).toMatchObject({ ratio: -1e300, flag: false, note: '' });
      expect(Object.values(rows[2]!).filter((v) => v !== null)).toEqual([3]);
    });

    it('sends named parameters as strings and leaves casts, literals and comments alone', async () => {
      const sql = `SELECT id, label, ':min'::text AS lit, :flag::bool AS f /* :nope */ FROM ${SCHEMA}.typed WHERE id >= :min AND label <> :skip -- :nope\n ORDER BY id`;
      const result = await connector.query!(request(sql, { params: { min: 1, skip: 'beta', flag: true } }), call());
      expect(rowsOf(result.table)).toEqual([{ id: 1, label: 'alpha', lit: ':min', f: true }]);
      const exec = double.calls.filter((c) => c.op === 'ExecuteStatement').at(-1)!;
      expect(exec.input).toMatchObject({ Sql: sql, Database: 'test', WorkgroupName: 'wg-test' });
      expect(exec.input.Parameters).toEqual([{ name: 'min', value: '1' }, { name: 'skip', value: 'beta' }, { name: 'flag', value: 'true' }]);
    });

    it('refuses null, empty and positional parameters before calling Redshift', async () => {
      const start = double.calls.length;
      for (const bad of [request('SELECT :a', { params: { a: null } }), request('SELECT :a', { params: { a: '' } }), request('SELECT $1', { positionalParams: [1] }), request('SELECT 1', { params: { 'a;drop': 1 } })]) {
        expect((await failureOf(connector.query!(bad, call()))).code).toBe('INVALID_ARGUMENT');
      }
      expect(double.calls.length).toBe(start);
    });

    it('reads every GetStatementResult page: a result larger than one page arrives whole', async () => {
      const start = double.calls.length;
      const result = await connector.query!(request(`SELECT id FROM ${SCHEMA}.events ORDER BY id`, { maxRows: EVENTS + 5 }), call());
      expect(result.complete).toBe(true);
      expect(result.more).toBeUndefined();
      expect(result.table.numRows).toBe(EVENTS);
      const ids = columnValues(result.table, 'id') as number[];
      expect(new Set(ids).size).toBe(EVENTS);
      expect(opsSince(start).filter((op) => op === 'GetStatementResult')).toHaveLength(EVENTS / 1000);
    });

    it('returns at most maxRows first, then more() streams the rest page by page, every row exactly once', async () => {
      double.options.pageSize = 700;
      try {
        const controller = new AbortController();
        const start = double.calls.length;
        const result = await connector.query!(request(`SELECT id, grp FROM ${SCHEMA}.events ORDER BY id`, { maxRows: 1000 }), call(controller.signal));
        expect(result.table.numRows).toBe(1000);
        expect(result.complete).toBe(false);
        expect(result.totalRows).toBe(EVENTS);
        // Two pages were needed for the first 1000 rows; nothing beyond them was fetched yet.
        expect(opsSince(start).filter((op) => op === 'GetStatementResult')).toHaveLength(2);
        // The call is over: its signal no longer matters to the handle's later pages.
        controller.abort();
        const seen = (columnValues(result.table, 'id') as number[]).slice();
        const sizes: number[] = [];
        for await (const page of result.more!()) {
          sizes.push(page.numRows);
          expect(page.schema.fields.map((f) => f.name)).toEqual(['id', 'grp']);
          seen.push(...(columnValues(page, 'id') as number[]));
        }
        expect(sizes[0]).toBe(400);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(700);
        expect(seen).toEqual(Array.from({ length: EVENTS }, (_, i) => i));
        expect(opsSince(start).filter((op) => op === 'GetStatementResult')).toHaveLength(Math.ceil(EVENTS / 700));
      } finally {
        double.options.pageSize = 1000;
      }
    });

    it('cuts a first page larger than maxRows and keeps the rest for more()', async () => {
      const result = await connector.query!(request(`SELECT id FROM ${SCHEMA}.events WHERE id < 1500 ORDER BY id`, { maxRows: 10 }), call());
      expect(columnValues(result.table, 'id')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const rest: number[] = [];
      for await (const page of result.more!()) rest.push(...(columnValues(page, 'id') as number[]));
      expect(rest).toEqual(Array.from({ length: 1490 }, (_, i) => i + 10));
    });

    it('answers an empty result with its columns and complete=true', async () => {
      const result = await connector.query!(request(`SELECT id, label FROM ${SCHEMA}.typed WHERE id < 0`), call());
      expect(result.table.numRows).toBe(0);
      expect(result.table.schema.fields.map((f) => f.name)).toEqual(['id', 'label']);
      expect(result.complete).toBe(true);
    });

    it('runs a dry run as EXPLAIN and returns the plan', async () => {
      const result = await connector.query!(request(`SELECT * FROM ${SCHEMA}.events WHERE id = :id`, { dryRun: true, params: { id: 5 } }), call());
      expect(double.calls.filter((c) => c.op === 'ExecuteStatement').at(-1)!.input.Sql).toBe(`EXPLAIN SELECT * FROM ${SCHEMA}.events WHERE id = :id`);
      expect(result.complete).toBe(true);
      expect(result.table.schema.fields.map((f) => f.name)).toEqual(['QUERY PLAN']);
      expect(String(columnValues(result.table, 'QUERY PLAN')[0])).toMatch(/Scan/);
      expect(result.upstream.statementId).toBeDefined();
    });

    it('turns a SQL error into INVALID_ARGUMENT with the engine message scrubbed', async () => {
      const error = await failureOf(connector.query!(request("SELECT 'AKIAIOSFODNN7EXAMPLE'::int"), call()));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(/invalid input syntax for type integer/);
      expect(error.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
      expect(error.detail).toMatchObject({ connector: 'warehouse' });
      expect((await failureOf(connector.query!(request('SELEC 1'), call()))).code).toBe('INVALID_ARGUMENT');
    });

    it('reports a missing table as NOT_FOUND', async () => {
      const error = await failureOf(connector.query!(request(`SELECT * FROM ${SCHEMA}.missing_table`), call()));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toContain('missing_table');
    });

    it('cancels a running statement: CANCELLED, CancelStatement sent, PostgreSQL backend cancelled', async () => {
      const controller = new AbortController();
      const pending = connector.query!(request('SELECT pg_sleep(30)'), call(controller.signal));
      let statement = undefined as ReturnType<typeof double.statements.get>;
      await until(() => {
        statement = [...double.statements.values()].find((s) => s.sql === 'SELECT pg_sleep(30)' && s.status === 'STARTED');
        return statement !== undefined;
      }, 'statement started');
      await until(async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`, [statement!.pid])).rowCount === 1, 'backend active');
      controller.abort();
      const error = await failureOf(pending);
      expect(error.code).toBe('CANCELLED');
      expect(double.calls.some((c) => c.op === 'CancelStatement' && c.input.Id === statement!.id)).toBe(true);
      await statement!.done;
      expect(statement!.backendCancelled).toBe(true);
      expect(statement!.status).toBe('ABORTED');
    });

    it('cancels a statement still queued upstream', async () => {
      double.options.startDelayMs = 60_000;
      try {
        const controller = new AbortController();
        const before = double.statements.size;
        const pending = connector.query!(request('SELECT 42'), call(controller.signal));
        await until(() => double.statements.size > before, 'statement submitted');
        controller.abort();
        expect((await failureOf(pending)).code).toBe('CANCELLED');
        const statement = [...double.statements.values()].at(-1)!;
        expect(statement.cancelRequested).toBe(true);
        expect(statement.pid).toBeUndefined();
      } finally {
        double.options.startDelayMs = 0;
      }
    });

    it('enforces the statement timeout client-side: TIMEOUT and CancelStatement', async () => {
      const capped = await createRedshiftConnector('capped', config(double.endpoint, { statement_timeout_ms: 300 }), {});
      try {
        const error = await failureOf(capped.query!(request('SELECT pg_sleep(20)', { timeoutMs: 60_000 }), call()));
        expect(error.code).toBe('TIMEOUT');
        const statement = [...double.statements.values()].at(-1)!;
        expect(double.calls.some((c) => c.op === 'CancelStatement' && c.input.Id === statement.id)).toBe(true);
        await statement.done;
        expect(statement.status).toBe('ABORTED');
      } finally {
        await capped.close();
      }
    });

    it('targets a provisioned cluster with ClusterIdentifier and DbUser', async () => {
      const cluster = await createRedshiftConnector('cluster', config(double.endpoint, { workgroup_name: undefined, cluster_identifier: 'rs-cluster', db_user: 'reader' }), {});
      try {
        const result = await cluster.query!(request('SELECT 1 AS one'), call());
        expect(rowsOf(result.table)).toEqual([{ one: 1 }]);
        const exec = double.calls.filter((c) => c.op === 'ExecuteStatement').at(-1)!.input;
        expect(exec).toMatchObject({ ClusterIdentifier: 'rs-cluster', DbUser: 'reader' });
        expect(exec.WorkgroupName).toBeUndefined();
      } finally {
        await cluster.close();
      }
      await expect(createRedshiftConnector('bad', config(double.endpoint, { workgroup_name: undefined, cluster_identifier: 'rs-cluster' }), {})).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
    });

    it('never shows credentials in errors, even when upstream echoes them', async () => {
      double.failNext('ExecuteStatement', 'AccessDeniedException', `User AKIDREDSHIFTTEST with secret ${SECRET} is not authorized`, 400);
      const denied = await failureOf(connector.query!(request('SELECT 1'), call()));
      expect(denied.code).toBe('UPSTREAM_ERROR');
      // Throttling is retried by the SDK (3 attempts): every attempt fails here.
      double.failNext('ListSchemas', 'ThrottlingException', `slow down ${SECRET}`, 400, 3);
      const busy = await failureOf(connector.list('', { ...call(), limit: 10 }));
      expect(busy.code).toBe('UNAVAILABLE');
      for (const e of [denied, busy]) {
        const shown = JSON.stringify({ message: e.message, hint: e.hint, detail: e.detail });
        expect(shown).not.toContain(SECRET);
      }
      expect(double.authorizations.length).toBeGreaterThan(0);
      expect(double.authorizations.some((a) => a.includes(SECRET))).toBe(false);
    });
  });
});
