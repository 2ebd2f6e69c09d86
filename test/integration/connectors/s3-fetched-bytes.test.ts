import { createHash } from 'node:crypto';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Connector } from '../../../src/connectors/s3/index.js';
import type { CallOptions, Connector } from '../../../src/connectors/types.js';
import { readTable } from '../../../src/data/read-table.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from '../../helpers/s3rver.js';

/**
 * `bytesRead` of an S3 read is what crossed the wire for it: the tail open() prefetched counts
 * (whether or not a read used it), reads served from that tail do not count again, and a
 * second read of the same source reports only its own fetches. The proxy in front of s3rver
 * counts the response bytes it forwards, which is the reference.
 */
const GROUP_ROWS = 10_000;

function groupedParquet(): Uint8Array {
  const ids = Array.from({ length: GROUP_ROWS * 4 }, (_, i) => i);
  const notes = ids.map((i) => createHash('md5').update(String(i)).digest('hex'));
  return new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: ids, type: 'INT32' }, { name: 'note', data: notes, type: 'STRING' }], rowGroupSize: GROUP_ROWS }));
}

const call = (): CallOptions => ({ signal: new AbortController().signal, credentials: { id: 'aws:static:test', material: { kind: 'aws', ...S3RVER_CREDENTIALS } } });

describe('s3 connector: bytesRead counts what was fetched', () => {
  let server: S3rverHandle;
  let proxy: FaultProxy;
  let connector: Connector;
  const parquet = groupedParquet();
  const small = new TextEncoder().encode('id,name\n1,ä\n2,日本\n');

  beforeAll(async () => {
    server = await startS3rver({ buckets: ['lake'] });
    await server.putObject('lake', 'grouped.parquet', parquet);
    await server.putObject('lake', 'small.csv', small);
    proxy = await startFaultProxy(server.port);
    connector = await createS3Connector('s3', { kind: 's3', buckets: ['lake'], region: 'us-east-1', endpoint: proxy.endpoint, force_path_style: true, annotations: {} }, {});
  });
  afterAll(async () => {
    await connector?.close();
    await proxy?.stop();
    await server?.stop();
  });

  const wire = () => proxy.requests.reduce((sum, r) => sum + r.bytes, 0);
  const scan = (source: Awaited<ReturnType<Connector['open']>>, from: number) =>
    readTable(source, { format: 'parquet', filter: { column: 'id', op: 'between', value: [from, from + 99] }, limit: 1000, maxRows: 1_000_000 });

  it.each([
    ['real S3', true],
    ['s3rver', false],
  ] as const)('a filtered Parquet scan reports exactly the response bytes (%s suffix ranges)', async (_mode, real) => {
    proxy.realSuffixRanges = real;
    await server.putObject('lake', `scan-${String(real)}.parquet`, parquet);
    proxy.requests.length = 0;
    const read = await scan(await connector.open(`lake/scan-${String(real)}.parquet`, call()), 15_000);
    expect(read.table.numRows).toBe(100);
    // real S3: the footer comes from the prefetched tail; s3rver: the start arrives instead, unused.
    expect(proxy.requests.length).toBe(real ? 2 : 3);
    expect(read.bytesRead).toBe(wire());
  });

  it('a second read of the same source reports only its own fetches, not the prefetched tail again', async () => {
    proxy.realSuffixRanges = true;
    proxy.requests.length = 0;
    const source = await connector.open('lake/grouped.parquet', call());
    const first = await scan(source, 100);
    expect(first.bytesRead).toBe(wire());
    const before = wire();
    const second = await scan(source, 35_000);
    expect(second.table.numRows).toBe(100);
    expect(second.bytesRead).toBe(wire() - before);
    expect(second.bytesRead).toBeGreaterThan(0);
  });

  it('an object that arrived whole with the open counts once, however it is read', async () => {
    proxy.realSuffixRanges = true;
    proxy.requests.length = 0;
    const read = await readTable(await connector.open('lake/small.csv', call()), { format: 'csv', limit: 10, maxRows: 100 });
    expect(read.table.numRows).toBe(2);
    expect(proxy.requests).toHaveLength(1);
    expect(read.bytesRead).toBe(small.byteLength);
  });
});
