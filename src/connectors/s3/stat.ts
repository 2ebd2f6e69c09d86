import type { ObjectStat } from '../types.js';
import type { S3Handle } from './client.js';

export interface ObjectRef {
  bucket: string;
  key: string;
  path: string;
  signal: AbortSignal;
}

/** HeadObject: size, version validator and type without fetching any bytes. */
export async function headObject({ sdk, client }: S3Handle, ref: ObjectRef): Promise<ObjectStat> {
  const out = await client.send(new sdk.HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { abortSignal: ref.signal });
  return {
    path: ref.path,
    size: out.ContentLength ?? 0,
    ...(out.LastModified ? { modified: out.LastModified.toISOString() } : {}),
    ...(out.ETag ? { etag: out.ETag } : {}),
    ...(out.ContentType ? { contentType: out.ContentType } : {}),
  };
}
