import { createHash } from 'node:crypto';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Connector, S3Connector } from '../../../src/connectors/s3/index.js';
import type { CallOptions, Connector } from '../../../src/connectors/types.js';
import { readObjects, type ObjectOpener, type ReadObjectsOptions } from '../../../src/data/read-objects.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from '../../helpers/s3rver.js';

/**
 * read-objects opens optimistically: a repeat read of an unchanged object skips the open's
 * request, and every read is pinned with If-Match to the remembered ETag. s3rver ignores
 * If-Match, so the proxy answers it as real S3 does (412 when the ETag is not the object's),
 * from the ETags of what this test stored. Objects are replaced or deleted behind the
 * connector's back (the s3rver handle, a second connector) so its memory really goes stale.
 */
const GROUP_ROWS = 5_000;

function parquet(offset: number): Uint8Array {
  const ids = Array.from({ length: GROUP_ROWS * 3 }, (_, i) => i);
  const notes = ids.map((i) => `note-${i + offset}`);
  return new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: ids, type: 'INT32' }, { name: 'note', data: notes, type: 'STRING' }], rowGroupSize: GROUP_ROWS }));
}

const call = (): CallOptions => ({ signal: new AbortController().signal, credentials: { id: 'aws:static:test', material: { kind: 'aws', ...S3RVER_CREDENTIALS } } });
const etagOf = (body: Uint8Array | string) => `"${createHash('md5').update(body).digest('hex')}"`;
const BASE: ReadObjectsOptions = { limit: 1000, maxRows: 1_000_000, maxObjectBytes: 10_000_000, signal: new AbortController().signal };

describe('s3 connector: optimistic open through readObjects', () => {
  let server: S3rverHandle;
  let proxy: FaultProxy;
  let connector: Connector;
  /** Another process's view of the same bucket: its writes and deletes do not touch `connector`'s memory. */
  let other: S3Connector;
  const etags = new Map<string, string>();
  const ifMatch: Array<string | undefined> = [];

  const opener: ObjectOpener = { open: (path, hint) => connector.open(path, { ...call(), ...hint }) };
  const put = async (key: string, body: Uint8Array | string) => {
    await server.putObject('lake', key, body);
    etags.set(`/lake/${key}`, etagOf(body));
  };
  const gets = () => proxy.requests.filter((r) => r.method === 'GET');
  const reset = () => {
    proxy.requests.length = 0;
    ifMatch.length = 0;
  };

  beforeAll(async () => {
    server = await startS3rver({ buckets: ['lake'] });
    proxy = await startFaultProxy(server.port);
    proxy.realSuffixRanges = true;
    proxy.fault = (req) => {
      const sent = req.headers['if-match'];
      if (req.method !== 'GET') return undefined;
      ifMatch.push(typeof sent === 'string' ? sent : undefined);
      const current = etags.get((req.url ?? '').split('?')[0]!);
      if (typeof sent === 'string' && current !== undefined && sent !== current) {
        return { status: 412, body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-Match</Condition></Error>' };
      }
      return undefined;
    };
    const config = { kind: 's3' as const, buckets: ['lake'], region: 'us-east-1', endpoint: proxy.endpoint, force_path_style: true, annotations: {} };
    connector = await createS3Connector('s3', config, {});
    other = new S3Connector('s3', { ...config, endpoint: server.endpoint });
  });
  afterAll(async () => {
    await connector?.close();
    await other?.close();
    await proxy?.stop();
    await server?.stop();
  });
  beforeEach(reset);

  const scan = (key: string, from: number) => readObjects(opener, [`lake/${key}`], { ...BASE, format: 'parquet', filter: { column: 'id', op: 'between', value: [from, from + 9] } });
  const notes = (result: Awaited<ReturnType<typeof scan>>) => result.table.getChild('note')!.toArray() as string[];

  it('reads an unchanged Parquet object again with one GET: the row group, pinned to the ETag', async () => {
    await put('repeat.parquet', parquet(0));
    const first = await scan('repeat.parquet', 7_000);
    // First read as before: the suffix open (footer in it), then the one row group.
    expect(gets().map((r) => r.range?.startsWith('bytes=-'))).toEqual([true, false]);
    reset();
    const again = await scan('repeat.parquet', 7_000);
    expect(gets()).toHaveLength(1);
    expect(gets()[0]!.range).toMatch(/^bytes=\d+-\d+$/);
    expect(ifMatch).toEqual([etags.get('/lake/repeat.parquet')]);
    expect(notes(again)).toEqual(notes(first));
    expect(notes(again)[0]).toBe('note-7000');
    expect(again.bytesRead).toBe(proxy.requests.reduce((sum, r) => sum + r.bytes, 0));
  });

  it('a replaced object: the optimistic read gets 412, opens again, and returns only the new content', async () => {
    await put('replaced.parquet', parquet(0));
    await scan('replaced.parquet', 100);
    await put('replaced.parquet', parquet(1_000_000));
    reset();
    const read = await scan('replaced.parquet', 100);
    expect(notes(read)).toEqual(Array.from({ length: 10 }, (_, i) => `note-${1_000_100 + i}`));
    const statuses = gets().map((r) => r.range?.startsWith('bytes=-') ? 'open' : 'range');
    // The stale attempt (412), the real open, the row group of the new version.
    expect(statuses).toEqual(['range', 'open', 'range']);
    const refused = proxy.requests[0]!;
    expect(read.bytesRead).toBe(proxy.requests.reduce((sum, r) => sum + r.bytes, 0) - refused.bytes);
    // The stale version was forgotten and the new one remembered: the next read is one GET again.
    reset();
    const next = await scan('replaced.parquet', 100);
    expect(gets()).toHaveLength(1);
    expect(ifMatch).toEqual([etags.get('/lake/replaced.parquet')]);
    expect(notes(next)).toEqual(notes(read));
  });

  it('a deleted object is NOT_FOUND, as without the optimistic open', async () => {
    await put('deleted.parquet', parquet(0));
    await scan('deleted.parquet', 0);
    await other.delete('lake/deleted.parquet', call());
    const error = await scan('deleted.parquet', 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataMcpError);
    expect((error as DataMcpError).code).toBe('NOT_FOUND');
    expect((error as DataMcpError).detail?.['stale']).toBeUndefined();
  });

  it('text formats restart cleanly: a replaced CSV is read whole from the new version', async () => {
    const csv = (n: number, tag: string) => `id,name\n${Array.from({ length: n }, (_, i) => `${i},${tag}${i}`).join('\n')}\n`;
    await put('rows.csv', csv(50, 'old'));
    const read = () => readObjects(opener, ['lake/rows.csv'], { ...BASE, format: 'csv' });
    const names = (r: Awaited<ReturnType<typeof read>>) => r.table.getChild('name')!.toArray() as string[];
    expect(names(await read())).toHaveLength(50);
    reset();
    const again = await read();
    expect(gets()).toHaveLength(1);
    expect(names(again)[49]).toBe('old49');
    await put('rows.csv', csv(80, 'new'));
    reset();
    const replaced = await read();
    expect(names(replaced)).toEqual(Array.from({ length: 80 }, (_, i) => `new${i}`));
    expect(ifMatch[0]).toBe(etagOf(csv(50, 'old')));
  });

  it('a read that fetches nothing (footer cached, every row group pruned) is confirmed by a real open', async () => {
    await put('pruned.parquet', parquet(0));
    const none = () => readObjects(opener, ['lake/pruned.parquet'], { ...BASE, format: 'parquet', filter: { column: 'id', op: 'gt', value: 1_000_000 } });
    await none();
    reset();
    const again = await none();
    expect(again.table.numRows).toBe(0);
    // No If-Match ever validated the remembered version, so the open is made after all.
    expect(gets().map((r) => r.range?.startsWith('bytes=-'))).toEqual([true]);
    expect(again.bytesRead).toBe(proxy.requests[0]!.bytes);
  });

  it('callers that do not opt in (describe, probe, writes) open with a request as before', async () => {
    await put('plain.csv', 'a,b\n1,2\n');
    await readObjects(opener, ['lake/plain.csv'], { ...BASE, format: 'csv' });
    reset();
    const source = await connector.open('lake/plain.csv', call());
    expect(gets()).toHaveLength(1);
    expect(gets()[0]!.range).toBe('bytes=-65536');
    expect(new TextDecoder().decode(await source.read(0, source.size))).toBe('a,b\n1,2\n');
    expect(gets()).toHaveLength(1);
  });
});
