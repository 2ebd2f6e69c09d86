/**
 * Reading S3 response bodies without wasting connections. A body that is abandoned before its
 * end closes its socket (Node destroys the connection of an unfinished response), so the next
 * request pays a new TCP handshake. A small remainder is therefore read to the end, which hands
 * the connection back to the keep-alive pool; a large one (a store that ignored the range) is
 * destroyed, so such a store cannot make us pull the whole object.
 */

import { DataMcpError } from '../../results/errors.js';

/** What GetObject's `Body` is in Node: an IncomingMessage, which is async-iterable and destroyable. */
export type ResponseBody = AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => void };

/** Bytes past the wanted ones that are cheaper to read than to reconnect for (~a few ms on a LAN, more over TLS). */
export const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * The first `wanted` bytes of `body`. `declared` is the response's Content-Length when known:
 * it tells up front whether the remainder is small enough to drain. Throws `short()` when the
 * body ends before `wanted` bytes.
 */
export async function readBodyPrefix(body: ResponseBody | undefined, wanted: number, declared: number | undefined, short: () => Error): Promise<Uint8Array> {
  if (!body) {
    if (wanted === 0) return new Uint8Array(0);
    throw short();
  }
  const out = uninitialized(wanted);
  const chunks = body[Symbol.asyncIterator]();
  let filled = 0;
  let received = 0;
  let ended = false;
  try {
    while (filled < wanted) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        throw short();
      }
      const take = Math.min(next.value.byteLength, wanted - filled);
      out.set(next.value.subarray(0, take), filled);
      filled += take;
      received += next.value.byteLength;
    }
    const remaining = declared === undefined ? undefined : declared - received;
    if (remaining !== undefined && remaining <= DRAIN_LIMIT_BYTES) ended = await drain(chunks, DRAIN_LIMIT_BYTES);
    return out;
  } finally {
    if (!ended) await discard(body, chunks);
  }
}

/**
 * A buffer of `length` bytes that every caller overwrites whole before it is seen (or drops on
 * error): zero-filling megabytes of row groups first costs more than the copy itself. Its own
 * ArrayBuffer (never Node's shared pool), wrapped as a plain Uint8Array so `slice` copies.
 */
function uninitialized(length: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
}

/** The store's answer does not hold the bytes its headers (or our range) promised. */
export function wrongBytes(path: string): DataMcpError {
  return new DataMcpError('UPSTREAM_ERROR', `the store returned the wrong bytes for "${path}"`, 'Read it again; if it persists, the store does not support byte ranges correctly.');
}

/** Ends a body we will not read (a fallback path): destroyed, so its socket is not left half-read. */
export function discardBody(body: ResponseBody | undefined): void {
  body?.destroy?.();
}

/** Reads the rest of a body, at most `limit` bytes; true when it reached the end. */
async function drain(chunks: AsyncIterator<Uint8Array>, limit: number): Promise<boolean> {
  let read = 0;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return true;
    read += next.value.byteLength;
    // A Content-Length that lied must not turn a drain into a download.
    if (read > limit) return false;
  }
}

async function discard(body: ResponseBody, chunks: AsyncIterator<Uint8Array>): Promise<void> {
  if (body.destroy) {
    body.destroy();
    return;
  }
  await chunks.return?.();
}
