import type { Config, ServiceAccountConfig } from '../config/schema.js';
import { DataMcpError } from '../results/errors.js';
import { awsScope, gcpScope } from './credential-scope.js';
import type { TokenKeys } from './keys.js';
import type { Principal } from './principal.js';
import { verifyToken } from './token.js';

/**
 * Resolves the principal of one call. With `auth.mode: none` every call is the configured
 * service account; with `token`, the token from the environment (or, when enabled, the
 * per-call `_meta["data-mcp/token"]`) is verified on every call, so expiry takes effect
 * mid-session.
 */
export class IdentityResolver {
  private readonly accounts: Map<string, ServiceAccountConfig>;
  /** Recently verified tokens (per-call tokens of several agents), bounded. */
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(
    private readonly auth: Config['auth'],
    private readonly keys: TokenKeys,
    private readonly envToken: string | undefined,
  ) {
    this.accounts = new Map(auth.service_accounts.map((sa) => [sa.id, sa]));
  }

  get mode(): 'none' | 'token' {
    return this.auth.mode;
  }

  async resolve(meta?: Record<string, unknown>): Promise<Principal> {
    if (this.auth.mode === 'none') {
      return this.principalFor(this.account(this.auth.default_service_account ?? ''), undefined, 'none');
    }
    const perCall = meta?.['data-mcp/token'];
    if (perCall !== undefined && !this.auth.per_call_token) {
      throw new DataMcpError('AUTH_REQUIRED', 'per-call tokens are not enabled on this server', 'Present the token in DATA_MCP_TOKEN, or ask the operator to set auth.per_call_token.');
    }
    // A malformed per-call token is refused, never silently replaced by the env identity.
    if (perCall !== undefined && typeof perCall !== 'string') {
      throw new DataMcpError('AUTH_REQUIRED', 'the per-call token in _meta["data-mcp/token"] must be a string', 'Send the token as a string, or omit it to use DATA_MCP_TOKEN.');
    }
    const token = perCall ?? this.envToken;
    if (!token) {
      throw new DataMcpError('AUTH_REQUIRED', 'no service-account token was presented', 'Set DATA_MCP_TOKEN to a token from `data-mcp token issue --sa <id>`.');
    }
    const cached = this.verified.get(token);
    if (cached && Date.now() < cached.expiresAtMs) return cached.principal;
    const claims = await verifyToken(token, this.auth, this.keys);
    const sa = this.accounts.get(claims.sa);
    if (!sa) throw new DataMcpError('AUTH_REQUIRED', 'the token names a service account this server does not know', 'Ask the operator for a token of a configured service account.');
    const principal = this.principalFor(sa, claims.roles, 'token', claims.jti, claims.expiresAt);
    if (this.verified.size >= 64) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, expiresAtMs: Date.parse(claims.expiresAt) });
    return principal;
  }

  private account(id: string): ServiceAccountConfig {
    const sa = this.accounts.get(id);
    if (!sa) throw new DataMcpError('CONFIG_ERROR', `service account ${id} is not configured`, 'Check auth.default_service_account.');
    return sa;
  }

  private principalFor(sa: ServiceAccountConfig, narrowed: string[] | undefined, mode: 'none' | 'token', tokenId?: string, expiresAt?: string): Principal {
    // A token may narrow the roles, never widen them: roles it names that the SA lacks are refused.
    if (narrowed) {
      const widened = narrowed.filter((r) => !sa.roles.includes(r));
      if (widened.length > 0) {
        throw new DataMcpError('AUTH_REQUIRED', `the token claims roles the service account does not have: ${widened.join(', ')}`, 'A token can only narrow roles. Issue one with roles the service account holds.');
      }
    }
    return {
      saId: sa.id,
      roles: narrowed ? [...new Set(narrowed)] : [...sa.roles],
      attributes: { ...sa.attributes },
      authMode: mode,
      ...(tokenId ? { tokenId } : {}),
      ...(expiresAt ? { tokenExpiresAt: expiresAt } : {}),
      aws: awsScope(sa.aws),
      gcp: gcpScope(sa),
    };
  }
}
