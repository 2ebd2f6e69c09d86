import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsCredentialsConfig } from '../config/schema.js';
import { registerSecret } from '../results/scrub.js';
import type { AwsCredentialMaterial, CredentialScope } from './types.js';

/**
 * Credentials shared by every AWS connector (s3, redshift, dynamodb): which material a
 * client is built from, and the SDK credentials for it. Kept SDK-free at load time — the
 * credential providers are imported only when a profile or role needs them.
 */

/** The slice of an AWS connector's config that decides its credentials. */
export interface AwsClientSettings {
  region: string;
  credentials?: AwsCredentialsConfig | undefined;
}

/** Where a client's credentials come from, and the cache key of the client built from them. */
export interface CredentialSource {
  key: string;
  region: string;
  material?: AwsCredentialMaterial;
}

export type SdkCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

const hasCredentials = (m: AwsCredentialMaterial | undefined): m is AwsCredentialMaterial =>
  m !== undefined && Boolean(m.accessKeyId || m.profile || m.roleArn);

/**
 * The calling service account's own credentials win; a service account without any falls
 * back to the connector's `credentials`, then to the SDK's default chain. The key is derived
 * from the non-secret scope id, so two scopes never share a client.
 */
export function credentialSource(scope: CredentialScope, config: AwsClientSettings): CredentialSource {
  const regionOverride = scope.material?.region;
  if (hasCredentials(scope.material)) {
    const region = regionOverride ?? config.region;
    return { key: `scope:${scope.id}|${region}`, region, material: scope.material };
  }
  const connectorMaterial = config.credentials ? fromConfig(config.credentials) : undefined;
  const region = regionOverride ?? connectorMaterial?.region ?? config.region;
  if (hasCredentials(connectorMaterial)) return { key: `connector|${region}`, region, material: connectorMaterial };
  return { key: `default-chain|${region}`, region };
}

function fromConfig(c: AwsCredentialsConfig): AwsCredentialMaterial {
  return {
    kind: 'aws',
    ...(c.profile ? { profile: c.profile } : {}),
    ...(c.role_arn ? { roleArn: c.role_arn } : {}),
    ...(c.external_id ? { externalId: c.external_id } : {}),
    ...(c.session_tags ? { sessionTags: c.session_tags } : {}),
    ...(c.access_key_id ? { accessKeyId: c.access_key_id } : {}),
    ...(c.secret_access_key ? { secretAccessKey: c.secret_access_key } : {}),
    ...(c.region ? { region: c.region } : {}),
  };
}

/**
 * SDK credentials for the material: static keys as they are, a profile through `fromIni`, a
 * role through STS AssumeRole (external id, session tags) on top of the static keys or profile
 * or the default chain. `undefined` means the SDK's default chain.
 */
export async function credentialsFor(source: CredentialSource): Promise<SdkCredentials | undefined> {
  const m = source.material;
  if (!m) return undefined;
  // The scrubber catches these wherever they might be echoed (errors, logs).
  registerSecret(m.secretAccessKey);
  registerSecret(m.sessionToken);
  const staticKeys = m.accessKeyId && m.secretAccessKey
    ? { accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey, ...(m.sessionToken ? { sessionToken: m.sessionToken } : {}) }
    : undefined;
  if (!m.profile && !m.roleArn) return staticKeys;
  const providers = await import('@aws-sdk/credential-providers');
  const base = staticKeys ?? (m.profile ? providers.fromIni({ profile: m.profile }) : undefined);
  if (!m.roleArn) return base;
  return providers.fromTemporaryCredentials({
    params: {
      RoleArn: m.roleArn,
      RoleSessionName: 'data-mcp',
      ...(m.externalId ? { ExternalId: m.externalId } : {}),
      ...(m.sessionTags ? { Tags: Object.entries(m.sessionTags).map(([Key, Value]) => ({ Key, Value })) } : {}),
    },
    ...(base ? { masterCredentials: base } : {}),
    clientConfig: { region: source.region },
  });
}
