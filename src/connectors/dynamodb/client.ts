import type * as DynamoSdkModule from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamodbConnectorConfig } from '../../config/schema.js';
import { credentialSource, credentialsFor, type CredentialSource } from '../aws-credentials.js';
import { ClientPool } from '../client-pool.js';
import { lazyModule } from '../sdk-loader.js';
import type { CredentialScope } from '../types.js';

/** Type-only: erased at compile time, so this module does not load the SDK. */
export type DynamoSdk = typeof DynamoSdkModule;

/** Loads the DynamoDB SDK on first use only (cold start must not pay for it). */
export const loadDynamoSdk: () => Promise<DynamoSdk> = lazyModule('DynamoDB SDK', () => import('@aws-sdk/client-dynamodb'));

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
  private readonly clients = new ClientPool<DynamoHandle>();

  constructor(
    private readonly config: DynamodbConnectorConfig,
    private readonly hook?: ClientHook,
  ) {}

  get(scope: CredentialScope): Promise<DynamoHandle> {
    const source = credentialSource(scope, this.config);
    return this.clients.get(source.key, () => this.create(source));
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
    for (const handle of await this.clients.drain()) handle.client.destroy();
  }
}
