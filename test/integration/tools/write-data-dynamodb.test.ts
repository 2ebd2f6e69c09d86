import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNALITE_CREDENTIALS, startDynalite, type DynaliteHandle } from '../../helpers/dynalite.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { errorOf, ok } from './support.js';

const TABLE = 'write-orders';

/** write_data / replace_data with rows on a DynamoDB table (dynalite): items, create-only puts. */
describe('write_data to a dynamodb table (dynalite)', () => {
  let dyn: DynaliteHandle;
  let h: Harness;

  beforeAll(async () => {
    dyn = await startDynalite();
    await dyn.createTable({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'order_no', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'order_no', KeyType: 'RANGE' }],
    });
    h = await startHarness({
      config: {
        server: { env: 'dev', toolsets: ['catalog', 'data'], read_only: false, allow_destructive: true },
        auth: { mode: 'none', default_service_account: 'etl', service_accounts: [{ id: 'etl', roles: ['reader', 'writer', 'data-steward'] }] },
        connectors: { ddb: { kind: 'dynamodb', endpoint: dyn.endpoint, credentials: { access_key_id: DYNALITE_CREDENTIALS.accessKeyId, secret_access_key: DYNALITE_CREDENTIALS.secretAccessKey } } },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await dyn?.stop();
  });

  // query results are cached for their TTL: `fresh` varies the request so a re-read goes upstream.
  const get = async (order: number, fresh = false) =>
    ok(await h.call('query', { connector: 'ddb', dynamodb: { operation: 'get', table: TABLE, key: { customer: 'c1', order_no: order }, ...(fresh ? { consistent_read: true } : {}) } })).rows;

  it('writes items with create-only puts', async () => {
    const result = ok(await h.call('write_data', { connector: 'ddb', path: TABLE, rows: [{ customer: 'c1', order_no: 1, status: 'open' }, { customer: 'c1', order_no: 2, status: 'shipped' }] }));
    expect(result).toMatchObject({ connector: 'ddb', path: TABLE, format: 'items', rows: 2, alreadyExisted: false, destination: `ddb/${TABLE}` });
    expect(await get(2)).toEqual([['c1', 2, 'shipped']]);
  });

  it('an existing key is the same conflict code as an existing object, and is not replaced', async () => {
    const err = errorOf(await h.call('write_data', { connector: 'ddb', path: TABLE, rows: [{ customer: 'c1', order_no: 1, status: 'changed' }] }));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain('already exists');
    expect(err.hint).toContain('replace_data');
    expect(await get(1)).toEqual([['c1', 1, 'open']]);
  });

  it('replace_data overwrites items (BatchWrite)', async () => {
    ok(await h.call('replace_data', { connector: 'ddb', path: TABLE, rows: [{ customer: 'c1', order_no: 1, status: 'changed' }] }));
    expect(await get(1, true)).toEqual([['c1', 1, 'changed']]);
  });

  it('refuses `from` and empty rows for a table', async () => {
    expect(errorOf(await h.call('write_data', { connector: 'ddb', path: TABLE, from: { connector: 'ddb', path: 'x.csv' } })).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(await h.call('write_data', { connector: 'ddb', path: TABLE, rows: [] })).code).toBe('INVALID_ARGUMENT');
  });
});
