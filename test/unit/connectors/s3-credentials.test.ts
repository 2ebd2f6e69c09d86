import { describe, expect, it } from 'vitest';
import type { S3ConnectorConfig } from '../../../src/config/schema.js';
import { S3ClientPool } from '../../../src/connectors/s3/client.js';
import { credentialSource, credentialsFor } from '../../../src/connectors/s3/credentials.js';
import type { CredentialScope } from '../../../src/connectors/types.js';
import { scrubText } from '../../../src/results/scrub.js';

const base: S3ConnectorConfig = { kind: 's3', buckets: ['b-one'], region: 'us-east-1', force_path_style: true, endpoint: 'http://127.0.0.1:9', annotations: {} };
const staticScope: CredentialScope = { id: 'aws:static:abc', material: { kind: 'aws', accessKeyId: 'AKIDSTATIC', secretAccessKey: 'static-secret-value' } };

describe('s3 credential sources', () => {
  it("uses the service account's own credentials first", () => {
    const source = credentialSource(staticScope, { ...base, credentials: { profile: 'connector-profile' } });
    expect(source.key).toBe('scope:aws:static:abc|us-east-1');
    expect(source.material?.accessKeyId).toBe('AKIDSTATIC');
  });

  it('falls back to the connector credentials, then the default chain', () => {
    const none: CredentialScope = { id: 'aws:default' };
    const fromConnector = credentialSource(none, { ...base, credentials: { profile: 'ops', region: 'eu-west-1' } });
    expect(fromConnector).toMatchObject({ key: 'connector|eu-west-1', region: 'eu-west-1', material: { profile: 'ops' } });
    expect(credentialSource(none, base)).toEqual({ key: 'default-chain|us-east-1', region: 'us-east-1' });
    // A scope with only a region override carries no credentials of its own.
    expect(credentialSource({ id: 'aws:default', material: { kind: 'aws', region: 'ap-south-1' } }, base).key).toBe('default-chain|ap-south-1');
  });

  it('hands static keys to the SDK as they are and registers the secret with the scrubber', async () => {
    const creds = await credentialsFor(credentialSource(staticScope, base));
    expect(creds).toEqual({ accessKeyId: 'AKIDSTATIC', secretAccessKey: 'static-secret-value' });
    expect(scrubText('oops static-secret-value')).not.toContain('static-secret-value');
  });

  it('builds providers for profiles and assumed roles (without calling AWS)', async () => {
    const profile = await credentialsFor({ key: 'k', region: 'us-east-1', material: { kind: 'aws', profile: 'analytics' } });
    expect(typeof profile).toBe('function');
    const role = await credentialsFor({
      key: 'k',
      region: 'us-east-1',
      material: { kind: 'aws', roleArn: 'arn:aws:iam::123456789012:role/reader', externalId: 'ext', sessionTags: { team: 'data' } },
    });
    expect(typeof role).toBe('function');
  });

  it('keeps one client per credential source', async () => {
    const pool = new S3ClientPool(base);
    const a = await pool.get(staticScope);
    expect(await pool.get(staticScope)).toBe(a);
    const other = await pool.get({ id: 'aws:static:def', material: { kind: 'aws', accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret-value' } });
    expect(other.client).not.toBe(a.client);
    const config = a.client.config;
    expect(await config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
    expect(config.forcePathStyle).toBe(true);
    await pool.destroyAll();
  });
});
