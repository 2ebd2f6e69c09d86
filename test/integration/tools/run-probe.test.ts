import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { createTestSchemas, pgConfig, type TestSchemas } from '../../helpers/postgres.js';
import { auditFor, errorOf, ok } from './support.js';
import { token, TOKEN_ENV, tokenAuth } from './tokens.js';

/**
 * run_probe end to end through the real MCP client and the whole gate: CSV objects matched by a
 * glob in a `local` connector joined with a PostgreSQL table, aggregated, sorted, delivered,
 * cached and saved into sessions.
 */
const ACCOUNTS = [
  { id: 'analyst', roles: ['reader'] },
  { id: 'other', roles: ['reader'] },
  { id: 'writer', roles: ['reader', 'writer'] },
];

let base: string;
let lake: string;
let out: string;
let db: TestSchemas;
let h: Harness;
const as = async (sa: string) => ({ 'data-mcp/token': await token(sa) });

interface ProbeOut {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  rowCount: number;
  cache?: string;
  cacheAgeMs?: number;
  sources: Array<{ name: string; label: string; rows: number; complete: boolean }>;
  steps: Array<{ step: number; op: string; rows: number }>;
  destination?: { uri: string; format: string; rows: number; bytes: number; alreadyExisted: boolean };
}

function orders(day: string, rows: Array<[number, number, number]>): void {
  writeFileSync(join(lake, `orders/2026-09-${day}.csv`), `order_id,customer_id,amount\n${rows.map((r) => r.join(',')).join('\n')}\n`);
}

const JOIN_PROBE = {
  sources: {
    orders: { connector: 'lake', path: 'orders/*.csv' },
    customers: { connector: 'db', sql: '' },
  },
  steps: [
    { op: 'join', right: 'customers', on: [{ left: 'customer_id', right: 'id' }] },
    { op: 'aggregate', by: ['segment'], metrics: [{ fn: 'sum', column: 'amount', as: 'revenue' }, { fn: 'count', as: 'orders' }] },
    { op: 'sort', by: [{ column: 'revenue', order: 'desc' }] },
  ],
};

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-probe-'));
  lake = join(base, 'lake');
  out = join(base, 'out');
  mkdirSync(join(lake, 'orders'), { recursive: true });
  mkdirSync(join(lake, 'secret'), { recursive: true });
  mkdirSync(out);
  orders('01', [[1, 1, 10], [2, 2, 20], [3, 3, 5]]);
  orders('02', [[4, 1, 7], [5, 3, 1], [6, 9, 100]]); // customer 9 has no match
  writeFileSync(join(lake, 'secret/pay.csv'), 'who,pay\nada,1\n');
  db = await createTestSchemas();
  const s = db.schema();
  await db.admin.query(`CREATE TABLE "${s}".customers (id int, segment text); INSERT INTO "${s}".customers VALUES (1, 'retail'), (2, 'enterprise'), (3, 'retail');`);
  JOIN_PROBE.sources.customers.sql = `SELECT id, segment FROM "${s}".customers`;
  h = await startHarness({
    env: TOKEN_ENV,
    config: {
      server: { env: 'dev', toolsets: ['catalog', 'data', 'probe'], read_only: false, limits: { max_rows: 1000 } },
      auth: tokenAuth(ACCOUNTS, true),
      connectors: {
        lake: { kind: 'local', root: lake, annotations: { 'secret/': { classification: 'restricted' } } },
        out: { kind: 'local', root: out },
        db: pgConfig({ schemas: [s] }),
      },
    },
  });
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
  rmSync(base, { recursive: true, force: true });
});

describe('run_probe', () => {
  it('joins a glob of CSV objects with a PostgreSQL table, aggregates and sorts', async () => {
    const result = ok(await h.call('run_probe', JOIN_PROBE, await as('analyst'))) as unknown as ProbeOut;
    expect(result.columns.map((c) => c.name)).toEqual(['segment', 'revenue', 'orders']);
    // retail: 10 + 5 + 7 + 1 = 23 over 4 orders; enterprise: 20 over 1; customer 9 drops out (inner join).
    expect(result.rows).toEqual([
      ['retail', 23, 4],
      ['enterprise', 20, 1],
    ]);
    expect(result.sources).toEqual([
      expect.objectContaining({ name: 'orders', rows: 6, complete: true }),
      expect.objectContaining({ name: 'customers', rows: 3, complete: true }),
    ]);
    expect(result.steps.map((s) => [s.op, s.rows])).toEqual([['join', 5], ['aggregate', 2], ['sort', 2]]);
  });

  it('answers an identical probe from the cache, still authorized and audited with lineage', async () => {
    const meta = await as('analyst');
    const first = await h.call('run_probe', { ...JOIN_PROBE, cache_ttl_seconds: 300, steps: [...JOIN_PROBE.steps, { op: 'limit', rows: 1 }] }, meta);
    const second = await h.call('run_probe', { ...JOIN_PROBE, cache_ttl_seconds: 300, steps: [...JOIN_PROBE.steps, { op: 'limit', rows: 1 }] }, meta);
    expect((ok(first) as unknown as ProbeOut).cache).toBe('miss');
    const hit = ok(second) as unknown as ProbeOut;
    expect(hit.cache).toBe('hit');
    expect(hit.cacheAgeMs).toBeGreaterThanOrEqual(0);
    expect(hit.rows).toEqual([['retail', 23, 4]]);
    const records = readFileSync(h.auditPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const probes = records.filter((r) => r.tool === 'run_probe');
    const last = probes[probes.length - 1] as { outcome: { cache: string; lineage: { sources: string[]; steps: string[] } }; requests: Array<{ action: string; allowed: boolean }> };
    expect(last.outcome.cache).toBe('hit');
    expect(last.outcome.lineage.steps).toEqual(['join', 'aggregate', 'sort', 'limit']);
    expect(last.outcome.lineage.sources[0]).toBe('lake/orders/*.csv');
    expect(last.requests.some((r) => r.action === 'query' && r.allowed)).toBe(true);
  });

  it('a changed object changes the key: the next probe is a miss with the new data', async () => {
    const meta = await as('analyst');
    const probe = { ...JOIN_PROBE, cache_ttl_seconds: 300 };
    ok(await h.call('run_probe', probe, meta));
    expect((ok(await h.call('run_probe', probe, meta)) as unknown as ProbeOut).cache).toBe('hit');
    orders('03', [[7, 2, 1000]]);
    const fresh = ok(await h.call('run_probe', probe, meta)) as unknown as ProbeOut;
    expect(fresh.cache).toBe('miss');
    expect(fresh.rows[0]).toEqual(['enterprise', 1020, 2]);
    rmSync(join(lake, 'orders/2026-09-03.csv'));
  });

  it('two principals never share a cached probe', async () => {
    const probe = { ...JOIN_PROBE, cache_ttl_seconds: 300, steps: [{ op: 'limit', rows: 2 }] };
    ok(await h.call('run_probe', probe, await as('analyst')));
    expect((ok(await h.call('run_probe', probe, await as('analyst'))) as unknown as ProbeOut).cache).toBe('hit');
    expect((ok(await h.call('run_probe', probe, await as('other'))) as unknown as ProbeOut).cache).toBe('miss');
  });

  it('fails the plan with the step named: unknown op, unknown dataset, unknown column, bad type', async () => {
    const meta = await as('analyst');
    const cases: Array<[unknown[], RegExp]> = [
      [[{ op: 'explode' }], /Step 1: unknown op "explode"/],
      [[{ op: 'join', right: 'nope', on: ['id'] }], /Step 1 \(join\): no dataset named "nope"/],
      [[{ op: 'select', columns: ['amount'] }, { op: 'aggregate', by: ['region'], metrics: [{ fn: 'count' }] }], /Step 2 \(aggregate\).*region/],
      [[{ op: 'aggregate', metrics: [{ fn: 'sum', column: 'missing' }] }], /Step 1 \(aggregate\).*missing/],
      [[{ op: 'derive', columns: { x: 'amount +* 2' } }], /Step 1 \(derive\)/],
      [[{ op: 'limit', rows: -1 }], /Step 1 \(limit\)/],
    ];
    for (const [steps, message] of cases) {
      const error = errorOf(await h.call('run_probe', { sources: { orders: { connector: 'lake', path: 'orders/*.csv' } }, steps }, meta));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(message);
      expect(error.hint.length).toBeGreaterThan(5);
    }
    // Static errors are found before any resource is even authorized (so nothing was fetched).
    const refused = await h.call('run_probe', { sources: { orders: { connector: 'lake', path: 'orders/*.csv' } }, steps: [{ op: 'explode' }] }, meta);
    const eventId = errorOf(refused).eventId;
    expect(auditFor(h.auditPath, eventId).requests).toEqual([]);
  });

  it('denies a source the policy does not grant, and a destination without deliver', async () => {
    const denied = errorOf(await h.call('run_probe', { sources: { pay: { connector: 'lake', path: 'secret/pay.csv' } } }, await as('analyst')));
    expect(denied.code).toBe('POLICY_DENIED');
    const noDeliver = errorOf(await h.call('run_probe', { sources: { orders: { connector: 'lake', path: 'orders/*.csv' } }, destination: { connector: 'out', path: 'x.csv' } }, await as('analyst')));
    expect(noDeliver.code).toBe('POLICY_DENIED');
    expect(existsSync(join(out, 'x.csv'))).toBe(false);
  });

  it('delivers create-only with bytes, rows and a retry that writes nothing; never overwrites', async () => {
    const meta = await as('writer');
    const probe = { ...JOIN_PROBE, destination: { connector: 'out', path: 'reports/revenue.arrow' } };
    const first = ok(await h.call('run_probe', probe, meta)) as unknown as ProbeOut;
    expect(first.destination).toMatchObject({ uri: 'out/reports/revenue.arrow', format: 'arrow', rows: 2, alreadyExisted: false });
    const written = tableFromIPC(readFileSync(join(out, 'reports/revenue.arrow')));
    expect(written.numRows).toBe(2);
    expect(written.getChild('segment')!.get(0)).toBe('retail');
    expect(first.destination!.bytes).toBe(readFileSync(join(out, 'reports/revenue.arrow')).byteLength);
    const retry = ok(await h.call('run_probe', probe, meta)) as unknown as ProbeOut;
    expect(retry.destination?.alreadyExisted).toBe(true);
    const other = errorOf(await h.call('run_probe', { ...probe, steps: [{ op: 'limit', rows: 1 }] }, meta));
    expect(other.code).toBe('INVALID_ARGUMENT');
    expect(tableFromIPC(readFileSync(join(out, 'reports/revenue.arrow'))).numRows).toBe(2);
    const overwrite = errorOf(await h.call('run_probe', { ...probe, destination: { ...probe.destination, overwrite: true } }, meta));
    expect(overwrite.code).toBe('POLICY_DENIED');
    // A refused delivery is audited durably as a failure.
    const audit = auditFor(h.auditPath, other.eventId);
    expect(audit.outcome.status).not.toBe('ok');
  });

  it('refuses to truncate a source silently, and stops a join that would explode', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => `${i},1,1`).join('\n');
    writeFileSync(join(lake, 'orders-big.csv'), `order_id,customer_id,amount\n${many}\n`);
    const meta = await as('analyst');
    const big = errorOf(await h.call('run_probe', { sources: { big: { connector: 'lake', path: 'orders-big.csv' } } }, meta));
    expect(big.code).toBe('LIMIT_EXCEEDED');
    expect(big.message).toMatch(/source "big"/);
    const limited = ok(await h.call('run_probe', { sources: { big: { connector: 'lake', path: 'orders-big.csv', limit: 100 } }, steps: [{ op: 'aggregate', metrics: [{ fn: 'count', as: 'n' }] }] }, meta)) as unknown as ProbeOut;
    expect(limited.rows).toEqual([[100]]);
    expect(limited.sources[0]!.complete).toBe(false);
    const explode = errorOf(
      await h.call('run_probe', { sources: { a: { connector: 'lake', path: 'orders-big.csv', limit: 100 }, b: { connector: 'lake', path: 'orders-big.csv', limit: 100 } }, steps: [{ op: 'join', right: 'b', on: ['customer_id'] }] }, meta),
    );
    expect(explode.code).toBe('LIMIT_EXCEEDED');
    expect(explode.message).toMatch(/Step 1 \(join\)/);
    rmSync(join(lake, 'orders-big.csv'));
  });

  it('sends monotonic progress per stage, on one scale (a glob source does not jump it ahead with object counts)', async () => {
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await h.client.callTool({ name: 'run_probe', arguments: { ...JOIN_PROBE, cache_ttl_seconds: 0 }, _meta: await as('analyst') }, undefined, { onprogress: (p) => seen.push(p) });
    expect(result.isError).toBeFalsy();
    const progress = seen.map((p) => p.progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    // 2 sources + 3 steps + locate/deliver: every stage is reported, and the last one is "done".
    const total = 2 + JOIN_PROBE.steps.length + 2;
    expect(new Set(seen.map((p) => p.total))).toEqual(new Set([total]));
    expect(seen.map((p) => p.message)).toEqual(expect.arrayContaining(['step 1 of 3: join', 'step 2 of 3: aggregate', 'step 3 of 3: sort']));
    expect(seen.at(-1)).toMatchObject({ progress: total, message: 'done' });
  });
});

describe('run_probe cancellation', () => {
  it('a cancelled probe stops its warehouse fetch and is audited as cancelled', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const slow = { sources: { n: { connector: 'db', sql: 'SELECT count(*) AS n FROM generate_series(1, 300000000) g' } }, cache_ttl_seconds: 0 };
    const pending = h.client.callTool({ name: 'run_probe', arguments: slow, _meta: await as('analyst') }, undefined, { signal: controller.signal, onprogress: (p) => seen.push(p.message ?? '') });
    pending.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200)); // the statement is running in PostgreSQL now
    controller.abort();
    await expect(pending).rejects.toThrow();
    const cancelledRecorded = () => readFileSync(h.auditPath, 'utf8').split('\n').some((line) => line.includes('"tool":"run_probe"') && line.includes('"status":"cancelled"'));
    while (!cancelledRecorded() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(cancelledRecorded()).toBe(true);
    // PostgreSQL stops running it (the protocol-level cancel lands asynchronously: poll).
    const running = async () => (await db.admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%generate_series(1, 300000000)%' AND pid <> pg_backend_pid()")).rows[0]!.n;
    const stopBy = Date.now() + 5_000;
    while ((await running()) > 0 && Date.now() < stopBy) await new Promise((r) => setTimeout(r, 25));
    expect(await running()).toBe(0);
  });
});

describe('sessions', () => {
  it('saves a probe result into a session, reuses it as a source, and keeps it from others', async () => {
    const meta = await as('analyst');
    const created = ok(await h.call('session_create', { label: 'revenue work' }, meta)) as { session: { id: string } };
    const id = created.session.id;
    ok(await h.call('run_probe', { ...JOIN_PROBE, save_as: { session: id, dataset: 'revenue' } }, meta));
    ok(await h.call('session_put', { session: id, key: 'note', value: { checked: true } }, meta));
    const listed = ok(await h.call('session_list', {}, meta)) as { sessions: Array<{ id: string; values: string[]; datasets: Array<{ name: string; rows: number }> }> };
    expect(listed.sessions.find((s) => s.id === id)).toMatchObject({ values: ['note'], datasets: [{ name: 'revenue', rows: 2 }] });
    const reused = ok(await h.call('run_probe', { sources: { r: { session: id, dataset: 'revenue' } }, steps: [{ op: 'filter', where: { column: 'segment', op: 'eq', value: 'retail' } }] }, meta)) as unknown as ProbeOut;
    expect(reused.rows).toEqual([['retail', 23, 4]]);
    const got = ok(await h.call('session_get', { session: id, dataset: 'revenue' }, meta)) as { rows: unknown[][] };
    expect(got.rows).toHaveLength(2);
    expect((ok(await h.call('session_get', { session: id, key: 'note' }, meta)) as { value: unknown }).value).toEqual({ checked: true });

    const other = await as('other');
    for (const [tool, args] of [
      ['session_get', { session: id, key: 'note' }],
      ['session_put', { session: id, key: 'x', value: 1 }],
      ['session_close', { session: id }],
      ['run_probe', { sources: { r: { session: id, dataset: 'revenue' } } }],
    ] as const) {
      expect(errorOf(await h.call(tool, args, other)).code).toBe('NOT_FOUND');
    }
    expect((ok(await h.call('session_list', {}, other)) as { sessions: unknown[] }).sessions).toEqual([]);
    ok(await h.call('session_close', { session: id }, meta));
    expect(errorOf(await h.call('session_get', { session: id, key: 'note' }, meta)).code).toBe('NOT_FOUND');
  });

  it('archives a session to a destination the policy allows before closing it', async () => {
    const meta = await as('writer');
    const { session } = ok(await h.call('session_create', {}, meta)) as { session: { id: string } };
    ok(await h.call('run_probe', { ...JOIN_PROBE, save_as: { session: session.id, dataset: 'revenue' } }, meta));
    ok(await h.call('session_put', { session: session.id, key: 'why', value: 'quarterly review' }, meta));
    const closed = ok(await h.call('session_close', { session: session.id, archive: { connector: 'out', prefix: 'archive/s1', format: 'csv' } }, meta)) as { archived: Array<{ uri: string }> };
    expect(closed.archived.map((a) => a.uri)).toEqual(['out/archive/s1/revenue.csv', 'out/archive/s1/values.json']);
    expect(readFileSync(join(out, 'archive/s1/revenue.csv'), 'utf8')).toMatch(/^segment,revenue,orders\r?\nretail,23,4\r?\n/);
    expect(JSON.parse(readFileSync(join(out, 'archive/s1/values.json'), 'utf8'))).toEqual({ why: 'quarterly review' });
    // An analyst may not deliver: the archive is refused and the session stays open.
    const analyst = await as('analyst');
    const s2 = (ok(await h.call('session_create', {}, analyst)) as { session: { id: string } }).session.id;
    ok(await h.call('session_put', { session: s2, key: 'k', value: 1 }, analyst));
    expect(errorOf(await h.call('session_close', { session: s2, archive: { connector: 'out', prefix: 'archive/s2' } }, analyst)).code).toBe('POLICY_DENIED');
    expect((ok(await h.call('session_list', {}, analyst)) as { sessions: Array<{ id: string }> }).sessions.map((s) => s.id)).toContain(s2);
  });
});
