import type { Readable } from 'node:stream';
import { DataMcpError } from '../../results/errors.js';
import { abortError, checkRange, throwIfAborted } from '../abort.js';
import type { ByteSource } from '../types.js';
import type { GcsHandle } from './client.js';
import { gcsError } from './errors.js';
import type { ObjectRef } from './stat.js';

/**
 * Ranged reads of one object. Every read names the generation seen at open (`generation=N`),
 * so all ranges come from the same bytes: after a concurrent overwrite the pinned generation
 * is gone (404) — or, in a versioned bucket, still readable — and never silently mixed with
 * the new one. (The SDK's read stream takes no `ifGenerationMatch`; `generation` is the
 * precondition it does send.) Each read asks for an explicit `bytes=start-end` range and stops
 * reading the body once it has the bytes asked for.
 */
export class GcsByteSource implements ByteSource {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly etag: string | undefined,
    private readonly ref: ObjectRef,
    private readonly generation: string | undefined,
    private readonly handle: () => Promise<GcsHandle>,
    private readonly connector: string,
  ) {}

  async read(start: number, end: number): Promise<Uint8Array> {
    const { signal } = this.ref;
    throwIfAborted(signal);
    const range = checkRange(start, end, this.size);
    const wanted = range.end - range.start;
    if (wanted === 0) return new Uint8Array(0);
    let stream: Readable | undefined;
    const onAbort = () => stream?.destroy(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const { storage } = await this.handle();
      throwIfAborted(signal);
      const file = storage.bucket(this.ref.bucket).file(this.ref.name, this.generation !== undefined ? { generation: this.generation } : {});
      // The SDK's range end is inclusive. Stored bytes as they are: sizes and offsets refer to them.
      const body = file.createReadStream({ start: range.start, end: range.end - 1, validation: false, decompress: false });
      stream = body;
      let servedFrom: number | undefined;
      body.on('response', (res: { statusCode?: number; headers?: Record<string, string | undefined> }) => {
        const contentRange = res.headers?.['content-range'];
        servedFrom = res.statusCode === 206 && contentRange ? Number(/^bytes (\d+)-/.exec(contentRange)?.[1]) : 0;
      });
      return await readPrefix(body, wanted, () => servedFrom === range.start, () => this.badRange());
    } catch (error) {
      throw gcsError(error, { connector: this.connector, operation: 'objects.get', path: this.path, signal, pinned: this.generation !== undefined });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private badRange(): DataMcpError {
    return new DataMcpError('UPSTREAM_ERROR', `the store returned the wrong bytes for "${this.path}"`, 'Read it again; if it persists, the store does not support byte ranges correctly.');
  }
}

/** Copies the first `wanted` bytes of a body; reading stops (ending the request) if more arrive. */
async function readPrefix(body: Readable, wanted: number, rightStart: () => boolean, wrong: () => Error): Promise<Uint8Array> {
  const out = new Uint8Array(wanted);
  let filled = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    // A store that ignores the range sends the object from byte 0: refuse, don't slice.
    if (!rightStart()) throw wrong();
    const take = Math.min(chunk.byteLength, wanted - filled);
    out.set(chunk.subarray(0, take), filled);
    filled += take;
    // Stop early only when the store sends more than asked. A body that ends where it should
    // is read to its end: destroying the SDK's stream early makes it destroy the HTTP agent,
    // which resets other pooled connections (seen as ECONNRESET + a retry on the next call).
    if (take < chunk.byteLength) break;
  }
  if (filled < wanted) throw wrong();
  return out;
}
