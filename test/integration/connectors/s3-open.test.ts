import { createHash } from 'node:crypto';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Connector } from '../../../src/connectors/s3/index.js';
import type { CallOptions, Connector } from '../../../src/connectors/types.js';
import { readTable } from '../../../src/data/read-table.js';
import { readChunks, readWhole } from '../../../src/formats/byte-stream.js';
import { failureOf as failure, knownBytes } from '../../helpers/connector-contract.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from '../../helpers/s3rver.js';

/**
 * open() costs one GET: a suffix range brings the object's size, etag and tail (the Parquet
 * footer) together, with no HEAD. The proxy in front of s3rver plays three stores: real S3
 * (`realSuffixRanges`), s3rver itself (which serves `bytes=-N` from the start), and a store
 * that ignores Range altogether.
 */
const TAIL = 64 * 1024;
const GROUP_ROWS = 10_000;
const GROUPS = 4;

function groupedParquet(): Uint8Array {
  const ids = Array.from({ length: GROUP_ROWS * GROUPS }, (_, i) => i);
  // md5 text compresses poorly, so each row group is far bigger than the tail fetched on open.
  const notes = ids.map((i) => createHash('md5').update(String(i)).digest('hex'));
  const columnData = [
    { name: 'id', data: ids, type: 'INT32' as const },
    { name: 'note', data: notes, type: 'STRING' as const },
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: GROUP_ROWS }));
}

const call = (signal = new AbortController().signal): CallOptions => ({ signal, credentials: { id: 'aws:static:test', material: { kind: 'aws', ...S3RVER_CREDENTIALS } } });
const MODES = ['real S3', 's3rver', 'ignores Range'] as const;

describe('s3 connector: open without a HEAD', () => {
  let server: S3rverHandle;
  let proxy: FaultProxy;
  let connector: Connector;
  const big = knownBytes(256 * 1024 + 17, 11);
  const parquet = groupedParquet();
  const small = new TextEncoder().encode('id,name\n1,ä\n2,日本\n');

  beforeAll(async () => {
    server = await startS3rver({ buckets: ['lake'] });
    await server.putObject('lake', 'big.bin', big);
    await server.putObject('lake', 'grouped.parquet', parquet);
    await server.putObject('lake', 'small.csv', small);
    await server.putObject('lake', 'empty.csv', '');
    proxy = await startFaultProxy(server.port);
    connector = await createS3Connector('s3', { kind: 's3', buckets: ['lake'], region: 'us-east-1', endpoint: proxy.endpoint, force_path_style: true, annotations: {} }, {});
  });
  afterAll(async () => {
    await connector?.close();
    await proxy?.stop();
    await server?.stop();
  });

  const as = (mode: (typeof MODES)[number] = 'real S3') => {
    proxy.requests.length = 0;
    delete proxy.fault;
    proxy.realSuffixRanges = mode === 'real S3';
    proxy.ignoreRange = mode === 'ignores Range';
  };
  const seen = () => proxy.requests.map((r) => `${r.method} ${r.range ?? ''}`.trim());

  it('opens with one suffix-range GET: size and etag as stat gives them, the tail from memory', async () => {
    as('real S3');
    const stat = await connector.stat('lake/big.bin', call());
    proxy.requests.length = 0;
    const source = await connector.open('lake/big.bin', call());
    expect(seen()).toEqual([`GET bytes=-${TAIL}`]);
    expect({ size: source.size, etag: source.etag }).toEqual({ size: stat.size, etag: stat.etag });
    expect(await source.read(big.byteLength - TAIL, big.byteLength)).toEqual(big.slice(-TAIL));
    expect(await source.read(big.byteLength - 9, big.byteLength + 100)).toEqual(big.slice(-9));
    expect(seen()).toHaveLength(1);
    // A read that starts before the window fetches only the part in front of it.
    const from = big.byteLength - TAIL - 1000;
    expect(await source.read(from, big.byteLength - 5)).toEqual(big.slice(from, -5));
    expect(proxy.requests.slice(1).map((r) => [r.range, r.bytes])).toEqual([[`bytes=${from}-${big.byteLength - TAIL - 1}`, 1000]]);
  });

  it('a Parquet footer and one row group cost two GETs: no HEAD, one request fewer than HEAD + footer + row group', async () => {
    as('real S3');
    const source = await connector.open('lake/grouped.parquet', call());
    const read = await readTable(source, { format: 'parquet', filter: { column: 'id', op: 'between', value: [100, 199] }, limit: 1000, maxRows: 1_000_000 });
    expect(read.table.numRows).toBe(100);
    expect(read.rowGroupsSkipped).toBe(GROUPS - 1);
    expect(proxy.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(seen()).toHaveLength(2);
    expect(proxy.requests[0]!.range).toBe(`bytes=-${TAIL}`);
    // The row group is the first one, at the head of the file: far from the tail fetched on open.
    expect(proxy.requests[1]!.range).toMatch(/^bytes=4-\d+$/);
    expect(parquet.byteLength).toBeGreaterThan(GROUPS * TAIL);
  });

  it('a store that serves suffix ranges from the start (s3rver) still yields the right size and bytes', async () => {
    as('s3rver');
    const source = await connector.open('lake/big.bin', call());
    expect(source.size).toBe(big.byteLength);
    expect(await source.read(0, 1000)).toEqual(big.slice(0, 1000));
    expect(await source.read(big.byteLength - 8, big.byteLength)).toEqual(big.slice(-8));
    expect(seen()).toEqual([`GET bytes=-${TAIL}`, `GET bytes=${big.byteLength - 8}-${big.byteLength - 1}`]);
    const read = await readTable(await connector.open('lake/grouped.parquet', call()), { format: 'parquet', filter: { column: 'id', op: 'eq', value: 39_999 }, limit: 10, maxRows: 1_000_000 });
    expect(read.table.getChild('note')?.get(0)).toBe(createHash('md5').update('39999').digest('hex'));
  });

  it.each(MODES)('an object smaller than the tail arrives whole with the open (%s): reading it needs no other request', async (mode) => {
    as(mode);
    const source = await connector.open('lake/small.csv', call());
    expect(source.size).toBe(small.byteLength);
    expect(await readWhole(source)).toEqual(small);
    expect(await source.read(8, 9)).toEqual(small.slice(8, 9));
    expect(seen()).toEqual([`GET bytes=-${TAIL}`]);
  });

  it.each(MODES)('an empty object has size 0 and reads as nothing (%s)', async (mode) => {
    as(mode);
    const source = await connector.open('lake/empty.csv', call());
    expect(source.size).toBe(0);
    expect(source.etag).toBe((await connector.stat('lake/empty.csv', call())).etag);
    expect(await readWhole(source)).toEqual(new Uint8Array(0));
    const chunks: Uint8Array[] = [];
    for await (const chunk of readChunks(source)) chunks.push(chunk);
    expect(chunks).toEqual([]);
    // S3 answers 416 and s3rver a nonsense range (bytes 0-0/0): both fall back to HEAD.
    expect(seen()).toEqual(mode === 'ignores Range' ? [`GET bytes=-${TAIL}`, 'HEAD'] : [`GET bytes=-${TAIL}`, 'HEAD', 'HEAD']);
  });

  it.each(MODES)('a missing object is NOT_FOUND from the one GET (%s)', async (mode) => {
    as(mode);
    const error = await failure(connector.open('lake/dir/nope.parquet', call()));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('"lake/dir/nope.parquet"');
    expect(error.hint).toContain('"lake/dir/"');
    expect(seen()).toEqual([`GET bytes=-${TAIL}`]);
  });

  it('a store that ignores Range: the size comes from Content-Length, the whole body is not kept, reads away from the start are refused', async () => {
    as('ignores Range');
    const source = await connector.open('lake/big.bin', call());
    expect(source.size).toBe(big.byteLength);
    expect(await source.read(0, 100)).toEqual(big.slice(0, 100));
    expect((await failure(source.read(100_000, 100_100))).code).toBe('UPSTREAM_ERROR');
  });

  it('malformed answers: a short body is refused; a senseless Content-Range or no Content-Length falls back to HEAD', async () => {
    as('real S3');
    proxy.fault = (req) => (req.method === 'GET' ? { status: 206, body: 'x'.repeat(10), headers: { 'content-range': 'bytes 0-99/100' } } : undefined);
    expect((await failure(connector.open('lake/big.bin', call()))).code).toBe('UPSTREAM_ERROR');
    // A range far bigger than asked for: the size is kept, the body is not buffered.
    proxy.fault = (req) => (req.method === 'GET' ? { status: 206, body: 'x'.repeat(10), headers: { 'content-range': 'bytes 0-999999999/1000000000' } } : undefined);
    expect((await connector.open('lake/big.bin', call())).size).toBe(1_000_000_000);
    const odd: Array<Record<string, string>> = [{ 'content-range': 'bytes 9-2/5' }, { 'content-range': 'bytes 0-9/*' }, { 'content-range': 'bytes 0-1/1' }, { 'transfer-encoding': 'chunked' }];
    for (const headers of odd) {
      as('real S3');
      proxy.fault = (req) => (req.method === 'GET' ? { status: headers['transfer-encoding'] ? 200 : 206, body: 'x'.repeat(10), headers } : undefined);
      const source = await connector.open('lake/big.bin', call());
      expect(source.size, JSON.stringify(headers)).toBe(big.byteLength);
      expect(seen(), JSON.stringify(headers)).toEqual([`GET bytes=-${TAIL}`, 'HEAD']);
    }
  });

  it('sequential opens and reads reuse one keep-alive connection', async () => {
    as('real S3');
    await (await connector.open('lake/big.bin', call())).read(10, 20);
    const before = proxy.connections;
    for (let i = 0; i < 3; i++) {
      const source = await connector.open('lake/big.bin', call());
      for (const at of [0, 50_000, 120_000, 180_000]) expect(await source.read(at, at + 5000)).toEqual(big.slice(at, at + 5000));
      await readTable(await connector.open('lake/grouped.parquet', call()), { format: 'parquet', filter: { column: 'id', op: 'eq', value: 25_000 }, limit: 10, maxRows: 1_000_000 });
    }
    expect(proxy.requests.length).toBeGreaterThan(20);
    expect(proxy.connections - before).toBe(0);
  });

  it('open honours cancellation and deadlines', async () => {
    as('real S3');
    const controller = new AbortController();
    controller.abort();
    expect((await failure(connector.open('lake/big.bin', call(controller.signal)))).code).toBe('CANCELLED');
    expect(proxy.requests).toEqual([]);
    proxy.fault = () => 'hang';
    expect((await failure(connector.open('lake/big.bin', call(AbortSignal.timeout(200))))).code).toBe('TIMEOUT');
  });
  it('a repeated scan of the same object version reuses its parsed footer; a new version is read afresh', async () => {
    await server.putObject('lake', 'again.parquet', parquet);
    const scan = async () => {
      const source = await connector.open('lake/again.parquet', call());
      return readTable(source, { format: 'parquet', filter: { column: 'id', op: 'between', value: [GROUP_ROWS, GROUP_ROWS + 9] }, limit: 100, maxRows: 1_000_000 });
    };
    as('s3rver'); // s3rver answers a suffix range with the start of the object: the footer costs a GET of its own
    const first = await scan();
    const firstGets = proxy.requests.length;
    proxy.requests.length = 0;
    const second = await scan();
    expect(seen()).toHaveLength(firstGets - 1); // no footer GET
    expect(second.table.numRows).toBe(10);
    expect([...second.table.getChild('id')!.toArray()]).toEqual([...first.table.getChild('id')!.toArray()]);
    // Replaced object (new ETag): the old footer must not be used, or the offsets would be wrong.
    const ids = Array.from({ length: 50 }, (_, i) => 1_000_000 + i);
    await server.putObject('lake', 'again.parquet', new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: ids, type: 'INT32' }] })));
    proxy.requests.length = 0;
    const source = await connector.open('lake/again.parquet', call());
    const replaced = await readTable(source, { format: 'parquet', filter: { column: 'id', op: 'gte', value: 1_000_040 }, limit: 100, maxRows: 1_000_000 });
    expect([...replaced.table.getChild('id')!.toArray()]).toEqual(ids.slice(40));
    expect(replaced.table.schema.fields.map((f) => f.name)).toEqual(['id']);
  });
});
