import { DataMcpError } from '../../results/errors.js';
import { checkRange, throwIfAborted } from '../abort.js';
import type { ByteSource } from '../types.js';
import type { S3Handle } from './client.js';
import { s3Error } from './errors.js';
import type { ObjectRef } from './stat.js';

/**
 * Ranged reads of one object. Every read sends an explicit `bytes=start-end` range — never a
 * suffix range (`bytes=-N`), which some S3-compatible stores get wrong — and `If-Match` with
 * the etag seen at open, so all reads come from one version of the object. The body is read
 * only up to the bytes asked for: a store that ignores the range cannot make us pull (or
 * buffer) the whole object.
 */
export class S3ByteSource implements ByteSource {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly etag: string | undefined,
    private readonly ref: ObjectRef,
    private readonly handle: () => Promise<S3Handle>,
    private readonly connector: string,
  ) {}

  async read(start: number, end: number): Promise<Uint8Array> {
    const { signal } = this.ref;
    throwIfAborted(signal);
    const range = checkRange(start, end, this.size);
    const wanted = range.end - range.start;
    if (wanted === 0) return new Uint8Array(0);
    // s3rver (and possibly others) answers `bytes=0-0` with the whole object; ask for two bytes
    // instead and keep one. Same result on a correct server.
    const lastByte = range.start === 0 && wanted === 1 && this.size > 1 ? 1 : range.end - 1;
    try {
      const { sdk, client } = await this.handle();
      const out = await client.send(
        new sdk.GetObjectCommand({
          Bucket: this.ref.bucket,
          Key: this.ref.key,
          Range: `bytes=${range.start}-${lastByte}`,
          ...(this.etag ? { IfMatch: this.etag } : {}),
        }),
        { abortSignal: signal },
      );
      const servedFrom = out.ContentRange ? Number(/^bytes (\d+)-/.exec(out.ContentRange)?.[1]) : 0;
      if (servedFrom !== range.start) throw this.badRange();
      return await readPrefix(out.Body as AsyncIterable<Uint8Array> | undefined, wanted, () => this.badRange());
    } catch (error) {
      throw s3Error(error, { connector: this.connector, operation: 'GetObject', path: this.path, signal });
    }
  }

  private badRange(): DataMcpError {
    return new DataMcpError('UPSTREAM_ERROR', `the store returned the wrong bytes for "${this.path}"`, 'Read it again; if it persists, the store does not support byte ranges correctly.');
  }
}

/** Copies the first `wanted` bytes of a body, then stops reading (which closes the stream). */
async function readPrefix(body: AsyncIterable<Uint8Array> | undefined, wanted: number, short: () => Error): Promise<Uint8Array> {
  if (!body) throw short();
  const out = new Uint8Array(wanted);
  let filled = 0;
  for await (const chunk of body) {
    const take = Math.min(chunk.byteLength, wanted - filled);
    out.set(chunk.subarray(0, take), filled);
    filled += take;
    if (filled === wanted) break;
  }
  if (filled < wanted) throw short();
  return out;
}
