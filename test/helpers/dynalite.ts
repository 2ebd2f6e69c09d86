import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { DynamodbConnectorConfig } from '../../src/config/schema.js';
import type { AddressInfo } from 'node:net';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  type AttributeValue,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';

/**
 * dynalite in-process (in-memory) on a free port, with a seeding client. Tables are created
 * and ready at once (`createTableMs: 0`). Table names need at least 3 characters.
 */
export interface DynaliteHandle {
  endpoint: string;
  client: DynamoDBClient;
  createTable(input: CreateTableCommandInput): Promise<void>;
  /** Seeds items (any number; chunked into BatchWriteItem requests of 25). */
  seed(table: string, items: Array<Record<string, AttributeValue>>): Promise<void>;
  stop(): Promise<void>;
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;

// dynalite is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as DynaliteFactory;

/** Credentials dynalite accepts (it checks none); the secret is distinctive so tests can look for it. */
export const DYNALITE_CREDENTIALS = { accessKeyId: 'AKIDDYNALITETEST', secretAccessKey: 'dynalite-secret-Zq8vW3xYpL' } as const;

export async function startDynalite(): Promise<DynaliteHandle> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: DYNALITE_CREDENTIALS });
  return {
    endpoint,
    client,
    async createTable(input) {
      await client.send(new CreateTableCommand({ BillingMode: 'PAY_PER_REQUEST', ...input }));
    },
    async seed(table, items) {
      for (let i = 0; i < items.length; i += 25) {
        const chunk = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
        const response = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: chunk } }));
        if (Object.keys(response.UnprocessedItems ?? {}).length > 0) throw new Error('dynalite left items unprocessed while seeding');
      }
    },
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A dynamodb connector config for a dynalite endpoint (static keys from DYNALITE_CREDENTIALS). */
export function dynaliteConfig(endpoint: string, over: Partial<DynamodbConnectorConfig> = {}): DynamodbConnectorConfig {
  return {
    kind: 'dynamodb',
    region: 'us-east-1',
    endpoint,
    credentials: { access_key_id: DYNALITE_CREDENTIALS.accessKeyId, secret_access_key: DYNALITE_CREDENTIALS.secretAccessKey },
    scan: { enabled: false, max_items: 10_000 },
    annotations: {},
    ...over,
  };
}
