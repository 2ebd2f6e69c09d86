import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { startRedisServer, type PrivateRedis } from '../../helpers/redis-server.js';
import { demoConfig, errorOf, ok } from './support.js';

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function start(config?: Record<string, unknown>): Promise<Harness> {
  const h = await startHarness(config ? { config } : {});
  harnesses.push(h);
  return h;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('cache (in-memory)', () => {
  it('identical calls: miss, then hit with its age', async () => {
    const h = await start();
    const args = { connector: 'demo', path: 'orders.csv', limit: 3 };
    const first = ok(await h.call('read_data', args));
    expect(first.cache).toBe('miss');
    expect(first.cacheAgeMs).toBeUndefined();
    const second = ok(await h.call('read_data', args));
    expect(second.cache).toBe('hit');
    expect(second.cacheAgeMs).toEqual(expect.any(Number));
    expect(second.cacheAgeMs as number).toBeGreaterThanOrEqual(0);
    expect(second.rows).toEqual(first.rows);
    expect(second.columns).toEqual(first.columns);
  });

  it('different arguments are a miss', async () => {
    const h = await start();
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 3 })).cache).toBe('miss');
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 4 })).cache).toBe('miss');
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 3, columns: ['status'] })).cache).toBe('miss');
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'orders.parquet', limit: 3 })).cache).toBe('miss');
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 3 })).cache).toBe('hit');
  });

  it('listings and schemas are cached; self-service tools are not', async () => {
    const h = await start();
    expect(ok(await h.call('browse', { connector: 'demo' })).cache).toBe('miss');
    expect(ok(await h.call('browse', { connector: 'demo' })).cache).toBe('hit');
    expect(ok(await h.call('describe', { connector: 'demo', path: 'orders.parquet' })).cache).toBe('miss');
    expect(ok(await h.call('describe', { connector: 'demo', path: 'orders.parquet' })).cache).toBe('hit');
    expect(ok(await h.call('whoami')).cache).toBeUndefined();
  });

  it('errors are never cached', async () => {
    const h = await start();
    expect(errorOf(await h.call('read_data', { connector: 'demo', path: 'missing.csv' })).code).toBe('NOT_FOUND');
    expect(errorOf(await h.call('read_data', { connector: 'demo', path: 'missing.csv' })).code).toBe('NOT_FOUND');
  });

  it('a ttl of 0 disables caching for that class', async () => {
    const h = await start(demoConfig({ extra: { cache: { ttl: { read: 0, list: 30, schema: 3600 } } } }));
    const args = { connector: 'demo', path: 'orders.csv', limit: 2 };
    expect(ok(await h.call('read_data', args)).cache).toBeUndefined();
    expect(ok(await h.call('read_data', args)).cache).toBeUndefined();
  });
});

describe('cache (private Redis)', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  const config = () => demoConfig({ extra: { cache: { redis_url: redis.url, key_prefix: 'tools-it:' } } });

  /** Keys the product wrote to Redis (a fresh connection each time, so restarts do not matter). */
  async function redisKeys(): Promise<string[]> {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    try {
      return await client.keys('tools-it:*');
    } finally {
      client.disconnect();
    }
  }

  it('hits are served from Redis, across two server processes sharing it', async () => {
    const a = await start(config());
    const b = await start(config());
    const args = { connector: 'demo', path: 'customers.csv', limit: 4 };
    expect(ok(await a.call('read_data', args)).cache).toBe('miss');
    expect((await redisKeys()).length).toBeGreaterThan(0);
    const fromB = ok(await b.call('read_data', args));
    expect(fromB.cache).toBe('hit');
    expect(fromB.rowCount).toBe(4);
  });

  it('survives a Redis outage (bypass or memory hit, never an error) and uses Redis again after a restart', async () => {
    const h = await start(config());
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 11 })).cache).toBe('miss');

    await redis.stop();
    const during: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const s = ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 11 + (i % 2) }));
      expect(s.rowCount).toBe(11 + (i % 2));
      during.push(s.cache);
    }
    for (const status of during) expect(['bypass', 'hit']).toContain(status);
    // The memory fallback stands in: a repeat during the outage is a hit, never a miss.
    expect(during).not.toContain('miss');
    expect(ok(await h.call('whoami')).serviceAccount).toBe('reader-sa');

    await redis.restart();
    // Reconnect is asynchronous; poll with fresh arguments (each would be a miss once Redis is back).
    let status: unknown;
    let limit = 100;
    for (let attempt = 0; attempt < 60 && status !== 'miss'; attempt++) {
      limit++;
      status = ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit })).cache;
      if (status !== 'miss') await sleep(100);
    }
    expect(status).toBe('miss');
    expect(ok(await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit })).cache).toBe('hit');
    expect((await redisKeys()).length).toBeGreaterThan(0);
  });
});
