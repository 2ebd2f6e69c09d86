import { DataMcpError } from '../results/errors.js';
import { checkLimit, checkPath, type CheckedPath } from './path-guard.js';
import type { ListEntry, ListOptions, ListPage } from './types.js';

/**
 * Paths of the bucket-based object stores (s3, gcs): `bucket/key`, with only configured buckets
 * reachable. SDK-free and shared, so the stores address, refuse and page their buckets
 * identically and neither connector depends on the other's folder.
 */

/** A connector path split into the bucket (first segment) and the key below it. */
export interface ObjectLocation {
  bucket: string;
  /** Key or key prefix; `""` for the bucket itself. Prefixes keep their trailing `/`. */
  key: string;
  checked: CheckedPath;
}

/**
 * Only configured buckets are reachable: any other bucket is NOT_FOUND, whether or not it
 * exists upstream, so the connector never becomes a way to probe for buckets.
 */
export function locate(path: string, buckets: readonly string[], connector: string): ObjectLocation {
  const checked = checkPath(path);
  const [bucket, ...rest] = checked.segments;
  if (bucket === undefined) return { bucket: '', key: '', checked };
  if (!buckets.includes(bucket)) {
    throw new DataMcpError(
      'NOT_FOUND',
      `bucket "${bucket}" is not available in connector "${connector}"`,
      `Browse the connector root to see its buckets: ${buckets.map((b) => `"${b}"`).join(', ')}.`,
    );
  }
  const key = rest.length === 0 ? '' : rest.join('/') + (checked.isPrefix ? '/' : '');
  return { bucket, key, checked };
}

/** Requires a path that names an object (not the root, a bucket or a prefix). */
export function locateObject(path: string, buckets: readonly string[], connector: string): ObjectLocation {
  const location = locate(path, buckets, connector);
  if (location.key === '' || location.checked.isPrefix) {
    throw new DataMcpError(
      'INVALID_ARGUMENT',
      `"${path}" names a ${location.bucket === '' ? 'connector root' : location.key === '' ? 'bucket' : 'prefix'}, not an object`,
      'Browse it to list what it holds; describe and read take an object path like "bucket/folder/file.csv".',
    );
  }
  return location;
}

/** The connector root lists the configured buckets (and only those), paged by name. */
export function listBuckets(buckets: readonly string[], limit: number, cursor: string | undefined): ListPage {
  const sorted = [...buckets].sort();
  const after = cursor === undefined ? sorted : sorted.filter((b) => `${b}/` > cursor);
  const entries: ListEntry[] = after.slice(0, limit).map((b) => ({ name: b, path: `${b}/`, kind: 'container' }));
  const last = entries[entries.length - 1];
  return after.length > limit && last ? { entries, nextCursor: last.path } : { entries };
}

/** One page of objects (and, without `recursive`, sub-prefixes) below a prefix of one bucket. */
export interface ObjectListing {
  bucket: string;
  /** Key prefix: `""` or ending with `/`. */
  prefix: string;
  recursive: boolean;
  limit: number;
  /** The last key (object or common prefix) of the previous page, relative to the bucket. */
  cursor?: string;
  signal: AbortSignal;
}

/** What a `list` call on an object store comes down to: the root's bucket page, or one upstream listing. */
export type ListingPlan = { buckets: ListPage } | { objects: ObjectListing };

/**
 * Checks a `list` call and says what it needs, before any SDK is touched: the root lists the
 * configured buckets (not recursively: that would walk every bucket), anything below lists one
 * bucket under the path as a prefix. `maxPage` is the store's own page ceiling.
 */
export function planListing(path: string, options: ListOptions, buckets: readonly string[], connector: string, maxPage: number): ListingPlan {
  const location = locate(path, buckets, connector);
  const limit = checkLimit(options.limit, maxPage);
  if (location.bucket === '') {
    if (options.recursive) {
      throw new DataMcpError('INVALID_ARGUMENT', 'a recursive listing needs a bucket', 'List "bucket/" or "bucket/prefix/" recursively instead of the connector root.');
    }
    return { buckets: listBuckets(buckets, limit, options.cursor) };
  }
  const prefix = location.key === '' || location.key.endsWith('/') ? location.key : `${location.key}/`;
  return {
    objects: {
      bucket: location.bucket,
      prefix,
      recursive: options.recursive === true,
      limit,
      signal: options.signal,
      ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
    },
  };
}
