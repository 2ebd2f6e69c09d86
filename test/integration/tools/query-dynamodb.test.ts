import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNALITE_CREDENTIALS, startDynalite, type DynaliteHandle } from '../../helpers/dynalite.js';
import { errorCode, startHarness, type Harness } from '../../helpers/harness.js';

const TABLE = 'tools-orders';
const SECRET_TABLE = 'tools-payroll';

/** query's structured DynamoDB path through the whole gate, on dynalite. */
describe('query tool on dynamodb (dynalite)', () => {
  let dyn: DynaliteHandle;
  let h: Harness;

  beforeAll(async () => {
    dyn = await startDynalite();
    const keys = {
      AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' as const }, { AttributeName: 'order_no', AttributeType: 'N' as const }],
      KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' as const }, { AttributeName: 'order_no', KeyType: 'RANGE' as const }],
    };
    await dyn.createTable({ TableName: TABLE, ...keys });
    await dyn.createTable({ TableName: SECRET_TABLE, ...keys });
    await dyn.seed(TABLE, Array.from({ length: 30 }, (_, i) => ({ customer: { S: i < 20 ? 'c1' : 'c2' }, order_no: { N: String(i) }, status: { S: i % 2 ? 'open' : 'shipped' } })));
    h = await startHarness({
      config: {
        server: { env: 'dev', toolsets: ['catalog', 'data'] },
        auth: { mode: 'none', default_service_account: 'analyst', service_accounts: [{ id: 'analyst', roles: ['reader'] }] },
        connectors: {
          ddb: {
            kind: 'dynamodb',
            endpoint: dyn.endpoint,
            credentials: { access_key_id: DYNALITE_CREDENTIALS.accessKeyId, secret_access_key: DYNALITE_CREDENTIALS.secretAccessKey },
            annotations: { [SECRET_TABLE]: { classification: 'restricted' } },
          },
        },
      },
    });
  });

  afterAll(async () => {
    await h?.close();
    await dyn?.stop();
  });

  it('gets one item by its key', async () => {
    const result = await h.call('query', { connector: 'ddb', dynamodb: { operation: 'get', table: TABLE, key: { customer: 'c2', order_no: 21 } } });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as { rows: unknown[][]; columns: Array<{ name: string }> };
    expect(out.columns.map((c) => c.name)).toEqual(['customer', 'order_no', 'status']);
    expect(out.rows).toEqual([['c2', 21, 'open']]);
  });

  it('queries a partition with a sort condition and a filter', async () => {
    const result = await h.call('query', {
      connector: 'ddb',
      dynamodb: { operation: 'query', table: TABLE, partition: { name: 'customer', value: 'c1' }, sort: { name: 'order_no', op: 'between', value: 2, value2: 9 }, filter: { column: 'status', op: 'eq', value: 'shipped' } },
    });
    expect((result.structuredContent as { rows: unknown[][] }).rows.map((r) => r[1])).toEqual([2, 4, 6, 8]);
  });

  it('refuses scans (disabled by default), restricted tables, and sql on dynamodb', async () => {
    expect(errorCode(await h.call('query', { connector: 'ddb', dynamodb: { operation: 'scan', table: TABLE } }))).toBe('POLICY_DENIED');
    expect(errorCode(await h.call('query', { connector: 'ddb', dynamodb: { operation: 'get', table: SECRET_TABLE, key: { customer: 'c1', order_no: 1 } } }))).toBe('POLICY_DENIED');
    expect(errorCode(await h.call('query', { connector: 'ddb', sql: 'SELECT * FROM x' }))).toBe('INVALID_ARGUMENT');
    expect(errorCode(await h.call('query', { connector: 'ddb' }))).toBe('INVALID_ARGUMENT');
  });

  it('pages a partition through the result handle', async () => {
    const result = await h.call('query', { connector: 'ddb', dynamodb: { operation: 'query', table: TABLE, partition: { name: 'customer', value: 'c1' } }, limit: 5 });
    const out = result.structuredContent as { complete: boolean; handle: string };
    expect(out.complete).toBe(false);
    const page = await h.client.readResource({ uri: `${out.handle}?offset=15&limit=10` });
    const body = JSON.parse((page.contents[0] as { text: string }).text) as { rows: unknown[][] };
    expect(body.rows.map((r) => r[1])).toEqual([15, 16, 17, 18, 19]);
  });
});
