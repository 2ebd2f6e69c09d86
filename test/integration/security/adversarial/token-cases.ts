import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { allow, refuse, type AdversarialCase } from './case.js';

/**
 * Token attacks against `auth.mode: token`. The main server (token.test.ts) verifies HS256 with
 * a secret from the environment, audience `data-mcp`, issuer `data-mcp-test`, and accepts
 * per-call tokens; a second server verifies Ed25519 only. Service accounts: alice [reader],
 * bob [reader, analyst]. `retired` was removed from the config after its token was minted.
 */
export interface TokenKit {
  secret: string;
  edPrivate: KeyObject;
  edPublicPem: string;
  attackerEd: KeyObject;
}

export interface TokenInput {
  /** Which server: the HS256 one (per-call tokens), the Ed25519 one, or a fresh HS256 one with the token in DATA_MCP_TOKEN. */
  server: 'hs256' | 'ed25519' | 'env';
  /** Builds what is sent: the per-call `_meta["data-mcp/token"]` value (or the env token). */
  mint: (kit: TokenKit) => Promise<unknown>;
  /** For `env`: a per-call value sent as well (must not override the env identity or fall back). */
  perCall?: (kit: TokenKit) => Promise<unknown>;
  /** For allowed cases: the identity the call must run as. */
  as?: { sa: string; roles: string[] };
}

const AUD = 'data-mcp';
const ATTACKER_SECRET = 'an-attacker-chosen-secret-that-is-long-enough';
const ISS = 'data-mcp-test';
const enc = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (over: JWTPayload = {}): JWTPayload => ({ sub: 'alice', aud: AUD, iss: ISS, iat: now(), exp: now() + 600, jti: `adv-${Math.random().toString(36).slice(2)}`, ...over });
const without = (key: string): JWTPayload => Object.fromEntries(Object.entries(claims()).filter(([k]) => k !== key));

/** A correctly signed HS256 token with these claims and header extras. */
async function hs(kit: TokenKit, payload: JWTPayload = claims(), header: Record<string, unknown> = {}, secret = kit.secret): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header }).sign(new TextEncoder().encode(secret));
}

/** Raw header.payload.signature with any header, for algorithms jose would refuse to produce. */
function raw(header: unknown, payload: unknown, signature = ''): string {
  return `${enc(header)}.${enc(payload)}.${signature}`;
}

/** HS256 over any header, signed by hand: jose refuses to produce some of the headers we need. */
function hmacRaw(kit: TokenKit, header: Record<string, unknown>, payload: JWTPayload = claims(), secret = kit.secret): string {
  const input = `${enc({ alg: 'HS256', ...header })}.${enc(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

async function swapPayload(kit: TokenKit, payload: JWTPayload): Promise<string> {
  const [h, , s] = (await hs(kit)).split('.');
  return `${h}.${enc(payload)}.${s}`;
}

type Row = [name: string, server: TokenInput['server'], mint: TokenInput['mint'], why: string];

const REFUSED: Row[] = [
  ['alg-none', 'hs256', async () => raw({ alg: 'none', typ: 'JWT' }, claims()), 'unsigned token'],
  ['alg-none-upper', 'hs256', async () => raw({ alg: 'NONE' }, claims()), 'case variant of none'],
  ['alg-none-with-signature', 'hs256', async (k) => { const [, , s] = (await hs(k)).split('.'); return raw({ alg: 'none' }, claims(), s); }, 'none with a real signature attached'],
  ['alg-hs512', 'hs256', async (k) => new SignJWT(claims()).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(k.secret)), 'an algorithm the server did not pin'],
  ['alg-hs384', 'hs256', async (k) => new SignJWT(claims()).setProtectedHeader({ alg: 'HS384' }).sign(new TextEncoder().encode(k.secret)), 'an algorithm the server did not pin'],
  ['alg-rs256-header', 'hs256', async (k) => { const [, p, s] = (await hs(k)).split('.'); return `${enc({ alg: 'RS256' })}.${p}.${s}`; }, 'header names RS256 over an HS256 signature'],
  ['alg-eddsa-unconfigured', 'hs256', async (k) => new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA' }).sign(k.attackerEd), 'EdDSA when no Ed25519 key is configured'],
  ['alg-missing', 'hs256', async (k) => { const [, p, s] = (await hs(k)).split('.'); return `${enc({ typ: 'JWT' })}.${p}.${s}`; }, 'no alg at all'],
  ['alg-number', 'hs256', async (k) => { const [, p, s] = (await hs(k)).split('.'); return `${enc({ alg: 256 })}.${p}.${s}`; }, 'alg of the wrong type'],
  ['wrong-key', 'hs256', async (k) => hs(k, claims(), {}, ATTACKER_SECRET), 'signed with another secret'],
  ['near-key', 'hs256', async (k) => hs(k, claims(), {}, `${k.secret.slice(0, -1)}X`), 'a secret one character off'],
  ['signature-stripped', 'hs256', async (k) => { const [h, p] = (await hs(k)).split('.'); return `${h}.${p}.`; }, 'signature removed'],
  ['signature-truncated', 'hs256', async (k) => (await hs(k)).slice(0, -6), 'signature cut short'],
  ['payload-sub-swapped', 'hs256', async (k) => swapPayload(k, claims({ sub: 'bob' })), "alice's signature over bob's claims"],
  ['payload-roles-added', 'hs256', async (k) => swapPayload(k, claims({ roles: ['reader', 'admin'] })), 'roles spliced into a signed token'],
  ['header-spliced', 'hs256', async (k) => { const [h] = (await hs(k, claims(), { kid: 'other' })).split('.'); const [, p, s] = (await hs(k)).split('.'); return `${h}.${p}.${s}`; }, 'header of one token on another'],
  ['expired', 'hs256', async (k) => hs(k, claims({ exp: now() - 3600 })), 'expired an hour ago'],
  ['expired-past-tolerance', 'hs256', async (k) => hs(k, claims({ exp: now() - 120 })), 'expired beyond the 30 s clock tolerance'],
  ['not-before-future', 'hs256', async (k) => hs(k, claims({ nbf: now() + 3600 })), 'not valid yet'],
  ['exp-missing', 'hs256', async (k) => hs(k, without('exp')), 'exp is required'],
  ['exp-string', 'hs256', async (k) => hs(k, { ...claims(), exp: '9999999999' as unknown as number }), 'exp of the wrong type'],
  ['aud-missing', 'hs256', async (k) => hs(k, without('aud')), 'aud is required'],
  ['aud-wrong', 'hs256', async (k) => hs(k, claims({ aud: 'another-service' })), 'a token for another service'],
  ['aud-array-other', 'hs256', async (k) => hs(k, claims({ aud: ['billing', 'reports'] })), 'an audience list without this server'],
  ['aud-case', 'hs256', async (k) => hs(k, claims({ aud: 'DATA-MCP' })), 'audience compared exactly'],
  ['iss-wrong', 'hs256', async (k) => hs(k, claims({ iss: 'evil-issuer' })), 'another issuer'],
  ['iss-missing', 'hs256', async (k) => hs(k, without('iss')), 'the configured issuer is required'],
  ['sub-missing', 'hs256', async (k) => hs(k, without('sub')), 'sub is required'],
  ['sub-unknown', 'hs256', async (k) => hs(k, claims({ sub: 'mallory' })), 'an unknown service account'],
  ['sub-proto', 'hs256', async (k) => hs(k, claims({ sub: '__proto__' })), 'prototype key as a service account'],
  ['sub-trailing-space', 'hs256', async (k) => hs(k, claims({ sub: 'alice ' })), 'a near-match service account'],
  ['sub-upper', 'hs256', async (k) => hs(k, claims({ sub: 'ALICE' })), 'service accounts compared exactly'],
  ['sub-retired', 'hs256', async (k) => hs(k, claims({ sub: 'retired' })), "replay of a removed service account's token"],
  ['replay-other-deployment', 'hs256', async (k) => hs(k, claims({ sub: 'bob', aud: 'data-mcp-staging', iss: 'staging' })), "replay of bob's token from another deployment"],
  ['roles-widen', 'hs256', async (k) => hs(k, claims({ roles: ['reader', 'admin'] })), 'a token cannot add roles'],
  ['roles-widen-only', 'hs256', async (k) => hs(k, claims({ roles: ['writer'] })), 'a token cannot swap roles'],
  ['roles-borrow-bob', 'hs256', async (k) => hs(k, claims({ roles: ['reader', 'analyst'] })), "alice claims bob's roles"],
  ['roles-case', 'hs256', async (k) => hs(k, claims({ roles: ['READER'] })), 'roles compared exactly'],
  ['roles-string', 'hs256', async (k) => hs(k, claims({ roles: 'admin' })), 'roles of the wrong type'],
  ['roles-non-string', 'hs256', async (k) => hs(k, claims({ roles: [1, { name: 'admin' }] })), 'role entries of the wrong type'],
  ['empty-string', 'hs256', async () => '', 'an empty token'],
  ['garbage', 'hs256', async () => 'not-a-jwt', 'not a JWT'],
  ['two-parts', 'hs256', async () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9', 'missing a part'],
  ['four-parts', 'hs256', async (k) => `${await hs(k)}.extra`, 'an extra part'],
  ['bad-base64', 'hs256', async () => '!!!.###.$$$', 'not base64url'],
  ['header-null', 'hs256', async (k) => { const [, p, s] = (await hs(k)).split('.'); return `${enc('null')}.${p}.${s}`; }, 'a JSON null header'],
  ['over-long', 'hs256', async (k) => hs(k, claims({ pad: 'x'.repeat(9000) })), 'over the token size limit'],
  ['bearer-prefix', 'hs256', async (k) => `Bearer ${await hs(k)}`, 'an HTTP header value, not a token'],
  ['json-serialization', 'hs256', async (k) => { const [h, p, s] = (await hs(k)).split('.'); return JSON.stringify({ protected: h, payload: p, signature: s }); }, 'JWS JSON serialization'],
  ['crit-unknown', 'hs256', async (k) => hmacRaw(k, { crit: ['x-data-mcp'], 'x-data-mcp': true }), 'an unknown critical header'],
  ['b64-false', 'hs256', async (k) => hmacRaw(k, { b64: false, crit: ['b64'] }), 'unencoded payload option'],
  ['embedded-jwk', 'hs256', async (k) => hmacRaw(k, { jwk: { kty: 'oct', k: enc(ATTACKER_SECRET) } }, claims(), ATTACKER_SECRET), 'the token brings its own key'],
  ['kid-traversal', 'hs256', async () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: '../../../../dev/null' }).sign(new Uint8Array(32)), 'kid pointing at an empty file'],
  ['jku-remote', 'hs256', async () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', jku: 'http://127.0.0.1:1/jwks.json' }).sign(new TextEncoder().encode(ATTACKER_SECRET)), 'a key URL chosen by the attacker'],
  ['per-call-number', 'hs256', async () => 42, 'a per-call token of the wrong type'],
  ['per-call-object', 'hs256', async (k) => ({ token: await hs(k) }), 'a per-call token wrapped in an object'],
  ['per-call-array', 'hs256', async (k) => [await hs(k)], 'a per-call token wrapped in an array'],
  ['per-call-null', 'hs256', async () => null, 'null must not fall back to another identity'],
  ['hs256-with-ed-public-key', 'ed25519', async (k) => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(k.edPublicPem)), 'algorithm confusion: the public key as an HMAC secret'],
  ['ed-alg-none', 'ed25519', async () => raw({ alg: 'none' }, claims()), 'unsigned token on the Ed25519 server'],
  ['ed-attacker-key', 'ed25519', async (k) => new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA' }).sign(k.attackerEd), 'signed with an attacker Ed25519 key'],
  ['ed-expired', 'ed25519', async (k) => new SignJWT(claims({ exp: now() - 3600 })).setProtectedHeader({ alg: 'EdDSA' }).sign(k.edPrivate), 'expired, properly signed'],
  ['env-alg-none', 'env', async () => raw({ alg: 'none' }, claims()), 'unsigned token in DATA_MCP_TOKEN'],
  ['env-expired', 'env', async (k) => hs(k, claims({ exp: now() - 3600 })), 'expired token in DATA_MCP_TOKEN'],
];

export const TOKEN_CASES: Array<AdversarialCase<TokenInput>> = [
  ...REFUSED.map(([name, server, mint, why]) => ({ id: `token/${name}`, category: 'token' as const, input: { server, mint }, expect: refuse('AUTH_REQUIRED'), why })),
  {
    id: 'token/env-valid-per-call-disabled-override',
    category: 'token',
    input: { server: 'env', mint: (k) => hs(k), perCall: (k) => hs(k, claims({ sub: 'bob' })) },
    expect: refuse('AUTH_REQUIRED'),
    why: "with per-call tokens off, a _meta token (bob's) must not replace or silently join the env identity",
  },
  {
    id: 'token/env-valid-per-call-garbage',
    category: 'token',
    input: { server: 'env', mint: (k) => hs(k), perCall: async () => 'garbage' },
    expect: refuse('AUTH_REQUIRED'),
    why: 'a bad per-call token is refused, never replaced by the env identity',
  },
  {
    id: 'token/trailing-newline',
    category: 'token',
    input: { server: 'hs256', mint: async (k) => `${await hs(k)}\n`, as: { sa: 'alice', roles: ['reader'] } },
    expect: allow('exactly alice'),
    why: 'a genuine token with a trailing newline (as read from a file) is still only alice: whitespace grants nothing',
  },
  { id: 'token/valid-alice', category: 'token', input: { server: 'hs256', mint: (k) => hs(k), as: { sa: 'alice', roles: ['reader'] } }, expect: allow('exactly alice, reader'), why: 'control: a good token works and grants exactly its SA' },
  { id: 'token/valid-bob-narrowed', category: 'token', input: { server: 'hs256', mint: (k) => hs(k, claims({ sub: 'bob', roles: ['reader'] })), as: { sa: 'bob', roles: ['reader'] } }, expect: allow('bob, narrowed to reader'), why: 'control: narrowing works and is not widened back' },
  { id: 'token/valid-ed25519', category: 'token', input: { server: 'ed25519', mint: (k) => new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA' }).sign(k.edPrivate), as: { sa: 'alice', roles: ['reader'] } }, expect: allow('exactly alice'), why: 'control: the Ed25519 server accepts its own key' },
];

export function makeKit(secret: string): TokenKit {
  const ed = generateKeyPairSync('ed25519');
  const attacker = generateKeyPairSync('ed25519');
  return { secret, edPrivate: ed.privateKey, edPublicPem: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString(), attackerEd: attacker.privateKey };
}
