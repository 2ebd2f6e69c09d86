import type { Cache, CacheStatus } from './types.js';

/**
 * Coalesces identical concurrent calls in this process: while a call for a key is running,
 * later callers get the same promise instead of starting their own (DESIGN §6). The entry is
 * removed when the call settles, so an error is shared by the callers that waited for it
 * but the next call starts afresh.
 */
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running as Promise<T>;
    // fn starts on the next microtask, after the entry is registered: a synchronous throw
    // must not settle (and try to remove) the entry before it exists, leaving it stuck.
    const started: Promise<T> = Promise.resolve()
      .then(fn)
      .finally(() => {
        if (this.inFlight.get(key) === started) this.inFlight.delete(key);
      });
    this.inFlight.set(key, started);
    return started;
  }

  /** Number of keys with a call in progress. */
  get size(): number {
    return this.inFlight.size;
  }
}

export interface GetOrComputeOptions {
  cache: Cache;
  key: string;
  ttlSeconds: number;
  flight: SingleFlight;
  /** Produces the value on a miss. Throwing (denied, failed) stores nothing. */
  compute: () => Promise<Uint8Array>;
  /** Asked after compute: false keeps the value out of the cache (e.g. a live, partial result). */
  shouldStore?: () => boolean;
  /** Longest wait for the cache write before answering anyway (default 250 ms). */
  maxSetWaitMs?: number;
}

export interface ComputedValue {
  value: Uint8Array;
  status: CacheStatus;
  ageMs?: number;
}

/**
 * get → on a miss or bypass, one coalesced computation → set. The status is this caller's own
 * cache lookup (`miss` or `bypass`), also for callers that joined a computation in progress.
 * The write is awaited only up to `maxSetWaitMs` (it normally lands first, so the next call is
 * a hit); a slow or failed write never delays or fails the call.
 */
export async function getOrCompute(options: GetOrComputeOptions): Promise<ComputedValue> {
  const { cache, key, ttlSeconds, flight, compute } = options;
  const cached = await cache.get(key);
  if (cached.status === 'hit' && cached.value) {
    return { value: cached.value, status: 'hit', ageMs: cached.ageMs };
  }
  const value = await flight.run(key, async () => {
    const computed = await compute();
    if (ttlSeconds > 0 && (options.shouldStore?.() ?? true)) await boundedWrite(cache.set(key, computed, ttlSeconds), options.maxSetWaitMs ?? 250);
    return computed;
  });
  return { value, status: cached.status === 'bypass' ? 'bypass' : 'miss' };
}

async function boundedWrite(write: Promise<void>, maxWaitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, maxWaitMs);
    timer.unref();
  });
  // The write keeps going if we stop waiting; its failure must not become an unhandled rejection.
  await Promise.race([write.catch(() => undefined), gaveUp]);
  clearTimeout(timer);
}
