import { LRUCache } from 'lru-cache';
import type { Cache, CacheGetResult } from './types.js';
import { ageOf } from './envelope.js';

export interface MemoryCacheOptions {
  /** Most entries kept; 0 disables the cache (nothing is stored). */
  maxEntries: number;
  /** Most bytes kept (values plus a small per-entry overhead); 0 disables the cache. */
  maxBytes: number;
  /** Wall clock in ms; injectable so tests can move time instead of sleeping. */
  now?: () => number;
}

interface Entry {
  value: Uint8Array;
  storedAt: number;
}

/** Rough bookkeeping cost of one entry beyond its value (key string, LRU slots, object). */
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * In-process LRU bounded by entry count and bytes, with a TTL per entry. Used alone when no
 * Redis is configured and as the fallback while Redis is down. It never bypasses.
 *
 * Values are copied on the way in and out: a caller that later reuses or mutates its buffer
 * must not change what the cache hands to the next caller.
 */
export class MemoryCache implements Cache {
  readonly backend = 'memory' as const;
  private readonly lru: LRUCache<string, Entry> | undefined;
  private readonly now: () => number;

  constructor(options: MemoryCacheOptions) {
    this.now = options.now ?? Date.now;
    if (options.maxEntries <= 0 || options.maxBytes <= 0) return;
    const now = this.now;
    this.lru = new LRUCache<string, Entry>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (entry, key) => entry.value.byteLength + key.length + ENTRY_OVERHEAD_BYTES,
      // lru-cache measures TTL with its own clock; give it ours so expiry and ageMs agree.
      perf: { now },
      ttlResolution: 0,
      allowStale: false,
      updateAgeOnGet: false,
    });
  }

  get(key: string): Promise<CacheGetResult> {
    const entry = this.lru?.get(key);
    if (!entry) return Promise.resolve({ status: 'miss' });
    return Promise.resolve({
      status: 'hit',
      value: entry.value.slice(),
      ageMs: ageOf(entry.storedAt, this.now()),
    });
  }

  /** A TTL of 0 (or less) means "do not cache"; an entry larger than the whole budget is skipped. */
  set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void> {
    if (!this.lru || !(ttlSeconds > 0)) return Promise.resolve();
    this.lru.set(key, { value: value.slice(), storedAt: this.now() }, { ttl: Math.round(ttlSeconds * 1000) });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.lru?.delete(key);
    return Promise.resolve();
  }

  /** Drops every entry (the resilient cache empties its fallback when Redis returns). */
  clear(): void {
    this.lru?.clear();
  }

  /** Entries currently held, stale ones included until they are touched. */
  get size(): number {
    return this.lru?.size ?? 0;
  }

  /** One process shares nothing: in-process single-flight already coalesces. */
  tryLock(): Promise<() => Promise<void>> {
    return Promise.resolve(() => Promise.resolve());
  }

  isBypassing(): boolean {
    return false;
  }

  close(): Promise<void> {
    this.lru?.clear();
    return Promise.resolve();
  }
}
