import type { AwsCredentialsConfig, ServiceAccountConfig } from '../config/schema.js';
import type { CredentialScope } from '../connectors/types.js';
import { sha256Hex } from '../util/canonical-json.js';

/**
 * Turns a service account's declared cloud credentials into a scope: a non-secret id (for
 * cache keys and audit) plus the material only the connector ever sees.
 */
export function awsScope(aws: AwsCredentialsConfig | undefined): CredentialScope {
  if (!aws) return { id: 'aws:default' };
  const material = {
    kind: 'aws' as const,
    ...(aws.profile ? { profile: aws.profile } : {}),
    ...(aws.role_arn ? { roleArn: aws.role_arn } : {}),
    ...(aws.external_id ? { externalId: aws.external_id } : {}),
    ...(aws.session_tags ? { sessionTags: aws.session_tags } : {}),
    ...(aws.access_key_id ? { accessKeyId: aws.access_key_id } : {}),
    ...(aws.secret_access_key ? { secretAccessKey: aws.secret_access_key } : {}),
    ...(aws.region ? { region: aws.region } : {}),
  };
  if (aws.role_arn) return { id: `aws:role:${aws.role_arn}`, material };
  if (aws.access_key_id) return { id: `aws:static:${sha256Hex(aws.access_key_id).slice(0, 12)}`, material };
  if (aws.profile) return { id: `aws:profile:${aws.profile}`, material };
  return { id: 'aws:default', material };
}

export function gcpScope(sa: ServiceAccountConfig): CredentialScope {
  const gcp = sa.gcp;
  const gcpMaterial = { kind: 'gcp' as const, ...(gcp?.key_file ? { keyFile: gcp.key_file } : {}), ...(gcp?.impersonate ? { impersonate: gcp.impersonate } : {}) };
  if (gcp?.impersonate) return { id: `gcp:impersonate:${gcp.impersonate}`, gcpMaterial };
  if (gcp?.key_file) return { id: `gcp:key:${sha256Hex(gcp.key_file).slice(0, 12)}`, gcpMaterial };
  return { id: 'gcp:default' };
}
