import type { BigqueryConnectorConfig } from '../../config/schema.js';
import { DataMcpError } from '../../results/errors.js';
import type { CredentialScope, GcpCredentialMaterial } from '../types.js';

/** Where a client's credentials come from, and the cache key of the client built from them. */
export interface BigqueryCredentialSource {
  key: string;
  /** Absent: Application Default Credentials. */
  material?: GcpCredentialMaterial;
}

const hasCredentials = (m: GcpCredentialMaterial | undefined): m is GcpCredentialMaterial => m !== undefined && Boolean(m.keyFile || m.impersonate);

/**
 * The calling service account's own `gcp` credentials win; one without any falls back to the
 * connector's `credentials`, then to Application Default Credentials. Keys come from the
 * non-secret scope id, so two scopes never share a client.
 *
 * A scope that names SA-specific credentials (`gcp:key:…`, `gcp:impersonate:…`) but carries no
 * material is refused: running it under the connector's (possibly broader) credentials would
 * break the service account's least privilege.
 */
export function bigqueryCredentialSource(scope: CredentialScope, config: Pick<BigqueryConnectorConfig, 'credentials'>): BigqueryCredentialSource {
  if (hasCredentials(scope.gcpMaterial)) return { key: `scope:${scope.id}`, material: scope.gcpMaterial };
  if (scope.id.startsWith('gcp:key:') || scope.id.startsWith('gcp:impersonate:')) {
    throw new DataMcpError(
      'CONFIG_ERROR',
      'the service account declares its own GCP credentials, but none reached the connector',
      "The operator must check the service account's `gcp` credentials (key_file or impersonate); the call was not sent with any other credentials.",
      { scope: scope.id },
    );
  }
  const c = config.credentials;
  if (c && (c.key_file || c.impersonate)) {
    return { key: 'connector', material: { kind: 'gcp', ...(c.key_file ? { keyFile: c.key_file } : {}), ...(c.impersonate ? { impersonate: c.impersonate } : {}) } };
  }
  return { key: 'adc' };
}
