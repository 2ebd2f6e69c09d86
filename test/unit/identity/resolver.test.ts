import { describe, expect, it, vi } from 'vitest';
import { IdentityResolver } from '../../../src/identity/resolver.js';
import type { TokenKeys } from '../../../src/identity/keys.js';
import { principalScope } from '../../../src/identity/principal.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { authConfig, hsKey, nowSeconds, sign } from './fixtures.js';

const keys: TokenKeys = { hs256: hsKey };

async function authRequired(promise: Promise<unknown>): Promise<DataMcpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DataMcpError && err.code === 'AUTH_REQUIRED') return err;
    throw err;
  }
  throw new Error('expected AUTH_REQUIRED');
}

describe('IdentityResolver', () => {
  it('mode none binds every call to the default service account', async () => {
    const auth = authConfig({ mode: 'none', default_service_account: 'analyst', keys: {} });
    const resolver = new IdentityResolver(auth, {}, undefined);
    const p = await resolver.resolve();
    expect(p).toMatchObject({ saId: 'analyst', roles: ['reader', 'analyst'], attributes: { department: 'finance' }, authMode: 'none' });
    expect(p.tokenId).toBeUndefined();
    // A token in _meta changes nothing in mode none.
    expect((await resolver.resolve({ 'data-mcp/token': await sign({ sub: 'admin-sa' }) })).saId).toBe('analyst');
  });

  it('token mode without a token → AUTH_REQUIRED', async () => {
    const err = await authRequired(new IdentityResolver(authConfig(), keys, undefined).resolve());
    expect(err.hint).toContain('DATA_MCP_TOKEN');
  });

  it('token mode with a valid env token resolves the SA with token facts and credential scopes', async () => {
    const exp = nowSeconds() + 600;
    const p = await new IdentityResolver(authConfig(), keys, await sign({ sub: 'admin-sa', exp })).resolve();
    expect(p).toMatchObject({ saId: 'admin-sa', roles: ['admin'], authMode: 'token', tokenId: 'jti-1', tokenExpiresAt: new Date(exp * 1000).toISOString() });
    expect(p.aws.id).toBe('aws:role:arn:aws:iam::123456789012:role/admin');
    expect(p.gcp.id).toBe('gcp:default');
  });

  it('a token can narrow the roles', async () => {
    const p = await new IdentityResolver(authConfig(), keys, await sign({ claims: { roles: ['reader'] } })).resolve();
    expect(p.roles).toEqual(['reader']);
    const full = await new IdentityResolver(authConfig(), keys, await sign({})).resolve();
    expect(principalScope(p)).not.toBe(principalScope(full));
  });

  it('a token cannot widen the roles', async () => {
    const err = await authRequired(new IdentityResolver(authConfig(), keys, await sign({ claims: { roles: ['reader', 'admin'] } })).resolve());
    expect(err.message).toContain('admin');
    expect(err.message).not.toContain('reader,');
  });

  it('an empty roles list narrows to no roles (never back to the full set)', async () => {
    const p = await new IdentityResolver(authConfig(), keys, await sign({ claims: { roles: [] } })).resolve();
    expect(p.roles).toEqual([]);
  });

  it('refuses a per-call token unless per_call_token is enabled', async () => {
    const resolver = new IdentityResolver(authConfig(), keys, await sign({}));
    const err = await authRequired(resolver.resolve({ 'data-mcp/token': await sign({ sub: 'admin-sa' }) }));
    expect(err.message).toContain('per-call');
  });

  it('uses the per-call token over the env token when enabled', async () => {
    const resolver = new IdentityResolver(authConfig({ per_call_token: true }), keys, await sign({ sub: 'analyst' }));
    expect((await resolver.resolve({ 'data-mcp/token': await sign({ sub: 'admin-sa' }) })).saId).toBe('admin-sa');
    expect((await resolver.resolve()).saId).toBe('analyst');
    expect((await resolver.resolve({ 'data-mcp/token': await sign({ sub: 'admin-sa' }) })).saId).toBe('admin-sa');
  });

  it('refuses a per-call token that is not a string instead of falling back to the env identity', async () => {
    const resolver = new IdentityResolver(authConfig({ per_call_token: true }), keys, await sign({ sub: 'admin-sa' }));
    await authRequired(resolver.resolve({ 'data-mcp/token': 12345 }));
    await authRequired(resolver.resolve({ 'data-mcp/token': { token: 'x' } }));
  });

  it('refuses a token naming a service account the server does not know', async () => {
    const err = await authRequired(new IdentityResolver(authConfig(), keys, await sign({ sub: 'ghost' })).resolve());
    expect(err.message).toContain('service account');
  });

  it('a token that expires mid-session stops working, although its principal was cached', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const resolver = new IdentityResolver(authConfig({ clock_tolerance_seconds: 0 }), keys, await sign({ exp: nowSeconds() + 60 }));
      expect((await resolver.resolve()).saId).toBe('analyst');
      vi.setSystemTime(Date.now() + 120_000);
      await authRequired(resolver.resolve());
    } finally {
      vi.useRealTimers();
    }
  });
});
