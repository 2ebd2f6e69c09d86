import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedshiftDataDouble, type RedshiftDataDouble } from '../../helpers/fakes/redshift-data-double.js';
import { errorCode, startHarness, type Harness } from '../../helpers/harness.js';

const SCHEMA = `q_rs_${randomBytes(4).toString('hex')}`;
const ROWS = 3_000;

interface QueryOut {
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  handle?: string;
  complete: boolean;
  cache?: string;
  tables: string[];
  statementKind: string;
  upstream: Record<string, string>;
}

describe('query tool on redshift (Data API double over PostgreSQL)', () => {
  let admin: pg.Client;
  let double: RedshiftDataDouble;
  let h: Harness;

  beforeAll(async () => {
    admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${SCHEMA};
      CREATE TABLE ${SCHEMA}.orders AS SELECT g AS id, CASE WHEN g % 2 = 0 THEN 'north' ELSE 'south' END AS region, (g * 1.5)::float8 AS amount FROM generate_series(1, ${ROWS}) g;
      CREATE TABLE ${SCHEMA}.salaries (who text, pay int);`);
    double = await startRedshiftDataDouble({ pageSize: 500 });
    h = await startHarness({
      config: {
        server: { env: 'dev', toolsets: ['catalog', 'data'] },
        auth: { mode: 'none', default_service_account: 'analyst', service_accounts: [{ id: 'analyst', roles: ['reader'] }] },
        connectors: {
          warehouse: {
            kind: 'redshift',
            database: 'test',
            workgroup_name: 'wg',
            endpoint: double.endpoint,
            poll_interval_ms: 20,
            credentials: { access_key_id: 'AKIDQUERYTEST', secret_access_key: 'query-test-secret-value' },
            annotations: { [`${SCHEMA}/salaries`]: { classification: 'restricted' } },
          },
        },
      },
    });
  });

  afterAll(async () => {
    await h?.close();
    await double?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin?.end();
  });

  it('runs a parameterized read, reports the tables it touched and the statement id', async () => {
    const result = await h.call('query', { connector: 'warehouse', sql: `SELECT id, amount FROM ${SCHEMA}.orders WHERE region = :region AND id <= :top ORDER BY id`, params: { region: 'north', top: 10 } });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as unknown as QueryOut;
    expect(out.rows).toEqual([2, 4, 6, 8, 10].map((id) => [id, id * 1.5]));
    expect(out.tables).toEqual([`${SCHEMA}/orders`]);
    expect(out.statementKind).toBe('select');
    expect(out.upstream.statementId).toMatch(/.+/);
    const audit = readFileSync(h.auditPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; tool?: string; outcome?: { upstream?: Record<string, string> } });
    const record = audit.filter((r) => r.type === 'call' && r.tool === 'query').at(-1);
    expect(record?.outcome?.upstream?.statementId).toBe(out.upstream.statementId);
  });

  it('keeps the rest of a large result in the warehouse and pages it through the handle', async () => {
    const result = await h.call('query', { connector: 'warehouse', sql: `SELECT id FROM ${SCHEMA}.orders ORDER BY id`, limit: 100 });
    const out = result.structuredContent as unknown as QueryOut;
    expect(out.complete).toBe(false);
    expect(out.truncated).toBe(true);
    expect(out.handle).toMatch(/^result:\/\//);
    const page = await h.client.readResource({ uri: `${out.handle}?offset=2500&limit=5` });
    const body = JSON.parse((page.contents[0] as { text: string }).text) as { rows: number[][]; nextOffset?: number };
    expect(body.rows).toEqual([[2501], [2502], [2503], [2504], [2505]]);
    expect(body.nextOffset).toBe(2505);
    const last = await h.client.readResource({ uri: `${out.handle}?offset=${ROWS - 2}&limit=10` });
    const tail = JSON.parse((last.contents[0] as { text: string }).text) as { rows: number[][]; nextOffset?: number };
    expect(tail.rows).toEqual([[ROWS - 1], [ROWS]]);
    expect(tail.nextOffset).toBeUndefined();
    // A partial (live) result is never served from the cache: the repeat runs again.
    const again = await h.call('query', { connector: 'warehouse', sql: `SELECT id FROM ${SCHEMA}.orders ORDER BY id`, limit: 100 });
    expect((again.structuredContent as unknown as QueryOut).cache).not.toBe('hit');
  });

  it('serves a complete repeat from the cache', async () => {
    const args = { connector: 'warehouse', sql: `SELECT count(*) AS n FROM ${SCHEMA}.orders` };
    const first = await h.call('query', args);
    const second = await h.call('query', args);
    expect((first.structuredContent as unknown as QueryOut).rows).toEqual([[ROWS]]);
    expect((second.structuredContent as unknown as QueryOut).cache).toBe('hit');
  });

  it.each([
    ['stacked statements', `SELECT 1; DROP TABLE ${SCHEMA}.orders`, 'INVALID_ARGUMENT'],
    ['a write on a read-only server', `DELETE FROM ${SCHEMA}.orders`, 'POLICY_DENIED'],
    ['restricted data for a reader', `SELECT * FROM ${SCHEMA}.salaries`, 'POLICY_DENIED'],
    ['restricted data hidden in a CTE', `WITH s AS (SELECT * FROM ${SCHEMA}.salaries) SELECT count(*) FROM s`, 'POLICY_DENIED'],
    ['unparseable SQL', 'SELEC id FROM x', 'INVALID_ARGUMENT'],
    ['a dangerous function', "SELECT pg_read_file('/etc/passwd')", 'INVALID_ARGUMENT'],
  ])('refuses %s before anything reaches the warehouse', async (_name, sql, code) => {
    const before = double.calls.filter((c) => c.op === 'ExecuteStatement').length;
    const result = await h.call('query', { connector: 'warehouse', sql });
    expect(errorCode(result)).toBe(code);
    expect(double.calls.filter((c) => c.op === 'ExecuteStatement').length).toBe(before);
  });

  it('requires every named parameter and refuses unused ones', async () => {
    const sql = `SELECT id FROM ${SCHEMA}.orders WHERE region = :region`;
    expect(errorCode(await h.call('query', { connector: 'warehouse', sql }))).toBe('INVALID_ARGUMENT');
    expect(errorCode(await h.call('query', { connector: 'warehouse', sql, params: { region: 'north', extra: 1 } }))).toBe('INVALID_ARGUMENT');
  });

  it('describes a table and browses schemas through the same gate', async () => {
    const described = await h.call('describe', { connector: 'warehouse', path: `${SCHEMA}/orders` });
    expect(described.isError).toBeFalsy();
    expect((described.structuredContent as { columns: Array<{ name: string }> }).columns.map((c) => c.name)).toEqual(['id', 'region', 'amount']);
    const browsed = await h.call('browse', { connector: 'warehouse', path: `${SCHEMA}/` });
    expect((browsed.structuredContent as { entries: Array<{ path: string; kind: string }> }).entries.map((e) => [e.path, e.kind])).toEqual([
      [`${SCHEMA}/orders`, 'table'],
      [`${SCHEMA}/salaries`, 'table'],
    ]);
  });
});
