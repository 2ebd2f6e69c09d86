import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from '../../helpers/harness.js';
import { auditCalls, errorOf, ok } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

interface Entry {
  name: string;
  path: string;
  kind: string;
  size?: number;
}

describe('catalog tools (embedded demo)', () => {
  it('lists the catalog and data tools in a stable order with honest annotations', async () => {
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['whoami', 'list_connectors', 'browse', 'describe', 'read_data', 'summarize', 'query', 'run_probe', 'session_create', 'session_put', 'session_get', 'session_list', 'session_close']);
    // Session tools change only the caller's own scratch space: served read-only, annotated honestly.
    // session_put replaces a value under its key and session_close drops the session (and can
    // archive it to a connector): not additive-only, and close reaches the open world.
    const scratch = new Set(['session_create', 'session_put', 'session_close']);
    const replaces = new Set(['session_put', 'session_close']);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(!scratch.has(tool.name));
      const closedWorld = (tool.name.startsWith('session_') && tool.name !== 'session_close') || ['whoami', 'list_connectors'].includes(tool.name);
      expect(tool.annotations?.openWorldHint, tool.name).toBe(!closedWorld);
      expect(tool.annotations?.destructiveHint, tool.name).toBe(replaces.has(tool.name));
      expect(tool.outputSchema?.type).toBe('object');
    }
  });

  it('whoami reports the bound service account, its grants and the embedded-mode notices', async () => {
    const who = ok(await h.call('whoami'));
    expect(who).toMatchObject({
      serviceAccount: 'demo-reader',
      roles: ['reader'],
      attributes: { department: 'analytics', tier: 'demo' },
      authMode: 'none',
      environment: 'demo',
      readOnly: true,
      toolsets: ['catalog', 'data', 'probe'],
      credentialScopes: { aws: 'aws:default', gcp: 'gcp:default' },
    });
    expect(who.tokenExpiresAt).toBeUndefined();
    expect(who.connectors).toEqual([{ name: 'demo', kind: 'local', env: 'demo', allowedActions: ['list', 'read', 'query'] }]);
    const notices = who.notices as string[];
    expect(notices.some((n) => n.includes('auth.mode is "none"') && n.includes('demo-reader'))).toBe(true);
    expect(notices.some((n) => n.includes('embedded demo'))).toBe(true);
    expect(textOf(await h.call('whoami'))).toContain('service account demo-reader');
  });

  it('whoami is audited as a look-up: its checks are recorded, but the call is not a denial', async () => {
    ok(await h.call('whoami'));
    const records = auditCalls(h.auditPath).filter((r) => r.tool === 'whoami');
    const last = records[records.length - 1]!;
    expect(last.requests.some((r) => r.allowed === false && r.check === true)).toBe(true); // e.g. write on the read-only demo
    expect(last.decision.result).toBe('none');
    expect(last.outcome.status).toBe('ok');
  });

  it('list_connectors shows the demo connector with its capabilities', async () => {
    const listed = ok(await h.call('list_connectors'));
    expect(listed.hidden).toBe(0);
    expect(listed.connectors).toEqual([
      { name: 'demo', kind: 'local', env: 'demo', description: expect.stringContaining('demo datasets') as unknown, capabilities: ['list', 'stat', 'read_object', 'write', 'delete'] },
    ]);
  });

  it('browse at the root lists objects and the events/ prefix, framed as untrusted', async () => {
    const result = await h.call('browse', { connector: 'demo' });
    const page = ok(result);
    expect(page.path).toBe('');
    const entries = page.entries as Entry[];
    expect(entries.map((e) => e.path)).toEqual(['README.md', 'customers.csv', 'customers.jsonl', 'events/', 'orders.csv', 'orders.parquet']);
    expect(entries.find((e) => e.path === 'events/')).toEqual({ name: 'events', path: 'events/', kind: 'prefix' });
    const orders = entries.find((e) => e.path === 'orders.parquet');
    expect(orders?.kind).toBe('object');
    expect(orders?.size).toBeGreaterThan(100_000);
    expect(page.nextCursor).toBeUndefined();
    expect(textOf(result)).toMatch(/<untrusted-data-[0-9a-f]{16}>[\s\S]*orders\.parquet[\s\S]*<\/untrusted-data-[0-9a-f]{16}>$/);
  });

  it('browse events/ lists the four daily files', async () => {
    const entries = ok(await h.call('browse', { connector: 'demo', path: 'events/' })).entries as Entry[];
    expect(entries.map((e) => e.path)).toEqual(['events/2026-09-01.jsonl', 'events/2026-09-02.jsonl', 'events/2026-09-03.jsonl', 'events/2026-09-04.jsonl']);
    expect(entries.every((e) => e.kind === 'object' && (e.size ?? 0) > 0)).toBe(true);
  });

  it('browse refuses an object path (not a prefix)', async () => {
    expect(errorOf(await h.call('browse', { connector: 'demo', path: 'orders.csv' })).code).toBe('INVALID_ARGUMENT');
  });

  it('paging with limit 2 returns every entry exactly once across pages', async () => {
    const all = (ok(await h.call('browse', { connector: 'demo' })).entries as Entry[]).map((e) => e.path);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = ok(await h.call('browse', { connector: 'demo', limit: 2, ...(cursor ? { cursor } : {}) }));
      const entries = page.entries as Entry[];
      expect(entries.length).toBeLessThanOrEqual(2);
      seen.push(...entries.map((e) => e.path));
      cursor = page.nextCursor as string | undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(cursor).toBeUndefined();
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
  });

  it('refuses a tampered cursor', async () => {
    const cursor = ok(await h.call('browse', { connector: 'demo', limit: 2 })).nextCursor as string;
    expect(typeof cursor).toBe('string');
    const [body = '', sig = ''] = cursor.split('.');
    const tamperedBody = `${body.slice(0, -2)}${body.endsWith('AA') ? 'BB' : 'AA'}.${sig}`;
    const tamperedSig = `${body}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
    for (const bad of [tamperedBody, tamperedSig, `${cursor}x`, 'not-a-cursor']) {
      expect(errorOf(await h.call('browse', { connector: 'demo', limit: 2, cursor: bad })).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('refuses a cursor replayed with another path', async () => {
    const cursor = ok(await h.call('browse', { connector: 'demo', limit: 2 })).nextCursor as string;
    const err = errorOf(await h.call('browse', { connector: 'demo', path: 'events/', limit: 2, cursor }));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain('different listing');
  });

  it('describe orders.parquet: columns, exact row count and footer facts', async () => {
    const d = ok(await h.call('describe', { connector: 'demo', path: 'orders.parquet' }));
    expect(d).toMatchObject({ connector: 'demo', path: 'orders.parquet', format: 'parquet', rowCount: 10_000, rowCountExact: true });
    expect((d.columns as Array<{ name: string }>).map((c) => c.name)).toEqual(['order_id', 'customer_id', 'order_date', 'status', 'region', 'amount', 'quantity']);
    const parquet = d.parquet as { rowGroups: unknown[] };
    expect(parquet.rowGroups).toHaveLength(10);
  });

  it('describe orders.csv: the same columns from a sample, and no row count it cannot vouch for', async () => {
    const d = ok(await h.call('describe', { connector: 'demo', path: 'orders.csv' }));
    expect(d).toMatchObject({ format: 'csv', rowCountExact: false });
    expect(d.rowCount).toBeUndefined();
    expect((d.columns as Array<{ name: string; type: string }>).map((c) => c.name)).toEqual(['order_id', 'customer_id', 'order_date', 'status', 'region', 'amount', 'quantity']);
    expect((d.columns as Array<{ name: string; type: string }>).find((c) => c.name === 'status')?.type).toBe('string');
  });

  it('describe a small csv counts its rows exactly', async () => {
    expect(ok(await h.call('describe', { connector: 'demo', path: 'customers.csv' }))).toMatchObject({ format: 'csv', rowCount: 1000, rowCountExact: true });
  });

  it('describe a missing object → NOT_FOUND', async () => {
    expect(errorOf(await h.call('describe', { connector: 'demo', path: 'nope.csv' })).code).toBe('NOT_FOUND');
  });

  it('the connectors:// resource lists what the principal may list', async () => {
    const read = await h.client.readResource({ uri: 'connectors://' });
    const first = read.contents[0] as { text: string };
    expect((JSON.parse(first.text) as Array<{ name: string }>).map((c) => c.name)).toEqual(['demo']);
  });
});
