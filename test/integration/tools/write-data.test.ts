import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { s3rverConnectorConfig, startS3rver, type S3rverHandle } from '../../helpers/s3rver.js';
import { auditCalls, auditFor, errorOf, ok } from './support.js';
import { token, TOKEN_ENV, tokenAuth } from './tokens.js';

/**
 * write_data / replace_data / delete_data through the real MCP client and the whole gate, on a
 * temp-folder `local` connector and an s3rver-backed `s3` connector behind the fault proxy
 * (which answers If-None-Match like real S3: s3rver ignores it).
 */
const BUCKET = 'out-lake';
const ACCOUNTS = [
  { id: 'writer', roles: ['reader', 'writer'] },
  { id: 'reader', roles: ['reader'] },
  { id: 'steward', roles: ['reader', 'writer', 'data-steward'] },
  { id: 'writeonly', roles: ['writer'] },
];
const FORMATS = ['csv', 'jsonl', 'json', 'parquet', 'arrow'] as const;
const ROWS = [
  { id: 1, name: 'Ada, "the first"', note: 'two\nlines', amount: 12.5, ok: true, at: '2026-03-01T10:00:00.000Z' },
  { id: 2, name: 'Zoë 🚀', note: null, amount: null, ok: false, at: null },
  { id: 3, name: null, note: 'plain', amount: -1, ok: null, at: '1999-12-31T23:59:59.999Z' },
];

let base: string;
let root: string;
let demoRoot: string;
let s3: S3rverHandle;
let proxy: FaultProxy;
let h: Harness;
const as = async (sa: string) => ({ 'data-mcp/token': await token(sa) });

function config(server: Record<string, unknown>): Record<string, unknown> {
  return {
    server: { env: 'dev', toolsets: ['catalog', 'data'], ...server },
    auth: tokenAuth(ACCOUNTS, true),
    connectors: {
      scratch: { kind: 'local', root },
      lake: s3rverConnectorConfig(proxy.endpoint, [BUCKET]),
      demo: { kind: 'local', root: demoRoot },
    },
  };
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-write-tools-'));
  root = join(base, 'scratch');
  demoRoot = join(base, 'demo');
  mkdirSync(root);
  mkdirSync(demoRoot);
  mkdirSync(join(base, 'outside'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/a.csv'), 'id,city\n1,Oslo\n2,Lima\n');
  writeFileSync(join(root, 'src/b.csv'), 'id,city\n3,Pune\n');
  symlinkSync(join(base, 'outside'), join(root, 'escape'));
  s3 = await startS3rver({ buckets: [BUCKET] });
  proxy = await startFaultProxy(s3.port);
  proxy.enforceIfNoneMatch = true;
  h = await startHarness({ config: config({ read_only: false, allow_destructive: true }), env: TOKEN_ENV });
});
afterAll(async () => {
  await h?.close();
  await proxy?.stop();
  await s3?.stop();
  rmSync(base, { recursive: true, force: true });
});
beforeEach(() => {
  proxy.requests.length = 0;
  delete proxy.fault;
});

async function readBack(connector: string, path: string, sa = 'writer') {
  const result = ok(await h.call('read_data', { connector, path, limit: 100 }, await as(sa)));
  const columns = (result.columns as Array<{ name: string }>).map((c) => c.name);
  return (result.rows as unknown[][]).map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
}

describe('write_data: create-only, every format, both stores', () => {
  for (const connector of ['scratch', 'lake'] as const) {
    it.each(FORMATS)(`${connector}: writes %s and read_data gives the rows back`, async (format) => {
      const path = `${connector === 'lake' ? `${BUCKET}/` : ''}out/rows.${format}`;
      const result = ok(await h.call('write_data', { connector, path, rows: ROWS }, await as('writer')));
      expect(result).toMatchObject({ connector, path, format, rows: 3, alreadyExisted: false, destination: `${connector}/${path}` });
      expect(result.bytes).toBeGreaterThan(0);
      expect(result.cache).toBeUndefined();
      const back = await readBack(connector, path);
      // Timestamps come back as ISO text in results; everything else as written.
      expect(back).toEqual(ROWS);
    });
  }

  it('an explicit format wins over the extension', async () => {
    ok(await h.call('write_data', { connector: 'scratch', path: 'out/explicit.dat', format: 'jsonl', rows: [{ a: 1 }] }, await as('writer')));
    expect(readFileSync(join(root, 'out/explicit.dat'), 'utf8')).toBe('{"a":1}\n');
  });

  it('the S3 write sent If-None-Match: *', async () => {
    ok(await h.call('write_data', { connector: 'lake', path: `${BUCKET}/hdr/x.csv`, rows: [{ a: 1 }] }, await as('writer')));
    expect(proxy.requests.filter((r) => r.method === 'PUT').map((r) => r.ifNoneMatch)).toEqual(['*']);
  });

  it('an existing key with other content is a conflict (INVALID_ARGUMENT, hint) and stays unchanged', async () => {
    for (const [connector, path] of [
      ['scratch', 'conflict/a.csv'],
      ['lake', `${BUCKET}/conflict/a.csv`],
    ] as const) {
      ok(await h.call('write_data', { connector, path, rows: [{ v: 'first' }] }, await as('writer')));
      const err = errorOf(await h.call('write_data', { connector, path, rows: [{ v: 'second' }] }, await as('writer')));
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.message).toContain('already exists');
      expect(err.hint).toContain('replace_data');
      expect(await readBack(connector, path)).toEqual([{ v: 'first' }]);
    }
  });

  it('an identical retry reports alreadyExisted and writes nothing new', async () => {
    for (const [connector, path] of [
      ['scratch', 'retry/a.parquet'],
      ['lake', `${BUCKET}/retry/a.parquet`],
    ] as const) {
      const first = ok(await h.call('write_data', { connector, path, rows: ROWS }, await as('writer')));
      const again = ok(await h.call('write_data', { connector, path, rows: ROWS }, await as('writer')));
      expect(first.alreadyExisted).toBe(false);
      expect(again).toMatchObject({ alreadyExisted: true, rows: 3, bytes: first.bytes });
    }
    expect(readdirSync(join(root, 'retry'))).toEqual(['a.parquet']);
  });

  it('copies from another read (a glob: list + a read per object) and converts the format', async () => {
    const result = ok(await h.call('write_data', { connector: 'lake', path: `${BUCKET}/copies/cities.parquet`, from: { connector: 'scratch', path: 'src/*.csv', columns: ['city'] } }, await as('writer')));
    expect(result).toMatchObject({ rows: 3, format: 'parquet' });
    expect(await readBack('lake', `${BUCKET}/copies/cities.parquet`)).toEqual([{ city: 'Oslo' }, { city: 'Lima' }, { city: 'Pune' }]);
    const record = auditFor(h.auditPath, lastEventId('write_data'));
    const actions = record.requests.map((r) => `${r.action} ${r.resource}`);
    expect(actions).toEqual([`write lake/${BUCKET}/copies/cities.parquet`, 'list scratch/src/', 'read scratch/src/a.csv', 'read scratch/src/b.csv']);
  });

  it('copies with a filter and a limit', async () => {
    ok(await h.call('write_data', { connector: 'scratch', path: 'copies/lima.jsonl', from: { connector: 'scratch', path: 'src/a.csv', filter: { column: 'city', op: 'eq', value: 'Lima' } } }, await as('writer')));
    expect(readFileSync(join(root, 'copies/lima.jsonl'), 'utf8')).toBe('{"id":2,"city":"Lima"}\n');
  });

  it('refuses input that is not exactly one of rows or from, and empty rows', async () => {
    expect(errorOf(await h.call('write_data', { connector: 'scratch', path: 'x.csv' }, await as('writer'))).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(await h.call('write_data', { connector: 'scratch', path: 'x.csv', rows: [{ a: 1 }], from: { connector: 'scratch', path: 'src/a.csv' } }, await as('writer'))).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(await h.call('write_data', { connector: 'scratch', path: 'x.csv', rows: [] }, await as('writer'))).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(await h.call('write_data', { connector: 'scratch', path: 'x.csv', rows: [[1, 2]] }, await as('writer'))).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(await h.call('write_data', { connector: 'scratch', path: 'x.xyz', rows: [{ a: 1 }] }, await as('writer'))).code).toBe('INVALID_ARGUMENT');
    expect(existsSync(join(root, 'x.csv'))).toBe(false);
  });

  it.each([
    ['../escape.csv', 'INVALID_ARGUMENT'],
    ['/etc/x.csv', 'INVALID_ARGUMENT'],
    ['a/../../x.csv', 'INVALID_ARGUMENT'],
    ['a%2F..%2Fx.csv', 'INVALID_ARGUMENT'],
    ['escape/planted.csv', 'INVALID_ARGUMENT'],
    ['out/*.csv', 'INVALID_ARGUMENT'],
    ['out/', 'INVALID_ARGUMENT'],
    ['.hidden.csv', 'INVALID_ARGUMENT'],
  ])('refuses the target %j (%s) and writes nothing outside the root', async (path, code) => {
    expect(errorOf(await h.call('write_data', { connector: 'scratch', path, rows: [{ a: 1 }] }, await as('writer'))).code).toBe(code);
    expect(readdirSync(join(base, 'outside'))).toEqual([]);
  });

  it('an unknown connector is NOT_FOUND', async () => {
    expect(errorOf(await h.call('write_data', { connector: 'nope', path: 'x.csv', rows: [{ a: 1 }] }, await as('writer'))).code).toBe('NOT_FOUND');
    expect(errorOf(await h.call('delete_data', { connector: 'nope', path: 'x.csv' }, await as('steward'))).code).toBe('NOT_FOUND');
  });

  it('a bucket the connector does not grant is NOT_FOUND, without a request', async () => {
    expect(errorOf(await h.call('write_data', { connector: 'lake', path: 'other-bucket/x.csv', rows: [{ a: 1 }] }, await as('writer'))).code).toBe('NOT_FOUND');
    expect(proxy.requests).toEqual([]);
  });

  it('writes are never cached: a repeat runs again (and finds its own bytes)', async () => {
    const args = { connector: 'scratch', path: 'nocache/a.csv', rows: [{ a: 1 }] };
    const first = await h.call('write_data', args, await as('writer'));
    const second = await h.call('write_data', args, await as('writer'));
    expect(ok(first).alreadyExisted).toBe(false);
    expect(ok(second).alreadyExisted).toBe(true);
    const records = auditCalls(h.auditPath).filter((r) => r.tool === 'write_data').slice(-2);
    expect(records.map((r) => r.outcome.cache)).toEqual([undefined, undefined]);
  });

  it('a failure mid-multipart (S3) leaves no object; the upload is aborted', async () => {
    // ~10 MB of CSV, so the copy goes out as a multipart upload (8 MiB parts).
    const lines = ['id,name,amount'];
    for (let i = 0; i < 220_000; i++) lines.push(`${i},name-${i}-abcdefghijklmnop,${(i * 1.5).toFixed(1)}`);
    await s3.putObject(BUCKET, 'big/source.csv', lines.join('\n'));
    proxy.fault = (req) => (req.method === 'PUT' && (req.url ?? '').includes('partNumber=2') ? { status: 500, body: '<Error><Code>InternalError</Code><Message>boom</Message></Error>' } : undefined);
    const err = errorOf(await h.call('write_data', { connector: 'lake', path: `${BUCKET}/big/copy.csv`, from: { connector: 'lake', path: `${BUCKET}/big/source.csv` } }, await as('writer')));
    expect(err.code).toBe('UNAVAILABLE');
    expect(proxy.requests.some((r) => r.method === 'DELETE' && r.url.includes('uploadId'))).toBe(true);
    delete proxy.fault;
    expect(errorOf(await h.call('describe', { connector: 'lake', path: `${BUCKET}/big/copy.csv` }, await as('writer'))).code).toBe('NOT_FOUND');
    // Without the fault the same copy succeeds, in parts.
    proxy.requests.length = 0;
    const done = ok(await h.call('write_data', { connector: 'lake', path: `${BUCKET}/big/copy.csv`, from: { connector: 'lake', path: `${BUCKET}/big/source.csv` } }, await as('writer')));
    expect(done.rows).toBe(220_000);
    expect(proxy.requests.filter((r) => r.url.includes('partNumber')).length).toBe(2);
  }, 60_000);

  it('a failed local write leaves no file and no temp file', async () => {
    // The parent "folder" is a file: the write fails before any byte lands.
    writeFileSync(join(root, 'blocker'), 'x');
    expect(errorOf(await h.call('write_data', { connector: 'scratch', path: 'blocker/x.csv', rows: [{ a: 1 }] }, await as('writer'))).code).toBe('INVALID_ARGUMENT');
    expect(readdirSync(root).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

function lastEventId(tool: string): string {
  const records = auditCalls(h.auditPath).filter((r) => r.tool === tool);
  return records[records.length - 1]!.eventId;
}

describe('policy on writes', () => {
  it('a reader is denied write (POLICY_DENIED), with a durable audit record', async () => {
    const err = errorOf(await h.call('write_data', { connector: 'scratch', path: 'denied/a.csv', rows: [{ a: 1 }] }, await as('reader')));
    expect(err.code).toBe('POLICY_DENIED');
    // Write-class calls are fsynced before the result returns: the record is already on disk.
    const record = auditFor(h.auditPath, err.eventId);
    expect(record).toMatchObject({ tool: 'write_data', outcome: { status: 'denied', errorCode: 'POLICY_DENIED' }, decision: { result: 'deny' } });
    expect(record.principal?.sa).toBe('reader');
    expect(existsSync(join(root, 'denied'))).toBe(false);
  });

  it('a copy needs read on the source too', async () => {
    // writeonly may write but not read: the copy is refused before anything is written.
    const err = errorOf(await h.call('write_data', { connector: 'scratch', path: 'denied/b.csv', from: { connector: 'scratch', path: 'src/a.csv' } }, await as('writeonly')));
    expect(err.code).toBe('POLICY_DENIED');
    expect(err.message).toContain('read on');
    const glob = errorOf(await h.call('write_data', { connector: 'scratch', path: 'denied/c.csv', from: { connector: 'scratch', path: 'src/*.csv' } }, await as('writeonly')));
    expect(glob.message).toContain('list on');
    expect(existsSync(join(root, 'denied'))).toBe(false);
    // With rows it may write.
    ok(await h.call('write_data', { connector: 'scratch', path: 'wo/a.csv', rows: [{ a: 1 }] }, await as('writeonly')));
  });

  it('the demo connector is read-only by policy, even for a writer', async () => {
    const err = errorOf(await h.call('write_data', { connector: 'demo', path: 'new.csv', rows: [{ a: 1 }] }, await as('steward')));
    expect(err.code).toBe('POLICY_DENIED');
    expect(auditFor(h.auditPath, err.eventId).decision.policies).toContain('demo-data-is-read-only');
    expect(readdirSync(demoRoot)).toEqual([]);
  });

  it('replace_data needs delete as well as write: a writer is denied, a steward replaces', async () => {
    ok(await h.call('write_data', { connector: 'scratch', path: 'rep/a.csv', rows: [{ v: 1 }] }, await as('writer')));
    const err = errorOf(await h.call('replace_data', { connector: 'scratch', path: 'rep/a.csv', rows: [{ v: 2 }] }, await as('writer')));
    expect(err.code).toBe('POLICY_DENIED');
    expect(err.message).toContain('delete');
    expect(await readBack('scratch', 'rep/a.csv')).toEqual([{ v: 1 }]);
    const replaced = ok(await h.call('replace_data', { connector: 'scratch', path: 'rep/a.csv', rows: [{ v: 2 }] }, await as('steward')));
    expect(replaced).toMatchObject({ rows: 1, alreadyExisted: false });
    // Read as another principal: read_data results are cached per principal for their TTL.
    expect(await readBack('scratch', 'rep/a.csv', 'steward')).toEqual([{ v: 2 }]);
    // On S3 the overwrite sends no If-None-Match.
    proxy.requests.length = 0;
    ok(await h.call('replace_data', { connector: 'lake', path: `${BUCKET}/rep/a.csv`, rows: [{ v: 3 }] }, await as('steward')));
    expect(proxy.requests.filter((r) => r.method === 'PUT').map((r) => r.ifNoneMatch)).toEqual([undefined]);
  });

  it('delete_data deletes (audited); a writer may not; a missing object is NOT_FOUND', async () => {
    ok(await h.call('write_data', { connector: 'lake', path: `${BUCKET}/del/a.csv`, rows: [{ v: 1 }] }, await as('writer')));
    expect(errorOf(await h.call('delete_data', { connector: 'lake', path: `${BUCKET}/del/a.csv` }, await as('writer'))).code).toBe('POLICY_DENIED');
    const done = ok(await h.call('delete_data', { connector: 'lake', path: `${BUCKET}/del/a.csv` }, await as('steward')));
    expect(done).toMatchObject({ deleted: true, destination: `lake/${BUCKET}/del/a.csv` });
    const record = auditFor(h.auditPath, lastEventId('delete_data'));
    expect(record).toMatchObject({ outcome: { status: 'ok' }, decision: { result: 'allow' }, principal: { sa: 'steward' } });
    expect(record.requests.map((r) => r.action)).toEqual(['delete']);
    expect(errorOf(await h.call('read_data', { connector: 'lake', path: `${BUCKET}/del/a.csv` }, await as('steward'))).code).toBe('NOT_FOUND');
    expect(errorOf(await h.call('delete_data', { connector: 'lake', path: `${BUCKET}/del/a.csv` }, await as('steward'))).code).toBe('NOT_FOUND');
    expect(errorOf(await h.call('delete_data', { connector: 'scratch', path: 'src/*.csv' }, await as('steward'))).code).toBe('INVALID_ARGUMENT');
    expect(existsSync(join(root, 'src/a.csv'))).toBe(true);
  });
});

describe('tiers: which tools are served', () => {
  async function toolNames(server: Record<string, unknown>): Promise<Array<{ name: string; annotations?: Record<string, unknown> }>> {
    const other = await startHarness({ config: config(server), env: TOKEN_ENV });
    try {
      return (await other.client.listTools()).tools.map((t) => ({ name: t.name, ...(t.annotations ? { annotations: t.annotations as Record<string, unknown> } : {}) }));
    } finally {
      await other.close();
    }
  }
  const names = (tools: Array<{ name: string }>) => tools.map((t) => t.name).filter((n) => n.endsWith('_data'));

  it('read-only (the default) serves no write tool', async () => {
    expect(names(await toolNames({}))).toEqual(['read_data']);
    expect(names(await toolNames({ allow_destructive: true }))).toEqual(['read_data']);
  });

  it('writable without allow_destructive serves write_data only', async () => {
    expect(names(await toolNames({ read_only: false }))).toEqual(['read_data', 'write_data']);
  });

  it('writable with allow_destructive serves replace_data and delete_data too, with honest annotations', async () => {
    const tools = await toolNames({ read_only: false, allow_destructive: true });
    expect(names(tools)).toEqual(['read_data', 'write_data', 'replace_data', 'delete_data']);
    const by = (n: string) => tools.find((t) => t.name === n)!.annotations;
    expect(by('write_data')).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(by('replace_data')).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(by('delete_data')).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  });

  it('a hidden tool cannot be called', async () => {
    const other = await startHarness({ config: config({ read_only: false }), env: TOKEN_ENV });
    try {
      const result = await other.call('delete_data', { connector: 'scratch', path: 'src/a.csv' }, await as('steward'));
      expect(result.isError).toBe(true);
      expect(existsSync(join(root, 'src/a.csv'))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('a server running as prod forbids a writer to write', async () => {
    const prod = await startHarness({ config: config({ env: 'prod', read_only: false }), env: TOKEN_ENV });
    try {
      const err = errorOf(await prod.call('write_data', { connector: 'scratch', path: 'prod/a.csv', rows: [{ a: 1 }] }, await as('writer')));
      expect(err.code).toBe('POLICY_DENIED');
      expect(auditFor(prod.auditPath, err.eventId).decision.policies).toContain('prod-writes-need-prod-writer');
      expect(existsSync(join(root, 'prod'))).toBe(false);
    } finally {
      await prod.close();
    }
  });
});
