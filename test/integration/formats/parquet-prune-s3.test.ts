/**
 * Row-group pruning over the wire: a sorted Parquet object in s3rver, read through the real S3
 * connector behind the counting proxy. A selective filter fetches the footer and the one row
 * group that can match — the proxy sees only those ranged GETs — and returns DuckDB's rows.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Connector } from '../../../src/connectors/s3/index.js';
import type { CallOptions, Connector, CredentialScope } from '../../../src/connectors/types.js';
import { readTable } from '../../../src/data/read-table.js';
import type { Filter } from '../../../src/engine/filter.js';
import { rowsOf } from '../../helpers/arrow-values.js';
import { duckdbRows } from '../../helpers/duckdb.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from '../../helpers/s3rver.js';

const scope: CredentialScope = { id: 'aws:static:test', material: { kind: 'aws', ...S3RVER_CREDENTIALS } };
const call = (): CallOptions => ({ signal: new AbortController().signal, credentials: scope });
const ROWS = 100_000;
const GROUP = 10_000;

function sortedParquet(): Uint8Array {
  const ids = Array.from({ length: ROWS }, (_, i) => i);
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ids, type: 'INT32', nullable: false },
        { name: 'amount', data: ids.map((i) => (i * 7919) % 10_007), type: 'DOUBLE', nullable: false },
        { name: 'region', data: ids.map((i) => ['eu-west', 'us-east', 'ap-south'][i % 3]!), type: 'STRING', nullable: false },
      ],
      rowGroupSize: GROUP,
    }),
  );
}

describe('Parquet row-group pruning through the s3 connector (s3rver)', () => {
  const file = sortedParquet();
  let server: S3rverHandle;
  let proxy: FaultProxy;
  let connector: Connector;
  let dir: string;

  beforeAll(async () => {
    server = await startS3rver({ buckets: ['lake'] });
    await server.putObject('lake', 'sorted.parquet', file);
    proxy = await startFaultProxy(server.port);
    // Suffix ranges answered like real S3 (s3rver serves them from the start): open() fetches the tail.
    proxy.realSuffixRanges = true;
    connector = await createS3Connector('lake', { kind: 's3', buckets: ['lake'], region: 'us-east-1', endpoint: proxy.endpoint, force_path_style: true, annotations: {} }, {});
    dir = await mkdtemp(join(tmpdir(), 'prune-s3-'));
    await writeFile(join(dir, 'sorted.parquet'), file);
  });
  afterAll(async () => {
    await connector?.close();
    await proxy?.stop();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fetches only the footer and the matching row group, and returns DuckDB rows', async () => {
    const filter: Filter = { and: [{ column: 'id', op: 'between', value: [73_000, 73_999] }, { column: 'region', op: 'eq', value: 'us-east' }] };
    proxy.requests.length = 0;
    const source = await connector.open('lake/sorted.parquet', call());
    const result = await readTable(source, { format: 'parquet', columns: ['id', 'amount'], filter, limit: 10_000, maxRows: 1_000_000 });

    expect(result.rowGroupsSkipped).toBe(9);
    expect(result.rowsScanned).toBe(GROUP);
    expect(result.complete).toBe(true);
    // No HEAD: the open's suffix-range GET brings the size and the footer, then one GET for the row group.
    expect(proxy.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(proxy.requests.every((r) => r.range !== undefined)).toBe(true);
    const wire = proxy.requests.reduce((sum, r) => sum + r.bytes, 0);
    // bytesRead is what crossed the wire, the open's prefetched tail included, each byte once.
    expect(result.bytesRead).toBe(wire);
    // One of ten groups (two of three columns) plus the footer: far under the object.
    expect(wire * 5).toBeLessThan(file.byteLength);

    const expected = await duckdbRows(`SELECT id, amount FROM read_parquet('${join(dir, 'sorted.parquet')}') WHERE id BETWEEN 73000 AND 73999 AND region = 'us-east' ORDER BY id`);
    expect(rowsOf(result.table)).toEqual(expected);
  });

  it('a filter no group can satisfy reads nothing but the footer', async () => {
    proxy.requests.length = 0;
    const source = await connector.open('lake/sorted.parquet', call());
    const result = await readTable(source, { format: 'parquet', filter: { column: 'id', op: 'lt', value: 0 }, limit: 100, maxRows: 1_000_000 });
    expect(result.table.numRows).toBe(0);
    expect(result.rowGroupsSkipped).toBe(10);
    expect(result.rowsScanned).toBe(0);
    expect(proxy.requests.map((r) => `${r.method} ${r.range ?? ''}`)).toEqual(['GET bytes=-65536']);
  });
});
