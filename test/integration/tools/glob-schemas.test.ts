import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startHarness, textOf, type Harness } from '../../helpers/harness.js';

/** Globs over many objects: order, provenance, schema reconciliation and conflicts. */
describe('read_data over globs with differing schemas', () => {
  let root: string;
  let h: Harness;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'data-mcp-globs-'));
    mkdirSync(join(root, 'ok'));
    mkdirSync(join(root, 'bad'));
    mkdirSync(join(root, 'many'));
    writeFileSync(join(root, 'ok/1.csv'), 'id,amount\n1,10\n2,20\n');
    writeFileSync(join(root, 'ok/2.csv'), 'id,amount,note\n3,30.5,late\n');
    writeFileSync(join(root, 'ok/3.csv'), 'id\n4\n');
    writeFileSync(join(root, 'bad/1.csv'), 'id,amount\n1,10\n');
    writeFileSync(join(root, 'bad/2.csv'), 'id,amount\n2,ten\n');
    for (let i = 0; i < 12; i++) writeFileSync(join(root, `many/${String(i).padStart(2, '0')}.csv`), `file,row\n${i},0\n${i},1\n`);
    h = await startHarness({
      config: {
        server: { env: 'dev', toolsets: ['catalog', 'data'] },
        auth: { mode: 'none', default_service_account: 'r', service_accounts: [{ id: 'r', roles: ['reader'] }] },
        connectors: { files: { kind: 'local', root } },
      },
    });
  });

  afterAll(async () => {
    await h?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('unions objects: missing columns become nulls and ints widen to floats', async () => {
    const result = await h.call('read_data', { connector: 'files', path: 'ok/*.csv' });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as { columns: Array<{ name: string; type: string }>; rows: unknown[][]; objects: Array<{ path: string; rows: number }> };
    expect(out.columns).toEqual([{ name: 'id', type: 'int' }, { name: 'amount', type: 'float' }, { name: 'note', type: 'string' }]);
    expect(out.rows).toEqual([[1, 10, null], [2, 20, null], [3, 30.5, 'late'], [4, null, null]]);
    expect(out.objects).toEqual([{ path: 'ok/1.csv', rows: 2, bytesRead: expect.any(Number) }, { path: 'ok/2.csv', rows: 1, bytesRead: expect.any(Number) }, { path: 'ok/3.csv', rows: 1, bytesRead: expect.any(Number) }]);
  });

  it('refuses a real type conflict, naming the column and both objects', async () => {
    const result = await h.call('read_data', { connector: 'files', path: 'bad/*.csv' });
    expect(errorCode(result)).toBe('INVALID_ARGUMENT');
    expect(textOf(result)).toContain('"amount"');
    expect(textOf(result)).toContain('bad/1.csv');
    expect(textOf(result)).toContain('bad/2.csv');
    // Leaving the column out resolves it.
    const narrowed = await h.call('read_data', { connector: 'files', path: 'bad/*.csv', columns: ['id'] });
    expect(narrowed.structuredContent?.rows).toEqual([[1], [2]]);
  });

  it('keeps path order across parallel reads and stops at the limit', async () => {
    const all = await h.call('read_data', { connector: 'files', path: 'many/*.csv', limit: 1000 });
    expect((all.structuredContent?.rows as number[][]).map((r) => r[0])).toEqual(Array.from({ length: 12 }, (_, i) => [i, i]).flat());
    const some = await h.call('read_data', { connector: 'files', path: 'many/*.csv', limit: 5 });
    const out = some.structuredContent as { rows: number[][]; complete: boolean };
    expect(out.rows).toEqual([[0, 0], [0, 1], [1, 0], [1, 1], [2, 0]]);
    expect(out.complete).toBe(false);
  });
});

describe('the object size ceiling', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        server: { env: 'dev', toolsets: ['catalog', 'data'], limits: { max_object_bytes: 1000, max_rows: 1_000_000, max_objects: 1000, call_timeout_ms: 120_000 } },
        auth: { mode: 'none', default_service_account: 'r', service_accounts: [{ id: 'r', roles: ['reader'] }] },
        connectors: { demo: { kind: 'local', root: join(import.meta.dirname, '../../../examples/data') } },
      },
    });
  });
  afterAll(async () => h?.close());

  it('refuses a text object over the ceiling with LIMIT_EXCEEDED, while Parquet reads only the ranges it needs', async () => {
    const csv = await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 1 });
    expect(errorCode(csv)).toBe('LIMIT_EXCEEDED');
    expect(textOf(csv)).toMatch(/Parquet/);
    const parquet = await h.call('read_data', { connector: 'demo', path: 'orders.parquet', limit: 1 });
    expect(parquet.isError).toBeFalsy();
  });
});
