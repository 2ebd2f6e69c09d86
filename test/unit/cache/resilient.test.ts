import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import { ResilientCache, createCache } from '../../../src/cache/resilient.js';
import type { Cache } from '../../../src/cache/types.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => new TextDecoder().decode(value);

/** A primary that behaves like a Redis cache whose availability the test switches. */
class SwitchablePrimary implements Cache {
  readonly backend = 'redis' as const;
  down = false;
  /** When set, the next operation discovers the outage itself (as a timed-out command would). */
  failNext = false;
  readonly store = new MemoryCache({ maxEntries: 100, maxBytes: 100_000 });
  private trip(): boolean {
    if (this.failNext) {
      this.failNext = false;
      this.down = true;
    }
    return this.down;
  }
  async get(key: string) {
    return this.trip() ? { status: 'bypass' as const } : this.store.get(key);
  }
  async set(key: string, value: Uint8Array, ttl: number) {
    if (!this.trip()) await this.store.set(key, value, ttl);
  }
  async delete(key: string) {
    if (!this.down) await this.store.delete(key);
  }
  isBypassing() {
    return this.down;
  }
  tryLock() {
    return this.store.tryLock();
  }
  close() {
    return Promise.resolve();
  }
}

function setup() {
  const primary = new SwitchablePrimary();
  const fallback = new MemoryCache({ maxEntries: 100, maxBytes: 100_000 });
  return { primary, fallback, cache: new ResilientCache(primary, fallback) };
}

describe('ResilientCache', () => {
  it('uses only the primary while it is up', async () => {
    const { primary, fallback, cache } = setup();
    expect(cache.backend).toBe('redis');
    await cache.set('k', bytes('v'), 60);
    expect(primary.store.size).toBe(1);
    expect(fallback.size).toBe(0);
    expect((await cache.get('k')).status).toBe('hit');
    expect((await cache.get('other')).status).toBe('miss');
  });

  it('while the primary is down: misses are bypass, fallback entries are hits', async () => {
    const { primary, cache } = setup();
    primary.down = true;
    expect(cache.isBypassing()).toBe(true);
    expect(await cache.get('k')).toEqual({ status: 'bypass' });
    await cache.set('k', bytes('local'), 60);
    const got = await cache.get('k');
    expect(got.status).toBe('hit');
    expect(text(got.value)).toBe('local');
  });

  it('falls back when an operation itself discovers the outage', async () => {
    const { primary, fallback, cache } = setup();
    primary.failNext = true;
    await cache.set('k', bytes('v'), 60);
    expect(fallback.size).toBe(1);
    primary.down = false;
    primary.failNext = true;
    expect((await cache.get('k')).status).toBe('hit'); // served by the fallback
  });

  it('empties the fallback when the primary returns', async () => {
    const { primary, fallback, cache } = setup();
    primary.down = true;
    await cache.set('k', bytes('v'), 60);
    primary.down = false;
    cache.availabilityChanged(true);
    expect(fallback.size).toBe(0);
    expect((await cache.get('k')).status).toBe('miss');
  });

  it('deletes from both', async () => {
    const { primary, fallback, cache } = setup();
    await cache.set('k', bytes('v'), 60);
    await fallback.set('k', bytes('v'), 60);
    await cache.delete('k');
    expect(primary.store.size).toBe(0);
    expect(fallback.size).toBe(0);
  });
});

describe('createCache', () => {
  it('is memory-only when no redis_url is configured', async () => {
    const cache = await createCache({
      key_prefix: 'x:',
      command_timeout_ms: 250,
      memory_max_entries: 10,
      memory_max_bytes: 10_000,
      ttl: { read: 300, list: 30, schema: 3600 },
    });
    expect(cache.backend).toBe('memory');
    expect(cache.isBypassing()).toBe(false);
    await cache.set('k', bytes('v'), 60);
    expect((await cache.get('k')).status).toBe('hit');
    await cache.close();
  });
});
