import { checkRange, throwIfAborted } from '../abort.js';
import type { ByteSource } from '../types.js';
import { readBodyPrefix, wrongBytes, type ResponseBody } from './body.js';
import type { S3Handle } from './client.js';
import { s3Error } from './errors.js';
import { DataMcpError } from '../../results/errors.js';
import { isStaleAnswer, markStale } from './known-versions.js';
import type { PrefetchedWindow } from './open.js';
import type { ObjectRef } from './stat.js';

/** Thrown inside fetch when an answer is of another object version; mapped in its catch. */
const VERSION_CHANGED = Symbol('s3 object version changed');

/**
 * Ranged reads of one object. Reads inside the window fetched on open (the object's tail, see
 * open.ts) are served from memory. Every other read sends an explicit `bytes=start-end` range
 * and `If-Match` with the etag seen at open, so all reads come from one version of the object.
 * The body is read only up to the bytes asked for (plus a small remainder, to keep the
 * connection): a store that ignores the range cannot make us pull (or buffer) the whole object.
 * The bytes really fetched — the window included, window hits not again — are kept for
 * `takeFetchedBytes` (see ByteSource).
 *
 * An optimistic source (opened from memory, see known-versions.ts) has no window and fetched
 * nothing yet; a read that finds the remembered version gone calls `onStale` and throws an
 * error marked `detail.stale`.
 */
export class S3ByteSource implements ByteSource {
  private fetched: number;
  private reported = 0;

  constructor(
    readonly path: string,
    readonly size: number,
    readonly etag: string | undefined,
    private readonly ref: ObjectRef,
    private readonly handle: () => Promise<S3Handle>,
    private readonly connector: string,
    private readonly window?: PrefetchedWindow,
    private readonly onStale?: () => void,
  ) {
    this.fetched = window?.bytes.byteLength ?? 0;
  }

  takeFetchedBytes(): number {
    const bytes = this.fetched - this.reported;
    this.reported = this.fetched;
    return bytes;
  }

  /** Opened from memory (optimistic): nothing has confirmed the version until a read does. */
  get fromMemory(): boolean {
    return this.onStale !== undefined;
  }

  /** The store's own version of the object: every read is pinned to it with If-Match. */
  get version(): string | undefined {
    return this.etag ? JSON.stringify(['s3', this.connector, this.path, this.etag, this.size]) : undefined;
  }

  async read(start: number, end: number): Promise<Uint8Array> {
    throwIfAborted(this.ref.signal);
    const range = checkRange(start, end, this.size);
    if (range.end === range.start) return new Uint8Array(0);
    const window = this.window;
    const windowEnd = window ? window.start + window.bytes.byteLength : 0;
    if (!window || range.end <= window.start || range.end > windowEnd) return this.fetch(range.start, range.end);
    // A copy: callers may keep or transfer what they get, and the window serves later reads too.
    const held = window.bytes.slice(Math.max(0, range.start - window.start), range.end - window.start);
    if (range.start >= window.start) return held;
    // A footer bigger than the window: fetch only the part before it.
    const head = await this.fetch(range.start, window.start);
    const out = new Uint8Array(range.end - range.start);
    out.set(head, 0);
    out.set(held, head.byteLength);
    return out;
  }

  private answersAnotherVersion(etag: string | undefined, contentRange: string | undefined): boolean {
    if (this.etag && etag && etag !== this.etag) return true;
    const total = contentRange ? Number(/\/(\d+)$/.exec(contentRange)?.[1]) : Number.NaN;
    return Number.isFinite(total) && total !== this.size;
  }

  private async fetch(start: number, end: number): Promise<Uint8Array> {
    const { signal } = this.ref;
    const wanted = end - start;
    // s3rver (and possibly others) answers `bytes=0-0` with the whole object; ask for two bytes
    // instead and keep one. Same result on a correct server.
    const lastByte = start === 0 && wanted === 1 && this.size > 1 ? 1 : end - 1;
    try {
      const { sdk, client } = await this.handle();
      const out = await client.send(
        new sdk.GetObjectCommand({
          Bucket: this.ref.bucket,
          Key: this.ref.key,
          Range: `bytes=${start}-${lastByte}`,
          ...(this.etag ? { IfMatch: this.etag } : {}),
        }),
        { abortSignal: signal },
      );
      const body = out.Body as ResponseBody | undefined;
      const servedFrom = out.ContentRange ? Number(/^bytes (\d+)-/.exec(out.ContentRange)?.[1]) : 0;
      if (servedFrom !== start) {
        body?.destroy?.();
        throw wrongBytes(this.path);
      }
      // If-Match is the pin, but not every S3-compatible store honours it (s3rver does not): the
      // answer's own ETag and total size must be the version this source stands for, too.
      if (this.answersAnotherVersion(out.ETag, out.ContentRange)) {
        body?.destroy?.();
        throw VERSION_CHANGED;
      }
      const bytes = await readBodyPrefix(body, wanted, out.ContentLength, () => wrongBytes(this.path));
      this.fetched += bytes.byteLength;
      return bytes;
    } catch (error) {
      const mapped =
        error === VERSION_CHANGED
          ? new DataMcpError('UPSTREAM_ERROR', `"${this.path}" changed while it was being read`, 'Read it again to get the current version.')
          : s3Error(error, { connector: this.connector, operation: 'GetObject', path: this.path, signal });
      if (!this.onStale || signal.aborted || (error !== VERSION_CHANGED && !isStaleAnswer(error))) throw mapped;
      this.onStale();
      throw markStale(mapped);
    }
  }
}
