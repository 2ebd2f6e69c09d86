import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import { SingleFlight, getOrCompute } from '../../../src/cache/single-flight.js';
import type { Cache, CacheGetResult } from '../../../src/cache/types.js';

/** A promise the test resolves or rejects by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('SingleFlight', () => {
  it('runs N concurrent calls for one key once and gives all the same result', async () => {
    const flight = new SingleFlight();
    const gate = deferred<string>();
    let calls = 0;
    const fn = () => {
      calls++;
      return gate.promise;
    };
    const all = Promise.all(Array.from({ length: 20 }, () => flight.run('k', fn)));
    expect(flight.size).toBe(1);
    gate.resolve('done');
    expect(await all).toEqual(Array.from({ length: 20 }, () => 'done'));
    expect(calls).toBe(1);
    expect(flight.size).toBe(0);
  });

  it('keeps different keys independent', async () => {
    const flight = new SingleFlight();
    let calls = 0;
    const results = await Promise.all(['a', 'b', 'a'].map((k) => flight.run(k, () => Promise.resolve(`${k}${++calls}`))));
    expect(calls).toBe(2);
    expect(results).toEqual(['a1', 'b2', 'a1']);
  });

  it('propagates an error to every waiter, then recomputes on the next call', async () => {
    const flight = new SingleFlight();
    const gate = deferred<string>();
    let calls = 0;
    const waiters = Array.from({ length: 5 }, () =>
      flight.run('k', () => {
        calls++;
        return gate.promise;
      }),
    );
    gate.reject(new Error('upstream down'));
    for (const w of waiters) await expect(w).rejects.toThrow('upstream down');
    expect(flight.size).toBe(0);
    expect(await flight.run('k', () => Promise.resolve(`ok${++calls}`))).toBe('ok2');
  });

  it('handles a function that throws synchronously', async () => {
    const flight = new SingleFlight();
    await expect(
      flight.run('k', () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(flight.size).toBe(0);
  });
});

describe('getOrCompute', () => {
  it('computes once on a miss, stores, and then hits', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 10_000 });
    const flight = new SingleFlight();
    let calls = 0;
    const compute = () => Promise.resolve(bytes(`v${++calls}`));
    const first = await getOrCompute({ cache, key: 'k', ttlSeconds: 60, flight, compute });
    expect(first.status).toBe('miss');
    const second = await getOrCompute({ cache, key: 'k', ttlSeconds: 60, flight, compute });
    expect(second.status).toBe('hit');
    expect(new TextDecoder().decode(second.value)).toBe('v1');
    expect(second.ageMs).toBeGreaterThanOrEqual(0);
    expect(calls).toBe(1);
  });

  it('coalesces concurrent misses into one computation', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 10_000 });
    const flight = new SingleFlight();
    const gate = deferred<Uint8Array>();
    let calls = 0;
    const compute = () => {
      calls++;
      return gate.promise;
    };
    const all = Promise.all(Array.from({ length: 10 }, () => getOrCompute({ cache, key: 'k', ttlSeconds: 60, flight, compute })));
    // Let every caller pass its cache lookup and join the flight before it finishes.
    await new Promise((r) => setImmediate(r));
    gate.resolve(bytes('x'));
    const results = await all;
    expect(calls).toBe(1);
    expect(results.every((r) => r.status === 'miss' && new TextDecoder().decode(r.value) === 'x')).toBe(true);
  });

  it('stores nothing when the computation fails (denied or failed calls are never cached)', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 10_000 });
    const flight = new SingleFlight();
    await expect(
      getOrCompute({ cache, key: 'k', ttlSeconds: 60, flight, compute: () => Promise.reject(new Error('POLICY_DENIED')) }),
    ).rejects.toThrow('POLICY_DENIED');
    expect(cache.size).toBe(0);
    const next = await getOrCompute({ cache, key: 'k', ttlSeconds: 60, flight, compute: () => Promise.resolve(bytes('ok')) });
    expect(next.status).toBe('miss');
  });

  it('does not store with a TTL of 0', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 10_000 });
    await getOrCompute({ cache, key: 'k', ttlSeconds: 0, flight: new SingleFlight(), compute: () => Promise.resolve(bytes('v')) });
    expect(cache.size).toBe(0);
  });

  it('reports bypass when the cache is bypassing, and still answers', async () => {
    const bypassing: Cache = {
      backend: 'redis',
      get: (): Promise<CacheGetResult> => Promise.resolve({ status: 'bypass' }),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      isBypassing: () => true,
      tryLock: () => Promise.resolve(() => Promise.resolve()),
      close: () => Promise.resolve(),
    };
    const result = await getOrCompute({ cache: bypassing, key: 'k', ttlSeconds: 60, flight: new SingleFlight(), compute: () => Promise.resolve(bytes('v')) });
    expect(result.status).toBe('bypass');
    expect(new TextDecoder().decode(result.value)).toBe('v');
  });

  it('answers without waiting for a write that never finishes, and ignores a failed write', async () => {
    const never = deferred<void>();
    const stuck: Cache = {
      backend: 'redis',
      get: () => Promise.resolve({ status: 'miss' }),
      set: () => never.promise,
      delete: () => Promise.resolve(),
      isBypassing: () => false,
      tryLock: () => Promise.resolve(() => Promise.resolve()),
      close: () => Promise.resolve(),
    };
    const result = await getOrCompute({ cache: stuck, key: 'k', ttlSeconds: 60, flight: new SingleFlight(), compute: () => Promise.resolve(bytes('v')), maxSetWaitMs: 5 });
    expect(result.status).toBe('miss');
    never.reject(new Error('late failure')); // must not surface as an unhandled rejection

    const failing: Cache = { ...stuck, set: () => Promise.reject(new Error('write failed')) };
    const again = await getOrCompute({ cache: failing, key: 'k', ttlSeconds: 60, flight: new SingleFlight(), compute: () => Promise.resolve(bytes('v')) });
    expect(again.status).toBe('miss');
  });
});
