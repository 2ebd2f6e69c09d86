import type { S3ConnectorConfig } from '../../config/schema.js';
import { throwIfAborted } from '../abort.js';
import { capabilitySet } from '../capabilities.js';
import type { ConnectorContext } from '../kinds.js';
import { planListing } from '../object-paths.js';
import type { ByteSource, CallOptions, Capability, Connector, ListOptions, ListPage, ObjectStat, WriteOptions, WriteResult } from '../types.js';
import { objectExists } from '../write-conflict.js';
import { S3ClientPool } from './client.js';
import { s3Error } from './errors.js';
import { KnownVersions } from './known-versions.js';
import { listObjects, MAX_S3_PAGE } from './list.js';
import { openObject } from './open.js';
import { locateObject } from './paths.js';
import { S3ByteSource } from './read.js';
import { headObject } from './stat.js';
import { deleteObject, ExistsPrecondition, putObject } from './write.js';

/**
 * AWS S3 or any S3-compatible store (DESIGN §9). Paths are `bucket/key`; only configured
 * buckets are reachable. The SDK is loaded, and clients created, on the first call that needs
 * one — one client per credential scope.
 */
export class S3Connector implements Connector {
  readonly kind = 's3';
  readonly capabilities: ReadonlySet<Capability> = capabilitySet('s3');
  private readonly pool: S3ClientPool;
  private readonly known = new KnownVersions();

  constructor(
    readonly name: string,
    private readonly config: S3ConnectorConfig,
  ) {
    this.pool = new S3ClientPool(config);
  }

  async list(path: string, options: ListOptions): Promise<ListPage> {
    throwIfAborted(options.signal);
    const plan = planListing(path, options, this.config.buckets, this.name, MAX_S3_PAGE);
    if ('buckets' in plan) return plan.buckets;
    try {
      const handle = await this.pool.get(options.credentials);
      return await listObjects(handle, plan.objects);
    } catch (error) {
      throw s3Error(error, { connector: this.name, operation: 'ListObjectsV2', path, signal: options.signal });
    }
  }

  async stat(path: string, options: CallOptions): Promise<ObjectStat> {
    throwIfAborted(options.signal);
    const { bucket, key } = locateObject(path, this.config.buckets, this.name);
    try {
      const stat = await headObject(await this.pool.get(options.credentials), { bucket, key, path, signal: options.signal });
      this.known.remember(options.credentials.id, bucket, key, stat);
      return stat;
    } catch (error) {
      throw s3Error(error, { connector: this.name, operation: 'HeadObject', path, signal: options.signal });
    }
  }

  /**
   * One GET (no HEAD): the object's size, etag and tail arrive together (see open.ts). With
   * `optimistic` and a version remembered from a recent open or stat, no request at all: the
   * reads' If-Match validates it, and a stale one fails them with `detail.stale`.
   */
  async open(path: string, options: CallOptions): Promise<ByteSource> {
    throwIfAborted(options.signal);
    const { bucket, key } = locateObject(path, this.config.buckets, this.name);
    const ref = { bucket, key, path, signal: options.signal };
    const handle = () => this.pool.get(options.credentials);
    const scope = options.credentials.id;
    const known = options.optimistic ? this.known.recall(scope, bucket, key) : undefined;
    if (known) return new S3ByteSource(path, known.size, known.etag, ref, handle, this.name, undefined, () => this.known.forget(bucket, key));
    try {
      const opened = await openObject(await handle(), ref);
      this.known.remember(scope, bucket, key, opened);
      return new S3ByteSource(path, opened.size, opened.etag, ref, handle, this.name, opened.window);
    } catch (error) {
      throw s3Error(error, { connector: this.name, operation: 'GetObject', path, signal: options.signal });
    }
  }

  async write(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: WriteOptions): Promise<WriteResult> {
    throwIfAborted(options.signal);
    const { bucket, key } = locateObject(path, this.config.buckets, this.name);
    const ref = { bucket, key, path, signal: options.signal };
    try {
      const handle = await this.pool.get(options.credentials);
      // Whatever happens next, the remembered version may no longer be the object's.
      this.known.forget(bucket, key);
      try {
        return await putObject(handle, ref, data, { createOnly: options.createOnly, ...(options.contentType ? { contentType: options.contentType } : {}) });
      } catch (error) {
        if (!(error instanceof ExistsPrecondition)) throw error;
        // A retry of a write that already landed is a success, not a conflict.
        const stat = await headObject(handle, ref);
        const etag = (stat.etag ?? '').replaceAll('"', '');
        if (stat.size === error.written.size && error.written.etags.includes(etag)) return { path, size: stat.size, ...(stat.etag ? { etag: stat.etag } : {}), alreadyExisted: true };
        throw objectExists(this.name, path, { operation: 'PutObject', httpStatusCode: 412 });
      }
    } catch (error) {
      throw s3Error(error, { connector: this.name, operation: 'PutObject', path, signal: options.signal });
    }
  }

  async delete(path: string, options: CallOptions): Promise<void> {
    // S3 deletes a missing key silently; the contract (and an honest audit) says NOT_FOUND.
    await this.stat(path, options);
    const { bucket, key } = locateObject(path, this.config.buckets, this.name);
    this.known.forget(bucket, key);
    try {
      await deleteObject(await this.pool.get(options.credentials), { bucket, key, path, signal: options.signal });
    } catch (error) {
      throw s3Error(error, { connector: this.name, operation: 'DeleteObject', path, signal: options.signal });
    }
  }

  async close(): Promise<void> {
    await this.pool.destroyAll();
  }
}

export async function createS3Connector(name: string, config: S3ConnectorConfig, _context: ConnectorContext): Promise<Connector> {
  return new S3Connector(name, config);
}
