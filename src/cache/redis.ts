import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import { registerSecret } from '../results/scrub.js';
import { Availability } from './availability.js';
import { ageOf, decode, encode } from './envelope.js';
import type { Cache, CacheGetResult } from './types.js';

export interface RedisCacheOptions {
  /** redis:// or rediss:// URL; a password in it is registered with the log scrubber. */
  url: string;
  /** Prepended to every key, so several apps (or test runs) can share one Redis. */
  keyPrefix: string;
  /** Upper bound on any single command, including against a hung (SIGSTOPped) server. */
  commandTimeoutMs: number;
  /** Upper bound on one TCP connect attempt. */
  connectTimeoutMs?: number;
  /** Longest pause between reconnect attempts: how soon the cache returns after Redis does. */
  maxReconnectDelayMs?: number;
  logger?: Logger;
  /** Told on every up/down transition (the resilient cache empties its fallback on "up"). */
  onAvailabilityChange?: (available: boolean) => void;
  now?: () => number;
}

/**
 * Redis-backed cache configured to fail fast (DESIGN §6, test-backends notes): no offline
 * queue, no per-request retries, a command timeout, and a reconnect loop that never gives up.
 * Nothing here throws or waits on an outage: `get` answers `bypass`, `set` is dropped.
 */
export class RedisCache implements Cache {
  readonly backend = 'redis' as const;
  private readonly client: Redis;
  private readonly availability: Availability;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly connectTimeoutMs: number;
  private closed = false;
  private started = false;

  constructor(options: RedisCacheOptions) {
    registerUrlPassword(options.url);
    this.prefix = options.keyPrefix;
    this.now = options.now ?? Date.now;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 500;
    const maxDelay = options.maxReconnectDelayMs ?? 100;
    this.availability = new Availability('redis', options.logger, options.onAvailabilityChange);
    this.client = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: this.connectTimeoutMs,
      // A socket to a hung server never finishes closing; destroy it instead of waiting 2 s.
      disconnectTimeout: this.connectTimeoutMs,
      // Keep trying forever, but never wait long: the cache should return ~100 ms after Redis.
      retryStrategy: (attempt: number) => Math.min(attempt * 20, maxDelay),
      // A command that timed out was already answered as bypass; replaying it later is noise.
      autoResendUnfulfilledCommands: false,
    });
    // Without an 'error' listener an outage would be an unhandled 'error' event (a crash).
    this.client.on('error', (err: unknown) => this.down(err));
    this.client.on('close', () => this.down(new Error('connection closed')));
    this.client.on('ready', () => {
      if (!this.closed) this.availability.markUp();
    });
  }

  /**
   * Starts connecting and waits at most one connect timeout for the first answer, so a live
   * Redis serves the very first call while a dead one never blocks start-up: the cache starts
   * bypassing and the reconnect loop brings it back later.
   */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    const connected = this.client.connect().then(
      () => undefined,
      () => undefined, // reported through the 'error' listener; reconnects continue
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.connectTimeoutMs);
      timer.unref();
    });
    await Promise.race([connected, waited]);
    clearTimeout(timer);
  }

  isBypassing(): boolean {
    return this.closed || !this.availability.isUp() || this.client.status !== 'ready';
  }

  async get(key: string): Promise<CacheGetResult> {
    if (this.isBypassing()) return { status: 'bypass' };
    let stored: Buffer | null;
    try {
      stored = await this.client.getBuffer(this.prefix + key);
    } catch (err) {
      this.commandFailed(err);
      return { status: 'bypass' };
    }
    const entry = decode(stored);
    if (!entry) return { status: 'miss' }; // absent, or bytes this code did not write
    return { status: 'hit', value: entry.value, ageMs: ageOf(entry.storedAt, this.now()) };
  }

  /** Stores with `SET key value PX ttl`. A TTL of 0 (or less) means "do not cache". */
  async set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void> {
    if (!(ttlSeconds > 0) || this.isBypassing()) return;
    try {
      await this.client.set(this.prefix + key, encode(value, this.now()), 'PX', Math.max(1, Math.round(ttlSeconds * 1000)));
    } catch (err) {
      this.commandFailed(err);
    }
  }

  async delete(key: string): Promise<void> {
    if (this.isBypassing()) return;
    try {
      await this.client.del(this.prefix + key);
    } catch (err) {
      this.commandFailed(err);
    }
  }

  /**
   * `SET lock:<key> <token> NX PX ttl`; the release deletes the lock only while it still holds
   * our random token (a compare-and-delete script), so a holder whose lock expired never
   * frees the next holder's. A failed command means no shared lock: proceed unlocked.
   */
  async tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const unlocked = () => Promise.resolve();
    if (this.isBypassing()) return unlocked;
    const lockKey = `${this.prefix}lock:${key}`;
    const token = randomBytes(16).toString('hex');
    try {
      const taken = await this.client.set(lockKey, token, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
      if (taken !== 'OK') return undefined;
    } catch (err) {
      this.commandFailed(err);
      return unlocked;
    }
    return async () => {
      try {
        await this.client.eval(RELEASE_SCRIPT, 1, lockKey, token);
      } catch (err) {
        this.commandFailed(err); // the lock expires by itself
      }
    };
  }

  /** Quits politely when Redis answers, and always tears the socket down: never hangs. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.client.status === 'ready') {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.connectTimeoutMs);
      });
      await Promise.race([this.client.quit().catch(() => undefined), bound]);
      clearTimeout(timer);
    }
    this.client.disconnect(false);
  }

  private down(reason: unknown): void {
    if (!this.closed) this.availability.markDown(reason);
  }

  /**
   * A reply error (WRONGTYPE, OOM...) concerns one command: that call bypasses, the cache stays
   * up. Anything else (timeout, closed socket) is an outage. A timeout on a connection that
   * still looks ready means a hung server: drop the socket so the reconnect loop, whose
   * handshake is bounded by the command timeout too, decides when Redis is back.
   */
  private commandFailed(err: unknown): void {
    if (this.closed || (err instanceof Error && err.name === 'ReplyError')) return;
    const startedOutage = this.availability.markDown(err);
    // Once per outage: every call in flight fails at the same moment.
    if (startedOutage && this.client.status === 'ready') this.client.disconnect(true);
  }
}

const RELEASE_SCRIPT = 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end';

function registerUrlPassword(url: string): void {
  try {
    const password = new URL(url).password;
    if (password) registerSecret(decodeURIComponent(password));
  } catch {
    // The config schema validated the scheme; an unparsable rest is ioredis's to report.
  }
}
