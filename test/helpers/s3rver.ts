import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as NodeCrypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * s3rver in-process on a free port, in its own temp directory, with the buckets created up
 * front. `stop()` closes the server, the seeding client and deletes the directory.
 * (See shared/notes/test-backends.md for s3rver's traps: suffix ranges, If-None-Match.)
 */
export interface S3rverHandle {
  endpoint: string;
  port: number;
  directory: string;
  /** Seeds an object through the real SDK (with the checksum settings s3rver needs). */
  putObject(bucket: string, key: string, body: Uint8Array | string): Promise<void>;
  stop(): Promise<void>;
}

/** s3rver's access key (its built-in dummy account); the secret is not checked for SigV4. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverConstructor;

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node 20)
 * only has in its legacy provider: every paged listing fails with InternalError. Two-key
 * triple DES with both keys equal computes exactly single DES (E_k(D_k(E_k(x))) = E_k(x)), so
 * 'des' is served as 'des-ede-cbc' with the key doubled. Only the 'des' algorithm is touched,
 * and only in test processes that start s3rver.
 */
function shimSingleDes(): void {
  const crypto = require('node:crypto') as typeof NodeCrypto & { __dataMcpDesShim?: true };
  if (crypto.__dataMcpDesShim) return;
  const cipher = crypto.createCipheriv.bind(crypto);
  const decipher = crypto.createDecipheriv.bind(crypto);
  const doubled = (key: unknown) => Buffer.concat([Buffer.from(key as Uint8Array), Buffer.from(key as Uint8Array)]);
  Object.assign(crypto, {
    createCipheriv: (algorithm: string, key: unknown, iv: unknown, ...rest: unknown[]) =>
      (cipher as (...a: unknown[]) => unknown)(algorithm === 'des' ? 'des-ede-cbc' : algorithm, algorithm === 'des' ? doubled(key) : key, iv, ...rest),
    createDecipheriv: (algorithm: string, key: unknown, iv: unknown, ...rest: unknown[]) =>
      (decipher as (...a: unknown[]) => unknown)(algorithm === 'des' ? 'des-ede-cbc' : algorithm, algorithm === 'des' ? doubled(key) : key, iv, ...rest),
    __dataMcpDesShim: true,
  });
}

export async function startS3rver(options: { buckets: string[] }): Promise<S3rverHandle> {
  shimSingleDes();
  const directory = await mkdtemp(join(tmpdir(), 'data-mcp-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  let stopped = false;
  return {
    endpoint,
    port: address.port,
    directory,
    async putObject(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: typeof body === 'string' ? Buffer.from(body) : body }));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      try {
        await server.close();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

/** The raw `s3` connector config a tool test points at s3rver (or a proxy in front of it). */
export function s3rverConnectorConfig(endpoint: string, buckets: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 's3',
    buckets,
    region: 'us-east-1',
    endpoint,
    force_path_style: true,
    credentials: { access_key_id: S3RVER_CREDENTIALS.accessKeyId, secret_access_key: S3RVER_CREDENTIALS.secretAccessKey },
    ...extra,
  };
}
