import { createHash } from 'node:crypto';
import type { GcsConnectorConfig } from '../../config/schema.js';
import { throwIfAborted } from '../abort.js';
import { capabilitySet } from '../capabilities.js';
import type { ConnectorContext } from '../kinds.js';
import { locateObject, planListing } from '../object-paths.js';
import type { ByteSource, CallOptions, Capability, Connector, ListOptions, ListPage, ObjectStat, WriteOptions, WriteResult } from '../types.js';
import { GcsClientPool } from './client.js';
import { gcsError } from './errors.js';
import { listObjects, MAX_GCS_PAGE } from './list.js';
import { GcsByteSource } from './read.js';
import { objectMetadata, type ObjectRef } from './stat.js';
import { deleteObject, writeObject } from './write.js';
import { isObjectExists } from '../write-conflict.js';

/**
 * Google Cloud Storage through `@google-cloud/storage` (DESIGN §9). Paths are `bucket/name`;
 * only configured buckets are reachable (any other is NOT_FOUND, without a request). The SDK
 * is loaded, and clients created, on the first call that needs one — one per credential scope.
 */
export class GcsConnector implements Connector {
  readonly kind = 'gcs';
  readonly capabilities: ReadonlySet<Capability> = capabilitySet('gcs');
  private readonly pool: GcsClientPool;

  constructor(
    readonly name: string,
    private readonly config: GcsConnectorConfig,
  ) {
    this.pool = new GcsClientPool(config);
  }

  async list(path: string, options: ListOptions): Promise<ListPage> {
    throwIfAborted(options.signal);
    const plan = planListing(path, options, this.config.buckets, this.name, MAX_GCS_PAGE);
    if ('buckets' in plan) return plan.buckets;
    try {
      return await listObjects(await this.pool.get(options.credentials), plan.objects);
    } catch (error) {
      throw gcsError(error, { connector: this.name, operation: 'objects.list', path, signal: options.signal });
    }
  }

  async stat(path: string, options: CallOptions): Promise<ObjectStat> {
    return (await this.metadata(path, options)).stat;
  }

  async open(path: string, options: CallOptions): Promise<ByteSource> {
    const { stat, generation, ref } = await this.metadata(path, options);
    return new GcsByteSource(path, stat.size, stat.etag, ref, generation, () => this.pool.get(options.credentials), this.name);
  }

  async write(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: WriteOptions): Promise<WriteResult> {
    const ref = this.objectRef(path, options);
    try {
      const handle = await this.pool.get(options.credentials);
      throwIfAborted(options.signal);
      return await writeObject(handle, ref, data, { createOnly: options.createOnly, ...(options.contentType ? { contentType: options.contentType } : {}) });
    } catch (error) {
      const mapped = gcsError(error, { connector: this.name, operation: 'objects.insert', path, signal: options.signal });
      if (isObjectExists(mapped) && data instanceof Uint8Array && (await this.holds(path, data, options))) {
        const { stat } = await this.metadata(path, options);
        return { path, size: stat.size, ...(stat.etag ? { etag: stat.etag } : {}), alreadyExisted: true };
      }
      throw mapped;
    }
  }

  async delete(path: string, options: CallOptions): Promise<void> {
    const ref = this.objectRef(path, options);
    try {
      await deleteObject(await this.pool.get(options.credentials), ref);
    } catch (error) {
      throw gcsError(error, { connector: this.name, operation: 'objects.delete', path, signal: options.signal });
    }
  }

  /** Does the object hold exactly `data`? (A retried create-only write is then a success.) */
  private async holds(path: string, data: Uint8Array, options: CallOptions): Promise<boolean> {
    try {
      const { stat, md5Hash } = await this.metadata(path, options);
      return stat.size === data.byteLength && md5Hash === createHash('md5').update(data).digest('base64');
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    this.pool.close();
    return Promise.resolve();
  }

  private objectRef(path: string, options: CallOptions): ObjectRef {
    throwIfAborted(options.signal);
    const { bucket, key } = locateObject(path, this.config.buckets, this.name);
    return { bucket, name: key, path, signal: options.signal };
  }

  private async metadata(path: string, options: CallOptions) {
    const ref = this.objectRef(path, options);
    try {
      return { ref, ...(await objectMetadata(await this.pool.get(options.credentials), ref)) };
    } catch (error) {
      throw gcsError(error, { connector: this.name, operation: 'objects.get', path, signal: options.signal });
    }
  }
}

export async function createGcsConnector(name: string, config: GcsConnectorConfig, _context: ConnectorContext): Promise<Connector> {
  return new GcsConnector(name, config);
}
