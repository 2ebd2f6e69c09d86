import type { ObjectStat } from '../types.js';
import type { GcsHandle } from './client.js';
import { untilAborted } from './errors.js';

export interface ObjectRef {
  bucket: string;
  /** Object name inside the bucket. */
  name: string;
  /** Connector path, for results and errors. */
  path: string;
  signal: AbortSignal;
}

export interface ObjectMetadata {
  stat: ObjectStat;
  /** The object's generation: reads pin it so every range comes from the same bytes. */
  generation?: string;
  /** Base64 MD5 of the bytes (absent for composite objects): tells a retried write from a conflict. */
  md5Hash?: string;
}

/** objects.get (metadata only): size, validators and type without fetching any bytes. */
export async function objectMetadata({ storage }: GcsHandle, ref: ObjectRef): Promise<ObjectMetadata> {
  const [meta] = await untilAborted(storage.bucket(ref.bucket).file(ref.name).getMetadata(), ref.signal);
  const updated = meta.updated ? new Date(meta.updated) : undefined;
  const generation = meta.generation !== undefined ? String(meta.generation) : undefined;
  // `etag` changes with metadata too; `generation` alone identifies the bytes. Either is a
  // fine validator for caches; the etag is what the rest of the product knows.
  const etag = meta.etag ?? (generation !== undefined ? `g${generation}` : undefined);
  return {
    stat: {
      path: ref.path,
      size: Number(meta.size ?? 0),
      ...(updated && !Number.isNaN(updated.getTime()) ? { modified: updated.toISOString() } : {}),
      ...(etag ? { etag } : {}),
      ...(meta.contentType ? { contentType: meta.contentType } : {}),
    },
    ...(generation !== undefined ? { generation } : {}),
    ...(typeof meta.md5Hash === 'string' ? { md5Hash: meta.md5Hash } : {}),
  };
}
