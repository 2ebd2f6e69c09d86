import type { CredentialScope } from '../connectors/types.js';

/** The caller of one tool call, resolved by identity and trusted by everything after it. */
export interface Principal {
  /** Service account id from config. */
  saId: string;
  /** Effective roles: the SA's roles, possibly narrowed by the token, never widened. */
  roles: string[];
  /** Attributes from config (department, environment, ...). */
  attributes: Record<string, string | number | boolean>;
  /** How the principal was established. */
  authMode: 'none' | 'token';
  /** Token id (`jti`) or subject hash, for audit correlation; never the token itself. */
  tokenId?: string;
  tokenExpiresAt?: string;
  /** Credential scopes per cloud, non-secret ids only travel beyond the connector. */
  aws: CredentialScope;
  gcp: CredentialScope;
}

/** A stable, non-secret scope string: two principals with different grants never share it. */
export function principalScope(p: Principal): string {
  return JSON.stringify([p.saId, [...p.roles].sort(), p.aws.id, p.gcp.id]);
}
