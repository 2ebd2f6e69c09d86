import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcsConnectorConfig } from '../../../src/config/schema.js';
import { storageOptionsFor } from '../../../src/connectors/gcs/client.js';
import { gcsCredentialSource } from '../../../src/connectors/gcs/credentials.js';
import { DataMcpError } from '../../../src/results/errors.js';

process.env.METADATA_SERVER_DETECTION = 'none';

const base: GcsConnectorConfig = { kind: 'gcs', buckets: ['gcs-unit'], project_id: 'proj', annotations: {} };

describe('gcs credential source', () => {
  it("prefers the service account's own material, keyed by its scope id", () => {
    const source = gcsCredentialSource({ id: 'gcp:key:abc', gcpMaterial: { kind: 'gcp', keyFile: '/keys/sa.json' } }, { credentials: { impersonate: 'x@p.iam.gserviceaccount.com' } });
    expect(source).toEqual({ key: 'scope:gcp:key:abc', material: { kind: 'gcp', keyFile: '/keys/sa.json' } });
  });

  it('falls back to connector credentials, then to ADC', () => {
    expect(gcsCredentialSource({ id: 'gcp:default' }, { credentials: { impersonate: 'ops@p.iam.gserviceaccount.com' } })).toEqual({
      key: 'connector',
      material: { kind: 'gcp', impersonate: 'ops@p.iam.gserviceaccount.com' },
    });
    expect(gcsCredentialSource({ id: 'gcp:default' }, {})).toEqual({ key: 'adc' });
    expect(gcsCredentialSource({ id: 'none' }, { credentials: {} })).toEqual({ key: 'adc' });
  });

  it('refuses a scope that names SA credentials but carries none (never widens to the connector)', () => {
    for (const id of ['gcp:key:abc', 'gcp:impersonate:a@p.iam.gserviceaccount.com']) {
      const call = () => gcsCredentialSource({ id }, { credentials: { key_file: '/keys/connector.json' } });
      expect(call).toThrow(DataMcpError);
      expect(call).toThrow(/none reached the connector/);
    }
  });
});

describe('gcs storage options', () => {
  let dir: string;
  let keyFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'data-mcp-gcs-'));
    keyFile = join(dir, 'sa.json');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = { type: 'service_account', project_id: 'proj', private_key_id: 'kid', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), client_email: 'source@proj.iam.gserviceaccount.com', client_id: '1', token_uri: 'https://oauth2.googleapis.com/token' };
    await writeFile(keyFile, JSON.stringify(key), { mode: 0o600 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a custom endpoint resolves no credentials at all', async () => {
    const options = await storageOptionsFor({ key: 'x', material: { kind: 'gcp', keyFile: '/does/not/exist.json' } }, { ...base, api_endpoint: 'http://127.0.0.1:1/' });
    expect(options).toMatchObject({ apiEndpoint: 'http://127.0.0.1:1', projectId: 'proj' });
    expect(options.keyFilename).toBeUndefined();
    expect(options.authClient).toBeUndefined();
  });

  it('a key file is handed to the SDK as keyFilename; ADC adds nothing', async () => {
    expect((await storageOptionsFor({ key: 'k', material: { kind: 'gcp', keyFile } }, base)).keyFilename).toBe(keyFile);
    const adc = await storageOptionsFor({ key: 'adc' }, base);
    expect(adc.keyFilename).toBeUndefined();
    expect(adc.authClient).toBeUndefined();
  });

  it('impersonation builds an Impersonated client (of the SDK\'s own auth library) on top of the key file', async () => {
    const options = await storageOptionsFor({ key: 'i', material: { kind: 'gcp', keyFile, impersonate: 'reader@proj.iam.gserviceaccount.com' } }, base);
    const client = options.authClient as unknown as { constructor: { name: string }; targetPrincipal: string; targetScopes: string[]; sourceClient: { email?: string } };
    expect(client.constructor.name).toBe('Impersonated');
    expect(client.targetPrincipal).toBe('reader@proj.iam.gserviceaccount.com');
    expect(client.targetScopes).toEqual(['https://www.googleapis.com/auth/devstorage.read_write']);
    expect(client.sourceClient.email).toBe('source@proj.iam.gserviceaccount.com');
    expect(options.keyFilename).toBeUndefined();
  });
});
