import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../src/engine/profile.js';
import { duckdbRows } from '../../helpers/duckdb.js';
import { startHarness, textOf, type Harness } from '../../helpers/harness.js';
import { demoEvents, demoOrders, EVENT_DAYS } from './demo-rows.js';
import { BUNDLED_DEMO_DATA_DIR, demoConfig, errorOf, ok } from './support.js';

let h: Harness;
let scratch: string;
const orders = demoOrders();

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'data-mcp-summarize-test-'));
  writeFileSync(join(scratch, 'secret.csv'), 'id,salary\n1,100\n2,200\n');
  h = await startHarness({
    config: demoConfig({ connectors: { vault: { kind: 'local', root: scratch, annotations: { '': { classification: 'restricted' } } } } }),
  });
});
afterAll(async () => {
  await h.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function summarize(args: Record<string, unknown>): Promise<{ s: Record<string, unknown>; text: string; profile: (name: string) => ColumnProfile }> {
  const result = await h.call('summarize', { connector: 'demo', ...args });
  const s = ok(result);
  const profiles = s.profiles as ColumnProfile[];
  return {
    s,
    text: textOf(result),
    profile: (name) => {
      const found = profiles.find((p) => p.name === name);
      if (!found) throw new Error(`no profile for ${name}`);
      return found;
    },
  };
}

const distinctCount = (values: string[]): number => new Set(values).size;

describe('summarize on the demo orders', () => {
  it.each(['orders.parquet', 'orders.csv'])('%s agrees with DuckDB on amount, region and status', async (path) => {
    const file = join(BUNDLED_DEMO_DATA_DIR, path).replaceAll("'", "''");
    const reader = path.endsWith('.parquet') ? `read_parquet('${file}')` : `read_csv('${file}')`;
    const [oracle] = await duckdbRows(
      `SELECT count(amount)::INTEGER AS n, avg(amount)::DOUBLE AS mean, min(amount)::DOUBLE AS lo, max(amount)::DOUBLE AS hi, stddev_samp(amount)::DOUBLE AS sd,
              quantile_cont(amount, 0.5)::DOUBLE AS median, count(DISTINCT region)::INTEGER AS regions, count(DISTINCT status)::INTEGER AS statuses FROM ${reader}`,
    );
    const { s, profile } = await summarize({ path });
    expect(s).toMatchObject({ connector: 'demo', path, rowsProfiled: 10_000, complete: true, profiledColumns: 7, rowCount: 7, truncated: false });
    const amount = profile('amount');
    expect(amount).toMatchObject({ type: 'float', count: oracle!.n, nulls: 0, min: oracle!.lo, max: oracle!.hi, quantileMethod: 'exact' });
    expect(amount.mean).toBeCloseTo(oracle!.mean as number, 9);
    expect(amount.stddev).toBeCloseTo(oracle!.sd as number, 9);
    expect(amount.quantiles?.p50).toBeCloseTo(oracle!.median as number, 9);
    expect(profile('region')).toMatchObject({ type: 'string', distinct: oracle!.regions, distinctMethod: 'exact' });
    expect(profile('status')).toMatchObject({ distinct: oracle!.statuses });
    // And against the raw csv parsed by hand: the top statuses with their counts.
    const counts = new Map<string, number>();
    for (const o of orders) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
    const expectedTop = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([value, count]) => ({ value, count }));
    expect(profile('status').top).toEqual(expectedTop);
    expect(profile('order_date')).toMatchObject({ type: 'timestamp', min: orders[0]!.order_date, max: orders.at(-1)!.order_date });
  });

  it('the table has one row per column and its values stay inside the untrusted-data block', async () => {
    const { s, text } = await summarize({ path: 'orders.csv' });
    expect((s.columns as Array<{ name: string }>).map((c) => c.name)).toEqual(['name', 'type', 'count', 'nulls', 'distinct', 'min', 'max', 'mean', 'stddev', 'p25', 'p50', 'p75', 'top']);
    const rows = s.rows as unknown[][];
    expect(rows.map((r) => r[0])).toEqual(['order_id', 'customer_id', 'order_date', 'status', 'region', 'amount', 'quantity']);
    const open = text.search(/<untrusted-data-[0-9a-f]{16}>/);
    expect(open).toBeGreaterThan(0);
    const topStatus = (s.profiles as ColumnProfile[])[3]!.top![0]!.value as string;
    expect(text.indexOf(topStatus)).toBeGreaterThan(open);
  });

  it('a filter profiles only the matching rows', async () => {
    const shipped = orders.filter((o) => o.status === 'shipped');
    const { s, profile } = await summarize({ path: 'orders.parquet', filter: { column: 'status', op: 'eq', value: 'shipped' }, columns: ['status', 'amount'] });
    expect(s).toMatchObject({ rowsProfiled: shipped.length, profiledColumns: 2 });
    expect(profile('status')).toMatchObject({ distinct: 1, top: [{ value: 'shipped', count: shipped.length }] });
    expect(profile('amount').mean).toBeCloseTo(shipped.reduce((a, o) => a + o.amount, 0) / shipped.length, 9);
    expect(profile('amount').min).toBe(Math.min(...shipped.map((o) => o.amount)));
  });

  it('a limit profiles a prefix and says so', async () => {
    const { s, text, profile } = await summarize({ path: 'orders.csv', limit: 100 });
    expect(s).toMatchObject({ rowsProfiled: 100, complete: false });
    expect(text).toContain('covers only the first 100 row(s)');
    expect(profile('order_id')).toMatchObject({ count: 100, min: orders[0]!.order_id, max: orders[99]!.order_id, distinct: 100 });
  });
});

describe('summarize under a small result budget', () => {
  it('cuts the table with a handle, and ships profile objects only for the rows kept', async () => {
    const small = await startHarness({ config: demoConfig({ extra: { server: { env: 'dev', toolsets: ['catalog', 'data'], result_budget: { max_rows: 3, max_bytes: 80_000 } } } }) });
    try {
      const s = ok(await small.call('summarize', { connector: 'demo', path: 'orders.parquet' }));
      expect(s).toMatchObject({ profiledColumns: 7, rowCount: 7, returnedRows: 3, truncated: true });
      expect((s.profiles as ColumnProfile[]).map((p) => p.name)).toEqual(['order_id', 'customer_id', 'order_date']);
      expect(s.handle).toMatch(/^result:\/\//);
    } finally {
      await small.close();
    }
  });
});

describe('summarize over a glob', () => {
  it('profiles every matched object together', async () => {
    const events = EVENT_DAYS.flatMap(demoEvents);
    const { s, profile } = await summarize({ path: 'events/*.jsonl' });
    expect(s).toMatchObject({ rowsProfiled: events.length, complete: true, format: 'jsonl' });
    expect(profile('event_id')).toMatchObject({ count: events.length, distinct: distinctCount(events.map((e) => e.event_id)) });
    expect(profile('type')).toMatchObject({ distinct: distinctCount(events.map((e) => e.type)), nulls: 0 });
    const times = events.map((e) => Date.parse(e.ts)).sort((a, b) => a - b);
    expect(profile('ts')).toMatchObject({ type: 'timestamp', min: new Date(times[0]!).toISOString(), max: new Date(times.at(-1)!).toISOString() });
  });
});

describe('summarize refuses what read_data refuses', () => {
  it('a path the policy denies', async () => {
    expect(errorOf(await h.call('summarize', { connector: 'vault', path: 'secret.csv' })).code).toBe('POLICY_DENIED');
    expect(errorOf(await h.call('summarize', { connector: 'vault', path: '*.csv' })).code).toBe('POLICY_DENIED');
  });

  it('an unknown column is INVALID_ARGUMENT naming it', async () => {
    const err = errorOf(await h.call('summarize', { connector: 'demo', path: 'orders.csv', columns: ['amount', 'no_such_col'] }));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain('no_such_col');
    expect(errorOf(await h.call('summarize', { connector: 'demo', path: 'orders.csv', filter: { column: 'nope', op: 'eq', value: 1 } })).code).toBe('INVALID_ARGUMENT');
  });

  it('traversal, prefixes, unknown arguments and limits over the server maximum', async () => {
    for (const args of [
      { path: '../../etc/passwd' },
      { path: 'events/' },
      { path: 'orders.csv', sql: 'SELECT 1' },
      { path: 'orders.csv', limit: 0 },
    ]) {
      expect(errorOf(await h.call('summarize', { connector: 'demo', ...args })).code, JSON.stringify(args)).toBe('INVALID_ARGUMENT');
    }
    expect(errorOf(await h.call('summarize', { connector: 'demo', path: 'orders.csv', limit: 5_000_000 })).code).toBe('LIMIT_EXCEEDED');
    expect(errorOf(await h.call('summarize', { connector: 'demo', path: 'nothing-here.csv' })).code).toBe('NOT_FOUND');
  });

  it('a repeated call is served from the cache with the same profile', async () => {
    const first = await summarize({ path: 'customers.csv' });
    const second = await summarize({ path: 'customers.csv' });
    expect(second.s.cache).toBe('hit');
    expect(second.s.profiles).toEqual(first.s.profiles);
  });
});
