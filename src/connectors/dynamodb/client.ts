import type * as DynamoSdkModule from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamodbConnectorConfig } from '../../config/schema.js';
import { DataMcpError } from '../../results/errors.js';
import { credentialSource, credentialsFor, type CredentialSource } from '../aws-credentials.js';
import type { CredentialScope } from '../types.js';

/** Type-only: erased at compile time, so this module does not load the SDK. */
export type DynamoSdk = typeof DynamoSdkModule;

let sdkLoading: Promise<DynamoSdk> | undefined;

/** Loads the DynamoDB SDK on first use only (cold start must not pay for it). */
export function loadDynamoSdk(): Promise<DynamoSdk> {
  sdkLoading ??= import('@aws-sdk/client-dynamodb').catch((error: unknown) => {
    sdkLoading = undefined;
    throw new DataMcpError('INTERNAL', 'the DynamoDB SDK could not be loaded', 'The server installation is incomplete; the operator should reinstall data-mcp.', {
      cause: error instanceof Error ? error.message : String(error),
    });
  });
  return sdkLoading;
}

export interface DynamoHandle {
  sdk: DynamoSdk;
  client: DynamoDBClient;
  /** Non-secret key of the credential source: scopes per-principal caches (key schemas). */
  scopeKey: string;
}

/** Called on every client right after it is built: instrumentation, or fault injection in tests. */
export type ClientHook = (client: DynamoDBClient) => void;

/** One DynamoDBClient per credential source (SA scope, connector credentials, or default chain). */
export class DynamoClientPool {
  private readonly clients = new Map<string, Promise<DynamoHandle>>();

  constructor(
    private readonly config: DynamodbConnectorConfig,
    private readonly hook?: ClientHook,
  ) {}

  get(scope: CredentialScope): Promise<DynamoHandle> {
    const source = credentialSource(scope, this.config);
    let handle = this.clients.get(source.key);
    if (!handle) {
      handle = this.create(source);
      this.clients.set(source.key, handle);
      handle.catch(() => this.clients.delete(source.key));
    }
    return handle;
  }

  private async create(source: CredentialSource): Promise<DynamoHandle> {
    const sdk = await loadDynamoSdk();
    const credentials = await credentialsFor(source);
    const client = new sdk.DynamoDBClient({
      region: source.region,
      ...(this.config.endpoint ? { endpoint: this.config.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      // The SDK retries throttling itself; three attempts keep a failing call short.
      maxAttempts: 3,
      // One DynamoDB request reads at most 1 MB: a request that hangs is a network problem.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    });
    this.hook?.(client);
    return { sdk, client, scopeKey: source.key };
  }

  async destroyAll(): Promise<void> {
    const handles = await Promise.allSettled(this.clients.values());
    this.clients.clear();
    for (const h of handles) if (h.status === 'fulfilled') h.value.client.destroy();
  }
}
