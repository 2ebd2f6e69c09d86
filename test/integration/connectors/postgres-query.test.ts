import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresConnector } from '../../../src/connectors/postgres/index.js';
import type { CallOptions, QueryRequest } from '../../../src/connectors/types.js';
import { failureOf } from '../../helpers/connector-contract.js';
import { backendsRunning, createTestSchemas, pgConfig, type TestSchemas } from '../../helpers/postgres.js';

/**
 * Query behaviour against the machine's PostgreSQL: paging through a held cursor, engine-level
 * read-only transactions, the extended protocol's one-statement rule, statement timeouts,
 * server-side cancellation, dry runs, connection failures, and no pool leaks.
 */
const call = (signal = new AbortController().signal): CallOptions => ({ signal, credentials: { id: 'none' } });
const ROWS = 5_500;

describe('postgres connector: queries', () => {
  let db: TestSchemas;
  let s: string;
  let connector: PostgresConnector;
  /** Every statement carries this comment, so pg_stat_activity shows which backends are ours. */
  let marker: string;
  const request = (sql: string, extra: Partial<QueryRequest> = {}): QueryRequest => ({
    sql: `/* ${marker} */ ${sql}`, params: {}, maxRows: 1000, dryRun: false, readOnly: true, timeoutMs: 10_000, ...extra,
  });

  beforeAll(async () => {
    db = await createTestSchemas();
    s = db.schema();
    marker = `mark_${db.token}`;
    await db.admin.query(`
      CREATE TABLE "${s}".events (id int4 PRIMARY KEY, label text);
      INSERT INTO "${s}".events SELECT g, 'row ' || g FROM generate_series(1, ${ROWS}) g;
      CREATE TABLE "${s}".sink (x int);
    `);
    connector = new PostgresConnector('pg', pgConfig({ pool_max: 3 }), { cursorIdleMs: 300 });
  });

  afterAll(async () => {
    await connector.close();
    await db.drop();
  });

  async function idsOf(tables: AsyncIterable<Table>): Promise<number[]> {
    const ids: number[] = [];
    for await (const t of tables) ids.push(...(t.getChild('id')!.toArray() as Int32Array));
    return ids;
  }

  async function sinkCount(): Promise<number> {
    const { rows } = await db.admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${s}".sink`);
    return rows[0]!.n;
  }

  it('returns maxRows rows first, then more() reads every remaining row exactly once', async () => {
    const result = await connector.query(request(`SELECT id, label FROM "${s}".events ORDER BY id`, { maxRows: 100 }), call());
    expect(result.complete).toBe(false);
    expect(result.table.numRows).toBe(100);
    expect(result.upstream.backendPid).toMatch(/^\d+$/);
    const first = [...(result.table.getChild('id')!.toArray() as Int32Array)];
    const rest = await idsOf(result.more!());
    const all = [...first, ...rest];
    expect(all).toHaveLength(ROWS);
    expect(all).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect((await connector.poolStats())?.heldResults).toBe(0);
  });

  it('a result that fits is complete, with no more()', async () => {
    const exact = await connector.query(request(`SELECT id FROM "${s}".events WHERE id <= 50`, { maxRows: 50 }), call());
    expect(exact.complete).toBe(true);
    expect(exact.more).toBeUndefined();
    expect(exact.table.numRows).toBe(50);
    const empty = await connector.query(request(`SELECT id FROM "${s}".events WHERE id < 0`), call());
    expect(empty.complete).toBe(true);
    expect(empty.table.numRows).toBe(0);
    expect(empty.table.schema.fields.map((f) => f.name)).toEqual(['id']);
  });

  it('one row beyond maxRows: more() yields exactly that row', async () => {
    const result = await connector.query(request(`SELECT id FROM "${s}".events WHERE id <= 11 ORDER BY id`, { maxRows: 10 }), call());
    expect(result.complete).toBe(false);
    expect(await idsOf(result.more!())).toEqual([11]);
  });

  it('more() can be read only once', async () => {
    const result = await connector.query(request(`SELECT id FROM "${s}".events ORDER BY id`, { maxRows: 10 }), call());
    await idsOf(result.more!());
    expect((await failureOf(idsOf(result.more!()))).code).toBe('INVALID_ARGUMENT');
  });

  it('read-only is enforced by the engine: an INSERT sent with readOnly fails and writes nothing', async () => {
    const e = await failureOf(connector.query(request(`INSERT INTO "${s}".sink VALUES (1)`), call()));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/read-only transaction/);
    const viaCte = await failureOf(connector.query(request(`WITH w AS (INSERT INTO "${s}".sink VALUES (2) RETURNING x) SELECT * FROM w`), call()));
    expect(viaCte.message).toMatch(/read-only transaction/);
    expect(await sinkCount()).toBe(0);
  });

  it('with writes granted the statement commits', async () => {
    const result = await connector.query(request(`INSERT INTO "${s}".sink VALUES (7), (8) RETURNING x`, { readOnly: false }), call());
    expect(result.table.getChild('x')?.toArray()).toEqual(Int32Array.from([7, 8]));
    expect(await sinkCount()).toBe(2);
    await db.admin.query(`DELETE FROM "${s}".sink`);
  });

  it('the extended protocol refuses a second statement, even with writes granted', async () => {
    const e = await failureOf(connector.query(request(`SELECT 1; DELETE FROM "${s}".events`, { readOnly: false }), call()));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/multiple commands/);
    expect(e.hint).toMatch(/one SQL statement/);
    const { rows } = await db.admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${s}".events`);
    expect(rows[0]!.n).toBe(ROWS);
  });

  it('a statement over its time limit is TIMEOUT (the lower of the request and the connector ceiling)', async () => {
    const byRequest = await failureOf(connector.query(request('SELECT pg_sleep(5)', { timeoutMs: 150 }), call()));
    expect(byRequest.code).toBe('TIMEOUT');
    expect(byRequest.message).toMatch(/150 ms/);
    const capped = new PostgresConnector('pg', pgConfig({ statement_timeout_ms: 200 }));
    try {
      const byConfig = await failureOf(capped.query(request('SELECT pg_sleep(5)', { timeoutMs: 60_000 }), call()));
      expect(byConfig.code).toBe('TIMEOUT');
      expect(byConfig.message).toMatch(/200 ms/);
    } finally {
      await capped.close();
    }
  });

  it('an abort cancels the statement server-side and reports CANCELLED', async () => {
    const controller = new AbortController();
    const sleeper = `SELECT pg_sleep(10) AS cancelled_${db.token}`;
    const pending = connector.query(request(sleeper, { timeoutMs: 60_000 }), call(controller.signal));
    await vi.waitFor(async () => expect(await backendsRunning(db.admin, `cancelled_${db.token}`, 'active')).toBe(1), { timeout: 5_000, interval: 20 });
    setTimeout(() => controller.abort(), 200);
    const e = await failureOf(pending);
    expect(e.code).toBe('CANCELLED');
    // By the time CANCELLED is returned the backend no longer runs the statement.
    expect(await backendsRunning(db.admin, `cancelled_${db.token}`, 'active')).toBe(0);
    // And the pool is healthy.
    expect((await connector.query(request('SELECT 1 AS ok'), call())).table.getChild('ok')?.get(0)).toBe(1);
  });

  it('an abort by timeout signal reports TIMEOUT; an already-aborted signal never reaches the server', async () => {
    const e = await failureOf(connector.query(request(`SELECT pg_sleep(10) AS timed_${db.token}`, { timeoutMs: 60_000 }), call(AbortSignal.timeout(200))));
    expect(e.code).toBe('TIMEOUT');
    expect(await backendsRunning(db.admin, `timed_${db.token}`, 'active')).toBe(0);
    const controller = new AbortController();
    controller.abort();
    expect((await failureOf(connector.query(request('SELECT 1'), call(controller.signal)))).code).toBe('CANCELLED');
  });

  it('dry run: EXPLAIN estimates rows and cost, returns no rows and executes nothing', async () => {
    const result = await connector.query(request(`SELECT * FROM "${s}".events WHERE id > $1`, { dryRun: true, positionalParams: [10] }), call());
    expect(result.table.numRows).toBe(0);
    expect(result.complete).toBe(true);
    expect(result.estimate?.estimatedRows).toBeGreaterThan(0);
    expect(result.estimate?.planCost).toBeGreaterThan(0);
    const write = await connector.query(request(`INSERT INTO "${s}".sink VALUES (1)`, { dryRun: true, readOnly: false }), call());
    // An INSERT without RETURNING returns no rows; the plan still has a cost.
    expect(write.estimate?.estimatedRows).toBe(0);
    expect(write.estimate?.planCost).toBeGreaterThan(0);
    expect(await sinkCount()).toBe(0);
    expect((await failureOf(connector.query(request('SELECT 1; SELECT 2', { dryRun: true }), call()))).message).toMatch(/multiple commands/);
  });

  it('an unreachable server is UNAVAILABLE; an unknown role or database is UPSTREAM_ERROR; no password shows', async () => {
    const password = 'Zq9-very-secret-password';
    const cases: Array<[Partial<Parameters<typeof pgConfig>[0]>, string]> = [
      [{ port: 1, password }, 'UNAVAILABLE'],
      [{ user: `nobody_${db.token}`, password }, 'UPSTREAM_ERROR'],
      [{ database: `nodb_${db.token}`, password }, 'UPSTREAM_ERROR'],
    ];
    for (const [overrides, code] of cases) {
      const broken = new PostgresConnector('pg', pgConfig(overrides));
      try {
        for (const attempt of [() => broken.query(request('SELECT 1'), call()), () => broken.list('', { ...call(), limit: 5 })]) {
          const e = await failureOf(attempt());
          expect(e.code).toBe(code);
          expect(`${e.message} ${e.hint} ${JSON.stringify(e.detail)}`).not.toContain(password);
        }
      } finally {
        await broken.close();
      }
    }
  });

  it('no pool leak: 50 queries, errors, and abandoned paged results leave the pool within pool_max and idle', async () => {
    const big = `SELECT id FROM "${s}".events ORDER BY id`;
    for (let i = 0; i < 50; i++) {
      const kind = i % 5;
      if (kind === 0) await connector.query(request('SELECT 1'), call());
      else if (kind === 1) await failureOf(connector.query(request('SELECT nope'), call()));
      else if (kind === 2) {
        // Reader stops after the first further page.
        const r = await connector.query(request(big, { maxRows: 10 }), call());
        for await (const page of r.more!()) {
          expect(page.numRows).toBeGreaterThan(0);
          break;
        }
      } else if (kind === 3) {
        // more() is never called: released by the idle timer.
        await connector.query(request(big, { maxRows: 10 }), call());
      } else {
        // The iterator is taken, read once, then dropped without return().
        const r = await connector.query(request(big, { maxRows: 10 }), call());
        await r.more!()[Symbol.asyncIterator]().next();
      }
    }
    await vi.waitFor(async () => expect((await connector.poolStats())?.heldResults).toBe(0), { timeout: 10_000, interval: 50 });
    const stats = (await connector.poolStats())!;
    expect(stats.total).toBeLessThanOrEqual(3);
    expect(stats.waiting).toBe(0);
    expect(stats.idle).toBe(stats.total);
    expect(await backendsRunning(db.admin, marker, 'idle in transaction')).toBe(0);
    expect(await backendsRunning(db.admin, marker, 'active')).toBe(0);
  });

  it('a paged result left unread past the idle limit is released, and reading it then is TIMEOUT', async () => {
    const r = await connector.query(request(`SELECT id FROM "${s}".events ORDER BY id`, { maxRows: 10 }), call());
    await vi.waitFor(async () => expect((await connector.poolStats())?.heldResults).toBe(0), { timeout: 10_000, interval: 50 });
    const e = await failureOf(idsOf(r.more!()));
    expect(e.code).toBe('TIMEOUT');
    expect(e.hint).toMatch(/again/);
  });

  it('when unread paged results hold every pooled connection, a new call is UNAVAILABLE until one is read', async () => {
    const single = new PostgresConnector('pg', pgConfig({ pool_max: 1 }), { cursorIdleMs: 60_000, connectTimeoutMs: 300 });
    try {
      const held = await single.query(request(`SELECT id FROM "${s}".events ORDER BY id`, { maxRows: 10 }), call());
      const busy = await failureOf(single.query(request('SELECT 1'), call()));
      expect(busy.code).toBe('UNAVAILABLE');
      expect(busy.message).toMatch(/all 1 database connections .* busy/);
      expect((await idsOf(held.more!())).length).toBe(ROWS - 10);
      expect((await single.query(request('SELECT 1 AS one'), call())).table.getChild('one')?.get(0)).toBe(1);
    } finally {
      await single.close();
    }
  });

  it('close() releases held results and ends the pool', async () => {
    const own = new PostgresConnector('pg', pgConfig(), { cursorIdleMs: 60_000 });
    await own.query(request(`SELECT id FROM "${s}".events ORDER BY id`, { maxRows: 10 }), call());
    expect((await own.poolStats())?.heldResults).toBe(1);
    await own.close();
    expect(await own.poolStats()).toBeUndefined();
    expect(await backendsRunning(db.admin, marker, 'idle in transaction')).toBe(0);
  });
});
