import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lockedCompute } from '../../../src/cache/locked-compute.js';
import { MemoryCache } from '../../../src/cache/memory.js';
import { RedisCache } from '../../../src/cache/redis.js';
import { SingleFlight } from '../../../src/cache/single-flight.js';
import { startRedisServer, type PrivateRedis } from '../../helpers/redis-server.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array) => new TextDecoder().decode(value);

let server: PrivateRedis;
let raw: Redis;
const opened: RedisCache[] = [];

/** Each cache has its own client and its own single-flight: two of them behave as two processes. */
async function process(): Promise<{ cache: RedisCache; flight: SingleFlight }> {
  const cache = new RedisCache({ url: server.url, keyPrefix: 'lc:', commandTimeoutMs: 500 });
  opened.push(cache);
  await cache.start();
  return { cache, flight: new SingleFlight() };
}

beforeAll(async () => {
  server = await startRedisServer();
  raw = new Redis(server.url);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
  await raw.flushall();
});
afterAll(async () => {
  raw.disconnect();
  await server.stop();
});

describe('lockedCompute across processes (SET NX PX)', () => {
  it('runs identical work once across two processes; the other gets it as a hit', async () => {
    const [a, b] = await Promise.all([process(), process()]);
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = async () => {
      runs++;
      await gate;
      return bytes('answer');
    };
    const first = lockedCompute({ ...a, key: 'k', ttlSeconds: 60, lockMs: 5000, pollMs: 10, compute });
    // Let A take the lock before B looks.
    await new Promise((r) => setTimeout(r, 50));
    expect(await raw.exists('lc:lock:k')).toBe(1);
    const second = lockedCompute({ ...b, key: 'k', ttlSeconds: 60, lockMs: 5000, pollMs: 10, compute });
    await new Promise((r) => setTimeout(r, 50));
    release();
    const [ra, rb] = await Promise.all([first, second]);
    expect(runs).toBe(1);
    expect(ra).toMatchObject({ status: 'miss', computed: true });
    expect(rb).toMatchObject({ status: 'hit', computed: false });
    expect(text(rb.value)).toBe('answer');
    expect(await raw.exists('lc:lock:k')).toBe(0); // released
  });

  it('a waiter computes itself when the holder stored nothing (it failed)', async () => {
    const [a, b] = await Promise.all([process(), process()]);
    let fail!: (e: Error) => void;
    const failing = lockedCompute({ ...a, key: 'f', ttlSeconds: 60, lockMs: 5000, pollMs: 10, compute: () => new Promise<Uint8Array>((_, reject) => (fail = reject)) });
    failing.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const waiting = lockedCompute({ ...b, key: 'f', ttlSeconds: 60, lockMs: 5000, pollMs: 10, compute: () => Promise.resolve(bytes('mine')) });
    fail(new Error('boom'));
    await expect(failing).rejects.toThrow('boom');
    const got = await waiting;
    expect(got).toMatchObject({ status: 'miss', computed: true });
    expect(text(got.value)).toBe('mine');
  });

  it('a holder whose lock lapsed does not free the next holder\'s lock', async () => {
    const a = await process();
    const releaseA = await a.cache.tryLock('x', 30);
    expect(releaseA).toBeDefined();
    await new Promise((r) => setTimeout(r, 60)); // A's lock expires
    const releaseB = await a.cache.tryLock('x', 5000);
    expect(releaseB).toBeDefined();
    await releaseA!();
    expect(await raw.exists('lc:lock:x')).toBe(1); // still B's
    expect(await a.cache.tryLock('x', 5000)).toBeUndefined();
    await releaseB!();
    expect(await raw.exists('lc:lock:x')).toBe(0);
  });

  it('does not store a value shouldStore refuses, and still answers', async () => {
    const a = await process();
    const got = await lockedCompute({ ...a, key: 'big', ttlSeconds: 60, lockMs: 1000, compute: () => Promise.resolve(bytes('too big')), shouldStore: () => false });
    expect(text(got.value)).toBe('too big');
    expect(await raw.exists('lc:big')).toBe(0);
  });

  it('with the memory cache, concurrent callers in one process coalesce', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 10_000 });
    const flight = new SingleFlight();
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return bytes('v');
    };
    const results = await Promise.all([1, 2, 3].map(() => lockedCompute({ cache, flight, key: 'm', ttlSeconds: 60, lockMs: 1000, compute })));
    expect(runs).toBe(1);
    expect(results.filter((r) => r.computed)).toHaveLength(1);
    expect((await lockedCompute({ cache, flight, key: 'm', ttlSeconds: 60, lockMs: 1000, compute })).status).toBe('hit');
  });
});
