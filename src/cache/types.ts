/**
 * The cache contract (DESIGN §6). Implementations never throw on outage: a failed get is a
 * miss and a failed set is dropped, and `status()` says whether results are `bypass`.
 */
export type CacheStatus = 'hit' | 'miss' | 'bypass';

export interface CacheGetResult {
  status: CacheStatus;
  value?: Uint8Array;
  /** Milliseconds since the entry was stored, when known. */
  ageMs?: number;
}

export interface Cache {
  readonly backend: 'redis' | 'memory';
  get(key: string): Promise<CacheGetResult>;
  set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** True while the configured backend is unreachable and calls are answered as `bypass`. */
  isBypassing(): boolean;
  /**
   * Takes a short-lived lock shared by every process on this cache (Redis `SET NX PX`), so
   * identical expensive work runs once across processes. Resolves to a release function, or
   * to `undefined` when another holder has it. Without a shared backend (memory, or Redis
   * down) it always succeeds: in-process single-flight is then the only coalescing.
   */
  tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  close(): Promise<void>;
}
