import { createHash } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';

/**
 * The in-memory state of the GCS JSON-API test double: buckets of objects with generations
 * and the real MD5/CRC32C digests (the SDK validates downloads and uploads against them).
 */
export interface StoredObject {
  bucket: string;
  name: string;
  bytes: Buffer;
  generation: number;
  metageneration: number;
  contentType: string;
  created: Date;
  md5Hash: string;
  crc32c: string;
  metadata?: Record<string, string>;
}

/** A JSON-API error: `{error:{code,message,errors:[{reason,message}]}}`. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiFailure(404, `No such object: ${what}`, 'notFound');
export const preconditionFailed = () => new ApiFailure(412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet');

export function crc32cOf(bytes: Buffer): string {
  const crc = new CRC32C();
  crc.update(bytes);
  return crc.toString();
}

export function md5Of(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

export class GcsStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  /** Generations grow across the whole double, like GCS's (microsecond timestamps there). */
  private nextGeneration = 1_700_000_000_000_001;

  createBucket(name: string): void {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }

  bucket(name: string): Map<string, StoredObject> {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new ApiFailure(404, 'The specified bucket does not exist.', 'notFound');
    return bucket;
  }

  get(bucket: string, name: string): StoredObject | undefined {
    return this.bucket(bucket).get(name);
  }

  /** Preconditions as GCS checks them; `ifGenerationMatch=0` means "must not exist". */
  checkPreconditions(current: StoredObject | undefined, query: URLSearchParams): void {
    const match = query.get('ifGenerationMatch');
    const notMatch = query.get('ifGenerationNotMatch');
    const live = current?.generation ?? 0;
    if (match !== null && Number(match) !== live) throw preconditionFailed();
    if (notMatch !== null && Number(notMatch) === live) throw preconditionFailed();
  }

  put(bucket: string, name: string, bytes: Buffer, options: { contentType?: string; metadata?: Record<string, string>; query?: URLSearchParams } = {}): StoredObject {
    const objects = this.bucket(bucket);
    if (options.query) this.checkPreconditions(objects.get(name), options.query);
    const object: StoredObject = {
      bucket,
      name,
      bytes,
      generation: this.nextGeneration++,
      metageneration: 1,
      contentType: options.contentType ?? 'application/octet-stream',
      created: new Date(),
      md5Hash: md5Of(bytes),
      crc32c: crc32cOf(bytes),
      ...(options.metadata ? { metadata: options.metadata } : {}),
    };
    objects.set(name, object);
    return object;
  }

  delete(bucket: string, name: string, query: URLSearchParams): void {
    const objects = this.bucket(bucket);
    const current = objects.get(name);
    if (!current) throw notFound(`${bucket}/${name}`);
    this.checkPreconditions(current, query);
    objects.delete(name);
  }
}

/** The object resource as objects.get / objects.list return it. */
export function objectJson(o: StoredObject, baseUrl: string): Record<string, unknown> {
  const enc = encodeURIComponent(o.name);
  return {
    kind: 'storage#object',
    id: `${o.bucket}/${o.name}/${o.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${o.bucket}/o/${enc}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${o.bucket}/o/${enc}?generation=${o.generation}&alt=media`,
    name: o.name,
    bucket: o.bucket,
    generation: String(o.generation),
    metageneration: String(o.metageneration),
    contentType: o.contentType,
    storageClass: 'STANDARD',
    size: String(o.bytes.byteLength),
    md5Hash: o.md5Hash,
    crc32c: o.crc32c,
    // Real etags are opaque base64; this one changes with every generation, like theirs.
    etag: Buffer.from(`${o.generation}/${o.metageneration}`).toString('base64'),
    timeCreated: o.created.toISOString(),
    updated: o.created.toISOString(),
    ...(o.metadata ? { metadata: o.metadata } : {}),
  };
}
