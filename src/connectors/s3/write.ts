import { createHash } from 'node:crypto';
import type { WriteResult } from '../types.js';
import type { S3Handle } from './client.js';
import type { ObjectRef } from './stat.js';

/** Objects up to this size go in one PutObject; larger ones (and streams that grow past it) in parts. */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;

export interface PutRequest {
  createOnly: boolean;
  contentType?: string;
  /** Part size of multipart uploads (S3's minimum is 5 MiB, except the last part). */
  partSize?: number;
}

/** What a create-only conflict needs to tell a retry of the same bytes from other content. */
export interface Written {
  size: number;
  /** ETags an identical object would carry: plain MD5, and md5-of-parts-N for multipart. */
  etags: string[];
}

/** Raised when S3 refused a create-only write (412): the caller decides retry vs conflict. */
export class ExistsPrecondition extends Error {
  constructor(readonly written: Written) {
    super('object exists');
    this.name = 'ExistsPrecondition';
  }
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();

/**
 * Stores an object whole or not at all. Small data is one PutObject; larger data streams as a
 * multipart upload in `partSize` parts, and any failure aborts the upload so no parts linger
 * (S3 never shows an incomplete multipart object). Create-only sends `If-None-Match: *` on the
 * PutObject or the CompleteMultipartUpload, so S3 itself refuses to replace an existing key.
 */
export async function putObject(handle: S3Handle, ref: ObjectRef, data: Uint8Array | AsyncIterable<Uint8Array>, req: PutRequest): Promise<WriteResult> {
  const partSize = req.partSize ?? MULTIPART_THRESHOLD;
  const parts = partsOf(data, partSize)[Symbol.asyncIterator]();
  const first = await parts.next();
  const firstPart = first.done ? new Uint8Array(0) : first.value;
  const second = first.done ? first : await parts.next();
  if (second.done) return putSingle(handle, ref, firstPart, req);
  return putMultipart(handle, ref, [firstPart, second.value], parts, req);
}

async function putSingle({ sdk, client }: S3Handle, ref: ObjectRef, body: Uint8Array, req: PutRequest): Promise<WriteResult> {
  const digest = md5(body);
  try {
    const out = await client.send(
      new sdk.PutObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        Body: body,
        ContentLength: body.byteLength,
        ContentMD5: digest.toString('base64'),
        ...(req.contentType ? { ContentType: req.contentType } : {}),
        ...(req.createOnly ? { IfNoneMatch: '*' } : {}),
      }),
      { abortSignal: ref.signal },
    );
    return { path: ref.path, size: body.byteLength, ...(out.ETag ? { etag: out.ETag } : {}) };
  } catch (error) {
    if (req.createOnly && isPreconditionFailed(error)) throw new ExistsPrecondition({ size: body.byteLength, etags: [digest.toString('hex')] });
    throw error;
  }
}

async function putMultipart(handle: S3Handle, ref: ObjectRef, head: Uint8Array[], rest: AsyncIterator<Uint8Array>, req: PutRequest): Promise<WriteResult> {
  const { sdk, client } = handle;
  const created = await client.send(
    new sdk.CreateMultipartUploadCommand({ Bucket: ref.bucket, Key: ref.key, ...(req.contentType ? { ContentType: req.contentType } : {}) }),
    { abortSignal: ref.signal },
  );
  const uploadId = created.UploadId!;
  const whole = createHash('md5');
  const partDigests: Buffer[] = [];
  const completed: Array<{ ETag: string; PartNumber: number }> = [];
  let size = 0;
  const upload = async (body: Uint8Array) => {
    const digest = md5(body);
    const PartNumber = completed.length + 1;
    const out = await client.send(
      new sdk.UploadPartCommand({ Bucket: ref.bucket, Key: ref.key, UploadId: uploadId, PartNumber, Body: body, ContentLength: body.byteLength, ContentMD5: digest.toString('base64') }),
      { abortSignal: ref.signal },
    );
    completed.push({ ETag: out.ETag ?? '', PartNumber });
    partDigests.push(digest);
    whole.update(body);
    size += body.byteLength;
  };
  try {
    for (const part of head) await upload(part);
    for (let next = await rest.next(); !next.done; next = await rest.next()) await upload(next.value);
    const out = await client.send(
      new sdk.CompleteMultipartUploadCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: completed },
        ...(req.createOnly ? { IfNoneMatch: '*' } : {}),
      }),
      { abortSignal: ref.signal },
    );
    return { path: ref.path, size, ...(out.ETag ? { etag: out.ETag } : {}) };
  } catch (error) {
    await abortUpload(handle, ref, uploadId);
    if (req.createOnly && isPreconditionFailed(error)) {
      // AWS: md5 of the part digests, "-N"; some compatible stores report the whole-object MD5.
      const etags = [`${md5(Buffer.concat(partDigests)).toString('hex')}-${partDigests.length}`, whole.digest('hex')];
      throw new ExistsPrecondition({ size, etags });
    }
    throw error;
  }
}

/** Best effort, and without the call's signal: it must run even when the call was cancelled. */
async function abortUpload({ sdk, client }: S3Handle, ref: ObjectRef, uploadId: string): Promise<void> {
  try {
    await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: ref.bucket, Key: ref.key, UploadId: uploadId }), { abortSignal: AbortSignal.timeout(10_000) });
  } catch {
    // A lifecycle rule (AbortIncompleteMultipartUpload) is the operator's backstop.
  }
}

/** Re-chunks any input into parts of exactly `size` bytes (the last may be shorter). */
export async function* partsOf(data: Uint8Array | AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    for (let start = 0; start < data.byteLength; start += size) yield data.subarray(start, Math.min(data.byteLength, start + size));
    return;
  }
  let buffer = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of data) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(size - filled, chunk.byteLength - offset);
      buffer.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield buffer;
        buffer = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

export function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'PreconditionFailed' || e?.Code === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
}

/** DeleteObject; S3 answers 204 for a missing key too, so the caller checks existence first. */
export async function deleteObject({ sdk, client }: S3Handle, ref: ObjectRef): Promise<void> {
  await client.send(new sdk.DeleteObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { abortSignal: ref.signal });
}
