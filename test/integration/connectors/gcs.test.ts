import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GcsConnectorConfig } from '../../../src/config/schema.js';
import { createGcsConnector, type GcsConnector } from '../../../src/connectors/gcs/index.js';
import type { CallOptions, CredentialScope } from '../../../src/connectors/types.js';
import { contractFixtures, failureOf as failure, knownBytes, runConnectorContract } from '../../helpers/connector-contract.js';
import { startGcsDouble, type GcsDouble } from '../../helpers/fakes/gcs-double.js';

// The SDK must never probe a metadata server from a test (no network beyond the double).
process.env.METADATA_SERVER_DETECTION = 'none';

const scope: CredentialScope = { id: 'gcp:default' };
const call = (credentials: CredentialScope = scope, signal = new AbortController().signal): CallOptions => ({ signal, credentials });

function gcsConfig(endpoint: string, buckets: string[]): GcsConnectorConfig {
  return { kind: 'gcs', buckets, project_id: 'test-project', api_endpoint: endpoint, annotations: {} };
}

async function connectorFor(double: GcsDouble, buckets: string[]): Promise<GcsConnector> {
  return (await createGcsConnector('gcs-lake', gcsConfig(double.endpoint, buckets), {})) as GcsConnector;
}

runConnectorContract('gcs (JSON-API double)', async () => {
  const double = await startGcsDouble({ buckets: ['gcs-contract'] });
  for (const f of contractFixtures()) double.putObject('gcs-contract', `fixtures/${f.path}`, f.bytes);
  const connector = await connectorFor(double, ['gcs-contract']);
  return {
    connector,
    fixturePrefix: 'gcs-contract/fixtures/',
    credentials: scope,
    cleanup: async () => {
      await connector.close();
      await double.stop();
    },
  };
});

describe('gcs connector: buckets, listing, reads', () => {
  let double: GcsDouble;
  let connector: GcsConnector;
  const big = knownBytes(300 * 1024 + 11, 5);

  beforeAll(async () => {
    double = await startGcsDouble({ buckets: ['gcs-lake', 'gcs-reports', 'gcs-unlisted'] });
    double.putObject('gcs-lake', 'big.bin', big, 'application/octet-stream');
    double.putObject('gcs-lake', 'dir/a.csv', 'id\n1\n', 'text/csv');
    double.putObject('gcs-lake', 'dir/marker/', '');
    double.putObject('gcs-lake', 'dir/bad\\name.csv', 'x');
    double.putObject('gcs-lake', 'dir/..', 'x');
    for (let i = 0; i < 23; i++) double.putObject('gcs-lake', `many/f${String(i).padStart(2, '0')}.txt`, `${i}`);
    for (let i = 0; i < 4; i++) double.putObject('gcs-lake', `many/sub${i}/x.txt`, 'x');
    double.putObject('gcs-unlisted', 'secret.csv', 'do not read');
    connector = await connectorFor(double, ['gcs-reports', 'gcs-lake', 'gcs-ghost']);
  });
  afterAll(async () => {
    await connector?.close();
    await double?.stop();
  });
  beforeEach(() => {
    double.resetCounters();
    delete double.fault;
  });

  it('lists exactly the configured buckets at the root, sorted and paged, without a request', async () => {
    const page = await connector.list('', { ...call(), limit: 10 });
    expect(page.entries.map((e) => `${e.kind}:${e.path}`)).toEqual(['container:gcs-ghost/', 'container:gcs-lake/', 'container:gcs-reports/']);
    const first = await connector.list('', { ...call(), limit: 2 });
    const second = await connector.list('', { ...call(), limit: 2, cursor: first.nextCursor ?? '' });
    expect([...first.entries, ...second.entries].map((e) => e.name)).toEqual(['gcs-ghost', 'gcs-lake', 'gcs-reports']);
    expect(second.nextCursor).toBeUndefined();
    expect((await failure(connector.list('', { ...call(), limit: 10, recursive: true }))).code).toBe('INVALID_ARGUMENT');
    expect(double.requests).toEqual([]);
  });

  it('refuses a bucket that is not configured, even though it exists upstream, without a request', async () => {
    for (const attempt of [
      connector.list('gcs-unlisted/', { ...call(), limit: 10 }),
      connector.stat('gcs-unlisted/secret.csv', call()),
      connector.open('gcs-unlisted/secret.csv', call()),
      connector.write('gcs-unlisted/new.csv', new Uint8Array([1]), { ...call(), createOnly: true }),
      connector.delete('gcs-unlisted/secret.csv', call()),
    ]) {
      const error = await failure(attempt);
      expect(error.code).toBe('NOT_FOUND');
      expect(error.hint).toContain('"gcs-lake"');
    }
    expect(double.requests).toEqual([]);
  });

  it('answers NOT_FOUND for a configured bucket that does not exist upstream', async () => {
    expect((await failure(connector.list('gcs-ghost/', { ...call(), limit: 10 }))).code).toBe('NOT_FOUND');
  });

  it('hides folder markers and names that are not addressable paths', async () => {
    const page = await connector.list('gcs-lake/dir/', { ...call(), limit: 100 });
    expect(page.entries.map((e) => `${e.kind}:${e.path}`)).toEqual(['object:gcs-lake/dir/a.csv', 'prefix:gcs-lake/dir/marker/']);
  });

  it('stats an object from its metadata: size, time, etag, content type', async () => {
    const stat = await connector.stat('gcs-lake/dir/a.csv', call());
    const stored = double.getObject('gcs-lake', 'dir/a.csv');
    expect(stat).toMatchObject({ path: 'gcs-lake/dir/a.csv', size: 5, contentType: 'text/csv', modified: stored?.created.toISOString() });
    expect(stat.etag).toBeTruthy();
    expect(double.bytesServed).toBe(0);
  });

  it('pages with maxResults and startOffset, every entry exactly once, prefixes skipped whole', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await connector.list('gcs-lake/many/', { ...call(), limit: 7, ...(cursor !== undefined ? { cursor } : {}) });
      expect(result.entries.length).toBeLessThanOrEqual(7);
      seen.push(...result.entries.map((e) => e.path));
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }
    const expected = [...Array.from({ length: 23 }, (_, i) => `gcs-lake/many/f${String(i).padStart(2, '0')}.txt`), ...[0, 1, 2, 3].map((i) => `gcs-lake/many/sub${i}/`)];
    expect(seen).toEqual(expected);
    const lists = double.requests.filter((r) => r.path === '/b/gcs-lake/o');
    expect(lists.every((r) => r.query.maxResults === '8' && r.query.delimiter === '/' && r.query.prefix === 'many/')).toBe(true);
    expect(lists.slice(1).every((r) => r.query.startOffset !== undefined)).toBe(true);
    // A prefix cursor resumes after everything below it, not inside it.
    const afterPrefix = await connector.list('gcs-lake/many/', { ...call(), limit: 10, cursor: 'many/sub1/' });
    expect(afterPrefix.entries.map((e) => e.path)).toEqual(['gcs-lake/many/sub2/', 'gcs-lake/many/sub3/']);
    expect(double.requests.at(-1)?.query.startOffset).toBe('many/sub10');
  });

  it('refuses a cursor from another listing', async () => {
    const error = await failure(connector.list('gcs-lake/dir/', { ...call(), limit: 10, cursor: 'many/f01.txt' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('ranged reads fetch only the asked bytes, with explicit ranges on the generation seen at open', async () => {
    const source = await connector.open('gcs-lake/big.bin', call());
    const generation = String(double.getObject('gcs-lake', 'big.bin')?.generation);
    const size = source.size;
    expect(await source.read(100_000, 100_123)).toEqual(big.slice(100_000, 100_123));
    expect(await source.read(size - 8, size)).toEqual(big.slice(size - 8));
    expect(await source.read(0, 1)).toEqual(big.slice(0, 1));
    const media = double.requests.filter((r) => r.query.alt === 'media');
    expect(media.map((r) => r.range)).toEqual(['bytes=100000-100122', `bytes=${size - 8}-${size - 1}`, 'bytes=0-0']);
    expect(media.every((r) => r.query.generation === generation)).toBe(true);
    expect(double.bytesServed).toBe(123 + 8 + 1);
  });

  it('refuses to mix versions: a read after a concurrent overwrite fails clearly', async () => {
    double.putObject('gcs-lake', 'moving.bin', knownBytes(4096, 1));
    const source = await connector.open('gcs-lake/moving.bin', call());
    expect((await source.read(0, 10)).byteLength).toBe(10);
    double.putObject('gcs-lake', 'moving.bin', knownBytes(4096, 2));
    const error = await failure(source.read(10, 20));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('changed while it was being read');
    expect(error.detail).toMatchObject({ precondition: 'generation_changed' });
    const reopened = await connector.open('gcs-lake/moving.bin', call());
    expect(await reopened.read(0, 10)).toEqual(knownBytes(4096, 2).slice(0, 10));
  });

  it('refuses bytes from a store that ignores the range', async () => {
    const source = await connector.open('gcs-lake/big.bin', call());
    double.fault = (req) => (req.query.get('alt') === 'media' ? { status: 200, body: 'x'.repeat(4096), headers: { 'content-type': 'application/octet-stream' } } : undefined);
    expect((await failure(source.read(100, 200))).code).toBe('UPSTREAM_ERROR');
  });
});

describe('gcs connector: failures and credentials', () => {
  let double: GcsDouble;
  let connector: GcsConnector;

  beforeAll(async () => {
    double = await startGcsDouble({ buckets: ['gcs-fail'] });
    double.putObject('gcs-fail', 'a.csv', 'id\n1\n');
    double.putObject('gcs-fail', 'big.bin', knownBytes(64 * 1024));
    connector = await connectorFor(double, ['gcs-fail']);
  });
  afterAll(async () => {
    await connector?.close();
    await double?.stop();
  });
  beforeEach(() => {
    double.resetCounters();
    delete double.fault;
  });

  const jsonError = (code: number, message: string, reason: string) => JSON.stringify({ error: { code, message, errors: [{ message, domain: 'global', reason }] } });

  it('maps 403 to UPSTREAM_ERROR with a credentials hint, and scrubs secrets out of the message', async () => {
    const leak = 'token=ya29.SECRETSECRETSECRET key -----BEGIN PRIVATE KEY-----\\nMIIEabc\\n-----END PRIVATE KEY----- https://x/o?X-Goog-Signature=deadbeefcafe';
    double.fault = () => ({ status: 403, body: jsonError(403, `sa@p.iam.gserviceaccount.com does not have storage.objects.list access; ${leak}`, 'forbidden') });
    const error = await failure(connector.list('gcs-fail/', { ...call(), limit: 10 }));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.hint).toMatch(/credentials/);
    const everything = JSON.stringify({ message: error.message, hint: error.hint, detail: error.detail });
    for (const secret of ['ya29.SECRETSECRETSECRET', 'MIIEabc', 'deadbeefcafe']) expect(everything).not.toContain(secret);
    expect(error.message).toContain('[REDACTED]');
    expect(error.detail).toMatchObject({ httpStatusCode: 403, upstreamReason: 'forbidden', operation: 'objects.list' });
  });

  it('maps a 404 read of a missing object to NOT_FOUND with a hint to browse', async () => {
    const error = await failure(connector.open('gcs-fail/nope/missing.csv', call()));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.hint).toContain('"gcs-fail/nope/"');
  });

  it('maps 5xx to UNAVAILABLE after a bounded number of retries', async () => {
    double.fault = () => ({ status: 501, body: jsonError(501, 'not implemented', 'notImplemented') });
    expect((await failure(connector.stat('gcs-fail/a.csv', call()))).code).toBe('UNAVAILABLE');
    expect(double.requests).toHaveLength(1); // 501 is not retryable
    double.resetCounters();
    double.fault = () => ({ status: 503, body: jsonError(503, 'backend error', 'backendError') });
    expect((await failure(connector.stat('gcs-fail/a.csv', call()))).code).toBe('UNAVAILABLE');
    expect(double.requests).toHaveLength(3); // one call + two retries, no more
  }, 30_000);

  it('maps an upstream that never answers to TIMEOUT (deadline) or CANCELLED (client abort)', async () => {
    double.fault = () => 'hang';
    expect((await failure(connector.stat('gcs-fail/a.csv', call(scope, AbortSignal.timeout(200))))).code).toBe('TIMEOUT');
    const controller = new AbortController();
    const pending = connector.list('gcs-fail/', { ...call(scope, controller.signal), limit: 10 });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe('CANCELLED');
  });

  it('aborts an in-flight ranged read', async () => {
    const controller = new AbortController();
    const source = await connector.open('gcs-fail/big.bin', call(scope, controller.signal));
    double.fault = () => 'hang';
    const pending = source.read(0, 1000);
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe('CANCELLED');
  });

  it('refuses a service account whose own GCP credentials did not reach it, without a request', async () => {
    for (const id of ['gcp:key:abc123', 'gcp:impersonate:reader@p.iam.gserviceaccount.com']) {
      const error = await failure(connector.stat('gcs-fail/a.csv', call({ id })));
      expect(error.code).toBe('CONFIG_ERROR');
    }
    expect(double.requests).toEqual([]);
  });
});

describe('gcs connector: writes and deletes', () => {
  let double: GcsDouble;
  let connector: GcsConnector;
  const opts = (createOnly: boolean, signal = new AbortController().signal) => ({ ...call(scope, signal), createOnly });

  beforeAll(async () => {
    double = await startGcsDouble({ buckets: ['gcs-write'] });
    connector = await connectorFor(double, ['gcs-write']);
  });
  afterAll(async () => {
    await connector?.close();
    await double?.stop();
  });
  beforeEach(() => {
    double.resetCounters();
    delete double.fault;
  });

  it('creates with a simple multipart upload and refuses a second create-only write (412)', async () => {
    const bytes = new TextEncoder().encode('id,name\n1,a\n');
    const result = await connector.write('gcs-write/out/a.csv', bytes, { ...opts(true), contentType: 'text/csv' });
    expect(result).toMatchObject({ path: 'gcs-write/out/a.csv', size: bytes.byteLength });
    expect(double.requests.map((r) => `${r.method} ${r.query.uploadType} ${r.query.ifGenerationMatch}`)).toEqual(['POST multipart 0']);
    expect(double.getObject('gcs-write', 'out/a.csv')?.contentType).toBe('text/csv');
    const conflict = await failure(connector.write('gcs-write/out/a.csv', new TextEncoder().encode('other'), opts(true)));
    expect(conflict.code).toBe('INVALID_ARGUMENT');
    expect(conflict.message).toContain('already exists');
    expect(conflict.detail).toMatchObject({ reason: 'exists', precondition: 'object_exists', httpStatusCode: 412 });
    expect(double.getObject('gcs-write', 'out/a.csv')?.bytes.toString()).toBe('id,name\n1,a\n');
    // A retry of the same bytes finds them already there (md5Hash): success, nothing rewritten.
    const generation = double.getObject('gcs-write', 'out/a.csv')?.generation;
    const retried = await connector.write('gcs-write/out/a.csv', bytes, opts(true));
    expect(retried).toMatchObject({ path: 'gcs-write/out/a.csv', size: bytes.byteLength, alreadyExisted: true });
    expect(double.getObject('gcs-write', 'out/a.csv')?.generation).toBe(generation);
  });

  it('overwrites when not create-only, with a new generation', async () => {
    await connector.write('gcs-write/over.txt', new TextEncoder().encode('one'), opts(true));
    const before = double.getObject('gcs-write', 'over.txt')?.generation ?? 0;
    await connector.write('gcs-write/over.txt', new TextEncoder().encode('two'), opts(false));
    const after = double.getObject('gcs-write', 'over.txt');
    expect(after?.bytes.toString()).toBe('two');
    expect(after?.generation).toBeGreaterThan(before);
  });

  it('uploads large byte arrays and streams resumably, in chunks, byte-exact', async () => {
    const large = knownBytes(9 * 1024 * 1024 + 5, 3);
    await connector.write('gcs-write/large.bin', large, opts(true));
    expect(double.getObject('gcs-write', 'large.bin')?.bytes.equals(Buffer.from(large))).toBe(true);
    const puts = double.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2); // an 8 MiB chunk, then the rest
    async function* pieces(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 5; i++) yield knownBytes(100_000, i + 10);
    }
    await connector.write('gcs-write/streamed.bin', pieces(), opts(true));
    const expected = Buffer.concat(Array.from({ length: 5 }, (_, i) => knownBytes(100_000, i + 10)));
    expect(double.getObject('gcs-write', 'streamed.bin')?.bytes.equals(expected)).toBe(true);
    const conflict = await failure(connector.write('gcs-write/streamed.bin', Readable.from([Buffer.from('x')]), opts(true)));
    expect(conflict.detail).toMatchObject({ precondition: 'object_exists' });
    expect(double.getObject('gcs-write', 'streamed.bin')?.bytes.equals(expected)).toBe(true);
  }, 30_000);

  it('deletes an object; deleting a missing one is NOT_FOUND', async () => {
    await connector.write('gcs-write/gone.txt', new TextEncoder().encode('bye'), opts(true));
    await connector.delete('gcs-write/gone.txt', call());
    expect(double.getObject('gcs-write', 'gone.txt')).toBeUndefined();
    expect((await failure(connector.stat('gcs-write/gone.txt', call()))).code).toBe('NOT_FOUND');
    expect((await failure(connector.delete('gcs-write/gone.txt', call()))).code).toBe('NOT_FOUND');
  });

  it('refuses writes to folders and unsafe paths without a request', async () => {
    for (const path of ['gcs-write/', 'gcs-write/dir/', 'gcs-write/../x', 'gcs-write/a\u0000b']) {
      expect((await failure(connector.write(path, new Uint8Array([1]), opts(true)))).code).toBe('INVALID_ARGUMENT');
    }
    expect(double.requests).toEqual([]);
  });
});
