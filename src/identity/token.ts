import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../config/schema.js';
import { DataMcpError } from '../results/errors.js';
import type { TokenKeys } from './keys.js';

/** What a verified token says. `roles`, when present, narrows the SA's roles. */
export interface TokenClaims {
  sa: string;
  roles?: string[];
  jti?: string;
  expiresAt: string;
}

const authError = (message: string, hint: string) => new DataMcpError('AUTH_REQUIRED', message, hint);
const HINT = 'Ask the operator for a fresh token (they mint one with `data-mcp token issue --sa <id> --ttl 8h`), then set DATA_MCP_TOKEN.';

/**
 * Verifies a service-account token. Algorithms are pinned to what a configured key can verify
 * (never `none`, never an algorithm chosen by the token); `exp`, `aud` and `sub` are required.
 */
export async function verifyToken(token: string, auth: Config['auth'], keys: TokenKeys): Promise<TokenClaims> {
  if (token.length > 8192) throw authError('the token is too long to be a data-mcp token', HINT);
  const algorithm = peekAlgorithm(token);
  const key = algorithm === 'HS256' ? keys.hs256 : algorithm === 'EdDSA' ? keys.ed25519Public : undefined;
  if (!key) throw authError(`tokens signed with ${algorithm ?? 'an unknown algorithm'} are not accepted here`, HINT);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [algorithm as string],
      audience: auth.audience,
      ...(auth.issuer ? { issuer: auth.issuer } : {}),
      requiredClaims: ['exp', 'aud', 'sub'],
      clockTolerance: auth.clock_tolerance_seconds,
    }));
  } catch (err) {
    throw authError(describeJoseError(err), HINT);
  }
  const roles = payload.roles;
  if (roles !== undefined && (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string'))) {
    throw authError('the token claim "roles" must be a list of role names', HINT);
  }
  return {
    sa: String(payload.sub),
    ...(roles ? { roles: roles as string[] } : {}),
    ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
    expiresAt: new Date((payload.exp ?? 0) * 1000).toISOString(),
  };
}

function peekAlgorithm(token: string): string | undefined {
  const header = token.split('.')[0];
  if (!header) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof parsed.alg === 'string' ? parsed.alg : undefined;
  } catch {
    return undefined;
  }
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `the token claim "${err.claim}" is not valid (${err.reason})`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return 'the token is malformed';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the token algorithm is not allowed';
  return 'the token could not be verified';
}

export interface IssueOptions {
  sa: string;
  ttlSeconds: number;
  roles?: string[];
  auth: Config['auth'];
  keys: TokenKeys;
}

/** Mints a token for `data-mcp token issue`, with the first configured signing key. */
export async function issueToken(options: IssueOptions): Promise<string> {
  const { auth, keys } = options;
  const jwt = new SignJWT({ ...(options.roles ? { roles: options.roles } : {}) })
    .setSubject(options.sa)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds);
  if (auth.issuer) jwt.setIssuer(auth.issuer);
  if (keys.hs256) return jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(keys.hs256);
  if (keys.ed25519Private) return jwt.setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(keys.ed25519Private);
  throw new DataMcpError('CONFIG_ERROR', 'no signing key is configured', 'Set auth.keys.hs256_secret_env, or auth.keys.ed25519_private_key_file.');
}
