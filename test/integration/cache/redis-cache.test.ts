import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisCache, type RedisCacheOptions } from '../../../src/cache/redis.js';
import { startRedisServer, type PrivateRedis } from '../../helpers/redis-server.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => new TextDecoder().decode(value);

let server: PrivateRedis;
let raw: Redis;
const opened: RedisCache[] = [];

async function openCache(overrides: Partial<RedisCacheOptions> = {}): Promise<RedisCache> {
  const cache = new RedisCache({ url: server.url, keyPrefix: 'test:', commandTimeoutMs: 250, ...overrides });
  opened.push(cache);
  await cache.start();
  return cache;
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

describe('RedisCache against a private redis-server', () => {
  it('is ready after start and reports the redis backend', async () => {
    const cache = await openCache();
    expect(cache.backend).toBe('redis');
    expect(cache.isBypassing()).toBe(false);
  });

  it('misses, then hits with the stored bytes and an age', async () => {
    const cache = await openCache();
    expect(await cache.get('k')).toEqual({ status: 'miss' });
    await cache.set('k', bytes('value'), 60);
    const got = await cache.get('k');
    expect(got.status).toBe('hit');
    expect(text(got.value)).toBe('value');
    expect(got.ageMs).toBeGreaterThanOrEqual(0);
  });

  it('reports the age from the stored header', async () => {
    let now = 1_000_000;
    const cache = await openCache({ now: () => now });
    await cache.set('k', bytes('v'), 60);
    now += 4321;
    expect((await cache.get('k')).ageMs).toBe(4321);
  });

  it('stores with SET ... PX ttl and the entry expires', async () => {
    const cache = await openCache();
    await cache.set('long', bytes('v'), 60);
    const pttl = await raw.pttl('test:long');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
    await cache.set('short', bytes('v'), 0.05);
    await vi.waitFor(async () => expect((await cache.get('short')).status).toBe('miss'), { timeout: 5_000, interval: 20 });
    expect((await cache.get('long')).status).toBe('hit');
  });

  it('does not store with a TTL of 0', async () => {
    const cache = await openCache();
    await cache.set('k', bytes('v'), 0);
    expect(await raw.exists('test:k')).toBe(0);
  });

  it('prefixes keys, and caches with different prefixes do not see each other', async () => {
    const a = await openCache({ keyPrefix: 'app-a:' });
    const b = await openCache({ keyPrefix: 'app-b:' });
    await a.set('shared-name', bytes('from a'), 60);
    expect(await raw.exists('app-a:shared-name')).toBe(1);
    expect(await raw.exists('shared-name')).toBe(0);
    expect((await b.get('shared-name')).status).toBe('miss');
  });

  it('round-trips binary values up to a few MB byte-exact', async () => {
    // A longer command timeout: this checks integrity, and a loaded CI box may be slow to move 6 MB.
    const cache = await openCache({ commandTimeoutMs: 5_000 });
    for (const size of [0, 1, 255, 64 * 1024, 6 * 1024 * 1024]) {
      const value = randomBytes(size);
      await cache.set(`blob-${size}`, value, 60);
      const got = await cache.get(`blob-${size}`);
      expect(got.status).toBe('hit');
      expect(Buffer.compare(Buffer.from(got.value!), value)).toBe(0);
    }
  });

  it('treats bytes it did not write as a miss (another app, old format)', async () => {
    const cache = await openCache();
    await raw.set('test:foreign', 'plain text from someone else');
    await raw.set('test:empty', '');
    expect(await cache.get('foreign')).toEqual({ status: 'miss' });
    expect(await cache.get('empty')).toEqual({ status: 'miss' });
  });

  it('answers a wrong-type key as bypass for that call only, without an outage', async () => {
    const cache = await openCache();
    await raw.lpush('test:list', 'x');
    expect(await cache.get('list')).toEqual({ status: 'bypass' });
    expect(cache.isBypassing()).toBe(false);
    await cache.set('ok', bytes('v'), 60);
    expect((await cache.get('ok')).status).toBe('hit');
  });

  it('deletes', async () => {
    const cache = await openCache();
    await cache.set('k', bytes('v'), 60);
    await cache.delete('k');
    expect((await cache.get('k')).status).toBe('miss');
  });

  it('is a bypass after close, and close is idempotent', async () => {
    const cache = await openCache();
    await cache.close();
    await cache.close();
    expect(cache.isBypassing()).toBe(true);
    expect(await cache.get('k')).toEqual({ status: 'bypass' });
    await cache.set('k', bytes('v'), 60);
  });

  it('keeps adversarial keys as plain data', async () => {
    const cache = await openCache();
    const keys = ['', ' ', '*', '\r\nFLUSHALL\r\n', 'ключ', 'a'.repeat(10_000)];
    for (const [i, key] of keys.entries()) await cache.set(key, bytes(String(i)), 60);
    for (const [i, key] of keys.entries()) expect(text((await cache.get(key)).value)).toBe(String(i));
    expect(await raw.dbsize()).toBe(keys.length);
  });
});
