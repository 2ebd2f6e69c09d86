import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3ConnectorConfig } from '../../../src/config/schema.js';
import { createS3Connector } from '../../../src/connectors/s3/index.js';
import type { CallOptions, Connector, CredentialScope } from '../../../src/connectors/types.js';
import { contractFixtures, failureOf as failure, knownBytes, runConnectorContract } from '../../helpers/connector-contract.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from '../../helpers/s3rver.js';

const scope: CredentialScope = { id: 'aws:static:test', material: { kind: 'aws', ...S3RVER_CREDENTIALS } };

function s3Config(endpoint: string, buckets: string[]): S3ConnectorConfig {
  return { kind: 's3', buckets, region: 'us-east-1', endpoint, force_path_style: true, annotations: {} };
}

const call = (credentials: CredentialScope = scope, signal = new AbortController().signal): CallOptions => ({ signal, credentials });

runConnectorContract('s3 (s3rver)', async () => {
  const server = await startS3rver({ buckets: ['contract-bucket'] });
  for (const f of contractFixtures()) await server.putObject('contract-bucket', `fixtures/${f.path}`, f.bytes);
  const connector = await createS3Connector('lake', s3Config(server.endpoint, ['contract-bucket']), {});
  return {
    connector,
    fixturePrefix: 'contract-bucket/fixtures/',
    credentials: scope,
    cleanup: async () => {
      await connector.close();
      await server.stop();
    },
  };
});

describe('s3 connector: buckets, wire behaviour, errors', () => {
  let server: S3rverHandle;
  let proxy: FaultProxy;
  let connector: Connector;
  const big = knownBytes(256 * 1024 + 17, 7);

  beforeAll(async () => {
    server = await startS3rver({ buckets: ['data-lake', 'reports', 'unlisted-bucket'] });
    await server.putObject('data-lake', 'big.bin', big);
    await server.putObject('data-lake', 'dir/a.csv', 'id\n1\n');
    await server.putObject('data-lake', 'dir/marker/', '');
    await server.putObject('data-lake', 'dir/bad\\name.csv', 'x');
    await server.putObject('unlisted-bucket', 'secret.csv', 'do not read');
    proxy = await startFaultProxy(server.port);
    connector = await createS3Connector('lake', s3Config(proxy.endpoint, ['reports', 'data-lake', 'ghost-bucket']), {});
  });
  afterAll(async () => {
    await connector?.close();
    await proxy?.stop();
    await server?.stop();
  });

  const reset = () => {
    proxy.requests.length = 0;
    delete proxy.fault;
    proxy.realSuffixRanges = false;
  };

  it('lists exactly the configured buckets at the root, sorted and paged, without calling S3', async () => {
    reset();
    const page = await connector.list('', { ...call(), limit: 10 });
    expect(page.entries).toEqual([
      { name: 'data-lake', path: 'data-lake/', kind: 'container' },
      { name: 'ghost-bucket', path: 'ghost-bucket/', kind: 'container' },
      { name: 'reports', path: 'reports/', kind: 'container' },
    ]);
    const first = await connector.list('', { ...call(), limit: 2 });
    expect(first.entries.map((e) => e.name)).toEqual(['data-lake', 'ghost-bucket']);
    const second = await connector.list('', { ...call(), limit: 2, cursor: first.nextCursor ?? '' });
    expect(second).toEqual({ entries: [{ name: 'reports', path: 'reports/', kind: 'container' }] });
    expect(proxy.requests).toEqual([]);
    expect((await failure(connector.list('', { ...call(), limit: 10, recursive: true }))).code).toBe('INVALID_ARGUMENT');
  });

  it('refuses a bucket that is not configured, even though it exists upstream, without calling S3', async () => {
    reset();
    for (const attempt of [
      connector.list('unlisted-bucket/', { ...call(), limit: 10 }),
      connector.stat('unlisted-bucket/secret.csv', call()),
      connector.open('unlisted-bucket/secret.csv', call()),
    ]) {
      const error = await failure(attempt);
      expect(error.code).toBe('NOT_FOUND');
      expect(error.hint).toContain('"data-lake"');
    }
    expect(proxy.requests).toEqual([]);
  });

  it('answers NOT_FOUND for a configured bucket that does not exist upstream', async () => {
    reset();
    expect((await failure(connector.list('ghost-bucket/', { ...call(), limit: 10 }))).code).toBe('NOT_FOUND');
  });

  it('hides folder markers and keys that are not addressable paths', async () => {
    reset();
    const page = await connector.list('data-lake/dir/', { ...call(), limit: 100 });
    expect(page.entries.map((e) => `${e.kind}:${e.path}`)).toEqual(['object:data-lake/dir/a.csv', 'prefix:data-lake/dir/marker/']);
  });

  it('ranged reads outside the tail fetched on open use explicit ranges and fetch only the asked bytes', async () => {
    reset();
    proxy.realSuffixRanges = true;
    const source = await connector.open('data-lake/big.bin', call());
    const size = source.size;
    expect(size).toBe(big.byteLength);
    expect(await source.read(100_000, 100_123)).toEqual(big.slice(100_000, 100_123));
    expect(await source.read(size - 8, size)).toEqual(big.slice(size - 8));
    expect(await source.read(0, 1)).toEqual(big.slice(0, 1));
    expect(proxy.requests.map((r) => [r.method, r.range, r.bytes])).toEqual([
      ['GET', 'bytes=-65536', 65536],
      ['GET', 'bytes=100000-100122', 123],
      // the last 8 bytes came with the open
      ['GET', 'bytes=0-1', 2],
    ]);
  });

  it('refuses bytes from a store that ignores the range', async () => {
    reset();
    const source = await connector.open('data-lake/big.bin', call());
    proxy.fault = (req) => (req.method === 'GET' ? { status: 200, body: 'x'.repeat(4096), headers: { 'content-type': 'application/octet-stream' } } : undefined);
    const error = await failure(source.read(100_000, 100_100));
    expect(error.code).toBe('UPSTREAM_ERROR');
  });

  it('scrubs secrets out of upstream error messages and keeps the request id', async () => {
    reset();
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
    const leaky: CredentialScope = { id: 'aws:static:leaky', material: { kind: 'aws', accessKeyId: 'S3RVER', secretAccessKey: secret } };
    proxy.fault = () => ({
      status: 403,
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>denied: key AKIAIOSFODNN7EXAMPLE secret ${secret} url https://x.s3.amazonaws.com/k?X-Amz-Signature=deadbeefcafe</Message><RequestId>REQ-4242</RequestId></Error>`,
      headers: { 'x-amz-request-id': 'REQ-4242' },
    });
    const error = await failure(connector.list('data-lake/', { ...call(leaky), limit: 10 }));
    expect(error.code).toBe('UPSTREAM_ERROR');
    const everything = JSON.stringify({ message: error.message, hint: error.hint, detail: error.detail });
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(everything).not.toContain('deadbeefcafe');
    expect(error.message).toContain('[REDACTED]');
    expect(error.hint).toMatch(/credentials/);
    expect(error.detail).toMatchObject({ requestId: 'REQ-4242', httpStatusCode: 403, upstreamCode: 'AccessDenied' });
  });

  it('maps credentials the store rejects to UPSTREAM_ERROR with a hint about the credentials', async () => {
    reset();
    const wrong: CredentialScope = { id: 'aws:static:wrong', material: { kind: 'aws', accessKeyId: 'NOTAKNOWNKEY', secretAccessKey: 'whatever-secret' } };
    const error = await failure(connector.stat('data-lake/dir/a.csv', call(wrong)));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.hint).toMatch(/credentials/);
  });

  it('maps throttling and 5xx to UNAVAILABLE', async () => {
    reset();
    proxy.fault = () => ({ status: 503, body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' });
    expect((await failure(connector.list('data-lake/', { ...call(), limit: 10 }))).code).toBe('UNAVAILABLE');
    proxy.fault = () => ({ status: 500, body: '<Error><Code>InternalError</Code><Message>oops</Message></Error>' });
    expect((await failure(connector.list('data-lake/', { ...call(), limit: 10 }))).code).toBe('UNAVAILABLE');
  });

  it('maps an upstream that never answers to TIMEOUT (deadline) or CANCELLED (client abort)', async () => {
    reset();
    proxy.fault = () => 'hang';
    const timedOut = await failure(connector.stat('data-lake/dir/a.csv', call(scope, AbortSignal.timeout(300))));
    expect(timedOut.code).toBe('TIMEOUT');
    const controller = new AbortController();
    const pending = connector.list('data-lake/', { ...call(scope, controller.signal), limit: 10 });
    setTimeout(() => controller.abort(), 100);
    expect((await failure(pending)).code).toBe('CANCELLED');
  });

  it('aborts an in-flight ranged read', async () => {
    reset();
    const controller = new AbortController();
    const source = await connector.open('data-lake/big.bin', call(scope, controller.signal));
    proxy.fault = () => 'hang';
    // Away from both ends: neither s3rver's window (the head) nor S3's (the tail) holds it.
    const pending = source.read(100_000, 101_000);
    setTimeout(() => controller.abort(), 100);
    expect((await failure(pending)).code).toBe('CANCELLED');
  });
});
