import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { validate } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';

/** Shared pieces of the identity tests: a token-mode auth section, keys and a signer. */
export const HS_SECRET = 'identity-test-hs256-secret-0123456789abcdef';
export const hsKey = new TextEncoder().encode(HS_SECRET);
export const ed = generateKeyPairSync('ed25519');

export function authConfig(overrides: Record<string, unknown> = {}): Config['auth'] {
  return validate(
    {
      auth: {
        mode: 'token',
        keys: { hs256_secret_env: 'JWT_SECRET' },
        service_accounts: [
          { id: 'analyst', roles: ['reader', 'analyst'], attributes: { department: 'finance' } },
          { id: 'admin-sa', roles: ['admin'], aws: { role_arn: 'arn:aws:iam::123456789012:role/admin' } },
        ],
        ...overrides,
      },
      connectors: { files: { kind: 'local', root: '/srv' } },
    },
    'test',
  ).auth;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export interface SignOptions {
  alg?: 'HS256' | 'EdDSA';
  key?: Uint8Array | KeyObject;
  sub?: string | null;
  aud?: string | null;
  iss?: string;
  exp?: number | null;
  nbf?: number;
  claims?: JWTPayload;
}

/** A token as a real issuer would make it; `null` leaves a claim out. */
export async function sign(options: SignOptions = {}): Promise<string> {
  const alg = options.alg ?? 'HS256';
  const jwt = new SignJWT({ ...(options.claims ?? {}) }).setProtectedHeader({ alg, typ: 'JWT' }).setIssuedAt().setJti('jti-1');
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'analyst');
  if (options.aud !== null) jwt.setAudience(options.aud ?? 'data-mcp');
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? nowSeconds() + 600);
  if (options.iss) jwt.setIssuer(options.iss);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(options.key ?? (alg === 'HS256' ? hsKey : ed.privateKey));
}
