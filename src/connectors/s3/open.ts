import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { discardBody, readBodyPrefix, wrongBytes, type ResponseBody } from './body.js';
import type { S3Handle } from './client.js';
import { headObject, type ObjectRef } from './stat.js';

/** The object's last bytes fetched on open: a Parquet footer (and its 8-byte trailer) almost always fits. */
export const TAIL_BYTES = 64 * 1024;

/** Bytes of the object already in memory: [start, start + bytes.length). */
export interface PrefetchedWindow {
  start: number;
  bytes: Uint8Array;
}

export interface OpenedObject {
  size: number;
  etag?: string;
  window?: PrefetchedWindow;
}

/**
 * Opens an object with one GET instead of HEAD-then-GET: a suffix range (`bytes=-N`) returns
 * the object's tail and, in Content-Range, its size and so the whole round trip of a HEAD is
 * saved and the footer read that usually follows is served from memory.
 *
 * The answer is trusted only as far as it describes itself. Content-Range says which bytes came
 * back, so a store that serves a suffix range from the start (s3rver: `bytes=-8` → bytes 0-8)
 * still gives a correct size and a correct (if less useful) window. A 200 is the whole object
 * (a store that ignores Range, or a small object): its Content-Length is the size, and its
 * bytes are kept only when they are few. Anything else — S3's 416 for an empty object, a 206
 * without a usable Content-Range — falls back to HEAD, as before.
 */
export async function openObject(handle: S3Handle, ref: ObjectRef): Promise<OpenedObject> {
  const { sdk, client } = handle;
  let out: GetObjectCommandOutput;
  try {
    out = await client.send(new sdk.GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, Range: `bytes=-${TAIL_BYTES}` }), { abortSignal: ref.signal });
  } catch (error) {
    // A suffix range is unsatisfiable only on an empty object; HEAD gives its size and etag.
    if (isInvalidRange(error)) return fromHead(handle, ref);
    throw error;
  }
  const body = out.Body as ResponseBody | undefined;
  const etag = out.ETag ? { etag: out.ETag } : {};
  const status = out.$metadata.httpStatusCode;
  const declared = out.ContentLength;
  const range = status === 206 ? parseContentRange(out.ContentRange) : undefined;
  if (range) {
    const length = range.last - range.first + 1;
    // Far more than asked for (a store that mangled the range): keep the size, not the bytes.
    if (length > 2 * TAIL_BYTES) {
      discardBody(body);
      return { size: range.total, ...etag };
    }
    const bytes = await readBodyPrefix(body, length, declared, () => wrongBytes(ref.path));
    return { size: range.total, ...etag, window: { start: range.first, bytes } };
  }
  if (status === 200 && isByteCount(declared)) {
    if (declared > TAIL_BYTES) {
      discardBody(body);
      return { size: declared, ...etag };
    }
    const bytes = await readBodyPrefix(body, declared, declared, () => wrongBytes(ref.path));
    return { size: declared, ...etag, window: { start: 0, bytes } };
  }
  discardBody(body);
  return fromHead(handle, ref);
}

/** `bytes FIRST-LAST/TOTAL` describing a non-empty range inside the object; undefined otherwise (s3rver's `bytes 0-0/0` for an empty object). */
export function parseContentRange(header: string | undefined): { first: number; last: number; total: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [first, last, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (![first, last, total].every(Number.isSafeInteger) || first > last || last >= total) return undefined;
  return { first, last, total };
}

async function fromHead(handle: S3Handle, ref: ObjectRef): Promise<OpenedObject> {
  const stat = await headObject(handle, ref);
  return { size: stat.size, ...(stat.etag ? { etag: stat.etag } : {}) };
}

function isByteCount(value: number | undefined): value is number {
  return value !== undefined && Number.isSafeInteger(value) && value >= 0;
}

function isInvalidRange(error: unknown): boolean {
  const e = error as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  return e?.$metadata?.httpStatusCode === 416 || e?.name === 'InvalidRange' || e?.Code === 'InvalidRange';
}
