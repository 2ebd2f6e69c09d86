import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../../src/tools/index.js';
import { errorCode, startHarness, textOf, type Harness } from '../../helpers/harness.js';
import { createTestSchemas, pgConfig, type TestSchemas } from '../../helpers/postgres.js';
import { auditCalls, errorOf, ok } from '../tools/support.js';
import { recordFigure } from '../../security/figures.js';
import { importsOf, rel, resolveRelative, runtimeClosure, SRC_DIR, tsFiles } from './import-scan.js';

/**
 * Complete mediation (issue 6, part 1): with every tool served and a service account whose only
 * role no policy grants, every call that names a resource is refused by policy before any
 * connector is touched, the self-service tools reveal nothing of a connector, and every request
 * — allowed, denied, invalid, failed, unknown tool, resource read — leaves exactly one audit
 * record. The tool list comes from the client, so a new tool without an entry here fails.
 */
const CSV = 'id,city\n1,Oslo\n2,Lima\n';

let base: string;
let lake: string;
let db: TestSchemas;
let h: Harness;
let table: string;
/** A session of the no-grant caller, for the session tools that take one. */
let session = '';

/** Minimal valid arguments naming real resources, and what the call must come to. */
type Expect = 'denied' | 'self-service';
interface Entry {
  args: () => Record<string, unknown>;
  expect: Expect;
}

const TOOL_CALLS: Record<string, Entry> = {
  whoami: { args: () => ({}), expect: 'self-service' },
  list_connectors: { args: () => ({}), expect: 'self-service' },
  browse: { args: () => ({ connector: 'lake', path: 'data/' }), expect: 'denied' },
  describe: { args: () => ({ connector: 'lake', path: 'data/a.csv' }), expect: 'denied' },
  read_data: { args: () => ({ connector: 'lake', path: 'data/a.csv' }), expect: 'denied' },
  summarize: { args: () => ({ connector: 'lake', path: 'data/*.csv' }), expect: 'denied' },
  query: { args: () => ({ connector: 'db', sql: `SELECT id, city FROM ${table}` }), expect: 'denied' },
  write_data: { args: () => ({ connector: 'lake', path: 'out/new.csv', rows: [{ id: 1 }] }), expect: 'denied' },
  replace_data: { args: () => ({ connector: 'lake', path: 'data/a.csv', rows: [{ id: 9 }] }), expect: 'denied' },
  delete_data: { args: () => ({ connector: 'lake', path: 'data/a.csv' }), expect: 'denied' },
  run_probe: {
    args: () => ({ sources: { a: { connector: 'lake', path: 'data/a.csv' }, b: { connector: 'db', sql: `SELECT id FROM ${table}` } }, steps: [{ op: 'limit', rows: 1 }] }),
    expect: 'denied',
  },
  session_create: { args: () => ({ label: 'mediation' }), expect: 'self-service' },
  session_put: { args: () => ({ session, key: 'note', value: 'scratch' }), expect: 'self-service' },
  session_get: { args: () => ({ session, key: 'note' }), expect: 'self-service' },
  session_list: { args: () => ({}), expect: 'self-service' },
  // Archiving names a destination: that is a resource (deliver), refused like any other.
  session_close: { args: () => ({ session, archive: { connector: 'lake', prefix: 'archive/' } }), expect: 'denied' },
};

/** Order matters only for the session tools: create first, close (archive) last. */
const ORDER = ['session_create', 'session_put', 'session_get', 'session_list'];

function calls(): number {
  return auditCalls(h.auditPath).length;
}

/** Runs one request and asserts it added exactly one `call` record; returns that record. */
async function once<T>(work: () => Promise<T>): Promise<{ value: T; record: ReturnType<typeof auditCalls>[number] }> {
  const before = calls();
  const value = await work();
  const after = auditCalls(h.auditPath);
  expect(after.length - before, 'one audit record per request').toBe(1);
  return { value, record: after[after.length - 1]! };
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-mediation-'));
  lake = join(base, 'lake');
  mkdirSync(join(lake, 'data'), { recursive: true });
  writeFileSync(join(lake, 'data/a.csv'), CSV);
  db = await createTestSchemas();
  table = `"${db.schema()}".cities`;
  await db.admin.query(`CREATE TABLE ${table} (id int, city text); INSERT INTO ${table} VALUES (1, 'Oslo');`);
  h = await startHarness({
    config: {
      server: { env: 'dev', toolsets: ['catalog', 'data', 'probe'], read_only: false, allow_destructive: true },
      // `nobody` is a role no policy mentions: the account holds roles, and none grants anything.
      auth: { mode: 'none', default_service_account: 'nogrant', service_accounts: [{ id: 'nogrant', roles: ['nobody'] }] },
      connectors: { lake: { kind: 'local', root: lake }, db: pgConfig({ schemas: [db.schema()] }) },
    },
  });
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
  rmSync(base, { recursive: true, force: true });
});

describe('complete mediation: a caller with no grants', () => {
  it('is served every tool in ALL_TOOLS, and every listed tool has an entry here', async () => {
    const listed = (await h.client.listTools()).tools.map((t) => t.name);
    expect(listed).toEqual(expect.arrayContaining(ALL_TOOLS.map((t) => t.name)));
    for (const name of listed) expect(TOOL_CALLS[name], `tool ${name} has no mediation entry`).toBeDefined();
  });

  it('is refused with POLICY_DENIED on every tool that names a resource, with one deny record each', async (ctx) => {
    const listed = (await h.client.listTools()).tools.map((t) => t.name);
    const names = [...ORDER, ...listed.filter((n) => !ORDER.includes(n))];
    const outcomes: Record<string, string> = {};
    for (const name of names) {
      const entry = TOOL_CALLS[name];
      if (!entry) throw new Error(`tool ${name} has no mediation entry`);
      const { value: result, record } = await once(() => h.call(name, entry.args()));
      expect(record.tool).toBe(name);
      recordFigure(ctx, 'mediation: tools called by a no-grant principal', 1);
      if (entry.expect === 'denied') recordFigure(ctx, 'mediation: resource-naming tools denied', 1);
      recordFigure(ctx, 'mediation: grants leaked', record.requests.some((r) => r.allowed === true) ? 1 : 0);
      if (entry.expect === 'denied') {
        expect(errorOf(result).code, `${name}: ${textOf(result).slice(0, 200)}`).toBe('POLICY_DENIED');
        expect(record.outcome.status).toBe('denied');
        expect(record.decision.result).toBe('deny');
        expect(record.requests.length).toBeGreaterThan(0);
        expect(record.requests.some((r) => r.allowed === false)).toBe(true);
        expect(record.requests.every((r) => r.allowed !== true), `${name} was granted something`).toBe(true);
      } else {
        const out = ok(result);
        expect(record.outcome.status).toBe('ok');
        expect(record.requests.every((r) => r.allowed !== true), `${name} was granted something`).toBe(true);
        if (name === 'session_create') session = (out.session as { id: string }).id;
      }
      outcomes[name] = errorCode(result) ?? 'ok';
    }
    expect(Object.keys(outcomes).sort()).toEqual([...listed].sort());
  });

  it('leaves the connectors untouched: nothing written, replaced, deleted or archived', () => {
    expect(readFileSync(join(lake, 'data/a.csv'), 'utf8')).toBe(CSV);
    expect(existsSync(join(lake, 'out'))).toBe(false);
    expect(existsSync(join(lake, 'archive'))).toBe(false);
  });

  it('list_connectors and whoami name no connector, and count the hidden ones', async () => {
    const listed = ok(await h.call('list_connectors')) as { connectors: unknown[]; hidden: number };
    expect(listed.connectors).toEqual([]);
    const me = ok(await h.call('whoami')) as { connectors: unknown[]; hiddenConnectors: number; notices: string[] };
    expect(me.connectors).toEqual([]);
    expect(me.hiddenConnectors).toBe(listed.hidden);
    expect(me.hiddenConnectors).toBeGreaterThan(0);
    expect(JSON.stringify(me)).not.toContain('"lake"');
  });

  it('audits invalid arguments, unknown tools and failed self-service calls once each', async () => {
    const invalid = await once(() => h.call('browse', { connector: 5 }));
    expect(errorOf(invalid.value).code).toBe('INVALID_ARGUMENT');
    expect(invalid.record.outcome.status).toBe('invalid');

    const extraKey = await once(() => h.call('read_data', { connector: 'lake', path: 'data/a.csv', endpoint: 'http://evil' }));
    expect(errorOf(extraKey.value).code).toBe('INVALID_ARGUMENT');

    const unknown = await once(() => h.call('no_such_tool', { connector: 'lake' }));
    expect(errorOf(unknown.value).code).toBe('NOT_FOUND');
    expect(unknown.record.tool).toBe('no_such_tool');
    expect(unknown.record.outcome.status).toBe('invalid');

    const failed = await once(() => h.call('session_get', { session: 'no-such-session', key: 'x' }));
    expect(errorOf(failed.value).code).toBe('NOT_FOUND');
    expect(failed.record.outcome.status).toBe('failed');

    const unknownConnector = await once(() => h.call('read_data', { connector: 'ghost', path: 'x.csv' }));
    expect(errorOf(unknownConnector.value).code).toBe('NOT_FOUND');
  });

  it('a result:// read with a bogus handle is refused and audited once', async () => {
    for (const uri of ['result://bogus-handle-0123456789', 'result://bogus?offset=0&limit=5', 'result://%zz', 'nope://anything']) {
      const { value, record } = await once(() => h.client.readResource({ uri }).then(() => 'read', (err: unknown) => (err instanceof Error ? err.message : String(err))));
      expect(value, uri).not.toBe('read');
      expect(record.outcome.status).not.toBe('ok');
    }
  });
});

describe('complete mediation: resources and prompts', () => {
  /** Every listed resource and template must have a case here, as every tool must. */
  const RESOURCE_CASES: Record<string, string> = { 'connectors://': 'connectors://', 'result://{handle}{?offset,limit}': 'result://bogus-handle' };

  it('serves no prompts (a new prompt would need a mediation case)', async () => {
    const capabilities = h.client.getServerCapabilities() ?? {};
    const prompts = capabilities.prompts ? (await h.client.listPrompts()).prompts.map((p) => p.name) : [];
    expect(prompts).toEqual([]);
    await expect(h.client.listPrompts()).rejects.toThrow(/Method not found/);
  });

  it('reads every listed resource and template through the gate: connectors:// shows none, once audited', async () => {
    const resources = (await h.client.listResources()).resources.map((r) => r.uri);
    const templates = (await h.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    for (const key of [...resources, ...templates]) expect(RESOURCE_CASES[key], `resource ${key} has no mediation case`).toBeDefined();
    const { value, record } = await once(() => h.client.readResource({ uri: 'connectors://' }));
    const first = value.contents[0] as { text?: string } | undefined;
    expect(JSON.parse(first?.text ?? 'null')).toEqual([]);
    expect(record.tool).toBe('resource:connectors');
    for (const template of templates) {
      const { value: outcome } = await once(() => h.client.readResource({ uri: RESOURCE_CASES[template]! }).then(() => 'read', () => 'refused'));
      expect(outcome).toBe('refused');
    }
  });

  it('counts one record per request over the whole file (no stray or missing records)', async (ctx) => {
    const before = calls();
    await h.call('whoami');
    await h.call('browse', { connector: 'lake', path: '' });
    await h.call('nope', {});
    await h.client.readResource({ uri: 'result://x' }).catch(() => undefined);
    expect(calls() - before).toBe(4);
    const records = auditCalls(h.auditPath);
    expect(new Set(records.map((r) => r.eventId)).size).toBe(records.length);
    recordFigure(ctx, 'mediation: audit records checked one-per-request', records.length);
  });
});

describe('complete mediation: static layering', () => {
  const CONNECTORS_DIR = join(SRC_DIR, 'connectors') + sep;
  const GATE_DIR = join(SRC_DIR, 'gate') + sep;
  const roots = [...tsFiles(join(SRC_DIR, 'tools')), ...tsFiles(join(SRC_DIR, 'probe'))];
  /** Cloud SDKs (and their parts): only connectors import them; ioredis only the Redis cache. */
  const SDK = /^(?:@aws-sdk\/|@smithy\/|@google-cloud\/|google-auth-library(?:\/|$)|pg(?:\/|$)|pg-cursor(?:\/|$)|ioredis(?:\/|$))/;

  it('the scanner sees run-time imports and ignores type-only ones', () => {
    const refs = importsOf(
      [
        "import type { A } from '../connectors/types.js';",
        "import {\n  type B,\n  c,\n} from '../connectors/registry.js';",
        "export { d } from '../connectors/s3/index.js';",
        "export type { E } from '../connectors/gcs/index.js';",
        "import '../connectors/side-effect.js';",
        "const m = await import('../connectors/local/index.js');",
      ].join('\n'),
    );
    expect(refs.map((r) => [r.spec.split('/').slice(2).join('/'), r.typeOnly])).toEqual([
      ['types.js', true],
      ['registry.js', false],
      ['s3/index.js', false],
      ['gcs/index.js', true],
      ['side-effect.js', false],
      ['local/index.js', false],
    ]);
    // And on real files: the S3 client loads its SDK lazily.
    expect(importsOf(readFileSync(join(SRC_DIR, 'connectors/s3/client.ts'), 'utf8'))).toContainEqual({ spec: '@aws-sdk/client-s3', typeOnly: false });
    expect(roots.length).toBeGreaterThan(20);
  });

  it('no tool or probe module imports a connector module other than `import type`', () => {
    const offenders = roots.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((r) => !r.typeOnly && resolveRelative(file, r.spec)?.startsWith(CONNECTORS_DIR))
        .map((r) => `${rel(file)} imports ${r.spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('nor reaches one through any chain of run-time imports (only the gate may)', (ctx) => {
    const closure = runtimeClosure(roots, [GATE_DIR]);
    const reached = [...closure.entries()].filter(([file]) => file.startsWith(CONNECTORS_DIR)).map(([, chain]) => chain.join(' -> '));
    expect(reached).toEqual([]);
    recordFigure(ctx, 'mediation: tool/probe modules scanned for gate bypass', roots.length);
    recordFigure(ctx, 'mediation: import paths reaching a connector around the gate', reached.length);
    expect(closure.size).toBeGreaterThan(roots.length);
  });

  it('no file outside src/connectors/ imports a cloud SDK (ioredis: src/cache/redis.ts only)', () => {
    const all = tsFiles(SRC_DIR);
    const offenders = all
      .filter((file) => !file.startsWith(CONNECTORS_DIR))
      .flatMap((file) => importsOf(readFileSync(file, 'utf8')).map((r) => ({ file: rel(file), spec: r.spec })))
      .filter(({ file, spec }) => SDK.test(spec) && !(file === join('cache', 'redis.ts') && spec === 'ioredis'))
      .map(({ file, spec }) => `${file} imports ${spec}`);
    expect(offenders).toEqual([]);
    // The check is live: connectors do import SDKs, and the Redis cache imports ioredis.
    expect(all.filter((f) => f.startsWith(CONNECTORS_DIR)).some((f) => importsOf(readFileSync(f, 'utf8')).some((r) => SDK.test(r.spec)))).toBe(true);
    expect(importsOf(readFileSync(join(SRC_DIR, 'cache/redis.ts'), 'utf8')).some((r) => r.spec === 'ioredis')).toBe(true);
  });
});
