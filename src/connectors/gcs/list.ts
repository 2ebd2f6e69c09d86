import { DataMcpError } from '../../results/errors.js';
import type { ObjectListing } from '../object-paths.js';
import { isAddressable } from '../path-guard.js';
import type { ListEntry, ListPage } from '../types.js';
import type { GcsHandle } from './client.js';
import { untilAborted } from './errors.js';

/** objects.list returns at most 1000 items + prefixes per page. */
export const MAX_GCS_PAGE = 1000;
/** Upstream requests one page may take (pages of folder markers or unaddressable names). */
const MAX_REQUESTS_PER_PAGE = 10;

/** The part of an objects.list response used here. */
interface ObjectsListResponse {
  items?: Array<{ name?: string; size?: string | number; updated?: string; etag?: string; generation?: string }>;
  prefixes?: string[];
  nextPageToken?: string;
}

/**
 * One page of a listing: with delimiter `/`, one level (prefixes and objects); without, every
 * object below. The cursor is the last name returned, not GCS's pageToken: GCS counts items
 * and prefixes together against `maxResults`, may return fewer, and may repeat a prefix on the
 * next page. Resuming from `startOffset` (a prefix cursor is skipped whole by starting at its
 * successor) keeps every entry exactly once, in name order, `limit` at a time.
 */
export async function listObjects({ storage }: GcsHandle, req: ObjectListing): Promise<ListPage> {
  const { cursor } = req;
  if (cursor !== undefined && (!cursor.startsWith(req.prefix) || cursor === req.prefix)) {
    throw new DataMcpError('INVALID_ARGUMENT', 'the cursor does not belong to this listing', 'Repeat the listing without a cursor.');
  }
  const bucket = storage.bucket(req.bucket);
  const byPath = new Map<string, ListEntry>();
  let pageToken: string | undefined;
  for (let request = 0; request < MAX_REQUESTS_PER_PAGE; request++) {
    const [, , raw] = await untilAborted(
      bucket.getFiles({
        autoPaginate: false,
        ...(req.prefix ? { prefix: req.prefix } : {}),
        ...(req.recursive ? {} : { delimiter: '/' }),
        // One extra: an object cursor comes back once more (startOffset is inclusive).
        maxResults: Math.min(MAX_GCS_PAGE, req.limit + 1),
        ...(cursor !== undefined ? { startOffset: cursor.endsWith('/') ? successor(cursor) : cursor } : {}),
        ...(pageToken !== undefined ? { pageToken } : {}),
      }),
      req.signal,
    );
    const out = (raw ?? {}) as ObjectsListResponse;
    for (const entry of entriesOf(req.bucket, out)) {
      const name = entry.path.slice(req.bucket.length + 1);
      if (cursor === undefined || name > cursor) byPath.set(entry.path, entry);
    }
    pageToken = out.nextPageToken || undefined;
    if (pageToken === undefined || byPath.size >= req.limit) break;
  }
  const sorted = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const entries = sorted.slice(0, req.limit);
  const last = entries[entries.length - 1];
  if (sorted.length <= req.limit && pageToken === undefined) return { entries };
  if (!last) throw new DataMcpError('UNAVAILABLE', 'the store returned no entries for several pages in a row', 'Try the listing again in a moment.');
  return { entries, nextCursor: last.path.slice(req.bucket.length + 1) };
}

/** The smallest name greater than every name below `prefix/` ("/" + 1 is "0"). */
function successor(prefix: string): string {
  return `${prefix.slice(0, -1)}0`;
}

/** Entries of one response, with folder markers and unaddressable names left out. */
function entriesOf(bucket: string, out: ObjectsListResponse): ListEntry[] {
  const result: ListEntry[] = [];
  for (const p of out.prefixes ?? []) result.push({ name: lastSegment(p), path: `${bucket}/${p}`, kind: 'prefix' });
  for (const o of out.items ?? []) {
    // Zero-byte "folder" objects (names ending in "/") are prefixes, not data.
    if (!o.name || o.name.endsWith('/')) continue;
    const size = Number(o.size);
    const modified = o.updated ? new Date(o.updated) : undefined;
    result.push({
      name: lastSegment(o.name),
      path: `${bucket}/${o.name}`,
      kind: 'object',
      ...(Number.isFinite(size) ? { size } : {}),
      ...(modified && !Number.isNaN(modified.getTime()) ? { modified: modified.toISOString() } : {}),
      ...(o.etag ? { etag: o.etag } : {}),
    });
  }
  // A listing only shows what the connector would let the agent open.
  return result.filter((e) => isAddressable(e.path));
}

function lastSegment(name: string): string {
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
