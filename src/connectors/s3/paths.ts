import { DataMcpError } from '../../results/errors.js';
import { checkPath, type CheckedPath } from '../path-guard.js';

/** A connector path split into the bucket (first segment) and the key below it. */
export interface S3Location {
  bucket: string;
  /** Key or key prefix; `""` for the bucket itself. Prefixes keep their trailing `/`. */
  key: string;
  checked: CheckedPath;
}

/**
 * Only configured buckets are reachable: any other bucket is NOT_FOUND, whether or not it
 * exists upstream, so the connector never becomes a way to probe for buckets.
 */
export function locate(path: string, buckets: readonly string[], connector: string): S3Location {
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
export function locateObject(path: string, buckets: readonly string[], connector: string): S3Location {
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
