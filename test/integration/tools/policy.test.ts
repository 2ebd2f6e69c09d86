import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { token, TOKEN_ENV, tokenAuth } from './tokens.js';
import { auditFor, demoConfig, errorOf, ok } from './support.js';

let h: Harness;
let reader: Record<string, string>;
let vault: Record<string, string>;
let vaultNarrowed: Record<string, string>;

beforeAll(async () => {
  h = await startHarness({
    config: demoConfig({
      auth: tokenAuth([{ id: 'reader-sa', roles: ['reader'] }, { id: 'vault-sa', roles: ['reader', 'restricted-reader'] }], true),
      annotations: { '': { classification: 'public' }, 'events/': { classification: 'restricted' } },
    }),
    env: TOKEN_ENV,
  });
  reader = { 'data-mcp/token': await token('reader-sa') };
  vault = { 'data-mcp/token': await token('vault-sa') };
  vaultNarrowed = { 'data-mcp/token': await token('vault-sa', { roles: ['reader'] }) };
});
afterAll(async () => {
  await h.close();
});

const RESTRICTED_CALLS: Array<[string, Record<string, unknown>]> = [
  ['read_data', { connector: 'demo', path: 'events/2026-09-02.jsonl' }],
  ['read_data', { connector: 'demo', path: 'events/*.jsonl' }],
  ['read_data', { connector: 'demo', path: '**/*.jsonl' }],
  ['describe', { connector: 'demo', path: 'events/2026-09-01.jsonl' }],
  ['browse', { connector: 'demo', path: 'events/' }],
];

describe('policy on annotated prefixes', () => {
  it.each(RESTRICTED_CALLS)('a reader is denied %s %j under the restricted prefix', async (tool, args) => {
    const err = errorOf(await h.call(tool, args, reader));
    expect(err.code).toBe('POLICY_DENIED');
    expect(err.hint).toContain('whoami');
  });

  it('the same reader is allowed elsewhere on the connector', async () => {
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 2 }, reader)).rowCount).toBe(2);
    expect(ok(await h.call('describe', { connector: 'demo', path: 'orders.parquet' }, reader)).rowCount).toBe(10_000);
    const root = ok(await h.call('browse', { connector: 'demo' }, reader));
    expect((root.entries as Array<{ path: string }>).map((e) => e.path)).toContain('orders.csv');
    // A glob at the root that matches no restricted object is fine.
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'customers.*', columns: ['customer_id'], limit: 5000 }, reader)).rowCount).toBe(2000);
  });

  it('restricted-reader may read the restricted prefix', async () => {
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'events/*.jsonl', limit: 5 }, vault)).rowCount).toBe(5);
    expect(ok(await h.call('browse', { connector: 'demo', path: 'events/' }, vault)).entries).toHaveLength(4);
  });

  it('a role narrowed away by the token loses that access', async () => {
    expect(ok(await h.call('whoami', {}, vaultNarrowed)).roles).toEqual(['reader']);
    for (const [tool, args] of RESTRICTED_CALLS) {
      expect(errorOf(await h.call(tool, args, vaultNarrowed)).code, `${tool} ${JSON.stringify(args)}`).toBe('POLICY_DENIED');
    }
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 1 }, vaultNarrowed)).rowCount).toBe(1);
  });

  it('a cached result of the allowed principal is never served to the denied one', async () => {
    const args = { connector: 'demo', path: 'events/2026-09-03.jsonl', limit: 3 };
    expect(ok(await h.call('read_data', args, vault)).cache).toBe('miss');
    expect(ok(await h.call('read_data', args, vault)).cache).toBe('hit');
    expect(errorOf(await h.call('read_data', args, reader)).code).toBe('POLICY_DENIED');
    expect(errorOf(await h.call('read_data', args, vaultNarrowed)).code).toBe('POLICY_DENIED');
  });

  it('a denial is audited as deny, durably (fsynced before the result returns)', async () => {
    const append = vi.spyOn(h.runtime.audit, 'append');
    try {
      const err = errorOf(await h.call('read_data', { connector: 'demo', path: 'events/2026-09-04.jsonl' }, reader));
      expect(append).toHaveBeenCalledTimes(1);
      expect(append.mock.calls[0]?.[1]).toEqual({ durable: true });
      const record = auditFor(h.auditPath, err.eventId);
      expect(record.decision.result).toBe('deny');
      expect(record.outcome).toMatchObject({ status: 'denied', errorCode: 'POLICY_DENIED' });
      expect(record.requests).toEqual([{ action: 'read', resource: expect.stringContaining('events/2026-09-04.jsonl') as unknown, allowed: false }]);
      expect(record.principal).toMatchObject({ sa: 'reader-sa', roles: ['reader'] });

      append.mockClear();
      ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 1 }, reader));
      expect(append.mock.calls[0]?.[1]).toEqual({ durable: false });
    } finally {
      append.mockRestore();
    }
  });

  it('the allow of an object matched by a glob is recorded per object', async () => {
    ok(await h.call('read_data', { connector: 'demo', path: 'events/*.jsonl', limit: 1 }, vault));
    // (the cache may serve it; each matched object is re-checked and recorded either way)
    const append = vi.spyOn(h.runtime.audit, 'append');
    try {
      ok(await h.call('read_data', { connector: 'demo', path: 'events/*.jsonl', limit: 1 }, vault));
      const entry = append.mock.calls[0]?.[0];
      const reads = (entry?.requests ?? []).filter((r) => r.action === 'read');
      expect(reads.map((r) => r.resource.split('/').at(-1))).toEqual(['2026-09-01.jsonl', '2026-09-02.jsonl', '2026-09-03.jsonl', '2026-09-04.jsonl']);
      expect(entry?.decision.result).toBe('allow');
    } finally {
      append.mockRestore();
    }
  });
});
