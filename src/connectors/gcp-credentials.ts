import type { GcsConnectorConfig } from '../config/schema.js';
import { DataMcpError } from '../results/errors.js';
import type { CredentialScope, GcpCredentialMaterial } from './types.js';

/**
 * Credential rules shared by every GCP connector (gcs, bigquery), the way `aws-credentials.ts`
 * serves the AWS ones: one precedence, one refusal, one cache key scheme, so two connectors
 * cannot drift apart on who a call runs as. SDK-free: each connector turns the material into
 * its own SDK's auth options.
 */

/** The `credentials` block of a GCP connector's config (the same schema for gcs and bigquery). */
export type GcpCredentialsConfig = GcsConnectorConfig['credentials'];

/** Where a client's credentials come from, and the cache key of the client built from them. */
export interface GcpCredentialSource {
  key: string;
  /** Absent: Application Default Credentials. */
  material?: GcpCredentialMaterial;
}

const hasCredentials = (m: GcpCredentialMaterial | undefined): m is GcpCredentialMaterial => m !== undefined && Boolean(m.keyFile || m.impersonate);

/**
 * The calling service account's own `gcp` credentials win; a service account without any falls
 * back to the connector's `credentials`, then to Application Default Credentials. The key is
 * built from the non-secret scope id, so two scopes never share a client.
 *
 * A scope that *names* SA-specific credentials (`gcp:key:…`, `gcp:impersonate:…`) but carries no
 * material is refused: silently running such a call under the connector's (possibly broader)
 * credentials would break the service account's least privilege.
 */
export function gcpCredentialSource(scope: CredentialScope, config: { credentials?: GcpCredentialsConfig }): GcpCredentialSource {
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
