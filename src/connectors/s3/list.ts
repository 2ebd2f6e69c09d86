import { DataMcpError } from '../../results/errors.js';
import type { ObjectListing } from '../object-paths.js';
import type { ListEntry, ListPage } from '../types.js';
import { isAddressable } from '../path-guard.js';
import type { S3Handle } from './client.js';

/** S3 accepts at most 1000 keys per ListObjectsV2 page. */
export const MAX_S3_PAGE = 1000;
/** Upstream requests one page may take (pages of folder markers, a re-sent prefix). */
const MAX_REQUESTS_PER_PAGE = 10;

/**
 * One page of a listing: with a delimiter, one level (prefixes and objects); without, every
 * object below. The cursor is the last key returned, sent back as `StartAfter`, and each page
 * is cut to `limit` entries in path order. That keeps paging exact on stores that count
 * common prefixes differently or repeat them (s3rver does both), and a trimmed entry is
 * simply listed again on the next page.
 */
export async function listObjects({ sdk, client }: S3Handle, req: ObjectListing): Promise<ListPage> {
  const cursor = req.cursor;
  if (cursor !== undefined && !cursor.startsWith(req.prefix)) {
    throw new DataMcpError('INVALID_ARGUMENT', 'the cursor does not belong to this listing', 'Repeat the listing without a cursor.');
  }
  const byPath = new Map<string, ListEntry>();
  let token: string | undefined;
  let truncated = false;
  for (let request = 0; request < MAX_REQUESTS_PER_PAGE; request++) {
    const out = await client.send(
      new sdk.ListObjectsV2Command({
        Bucket: req.bucket,
        ...(req.prefix ? { Prefix: req.prefix } : {}),
        ...(req.recursive ? {} : { Delimiter: '/' }),
        // One extra: a cursor that is a common prefix comes back once more and is dropped.
        MaxKeys: Math.min(MAX_S3_PAGE, req.limit + 1),
        ...(token !== undefined ? { ContinuationToken: token } : cursor !== undefined ? { StartAfter: cursor } : {}),
      }),
      { abortSignal: req.signal },
    );
    for (const [key, entry] of entriesOf(req.bucket, out)) {
      if (cursor === undefined || key > cursor) byPath.set(entry.path, entry);
    }
    truncated = out.IsTruncated === true && out.NextContinuationToken !== undefined;
    if (!truncated || byPath.size >= req.limit) break;
    token = out.NextContinuationToken;
  }
  const sorted = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const entries = sorted.slice(0, req.limit);
  const last = entries[entries.length - 1];
  if (!(sorted.length > req.limit || truncated)) return { entries };
  if (!last) throw new DataMcpError('UNAVAILABLE', 'the store returned no entries for several pages in a row', 'Try the listing again in a moment.');
  return { entries, nextCursor: last.path.slice(req.bucket.length + 1) };
}

/** Entries of one response, keyed by their S3 key, with unaddressable keys left out. */
function entriesOf(
  bucket: string,
  out: { CommonPrefixes?: Array<{ Prefix?: string }>; Contents?: Array<{ Key?: string; Size?: number; LastModified?: Date; ETag?: string }> },
): Array<[string, ListEntry]> {
  const result: Array<[string, ListEntry]> = [];
  for (const p of out.CommonPrefixes ?? []) {
    if (p.Prefix) result.push([p.Prefix, { name: lastSegment(p.Prefix), path: `${bucket}/${p.Prefix}`, kind: 'prefix' }]);
  }
  for (const o of out.Contents ?? []) {
    // Zero-byte "folder marker" keys (ending in "/") are prefixes, not data.
    if (!o.Key || o.Key.endsWith('/')) continue;
    result.push([
      o.Key,
      {
        name: lastSegment(o.Key),
        path: `${bucket}/${o.Key}`,
        kind: 'object',
        ...(o.Size !== undefined ? { size: o.Size } : {}),
        ...(o.LastModified ? { modified: o.LastModified.toISOString() } : {}),
        ...(o.ETag ? { etag: o.ETag } : {}),
      },
    ]);
  }
  // Keys that are not addressable paths ("a//b", "../x", control characters) are left out:
  // a listing only shows what the connector would let the agent open.
  return result.filter(([, e]) => isAddressable(e.path));
}

function lastSegment(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
