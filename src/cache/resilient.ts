import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import { MemoryCache } from './memory.js';
import type { Cache, CacheGetResult } from './types.js';

/**
 * Redis first, with the in-memory LRU standing in while Redis is down (DESIGN §6).
 *
 * Reported status while Redis is unavailable (`isBypassing()` is true):
 * - the fallback has the entry → `hit` with its value and `ageMs`. A value that came from a
 *   cache is a hit wherever it lived; callers can rely on "value present ⇔ status hit", and
 *   `ageMs` tells the agent how old the data is, which is what matters to it.
 * - the fallback does not → `bypass` (not `miss`), so audit and results show the outage.
 * While Redis is up the fallback is not consulted and statuses are Redis's own hit/miss.
 *
 * Writes during an outage go to the fallback only. When Redis returns the fallback is emptied:
 * entries written during the outage never reach Redis, and keeping them would let a later
 * outage serve something deleted in between. Deletes always go to both.
 */
export class ResilientCache implements Cache {
  readonly backend = 'redis' as const;

  constructor(
    private readonly primary: Cache,
    private readonly fallback: MemoryCache,
  ) {}

  /** Wire as the primary's `onAvailabilityChange`. */
  availabilityChanged(available: boolean): void {
    if (available) this.fallback.clear();
  }

  async get(key: string): Promise<CacheGetResult> {
    if (!this.primary.isBypassing()) {
      const result = await this.primary.get(key);
      if (result.status !== 'bypass') return result;
    }
    const local = await this.fallback.get(key);
    return local.status === 'hit' ? local : { status: 'bypass' };
  }

  async set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void> {
    if (!this.primary.isBypassing()) {
      await this.primary.set(key, value, ttlSeconds);
      // The set may itself have discovered the outage; then keep the value locally.
      if (!this.primary.isBypassing()) return;
    }
    await this.fallback.set(key, value, ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    await Promise.all([this.primary.delete(key), this.fallback.delete(key)]);
  }

  /** Locks live in Redis; while it is down there is no shared lock, so the caller proceeds. */
  async tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    if (this.primary.isBypassing()) return () => Promise.resolve();
    return this.primary.tryLock(key, ttlMs);
  }

  isBypassing(): boolean {
    return this.primary.isBypassing();
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.fallback.close()]);
  }
}

/**
 * The cache for a config: memory-only without `redis_url`, otherwise Redis with the memory
 * fallback. Never blocks start-up on a dead Redis (bounded by one connect timeout): the cache
 * starts bypassing and recovers by itself when Redis appears.
 */
export async function createCache(config: Config['cache'], logger?: Logger): Promise<Cache> {
  const memory = new MemoryCache({ maxEntries: config.memory_max_entries, maxBytes: config.memory_max_bytes });
  if (!config.redis_url) {
    logger?.debug({ cache: 'memory' }, 'no redis_url configured: using the in-memory cache');
    return memory;
  }
  // ioredis costs ~60-100 ms of start-up to import; the memory-only default never needs it.
  const { RedisCache } = await import('./redis.js');
  const redis = new RedisCache({
    url: config.redis_url,
    keyPrefix: config.key_prefix,
    commandTimeoutMs: config.command_timeout_ms,
    logger,
    // Only called after start(), by which time `resilient` exists.
    onAvailabilityChange: (available) => resilient.availabilityChanged(available),
  });
  const resilient = new ResilientCache(redis, memory);
  await redis.start();
  return resilient;
}
