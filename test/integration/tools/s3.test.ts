import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { s3rverConnectorConfig, startS3rver, type S3rverHandle } from '../../helpers/s3rver.js';
import { EVENT_DAYS } from './demo-rows.js';
import { BUNDLED_DEMO_DATA_DIR, demoConfig, errorOf, ok } from './support.js';

const BUCKET = 'demo-lake';
/** Objects at the edges of open(): smaller than the tail it fetches, and empty. */
const EDGE_BUCKET = 'edge-lake';
const FILES = ['orders.csv', 'orders.parquet', 'customers.jsonl', ...EVENT_DAYS.map((d) => `events/${d}.jsonl`)];

let s3: S3rverHandle;
let h: Harness;

beforeAll(async () => {
  s3 = await startS3rver({ buckets: [BUCKET, 'empty-lake', EDGE_BUCKET] });
  for (const file of FILES) await s3.putObject(BUCKET, file, readFileSync(join(BUNDLED_DEMO_DATA_DIR, file)));
  await s3.putObject(EDGE_BUCKET, 'tiny.csv', 'id,name\n1,zoë\n2,李\n');
  await s3.putObject(EDGE_BUCKET, 'empty.csv', '');
  h = await startHarness({
    config: demoConfig({
      connectors: {
        lake: s3rverConnectorConfig(s3.endpoint, [BUCKET, 'empty-lake']),
      },
    }),
  });
});
afterAll(async () => {
  await h?.close();
  await s3?.stop();
});

/** Reads the same relative path from the local demo and from the bucket. */
async function both(tool: string, path: string, args: Record<string, unknown> = {}) {
  const local = ok(await h.call(tool, { connector: 'demo', path, ...args }));
  const remote = ok(await h.call(tool, { connector: 'lake', path: `${BUCKET}/${path}`, ...args }));
  return { local, remote };
}

describe('s3 connector (s3rver) through the tools', () => {
  it('list_connectors shows the s3 connector', async () => {
    const listed = ok(await h.call('list_connectors')).connectors as Array<{ name: string; kind: string }>;
    expect(listed.map((c) => [c.name, c.kind])).toEqual([['demo', 'local'], ['lake', 's3']]);
  });

  it('browse at the root lists exactly the configured buckets', async () => {
    const root = ok(await h.call('browse', { connector: 'lake' }));
    expect(root.entries).toEqual([
      { name: BUCKET, path: `${BUCKET}/`, kind: 'container' },
      { name: 'empty-lake', path: 'empty-lake/', kind: 'container' },
    ]);
  });

  it('browse a bucket and a prefix', async () => {
    const top = ok(await h.call('browse', { connector: 'lake', path: `${BUCKET}/` })).entries as Array<{ path: string; kind: string; size?: number }>;
    expect(top.map((e) => [e.path, e.kind])).toEqual([
      [`${BUCKET}/customers.jsonl`, 'object'],
      [`${BUCKET}/events/`, 'prefix'],
      [`${BUCKET}/orders.csv`, 'object'],
      [`${BUCKET}/orders.parquet`, 'object'],
    ]);
    const events = ok(await h.call('browse', { connector: 'lake', path: `${BUCKET}/events/`, limit: 3 }));
    expect((events.entries as unknown[]).length).toBe(3);
    const rest = ok(await h.call('browse', { connector: 'lake', path: `${BUCKET}/events/`, limit: 3, cursor: events.nextCursor }));
    expect((rest.entries as Array<{ path: string }>).map((e) => e.path)).toEqual([`${BUCKET}/events/2026-09-04.jsonl`]);
    expect(ok(await h.call('browse', { connector: 'lake', path: 'empty-lake/' })).entries).toEqual([]);
  });

  it('browse a bucket that is not configured is refused', async () => {
    const err = errorOf(await h.call('browse', { connector: 'lake', path: 'someone-elses-bucket/' }));
    expect(err.code).toBe('NOT_FOUND');
  });

  it('describe a parquet object: the same schema and exact row count as the local file', async () => {
    const { local, remote } = await both('describe', 'orders.parquet');
    expect(remote.columns).toEqual(local.columns);
    expect(remote).toMatchObject({ format: 'parquet', rowCount: 10_000, rowCountExact: true, size: local.size });
    expect(remote.parquet).toEqual(local.parquet);
  });

  it('read_data with a filter equals the same read from the local demo', async () => {
    const filter = { and: [{ column: 'region', op: 'in', value: ['north', 'east'] }, { column: 'amount', op: 'between', value: [200, 260] }] };
    for (const path of ['orders.parquet', 'orders.csv']) {
      const { local, remote } = await both('read_data', path, { filter, columns: ['order_id', 'region', 'amount', 'order_date'], limit: 20_000 });
      expect(remote.rowCount, path).toBe(local.rowCount);
      expect(remote.rowCount as number, path).toBeGreaterThan(50);
      expect(remote.rows, path).toEqual(local.rows);
      expect(remote.columns, path).toEqual(local.columns);
    }
  });

  it('read_data with a glob equals the local glob, with per-object provenance', async () => {
    const { local, remote } = await both('read_data', 'events/*.jsonl', { limit: 10_000 });
    expect(remote.rowCount).toBe(2000);
    expect(remote.rows).toEqual(local.rows);
    expect((remote.objects as Array<{ path: string; rows: number }>).map((o) => [o.path, o.rows])).toEqual(EVENT_DAYS.map((d) => [`${BUCKET}/events/${d}.jsonl`, 500]));
    expect(remote.truncated).toBe(true);
    const page = await h.client.readResource({ uri: `${remote.handle as string}?offset=1990&limit=10` });
    const localPage = await h.client.readResource({ uri: `${local.handle as string}?offset=1990&limit=10` });
    expect(JSON.parse((page.contents[0] as { text: string }).text).rows).toEqual(JSON.parse((localPage.contents[0] as { text: string }).text).rows);
  });

  it('a missing object is NOT_FOUND, and the error carries no endpoint or credentials', async () => {
    const result = await h.call('read_data', { connector: 'lake', path: `${BUCKET}/nope.csv` });
    const err = errorOf(result);
    expect(err.code).toBe('NOT_FOUND');
    expect(JSON.stringify(result)).not.toContain(s3.endpoint);
    expect(JSON.stringify(result)).not.toContain('127.0.0.1');
  });
});

describe('s3 object sizes come from the open (no HEAD), and the object-size ceiling still holds', () => {
  let small: Harness;
  const lake = (buckets: string[]) => s3rverConnectorConfig(s3.endpoint, buckets);
  beforeAll(async () => {
    small = await startHarness({
      config: demoConfig({
        connectors: { lake: lake([BUCKET, EDGE_BUCKET]) },
        extra: { server: { env: 'dev', toolsets: ['catalog', 'data'], limits: { max_object_bytes: 100_000 } } },
      }),
    });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('text objects over max_object_bytes are refused with their exact size; Parquet is read by ranges whatever its size', async () => {
    for (const file of ['orders.csv', 'customers.jsonl']) {
      const err = errorOf(await small.call('read_data', { connector: 'lake', path: `${BUCKET}/${file}` }));
      expect(err.code, file).toBe('LIMIT_EXCEEDED');
      expect(err.message, file).toContain(`${readFileSync(join(BUNDLED_DEMO_DATA_DIR, file)).byteLength} bytes`);
    }
    const parquet = ok(await small.call('read_data', { connector: 'lake', path: `${BUCKET}/orders.parquet`, columns: ['order_id'], limit: 5 }));
    expect(parquet.rowCount).toBe(5);
  });

  it('a tiny object and an empty one: exact sizes in describe, rows from read_data', async () => {
    const tiny = ok(await small.call('describe', { connector: 'lake', path: `${EDGE_BUCKET}/tiny.csv` }));
    expect(tiny).toMatchObject({ format: 'csv', size: Buffer.byteLength('id,name\n1,zoë\n2,李\n') });
    expect(ok(await small.call('read_data', { connector: 'lake', path: `${EDGE_BUCKET}/tiny.csv` })).rows).toEqual([
      [1, 'zoë'],
      [2, '李'],
    ]);
    const empty = ok(await small.call('describe', { connector: 'lake', path: `${EDGE_BUCKET}/empty.csv` }));
    expect(empty).toMatchObject({ size: 0, etag: '"d41d8cd98f00b204e9800998ecf8427e"', columns: [], rowCount: 0, rowCountExact: true });
    const read = ok(await small.call('read_data', { connector: 'lake', path: `${EDGE_BUCKET}/empty.csv` }));
    expect(read).toMatchObject({ rows: [], rowCount: 0, bytesRead: 0, complete: true });
  });
});
