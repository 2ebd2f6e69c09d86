import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { token, TOKEN_ENV, tokenAuth } from './tokens.js';
import { auditCalls, auditFor, demoConfig, errorOf, ok } from './support.js';

const ACCOUNTS = [
  { id: 'alice', roles: ['reader'] },
  { id: 'bob', roles: ['reader', 'analyst'] },
];

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function start(env: Record<string, string>, perCall = false): Promise<Harness> {
  const h = await startHarness({ config: demoConfig({ auth: tokenAuth(ACCOUNTS, perCall) }), env: { ...TOKEN_ENV, ...env } });
  harnesses.push(h);
  return h;
}

describe('token auth', () => {
  it('no token → AUTH_REQUIRED, audited with a null principal', async () => {
    const h = await start({});
    for (const [tool, args] of [['whoami', {}], ['read_data', { connector: 'demo', path: 'orders.csv' }]] as const) {
      const err = errorOf(await h.call(tool, args));
      expect(err.code).toBe('AUTH_REQUIRED');
      expect(err.hint).toContain('DATA_MCP_TOKEN');
      const record = auditFor(h.auditPath, err.eventId);
      expect(record.principal).toBeNull();
      expect(record.outcome).toMatchObject({ status: 'denied', errorCode: 'AUTH_REQUIRED' });
      expect(record.requests).toEqual([]);
    }
  });

  it('an expired token → AUTH_REQUIRED', async () => {
    const h = await start({ DATA_MCP_TOKEN: await token('alice', { expSeconds: -3600 }) });
    const err = errorOf(await h.call('whoami'));
    expect(err.code).toBe('AUTH_REQUIRED');
    expect(err.message).toContain('expired');
  });

  it('a forged token (another secret) → AUTH_REQUIRED, and the token never shows', async () => {
    const forged = await token('alice', { secret: 'an-attacker-chosen-secret-that-is-long-enough' });
    const h = await start({ DATA_MCP_TOKEN: forged });
    const result = await h.call('read_data', { connector: 'demo', path: 'orders.csv' });
    expect(errorOf(result).code).toBe('AUTH_REQUIRED');
    expect(JSON.stringify(result)).not.toContain(forged);
  });

  it('a token for an unknown service account → AUTH_REQUIRED', async () => {
    const h = await start({ DATA_MCP_TOKEN: await token('mallory') });
    expect(errorOf(await h.call('whoami')).code).toBe('AUTH_REQUIRED');
  });

  it('a valid token works and whoami shows the token identity', async () => {
    const h = await start({ DATA_MCP_TOKEN: await token('bob') });
    const who = ok(await h.call('whoami'));
    expect(who).toMatchObject({ serviceAccount: 'bob', roles: ['reader', 'analyst'], authMode: 'token' });
    expect(Date.parse(who.tokenExpiresAt as string)).toBeGreaterThan(Date.now());
    expect((who.notices as string[]).some((n) => n.includes('auth.mode is "none"'))).toBe(false);
    const read = await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 2 });
    expect(ok(read).rowCount).toBe(2);
    const record = auditCalls(h.auditPath).filter((r) => r.tool === 'read_data').at(-1);
    expect(record?.principal).toMatchObject({ sa: 'bob', roles: ['reader', 'analyst'], authMode: 'token' });
    expect(record?.principal?.tokenId).toMatch(/^bob-/);
  });

  it('a per-call token is refused unless per_call_token is enabled', async () => {
    const h = await start({ DATA_MCP_TOKEN: await token('alice') });
    const err = errorOf(await h.call('whoami', {}, { 'data-mcp/token': await token('bob') }));
    expect(err.code).toBe('AUTH_REQUIRED');
  });
});

describe('per-call tokens: two principals on one server', () => {
  it('they never share a cache entry, and a handle minted for one is refused for the other', async () => {
    const h = await start({}, true);
    const alice = { 'data-mcp/token': await token('alice') };
    const bob = { 'data-mcp/token': await token('bob') };
    const args = { connector: 'demo', path: 'events/*.jsonl', limit: 200 };

    const a1 = ok(await h.call('read_data', args, alice));
    expect(a1.cache).toBe('miss');
    const a2 = ok(await h.call('read_data', args, alice));
    expect(a2.cache).toBe('hit');
    const b1 = ok(await h.call('read_data', args, bob));
    expect(b1.cache).toBe('miss');
    expect(ok(await h.call('read_data', args, bob)).cache).toBe('hit');

    expect((ok(await h.call('whoami', {}, alice))).serviceAccount).toBe('alice');
    expect((ok(await h.call('whoami', {}, bob))).serviceAccount).toBe('bob');

    const handle = a1.handle as string;
    expect(handle).toMatch(/^result:\/\//);
    const mine = await h.client.readResource({ uri: `${handle}?offset=50&limit=5`, _meta: alice });
    expect(JSON.parse((mine.contents[0] as { text: string }).text)).toMatchObject({ offset: 50, rowCount: 200 });
    await expect(h.client.readResource({ uri: `${handle}?offset=50&limit=5`, _meta: bob })).rejects.toThrow(/INVALID_ARGUMENT/);
    // Without any token the read is refused as unauthenticated.
    await expect(h.client.readResource({ uri: handle })).rejects.toThrow(/AUTH_REQUIRED/);
  });

  it('a narrowed token is another principal: no shared cache entry with the full-role token', async () => {
    const h = await start({}, true);
    const full = { 'data-mcp/token': await token('bob') };
    const narrowed = { 'data-mcp/token': await token('bob', { roles: ['reader'] }) };
    const args = { connector: 'demo', path: 'orders.csv', limit: 3 };
    expect(ok(await h.call('read_data', args, full)).cache).toBe('miss');
    expect(ok(await h.call('read_data', args, narrowed)).cache).toBe('miss');
    expect(ok(await h.call('whoami', {}, narrowed)).roles).toEqual(['reader']);
  });

  it('a token claiming roles its account lacks is refused', async () => {
    const h = await start({}, true);
    const err = errorOf(await h.call('whoami', {}, { 'data-mcp/token': await token('alice', { roles: ['reader', 'admin'] }) }));
    expect(err.code).toBe('AUTH_REQUIRED');
  });
});
