import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { S3ConnectorConfig } from '../../../src/config/schema.js';
import { createS3Connector } from '../../../src/connectors/s3/index.js';
import { partsOf } from '../../../src/connectors/s3/write.js';
import type { Connector, CredentialScope, WriteOptions } from '../../../src/connectors/types.js';
import { failureOf as failure, knownBytes } from '../../helpers/connector-contract.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from '../../helpers/s3rver.js';

/**
 * S3 writes against s3rver behind the fault proxy. s3rver ignores `If-None-Match: *`, so the
 * proxy plays real S3's part (412 on an existing key, `enforceIfNoneMatch`) and every test
 * also asserts the header really went out on the wire.
 */
const scope: CredentialScope = { id: 'aws:static:test', material: { kind: 'aws', ...S3RVER_CREDENTIALS } };
const MiB = 1024 * 1024;

let server: S3rverHandle;
let proxy: FaultProxy;
let connector: Connector;
const opts = (createOnly: boolean): WriteOptions => ({ signal: new AbortController().signal, credentials: scope, createOnly });
const callOpts = () => ({ signal: new AbortController().signal, credentials: scope });

async function contents(path: string): Promise<Buffer> {
  const source = await connector.open(path, callOpts());
  return Buffer.from(await source.read(0, source.size));
}

beforeAll(async () => {
  server = await startS3rver({ buckets: ['out-bucket'] });
  proxy = await startFaultProxy(server.port);
  const config: S3ConnectorConfig = { kind: 's3', buckets: ['out-bucket'], region: 'us-east-1', endpoint: proxy.endpoint, force_path_style: true, annotations: {} };
  connector = await createS3Connector('lake', config, {});
});
afterAll(async () => {
  await connector?.close();
  await proxy?.stop();
  await server?.stop();
});
beforeEach(() => {
  proxy.requests.length = 0;
  delete proxy.fault;
  proxy.enforceIfNoneMatch = true;
});

describe('s3 connector: writes', () => {
  it('creates an object with one PutObject carrying If-None-Match: *', async () => {
    const bytes = new TextEncoder().encode('id,name\r\n1,a\r\n');
    const result = await connector.write!('out-bucket/a/one.csv', bytes, { ...opts(true), contentType: 'text/csv' });
    expect(result).toMatchObject({ path: 'out-bucket/a/one.csv', size: bytes.byteLength });
    expect(result.alreadyExisted).toBeUndefined();
    expect(proxy.requests.map((r) => [r.method, r.ifNoneMatch])).toEqual([['PUT', '*']]);
    expect((await contents('out-bucket/a/one.csv')).toString()).toBe('id,name\r\n1,a\r\n');
    expect((await connector.stat('out-bucket/a/one.csv', callOpts())).contentType).toBe('text/csv');
  });

  it('refuses to replace an existing key with other bytes: INVALID_ARGUMENT reason exists, object unchanged', async () => {
    await connector.write!('out-bucket/a/two.csv', new TextEncoder().encode('first'), opts(true));
    proxy.requests.length = 0;
    const conflict = await failure(connector.write!('out-bucket/a/two.csv', new TextEncoder().encode('second'), opts(true)));
    expect(conflict.code).toBe('INVALID_ARGUMENT');
    expect(conflict.message).toContain('already exists');
    expect(conflict.hint).toContain('replace_data');
    expect(conflict.detail).toMatchObject({ reason: 'exists', httpStatusCode: 412 });
    expect(proxy.requests[0]).toMatchObject({ method: 'PUT', ifNoneMatch: '*' });
    expect((await contents('out-bucket/a/two.csv')).toString()).toBe('first');
  });

  it('a retried create-only write of the same bytes succeeds with alreadyExisted (compared by MD5 ETag)', async () => {
    const bytes = new TextEncoder().encode('same bytes');
    await connector.write!('out-bucket/a/retry.txt', bytes, opts(true));
    const again = await connector.write!('out-bucket/a/retry.txt', bytes, opts(true));
    expect(again).toMatchObject({ path: 'out-bucket/a/retry.txt', size: bytes.byteLength, alreadyExisted: true });
    expect((await contents('out-bucket/a/retry.txt')).toString()).toBe('same bytes');
  });

  it('without create-only it replaces the object and sends no If-None-Match', async () => {
    await connector.write!('out-bucket/a/over.txt', new TextEncoder().encode('one'), opts(true));
    proxy.requests.length = 0;
    await connector.write!('out-bucket/a/over.txt', new TextEncoder().encode('two'), opts(false));
    expect(proxy.requests.map((r) => [r.method, r.ifNoneMatch])).toEqual([['PUT', undefined]]);
    expect((await contents('out-bucket/a/over.txt')).toString()).toBe('two');
  });

  it('writes above 8 MiB as a multipart upload with If-None-Match on the completion, byte-exact', async () => {
    const large = knownBytes(9 * MiB + 3, 11);
    const result = await connector.write!('out-bucket/big/data.bin', large, opts(true));
    expect(result.size).toBe(large.byteLength);
    const shape = proxy.requests.map((r) => `${r.method} ${r.url.includes('uploads') && !r.url.includes('uploadId') ? 'create' : r.url.includes('partNumber') ? 'part' : r.url.includes('uploadId') ? 'complete' : 'other'} ${r.ifNoneMatch ?? '-'}`);
    expect(shape).toEqual(['POST create -', 'PUT part -', 'PUT part -', 'POST complete *']);
    expect((await contents('out-bucket/big/data.bin')).equals(Buffer.from(large))).toBe(true);

    // The same bytes again: a retry, not a conflict (and the upload it started is aborted).
    proxy.requests.length = 0;
    const again = await connector.write!('out-bucket/big/data.bin', large, opts(true));
    expect(again.alreadyExisted).toBe(true);
    expect(proxy.requests.some((r) => r.method === 'DELETE' && r.url.includes('uploadId'))).toBe(true);

    // Other bytes: a conflict; the old object stays whole.
    const conflict = await failure(connector.write!('out-bucket/big/data.bin', knownBytes(9 * MiB, 12), opts(true)));
    expect(conflict.detail).toMatchObject({ reason: 'exists' });
    expect((await contents('out-bucket/big/data.bin')).equals(Buffer.from(large))).toBe(true);
  }, 30_000);

  it('a failure mid-multipart aborts the upload and leaves no object behind', async () => {
    proxy.fault = (req) => (req.method === 'PUT' && (req.url ?? '').includes('partNumber=2') ? { status: 500, body: '<Error><Code>InternalError</Code><Message>boom</Message></Error>' } : undefined);
    const error = await failure(connector.write!('out-bucket/big/broken.bin', knownBytes(9 * MiB, 13), opts(true)));
    expect(error.code).toBe('UNAVAILABLE');
    expect(proxy.requests.some((r) => r.method === 'DELETE' && r.url.includes('uploadId'))).toBe(true);
    expect(proxy.requests.some((r) => r.method === 'POST' && r.url.includes('uploadId'))).toBe(false);
    delete proxy.fault;
    expect((await failure(connector.stat('out-bucket/big/broken.bin', callOpts()))).code).toBe('NOT_FOUND');
  }, 30_000);

  it('streams an async iterable (re-chunked into parts), byte-exact', async () => {
    async function* pieces(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 4; i++) yield knownBytes(100_000, 20 + i);
    }
    await connector.write!('out-bucket/stream.bin', pieces(), opts(true));
    const expected = Buffer.concat(Array.from({ length: 4 }, (_, i) => knownBytes(100_000, 20 + i)));
    expect((await contents('out-bucket/stream.bin')).equals(expected)).toBe(true);
  });

  it('refuses paths that are not objects in a configured bucket', async () => {
    expect((await failure(connector.write!('other-bucket/x.csv', new Uint8Array(1), opts(true)))).code).toBe('NOT_FOUND');
    expect((await failure(connector.write!('out-bucket/dir/', new Uint8Array(1), opts(true)))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(connector.write!('out-bucket/../x', new Uint8Array(1), opts(true)))).code).toBe('INVALID_ARGUMENT');
    expect(proxy.requests).toEqual([]);
  });

  it('deletes an object; deleting a missing one is NOT_FOUND', async () => {
    await connector.write!('out-bucket/gone.txt', new TextEncoder().encode('bye'), opts(true));
    await connector.delete!('out-bucket/gone.txt', callOpts());
    expect((await failure(connector.stat('out-bucket/gone.txt', callOpts()))).code).toBe('NOT_FOUND');
    expect((await failure(connector.delete!('out-bucket/gone.txt', callOpts()))).code).toBe('NOT_FOUND');
  });
});

describe('partsOf', () => {
  it('re-chunks arrays and streams into exact part sizes', async () => {
    const collect = async (input: Uint8Array | AsyncIterable<Uint8Array>) => {
      const sizes: number[] = [];
      for await (const part of partsOf(input, 10)) sizes.push(part.byteLength);
      return sizes;
    };
    expect(await collect(new Uint8Array(25))).toEqual([10, 10, 5]);
    async function* odd(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(7);
      yield new Uint8Array(7);
      yield new Uint8Array(6);
    }
    expect(await collect(odd())).toEqual([10, 10]);
    expect(await collect(new Uint8Array(0))).toEqual([]);
  });
});
