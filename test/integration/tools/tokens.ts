import { SignJWT } from 'jose';
import { HS256_SECRET } from './support.js';

/** HS256 service-account tokens for the integration configs (secret in TEST_JWT_SECRET). */
export async function token(sub: string, options: { roles?: string[]; expSeconds?: number; secret?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...(options.roles ? { roles: options.roles } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setAudience('data-mcp')
    .setIssuedAt()
    .setJti(`${sub}-${Math.random().toString(36).slice(2)}`)
    .setExpirationTime(now + (options.expSeconds ?? 600))
    .sign(new TextEncoder().encode(options.secret ?? HS256_SECRET));
}

export const TOKEN_ENV = { TEST_JWT_SECRET: HS256_SECRET };

/** A token-mode auth section with the given service accounts. */
export function tokenAuth(accounts: Array<{ id: string; roles: string[] }>, perCall = false): Record<string, unknown> {
  return { mode: 'token', keys: { hs256_secret_env: 'TEST_JWT_SECRET' }, per_call_token: perCall, service_accounts: accounts };
}
