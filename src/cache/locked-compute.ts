import type { SingleFlight } from './single-flight.js';
import type { Cache, CacheStatus } from './types.js';

export interface LockedComputeOptions {
  cache: Cache;
  flight: SingleFlight;
  key: string;
  ttlSeconds: number;
  /** How long the cross-process lock lives: the longest a computation is expected to take. */
  lockMs: number;
  /** How often a waiting process looks for the holder's result. */
  pollMs?: number;
  signal?: AbortSignal;
  compute: () => Promise<Uint8Array>;
  /** Asked after compute: false keeps the value out of the cache (e.g. too large). */
  shouldStore?: (value: Uint8Array) => boolean;
}

export interface LockedComputeResult {
  value: Uint8Array;
  status: CacheStatus;
  ageMs?: number;
  /** True when this process computed the value (false: a hit, or another caller's work). */
  computed: boolean;
}

/**
 * get → miss → one computation across every process sharing the cache (DESIGN §6): in this
 * process identical callers join one promise (single-flight); across processes the first
 * takes `SET NX PX`, the others poll for its result; one that gets the lock after the holder
 * looks once more and computes only if the holder stored nothing (it failed, or the value
 * was too big to keep).
 */
export async function lockedCompute(options: LockedComputeOptions): Promise<LockedComputeResult> {
  const { cache, key } = options;
  const first = await cache.get(key);
  if (first.status === 'hit' && first.value) return { value: first.value, status: 'hit', ...ageOf(first.ageMs), computed: false };
  const missStatus: CacheStatus = first.status === 'bypass' ? 'bypass' : 'miss';
  let mine = false;
  const outcome = await options.flight.run(key, async (): Promise<{ value: Uint8Array; hit?: { ageMs?: number } }> => {
    const pollMs = options.pollMs ?? 50;
    const deadline = Date.now() + options.lockMs;
    for (;;) {
      const release = await cache.tryLock(key, options.lockMs);
      // Past the deadline the holder is presumed dead (its lock lapses too): compute anyway.
      if (release || options.signal?.aborted || Date.now() > deadline) {
        try {
          // The previous holder may have stored the value between our get and our lock.
          const again = release ? await cache.get(key) : undefined;
          if (again?.status === 'hit' && again.value) return { value: again.value, hit: ageOf(again.ageMs) };
          mine = true;
          const value = await options.compute();
          if (options.ttlSeconds > 0 && (options.shouldStore?.(value) ?? true)) await cache.set(key, value, options.ttlSeconds);
          return { value };
        } finally {
          await release?.();
        }
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs).unref());
      const got = await cache.get(key);
      if (got.status === 'hit' && got.value) return { value: got.value, hit: ageOf(got.ageMs) };
    }
  });
  if (outcome.hit) return { value: outcome.value, status: 'hit', ...outcome.hit, computed: false };
  return { value: outcome.value, status: missStatus, computed: mine };
}

function ageOf(ageMs: number | undefined): { ageMs?: number } {
  return ageMs !== undefined ? { ageMs } : {};
}
