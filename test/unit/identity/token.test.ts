import { generateKeyPairSync } from 'node:crypto';
import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { issueToken, verifyToken } from '../../../src/identity/token.js';
import type { TokenKeys } from '../../../src/identity/keys.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { authConfig, ed, hsKey, nowSeconds, sign } from './fixtures.js';

const hsOnly: TokenKeys = { hs256: hsKey };
const edOnly: TokenKeys = { ed25519Public: ed.publicKey };
const auth = authConfig();

async function refused(token: string, keys: TokenKeys = hsOnly, a = auth): Promise<DataMcpError> {
  try {
    await verifyToken(token, a, keys);
  } catch (err) {
    if (err instanceof DataMcpError) {
      expect(err.code).toBe('AUTH_REQUIRED');
      return err;
    }
    throw err;
  }
  throw new Error('expected the token to be refused');
}

describe('verifyToken', () => {
  it('accepts a valid HS256 token and returns its claims', async () => {
    const exp = nowSeconds() + 600;
    const claims = await verifyToken(await sign({ exp, claims: { roles: ['reader'] } }), auth, hsOnly);
    expect(claims).toEqual({ sa: 'analyst', roles: ['reader'], jti: 'jti-1', expiresAt: new Date(exp * 1000).toISOString() });
  });

  it('accepts a valid EdDSA (Ed25519) token', async () => {
    const claims = await verifyToken(await sign({ alg: 'EdDSA' }), auth, edOnly);
    expect(claims.sa).toBe('analyst');
    expect(claims.roles).toBeUndefined();
  });

  it('refuses an alg:none token, whatever keys are configured', async () => {
    const token = new UnsecuredJWT({ roles: ['admin'] }).setSubject('analyst').setAudience('data-mcp').setExpirationTime('10m').encode();
    expect((await refused(token, hsOnly)).message).toContain('none');
    await refused(token, { ...hsOnly, ...edOnly });
    // Same with a trailing fake signature.
    await refused(`${token}c2ln`, hsOnly);
  });

  it('refuses an HS256 token when only Ed25519 is configured (algorithm confusion)', async () => {
    const hs = await sign({ alg: 'HS256' });
    expect((await refused(hs, edOnly)).message).toContain('HS256');
    // The classic attack: HMAC keyed with the (public) Ed25519 key's PEM text.
    const pem = ed.publicKey.export({ type: 'spki', format: 'pem' });
    await refused(await sign({ alg: 'HS256', key: new TextEncoder().encode(String(pem)) }), edOnly);
    // And with the DER bytes.
    await refused(await sign({ alg: 'HS256', key: ed.publicKey.export({ type: 'spki', format: 'der' }) }), edOnly);
  });

  it('refuses an EdDSA token when only HS256 is configured', async () => {
    await refused(await sign({ alg: 'EdDSA' }), hsOnly);
  });

  it('refuses tokens signed with the wrong key', async () => {
    expect((await refused(await sign({ key: new TextEncoder().encode('another-secret-of-sufficient-length-000') }))).message).toContain('signature');
    const other = generateKeyPairSync('ed25519');
    await refused(await sign({ alg: 'EdDSA', key: other.privateKey }), edOnly);
  });

  it('refuses an expired token (beyond the clock tolerance)', async () => {
    const err = await refused(await sign({ exp: nowSeconds() - 120 }));
    expect(err.message).toContain('expired');
    expect(err.hint).toContain('token issue');
  });

  it('allows a just-expired token within the clock tolerance', async () => {
    await expect(verifyToken(await sign({ exp: nowSeconds() - 5 }), auth, hsOnly)).resolves.toMatchObject({ sa: 'analyst' });
    await refused(await sign({ exp: nowSeconds() - 5 }), hsOnly, authConfig({ clock_tolerance_seconds: 0 }));
  });

  it('refuses a token that is not yet valid', async () => {
    expect((await refused(await sign({ nbf: nowSeconds() + 3600 }))).message).toContain('nbf');
  });

  it('requires exp, aud and sub', async () => {
    expect((await refused(await sign({ exp: null }))).message).toContain('exp');
    expect((await refused(await sign({ aud: null }))).message).toContain('aud');
    expect((await refused(await sign({ sub: null }))).message).toContain('sub');
  });

  it('refuses a token for another audience', async () => {
    expect((await refused(await sign({ aud: 'other-service' }))).message).toContain('aud');
  });

  it('checks the issuer when one is configured', async () => {
    const withIssuer = authConfig({ issuer: 'https://issuer.test' });
    expect((await refused(await sign({ iss: 'https://evil.test' }), hsOnly, withIssuer)).message).toContain('iss');
    await refused(await sign({}), hsOnly, withIssuer);
    await expect(verifyToken(await sign({ iss: 'https://issuer.test' }), withIssuer, hsOnly)).resolves.toMatchObject({ sa: 'analyst' });
  });

  it('refuses an over-long token before any parsing', async () => {
    const long = await sign({ claims: { pad: 'x'.repeat(9000) } });
    expect((await refused(long)).message).toContain('too long');
  });

  it.each(['', 'garbage', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9..', '...', 'eyJ!!!.eyJ.sig', 'null'])('refuses garbage %j', async (token) => {
    await refused(token);
  });

  it('refuses a roles claim that is not a list of strings', async () => {
    expect((await refused(await sign({ claims: { roles: 'admin' } }))).message).toContain('roles');
    await refused(await sign({ claims: { roles: [1, 2] } }));
    await refused(await sign({ claims: { roles: { admin: true } } }));
  });

  it('never echoes the token in its error', async () => {
    const token = await sign({ exp: nowSeconds() - 3600 });
    const err = await refused(token);
    expect(err.message).not.toContain(token);
    expect(err.hint).not.toContain(token);
  });
});

describe('issueToken', () => {
  it('round-trips with HS256', async () => {
    const token = await issueToken({ sa: 'analyst', ttlSeconds: 3600, roles: ['reader'], auth, keys: hsOnly });
    const claims = await verifyToken(token, auth, hsOnly);
    expect(claims.sa).toBe('analyst');
    expect(claims.roles).toEqual(['reader']);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const ttl = (Date.parse(claims.expiresAt) - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('round-trips with Ed25519 and sets the configured issuer', async () => {
    const withIssuer = authConfig({ issuer: 'https://issuer.test' });
    const token = await issueToken({ sa: 'admin-sa', ttlSeconds: 60, auth: withIssuer, keys: { ed25519Private: ed.privateKey } });
    expect(await verifyToken(token, withIssuer, edOnly)).toMatchObject({ sa: 'admin-sa' });
    await refused(token, edOnly, auth.issuer ? auth : authConfig({ issuer: 'https://other.test' }));
  });

  it('fails with CONFIG_ERROR without a signing key', async () => {
    await expect(issueToken({ sa: 'analyst', ttlSeconds: 60, auth, keys: { ed25519Public: ed.publicKey } })).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
  });
});
