import type * as RedshiftDataSdkModule from '@aws-sdk/client-redshift-data';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { RedshiftConnectorConfig } from '../../config/schema.js';
import { credentialSource, credentialsFor, type CredentialSource } from '../aws-credentials.js';
import { ClientPool } from '../client-pool.js';
import { lazyModule } from '../sdk-loader.js';
import type { CredentialScope } from '../types.js';

/** Type-only: erased at compile time, so this module does not load the SDK. */
export type RedshiftDataSdk = typeof RedshiftDataSdkModule;

/** Loads the Redshift Data API SDK on first use only (cold start must not pay for it). */
export const loadRedshiftDataSdk: () => Promise<RedshiftDataSdk> = lazyModule('Redshift Data API SDK', () => import('@aws-sdk/client-redshift-data'));

export interface RedshiftHandle {
  sdk: RedshiftDataSdk;
  client: RedshiftDataClient;
}

/** One RedshiftDataClient per credential source (SA scope, connector credentials, or default chain). */
export class RedshiftClientPool {
  private readonly clients = new ClientPool<RedshiftHandle>();

  constructor(private readonly config: RedshiftConnectorConfig) {}

  get(scope: CredentialScope): Promise<RedshiftHandle> {
    const source = credentialSource(scope, this.config);
    return this.clients.get(source.key, () => this.create(source));
  }

  private async create(source: CredentialSource): Promise<RedshiftHandle> {
    const sdk = await loadRedshiftDataSdk();
    const credentials = await credentialsFor(source);
    const client = new sdk.RedshiftDataClient({
      region: source.region,
      ...(this.config.endpoint ? { endpoint: this.config.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      maxAttempts: 3,
      // Every Data API call is short (statements run asynchronously upstream); a call that
      // hangs is a network problem, not a slow query.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    });
    return { sdk, client };
  }

  async destroyAll(): Promise<void> {
    for (const handle of await this.clients.drain()) handle.client.destroy();
  }
}
