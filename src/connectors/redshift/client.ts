import type * as RedshiftDataSdkModule from '@aws-sdk/client-redshift-data';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { RedshiftConnectorConfig } from '../../config/schema.js';
import { DataMcpError } from '../../results/errors.js';
import { credentialSource, credentialsFor, type CredentialSource } from '../aws-credentials.js';
import type { CredentialScope } from '../types.js';

/** Type-only: erased at compile time, so this module does not load the SDK. */
export type RedshiftDataSdk = typeof RedshiftDataSdkModule;

let sdkLoading: Promise<RedshiftDataSdk> | undefined;

/** Loads the Redshift Data API SDK on first use only (cold start must not pay for it). */
export function loadRedshiftDataSdk(): Promise<RedshiftDataSdk> {
  sdkLoading ??= import('@aws-sdk/client-redshift-data').catch((error: unknown) => {
    sdkLoading = undefined;
    throw new DataMcpError('INTERNAL', 'the Redshift Data API SDK could not be loaded', 'The server installation is incomplete; the operator should reinstall data-mcp.', {
      cause: error instanceof Error ? error.message : String(error),
    });
  });
  return sdkLoading;
}

export interface RedshiftHandle {
  sdk: RedshiftDataSdk;
  client: RedshiftDataClient;
}

/** One RedshiftDataClient per credential source (SA scope, connector credentials, or default chain). */
export class RedshiftClientPool {
  private readonly clients = new Map<string, Promise<RedshiftHandle>>();

  constructor(private readonly config: RedshiftConnectorConfig) {}

  get(scope: CredentialScope): Promise<RedshiftHandle> {
    const source = credentialSource(scope, this.config);
    let handle = this.clients.get(source.key);
    if (!handle) {
      handle = this.create(source);
      this.clients.set(source.key, handle);
      handle.catch(() => this.clients.delete(source.key));
    }
    return handle;
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
    const handles = await Promise.allSettled(this.clients.values());
    this.clients.clear();
    for (const h of handles) if (h.status === 'fulfilled') h.value.client.destroy();
  }
}
