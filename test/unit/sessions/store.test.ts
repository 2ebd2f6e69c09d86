import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import type { AuthzRequest } from '../../../src/policy/types.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { SessionStore } from '../../../src/sessions/store.js';

const limits = { ttlSeconds: 3600, maxTtlSeconds: 7200, maxPerPrincipal: 3, maxBytes: 200_000 };
const grant: AuthzRequest = { action: 'read', resource: { type: 'Location', connector: 'demo', path: 'orders.csv' } };

function setup(now = { t: 1_700_000_000_000 }) {
  const cache = new MemoryCache({ maxEntries: 1000, maxBytes: 10_000_000, now: () => now.t });
  const store = new SessionStore(cache, limits, () => now.t);
  return { store, now };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return err instanceof DataMcpError ? err.code : 'not a DataMcpError';
  }
  return 'no error';
}

describe('SessionStore', () => {
  it('creates, stores values and datasets, lists and closes', async () => {
    const { store } = setup();
    const mine = store.forScope('alice|reader');
    const s = await mine.create({ label: 'work' });
    expect(s.id).toMatch(/^s_[A-Za-z0-9_-]{22}$/);
    await mine.putValue(s.id, 'note', { a: 1 });
    const table = tableFromArrays({ id: Int32Array.from([1, 2, 3]), x: Float64Array.from([0.5, 1.5, 2.5]) });
    const after = await mine.putDataset(s.id, 'small', table, [grant]);
    expect(after.datasets).toMatchObject([{ name: 'small', rows: 3, columns: [{ name: 'id', type: 'int32' }, { name: 'x', type: 'float64' }] }]);
    const got = await mine.getDataset(s.id, 'small');
    expect(got.table.numRows).toBe(3);
    expect(got.requests).toEqual([grant]);
    expect([...got.table.getChild('x')!.toArray()]).toEqual([0.5, 1.5, 2.5]);
    expect((await mine.list()).map((m) => m.id)).toEqual([s.id]);
    await mine.close(s.id);
    expect(await mine.list()).toEqual([]);
    expect(await codeOf(mine.get(s.id))).toBe('NOT_FOUND');
  });

  it('another principal can neither read, list nor address a session', async () => {
    const { store } = setup();
    const alice = store.forScope('alice|reader');
    const bob = store.forScope('bob|reader');
    const s = await alice.create({});
    await alice.putValue(s.id, 'k', 'secret');
    expect(await codeOf(bob.get(s.id))).toBe('NOT_FOUND');
    expect(await codeOf(bob.putValue(s.id, 'k', 'overwrite'))).toBe('NOT_FOUND');
    expect(await codeOf(bob.close(s.id))).toBe('NOT_FOUND');
    expect(await bob.list()).toEqual([]);
    expect((await alice.get(s.id)).values).toEqual({ k: 'secret' });
  });

  it('the same account with narrower roles is another principal scope', async () => {
    const { store } = setup();
    const s = await store.forScope('alice|reader,writer').create({});
    expect(await codeOf(store.forScope('alice|reader').get(s.id))).toBe('NOT_FOUND');
  });

  it('expires with its TTL', async () => {
    const { store, now } = setup();
    const mine = store.forScope('alice');
    const s = await mine.create({ ttlSeconds: 60 });
    now.t += 59_000;
    expect((await mine.get(s.id)).id).toBe(s.id);
    now.t += 2_000;
    expect(await codeOf(mine.get(s.id))).toBe('NOT_FOUND');
    expect(await mine.list()).toEqual([]);
  });

  it('refuses malformed ids, a TTL over the maximum, too many sessions and oversize content', async () => {
    const { store } = setup();
    const mine = store.forScope('alice');
    for (const id of ['', '../x', 's_short', `s_${'A'.repeat(200)}`, '__proto__', 'session:alice:index']) expect(await codeOf(mine.get(id))).toBe('NOT_FOUND');
    expect(await codeOf(mine.create({ ttlSeconds: 99_999 }))).toBe('INVALID_ARGUMENT');
    const s = await mine.create({});
    await mine.create({});
    await mine.create({});
    expect(await codeOf(mine.create({}))).toBe('LIMIT_EXCEEDED');
    expect(await codeOf(mine.putValue(s.id, 'big', 'x'.repeat(300_000)))).toBe('LIMIT_EXCEEDED');
    expect((await mine.get(s.id)).values).toEqual({}); // nothing half-stored
  });

  it('serializes concurrent writes to one session (no lost update)', async () => {
    const { store } = setup();
    const mine = store.forScope('alice');
    const s = await mine.create({});
    await Promise.all(Array.from({ length: 20 }, (_, i) => mine.putValue(s.id, `k${i}`, i)));
    expect(Object.keys((await mine.get(s.id)).values)).toHaveLength(20);
  });

  it('names a missing dataset and lists the ones there are', async () => {
    const { store } = setup();
    const mine = store.forScope('alice');
    const s = await mine.create({});
    await expect(mine.getDataset(s.id, 'nope')).rejects.toThrow(/no dataset "nope"/);
  });
});
