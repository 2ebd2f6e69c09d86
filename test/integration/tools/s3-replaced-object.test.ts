import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { s3rverConnectorConfig, startS3rver, type S3rverHandle } from '../../helpers/s3rver.js';
import { demoConfig, ok } from './support.js';

/**
 * read_data remembers an object's version and, on a repeat, skips the request that learns it
 * (an optimistic open). s3rver ignores If-Match, like some S3-compatible stores, so this is the
 * hard case: when the object is replaced in between, the reader must notice from the answer
 * itself (its ETag and size), start again, and return only the new version — never a mix of
 * the old footer and new bytes.
 */
const ROWS = 6_000;

function version(tag: string, rows = ROWS): Uint8Array {
  const ids = Array.from({ length: rows }, (_, i) => i);
  return new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: ids, type: 'INT32' }, { name: 'tag', data: ids.map((i) => `${tag}-${i}`), type: 'STRING' }], rowGroupSize: 2_000 }));
}

let s3: S3rverHandle;
let h: Harness;

beforeAll(async () => {
  s3 = await startS3rver({ buckets: ['lake'] });
  h = await startHarness({
    config: demoConfig({
      connectors: {
        lake: s3rverConnectorConfig(s3.endpoint, ['lake']),
      },
    }),
  });
});
afterAll(async () => {
  await h?.close();
  await s3?.stop();
});

const tagsOf = (out: Record<string, unknown>) => (out.rows as unknown[][]).map((r) => String(r[1]).split('-')[0]);

describe('s3: an object replaced between two reads', () => {
  it('the repeat read returns only the new version (same size, new ETag; and a new size)', async () => {
    await s3.putObject('lake', 't.parquet', version('old'));
    const first = ok(await h.call('read_data', { connector: 'lake', path: 'lake/t.parquet', filter: { column: 'id', op: 'between', value: [10, 12] } }));
    expect(tagsOf(first)).toEqual(['old', 'old', 'old']);

    await s3.putObject('lake', 't.parquet', version('new'));
    // Other arguments, so the result cache cannot answer: the reader itself must see the change.
    const second = ok(await h.call('read_data', { connector: 'lake', path: 'lake/t.parquet', filter: { column: 'id', op: 'between', value: [4_010, 4_012] } }));
    expect(tagsOf(second)).toEqual(['new', 'new', 'new']);

    await s3.putObject('lake', 't.parquet', version('big', ROWS * 2));
    const third = ok(await h.call('read_data', { connector: 'lake', path: 'lake/t.parquet', filter: { column: 'id', op: 'between', value: [11_000, 11_001] } }));
    expect(tagsOf(third)).toEqual(['big', 'big']);
  });

  it('a CSV replaced by a shorter one is read afresh, whole', async () => {
    await s3.putObject('lake', 'c.csv', 'id,tag\n1,old\n2,old\n3,old\n');
    expect(tagsOf(ok(await h.call('read_data', { connector: 'lake', path: 'lake/c.csv' })))).toEqual(['old', 'old', 'old']);
    await s3.putObject('lake', 'c.csv', 'id,tag\n1,new\n');
    expect(tagsOf(ok(await h.call('read_data', { connector: 'lake', path: 'lake/c.csv', limit: 10 })))).toEqual(['new']);
  });
});
