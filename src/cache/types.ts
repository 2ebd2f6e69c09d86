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
  close(): Promise<void>;
}
