import { afterEach, describe, expect, it, vi } from 'vitest';
import { RedisCache } from '../../../src/cache/redis.js';
import { createCache } from '../../../src/cache/resilient.js';
import type { Cache } from '../../../src/cache/types.js';
import type { Config } from '../../../src/config/schema.js';
import { freePort, startRedisServer, type PrivateRedis } from '../../helpers/redis-server.js';
import { settlesWithin } from './hang-check.js';
import { captureLogger } from './log-capture.js';

const bytes = (text: string) => new TextEncoder().encode(text);

const servers: PrivateRedis[] = [];
const caches: Cache[] = [];

async function server(port?: number): Promise<PrivateRedis> {
  const s = await startRedisServer({ port });
  servers.push(s);
  return s;
}

function cacheConfig(url: string | undefined): Config['cache'] {
  return {
    redis_url: url,
    key_prefix: 'outage:',
    command_timeout_ms: 250,
    memory_max_entries: 100,
    memory_max_bytes: 1_000_000,
    ttl: { read: 300, list: 30, schema: 3600 },
  };
}

async function redisCache(url: string, logger = captureLogger().logger): Promise<RedisCache> {
  const cache = new RedisCache({ url, keyPrefix: 'outage:', commandTimeoutMs: 250, logger });
  caches.push(cache);
  await cache.start();
  return cache;
}

/** Waits for the reconnect loop; bounded so a cache that never recovers fails the test. */
async function recovered(cache: Cache): Promise<void> {
  await vi.waitFor(() => expect(cache.isBypassing()).toBe(false), { timeout: 10_000, interval: 10 });
}

/** 50 gets and 50 sets at once: all must settle (hang check) and none may throw. */
async function burst(cache: Cache): Promise<string[]> {
  const gets = Array.from({ length: 50 }, (_, i) => cache.get(`k${i}`));
  const sets = Array.from({ length: 50 }, (_, i) => cache.set(`s${i}`, bytes('v'), 60));
  const [results] = await settlesWithin(Promise.all([Promise.all(gets), Promise.all(sets)]), 2_000, '100 cache calls');
  return results.map((r) => r.status);
}

afterEach(async () => {
  await settlesWithin(Promise.all(caches.splice(0).map((c) => c.close())), 5_000, 'closing caches');
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('Redis outage', () => {
  it('stopped server: calls settle as bypass, nothing throws, one warning; restart recovers', async () => {
    const srv = await server();
    const { logger, at } = captureLogger();
    const cache = await redisCache(srv.url, logger);
    await cache.set('k0', bytes('before'), 60);
    expect((await cache.get('k0')).status).toBe('hit');

    await srv.stop();
    const statuses = await burst(cache);
    expect(new Set(statuses)).toEqual(new Set(['bypass']));
    expect(cache.isBypassing()).toBe(true);
    await burst(cache); // still down: no further warnings
    expect(at('warn')).toHaveLength(1);
    expect(at('warn')[0]?.msg).toMatch(/bypass/);

    await srv.restart(); // a fresh, empty server on the same port
    await recovered(cache);
    expect((await cache.get('k0')).status).toBe('miss');
    await cache.set('k0', bytes('after'), 60);
    expect((await cache.get('k0')).status).toBe('hit');
    expect(at('warn')).toHaveLength(1);
    expect(at('info').filter((l) => /available again/.test(l.msg))).toHaveLength(1);
  });

  it('hung server (SIGSTOP): calls settle as bypass via the command timeout; SIGCONT recovers', async () => {
    const srv = await server();
    const { logger, at } = captureLogger();
    const cache = await redisCache(srv.url, logger);
    await cache.set('kept', bytes('v'), 60);

    srv.pause();
    try {
      const statuses = await burst(cache);
      expect(new Set(statuses)).toEqual(new Set(['bypass']));
      expect(cache.isBypassing()).toBe(true);
      expect(await settlesWithin(cache.get('kept'), 2_000, 'get while hung')).toEqual({ status: 'bypass' });
      expect(at('warn')).toHaveLength(1);
    } finally {
      srv.resume();
    }
    await recovered(cache);
    expect((await cache.get('kept')).status).toBe('hit'); // same server, data intact
    expect(at('warn')).toHaveLength(1);
  });

  it('close never hangs on a hung or dead server', async () => {
    const hung = await server();
    const a = await redisCache(hung.url);
    hung.pause();
    await settlesWithin(a.close(), 3_000, 'close on a hung server');
    hung.resume();

    const dead = await server();
    const b = await redisCache(dead.url);
    await dead.stop();
    await settlesWithin(b.close(), 3_000, 'close on a stopped server');
  });

  it('nothing listening at start: start-up does not block, bypasses, then recovers when Redis starts', async () => {
    const port = await freePort();
    const { logger, at } = captureLogger();
    const cache = await settlesWithin(createCache(cacheConfig(`redis://127.0.0.1:${port}`), logger), 2_000, 'createCache');
    caches.push(cache);
    expect(cache.backend).toBe('redis');
    expect(cache.isBypassing()).toBe(true);
    expect(await cache.get('k')).toEqual({ status: 'bypass' });
    expect(new Set(await burst(cache))).toEqual(new Set(['bypass']));
    await vi.waitFor(() => expect(at('warn')).toHaveLength(1), { timeout: 5_000 });

    await server(port);
    await recovered(cache);
    expect((await cache.get('k')).status).toBe('miss');
    await cache.set('k', bytes('v'), 60);
    expect((await cache.get('k')).status).toBe('hit');
    expect(at('warn')).toHaveLength(1);
  });

  it('no redis_url: the memory backend, never bypassing', async () => {
    const cache = await createCache(cacheConfig(undefined));
    caches.push(cache);
    expect(cache.backend).toBe('memory');
    expect(cache.isBypassing()).toBe(false);
    await cache.set('k', bytes('v'), 60);
    expect((await cache.get('k')).status).toBe('hit');
  });
});

describe('resilient cache over a real Redis', () => {
  it('serves from the memory fallback while Redis is down and goes back to Redis after', async () => {
    const srv = await server();
    const cache = await createCache(cacheConfig(srv.url), captureLogger().logger);
    caches.push(cache);
    expect(cache.isBypassing()).toBe(false);
    await cache.set('in-redis', bytes('r'), 60);

    await srv.stop();
    // The first call after the stop may be the one that discovers it.
    expect(await settlesWithin(cache.get('in-redis'), 2_000, 'get')).toEqual({ status: 'bypass' });
    expect(cache.isBypassing()).toBe(true);
    await cache.set('during', bytes('local'), 60);
    const local = await cache.get('during');
    expect(local.status).toBe('hit');
    expect(new TextDecoder().decode(local.value)).toBe('local');
    expect(await cache.get('never-set')).toEqual({ status: 'bypass' });

    await srv.restart();
    await recovered(cache);
    // Redis is back (empty); the outage-time entries were dropped with the fallback.
    expect(await cache.get('during')).toEqual({ status: 'miss' });
    await cache.set('during', bytes('redis'), 60);
    expect((await cache.get('during')).status).toBe('hit');
  });
});
