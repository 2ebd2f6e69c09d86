import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WriteResult } from '../types.js';
import type { GcsHandle } from './client.js';
import { untilAborted } from './errors.js';
import type { ObjectRef } from './stat.js';

/** Byte arrays up to this size go in one multipart request; larger ones and streams resume. */
export const SIMPLE_UPLOAD_MAX = 5 * 1024 * 1024;
/** Resumable uploads send 8 MiB chunks (a multiple of 256 KiB), each retried on its own. */
export const RESUMABLE_CHUNK = 8 * 1024 * 1024;

export interface WriteRequest {
  createOnly: boolean;
  contentType?: string;
}

/**
 * Stores an object. Create-only writes send `ifGenerationMatch=0` ("no live generation"), so
 * GCS itself refuses (412) to replace an object that exists — no check-then-write race. The
 * SDK validates the upload's CRC32C against the object GCS reports back.
 */
export async function writeObject({ storage }: GcsHandle, ref: ObjectRef, data: Uint8Array | AsyncIterable<Uint8Array>, req: WriteRequest): Promise<WriteResult> {
  const file = storage.bucket(ref.bucket).file(ref.name);
  const simple = data instanceof Uint8Array && data.byteLength <= SIMPLE_UPLOAD_MAX;
  const sink = file.createWriteStream({
    resumable: !simple,
    ...(simple ? {} : { chunkSize: RESUMABLE_CHUNK }),
    ...(req.contentType ? { contentType: req.contentType } : {}),
    ...(req.createOnly ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
    validation: 'crc32c',
  });
  const source = data instanceof Uint8Array ? Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]) : Readable.from(data);
  // The signal destroys both streams, which ends the upload request.
  await pipeline(source, sink, { signal: ref.signal });
  const meta = file.metadata;
  const etag = meta.etag ?? (meta.generation !== undefined ? `g${String(meta.generation)}` : undefined);
  return { path: ref.path, size: Number(meta.size ?? 0), ...(etag ? { etag } : {}) };
}

/** objects.delete; a missing object is an error (404 → NOT_FOUND), not a silent success. */
export async function deleteObject({ storage }: GcsHandle, ref: ObjectRef): Promise<void> {
  await untilAborted(storage.bucket(ref.bucket).file(ref.name).delete(), ref.signal);
}
