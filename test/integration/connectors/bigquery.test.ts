import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BigqueryConnectorConfig } from '../../../src/config/schema.js';
import { BigqueryConnector } from '../../../src/connectors/bigquery/index.js';
import { createConnector } from '../../../src/connectors/kinds.js';
import type { CallOptions, CredentialScope, ListEntry } from '../../../src/connectors/types.js';
import { failureOf } from '../../helpers/connector-contract.js';
import { BigqueryDouble, staticTokenAuthClient, wireRow, type BqField } from '../../helpers/fakes/bigquery-double.js';

/**
 * The bigquery connector's catalog side (browse, describe, paths, credentials, errors) through
 * the real @google-cloud/bigquery SDK against the REST test double.
 */
const PROJECT = 'catalog-proj';
const TOKEN = 'ya29.catalog-static-token-7f3e9a1c';
const adc: CredentialScope = { id: 'gcp:default' };
const call = (credentials: CredentialScope = adc): CallOptions => ({ signal: new AbortController().signal, credentials });

const ordersSchema: BqField[] = [
  { name: 'order_id', type: 'INTEGER', mode: 'REQUIRED' },
  { name: 'amount', type: 'NUMERIC' },
  { name: 'created_at', type: 'TIMESTAMP' },
  { name: 'order_date', type: 'DATE' },
  { name: 'tags', type: 'STRING', mode: 'REPEATED' },
  { name: 'customer', type: 'RECORD', fields: [{ name: 'id', type: 'INT64' }, { name: 'email', type: 'STRING' }] },
  { name: 'payload', type: 'JSON' },
];

describe('bigquery connector: browse and describe', () => {
  let double: BigqueryDouble;
  let open: BigqueryConnector;
  let fenced: BigqueryConnector;
  const errors: Error[] = [];
  const failure = async (promise: Promise<unknown>) => {
    const error = await failureOf(promise);
    errors.push(error);
    return error;
  };
  const config = (extra: Partial<BigqueryConnectorConfig> = {}): BigqueryConnectorConfig => ({
    kind: 'bigquery',
    project_id: PROJECT,
    api_endpoint: double.url,
    maximum_bytes_billed: 10 ** 9,
    usd_per_tib: 6.25,
    annotations: {},
    ...extra,
  });

  beforeAll(async () => {
    process.env.METADATA_SERVER_DETECTION = 'none';
    double = await BigqueryDouble.start(PROJECT, TOKEN);
    for (const ds of ['cat_sales', 'cat_hr', 'cat_marketing']) double.addDataset(ds);
    double.addTable('cat_sales', 'orders', {
      schema: ordersSchema,
      rows: [wireRow('1', '9.99', '1700000000000000', '2023-11-14', ['a'], { record: ['7', 'x@y.z'] }, '{"k":1}'), wireRow('2', null, null, null, [], null, null)],
      description: 'one row per order',
      timePartitioning: { type: 'DAY', field: 'order_date' },
      clustering: { fields: ['customer_id', 'order_id'] },
      primaryKey: ['order_id'],
    });
    double.addTable('cat_sales', 'big_view', { schema: [{ name: 'n', type: 'INT64' }], type: 'VIEW' });
    double.addTable('cat_sales', 'returns', { schema: [{ name: 'n', type: 'INT64' }] });
    double.addTable('cat_hr', 'salaries', { schema: [{ name: 'salary', type: 'FLOAT' }] });
    const authClient = await staticTokenAuthClient(TOKEN);
    open = new BigqueryConnector('warehouse', config(), undefined, { authClient });
    fenced = new BigqueryConnector('fenced', config({ datasets: ['cat_sales', 'cat_absent'] }), undefined, { authClient });
  });
  afterAll(async () => {
    // No error of this file, whatever its cause, carries the access token.
    for (const e of errors) expect(`${e.message} ${(e as { hint?: string }).hint ?? ''}`).not.toContain('catalog-static-token');
    await open?.close();
    await fenced?.close();
    await double?.close();
  });

  async function listAll(connector: BigqueryConnector, path: string, limit: number): Promise<ListEntry[]> {
    const all: ListEntry[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await connector.list(path, { ...call(), limit, ...(cursor !== undefined ? { cursor } : {}) });
      all.push(...page.entries);
      cursor = page.nextCursor;
      if (cursor === undefined) return all;
    }
    throw new Error('listing did not end');
  }

  it('lists the datasets of the project as prefixes, paged', async () => {
    const entries = await listAll(open, '', 2);
    expect(entries).toEqual([
      { name: 'cat_hr', path: 'cat_hr/', kind: 'prefix' },
      { name: 'cat_marketing', path: 'cat_marketing/', kind: 'prefix' },
      { name: 'cat_sales', path: 'cat_sales/', kind: 'prefix' },
    ]);
  });

  it('with an allowlist, lists exactly the allowlisted datasets without calling BigQuery', async () => {
    const before = double.requests.length;
    expect((await listAll(fenced, '', 1)).map((e) => e.path)).toEqual(['cat_absent/', 'cat_sales/']);
    expect(double.requests.length).toBe(before);
  });

  it('lists tables and views of a dataset as table entries, every one exactly once across pages', async () => {
    const entries = await listAll(open, 'cat_sales/', 2);
    expect(entries).toEqual([
      { name: 'big_view', path: 'cat_sales/big_view', kind: 'table' },
      { name: 'orders', path: 'cat_sales/orders', kind: 'table' },
      { name: 'returns', path: 'cat_sales/returns', kind: 'table' },
    ]);
  });

  it('refuses datasets outside the allowlist as NOT_FOUND, whether they exist or not, without a request', async () => {
    const before = double.requests.length;
    for (const path of ['cat_hr/', 'cat_hr/salaries', 'nowhere/']) {
      const error = await failure(path.endsWith('/') ? fenced.list(path, { ...call(), limit: 10 }) : fenced.describeTable(path, call()));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.hint).toContain('cat_sales');
    }
    expect(double.requests.length).toBe(before);
  });

  it('answers NOT_FOUND for a dataset or table that does not exist upstream', async () => {
    expect((await failure(open.list('cat_nothing/', { ...call(), limit: 5 }))).code).toBe('NOT_FOUND');
    expect((await failure(open.describeTable('cat_sales/missing', call()))).code).toBe('NOT_FOUND');
  });

  it('refuses unsafe or non-BigQuery paths with INVALID_ARGUMENT before any request', async () => {
    const before = double.requests.length;
    const bad = ['../cat_sales/', '/cat_sales/', 'cat_sales//orders', 'cat_sales/./orders', 'cat-sales/', 'cat_sales/orders$20240101', 'cat_sales/ord*', 'cat_sales/orders/x', 'cat\u0000sales/', 'cat_sales\\orders'];
    for (const path of bad) {
      const error = await failure(open.describeTable(path, call()));
      expect(error.code, path).toBe('INVALID_ARGUMENT');
    }
    expect((await failure(open.list('cat_sales/orders', { ...call(), limit: 5 }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(open.list('', { ...call(), limit: 5, recursive: true }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(open.list('', { ...call(), limit: 0 }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(open.describeTable('cat_sales/', call()))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(open.describeTable('', call()))).code).toBe('INVALID_ARGUMENT');
    expect(double.requests.length).toBe(before);
  });

  it('refuses stat and open: a warehouse holds tables, not objects', async () => {
    for (const error of [await failure(open.stat('cat_sales/orders', call())), await failure(open.open('cat_sales/orders', call()))]) {
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.hint).toMatch(/describe|query/i);
    }
  });

  it('describes a table: readable column types, exact row count, partition/cluster/primary keys', async () => {
    const d = await open.describeTable('cat_sales/orders', call());
    expect(d.path).toBe('cat_sales/orders');
    expect(d.columns).toEqual([
      { name: 'order_id', type: 'int64', nullable: false },
      { name: 'amount', type: 'decimal', nullable: true },
      { name: 'created_at', type: 'timestamp', nullable: true },
      { name: 'order_date', type: 'date', nullable: true },
      { name: 'tags', type: 'array<string>', nullable: true },
      { name: 'customer', type: 'record<id int64, email string>', nullable: true },
      { name: 'payload', type: 'json', nullable: true },
    ]);
    expect(d.rowCount).toBe(2);
    expect(d.rowCountExact).toBe(true);
    expect(d.keys).toEqual([
      { name: 'order_date', role: 'partition' },
      { name: 'customer_id', role: 'sort' },
      { name: 'order_id', role: 'sort' },
      { name: 'order_id', role: 'primary' },
    ]);
    expect(d.comment).toContain('one row per order');
    expect(d.comment).toContain('partitioned by day on order_date');
    expect(d.comment).toContain('clustered by customer_id, order_id');
  });

  it('describes a view without claiming a row count', async () => {
    const d = await open.describeTable('cat_sales/big_view', call());
    expect(d.rowCount).toBeUndefined();
    expect(d.rowCountExact).toBe(false);
    expect(d.comment).toContain('view');
  });

  it('sends the bearer token of the injected auth client on every request', async () => {
    expect(double.requests.length).toBeGreaterThan(0);
    for (const r of double.requests) expect(r.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('refuses a scope that names its own credentials but carries none (no fallback, no request)', async () => {
    const before = double.requests.length;
    for (const id of ['gcp:impersonate:reader@p.iam.gserviceaccount.com', 'gcp:key:0123456789ab']) {
      const error = await failure(open.list('', { ...call({ id }), limit: 5 }));
      expect(error.code).toBe('CONFIG_ERROR');
    }
    expect(double.requests.length).toBe(before);
  });

  it('maps an access error to UPSTREAM_ERROR and never echoes the access token', async () => {
    double.failNext({ path: /\/datasets$/, code: 403, reason: 'accessDenied', message: 'Access Denied: credentials {authorization} lack bigquery.datasets.list' });
    const error = await failure(open.list('', { ...call(), limit: 5 }));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('Access Denied');
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain('catalog-static-token');
  });

  // 5xx and throttling map to UNAVAILABLE (unit-tested): here they would only add the SDK's retry back-off.
  it('maps a wrong token (401) to UPSTREAM_ERROR without echoing either token', async () => {
    const wrong = new BigqueryConnector('wrong', config(), undefined, { authClient: await staticTokenAuthClient('ya29.some-other-token-000000') });
    const denied = await failure(wrong.list('', { ...call(), limit: 5 }));
    expect(denied.code).toBe('UPSTREAM_ERROR');
    expect(denied.message).not.toContain('some-other-token');
    await wrong.close();
  });

  it('is created lazily through the kinds registry for kind "bigquery"', async () => {
    const connector = await createConnector('via-registry', config(), {});
    expect(connector.kind).toBe('bigquery');
    expect([...connector.capabilities].sort()).toEqual(['list', 'query', 'read_table']);
    // With the allowlist the root listing needs no client, so no credentials are looked up.
    const fencedViaRegistry = await createConnector('fenced-registry', config({ datasets: ['cat_sales'] }), {});
    expect((await fencedViaRegistry.list('', { ...call(), limit: 5 })).entries.map((e) => e.path)).toEqual(['cat_sales/']);
    await connector.close();
    await fencedViaRegistry.close();
  });
});
