import { LRUCache } from 'lru-cache';
import { DataMcpError } from '../../results/errors.js';

/** What an open or stat last saw of an object: enough to open it again without asking. */
export interface KnownVersion {
  etag: string;
  size: number;
}

/**
 * The last version seen of recently opened objects, per credential scope and key, so that an
 * optimistic open (CallOptions.optimistic) can skip the request that would only repeat it.
 * Nothing read is trusted on this memory alone: every read of such a source carries
 * If-Match with the remembered ETag, and a 412/404 turns into a "stale" error the caller
 * retries with a real open. The TTL only bounds how old a `size` shown to a caller that never
 * reads can be. Keyed by credential scope too: another principal's open must not learn a size
 * that its own credentials would not have been allowed to see.
 */
export class KnownVersions {
  private readonly entries = new LRUCache<string, KnownVersion>({ max: 1000, ttl: 60_000 });

  recall(scope: string, bucket: string, key: string): KnownVersion | undefined {
    return this.entries.get(entryKey(scope, bucket, key));
  }

  /** Objects without an ETag, and empty ones (no read would ever validate them), are not kept. */
  remember(scope: string, bucket: string, key: string, seen: { etag?: string | undefined; size: number }): void {
    if (seen.etag && seen.size > 0) this.entries.set(entryKey(scope, bucket, key), { etag: seen.etag, size: seen.size });
    else this.forget(bucket, key);
  }

  /** Forgets a key for every scope: the object changed (or was written / deleted by us). */
  forget(bucket: string, key: string): void {
    const suffix = `\u0000${bucket}\u0000${key}`;
    for (const k of [...this.entries.keys()]) if (k.endsWith(suffix)) this.entries.delete(k);
  }
}

function entryKey(scope: string, bucket: string, key: string): string {
  return `${scope}\u0000${bucket}\u0000${key}`;
}

/**
 * The store's answer to a read pinned to a remembered ETag says the object is no longer that
 * version: 412 (replaced), 404 (deleted) or 416 (shorter than remembered).
 */
export function isStaleAnswer(error: unknown): boolean {
  const e = error as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  const code = e?.Code ?? e?.name;
  return status === 412 || status === 404 || status === 416 || code === 'PreconditionFailed' || code === 'NoSuchKey' || code === 'InvalidRange';
}

/**
 * The mapped error of a read that proved an optimistic open stale, marked `detail.stale` so the
 * one caller that opens optimistically (src/data/read-objects.ts) knows to open again for real.
 * It keeps the code the plain read would have had, so if it ever escaped it would still be
 * honest ("changed while it was being read", or NOT_FOUND).
 */
export function markStale(error: DataMcpError): DataMcpError {
  return new DataMcpError(error.code, error.message, error.hint, { ...error.detail, stale: true });
}
