import type * as S3SdkModule from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ConnectorConfig } from '../../config/schema.js';
import { ClientPool } from '../client-pool.js';
import { lazyModule } from '../sdk-loader.js';
import type { CredentialScope } from '../types.js';
import { credentialSource, credentialsFor } from './credentials.js';

/** Type-only: erased at compile time, so this module does not load the SDK. */
export type S3Sdk = typeof S3SdkModule;

/** Loads the S3 SDK on first use only (cold start must not pay for it). */
export const loadS3Sdk: () => Promise<S3Sdk> = lazyModule('S3 SDK', () => import('@aws-sdk/client-s3'));

export interface S3Handle {
  sdk: S3Sdk;
  client: S3Client;
}

/** One S3Client per credential source (SA scope, connector credentials, or default chain). */
export class S3ClientPool {
  private readonly clients = new ClientPool<S3Handle>();

  constructor(private readonly config: S3ConnectorConfig) {}

  get(scope: CredentialScope): Promise<S3Handle> {
    const source = credentialSource(scope, this.config);
    return this.clients.get(source.key, () => this.create(source));
  }

  private async create(source: ReturnType<typeof credentialSource>): Promise<S3Handle> {
    const sdk = await loadS3Sdk();
    const credentials = await credentialsFor(source);
    const client = new sdk.S3Client({
      region: source.region,
      ...(this.config.endpoint ? { endpoint: this.config.endpoint } : {}),
      forcePathStyle: this.config.force_path_style,
      ...(credentials ? { credentials } : {}),
      // Flexible checksums (the SDK default since 2025) frame streamed bodies as aws-chunked,
      // which S3-compatible stores such as s3rver and older MinIO store as the object's bytes.
      // Only sending/validating checksums when an operation requires them is safe on AWS too.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      followRegionRedirects: true,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    });
    return { sdk, client };
  }

  async destroyAll(): Promise<void> {
    for (const handle of await this.clients.drain()) handle.client.destroy();
  }
}
