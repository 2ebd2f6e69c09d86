import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BigqueryConnectorConfig } from '../../../src/config/schema.js';
import { loadBigquerySdk } from '../../../src/connectors/bigquery/client.js';
import { BigqueryConnector } from '../../../src/connectors/bigquery/index.js';
import type { CallOptions, QueryRequest } from '../../../src/connectors/types.js';
import { collectBatches, columnValues } from '../../helpers/arrow-values.js';
import { failureOf } from '../../helpers/connector-contract.js';
import { BigqueryDouble, staticTokenAuthClient, wireRow, type BqField, type RecordedRequest } from '../../helpers/fakes/bigquery-double.js';

/**
 * The bigquery connector's query path through the real SDK against the REST test double:
 * dry run first, the bytes ceiling, typed parameters, paging, cancel and timeout, errors.
 */
const PROJECT = 'query-proj';
const TOKEN = 'ya29.query-static-token-5b8c2d4e';
const CEILING = 1_000_000;
const GiB = 1024 ** 3;

const base = (sql: string, extra: Partial<QueryRequest> = {}): QueryRequest => ({ sql, params: {}, maxRows: 100, dryRun: false, readOnly: true, timeoutMs: 30_000, ...extra });

interface JobBody {
  configuration?: { dryRun?: boolean; query?: { query?: string; maximumBytesBilled?: string; useLegacySql?: boolean; parameterMode?: string; queryParameters?: unknown[] } };
}
const jobInserts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs')).map((r) => r.body as JobBody);
const realInserts = (requests: RecordedRequest[]) => jobInserts(requests).filter((b) => b.configuration?.dryRun !== true);

describe('bigquery connector: queries', () => {
  let double: BigqueryDouble;
  let connector: BigqueryConnector;
  const errors: Error[] = [];
  const failure = async (promise: Promise<unknown>) => {
    const error = await failureOf(promise);
    errors.push(error);
    return error;
  };
  const call = (signal = new AbortController().signal): CallOptions => ({ signal, credentials: { id: 'gcp:default' } });
  const config = (): BigqueryConnectorConfig => ({
    kind: 'bigquery',
    project_id: PROJECT,
    api_endpoint: double.url,
    datasets: ['q_sales'],
    maximum_bytes_billed: CEILING,
    usd_per_tib: 6.25,
    annotations: {},
  });
  const idRows = (n: number) => Array.from({ length: n }, (_, i) => wireRow(String(i + 1), `name-${i + 1}`));
  const idSchema: BqField[] = [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }];

  beforeAll(async () => {
    process.env.METADATA_SERVER_DETECTION = 'none';
    double = await BigqueryDouble.start(PROJECT, TOKEN);
    double.addDataset('q_sales');
    double.registerQuery({ sql: 'SELECT id, name FROM q_sales.small', schema: idSchema, rows: idRows(3), bytesProcessed: 2048, referencedTables: [{ datasetId: 'q_sales', tableId: 'small' }] });
    double.registerQuery({ sql: 'SELECT * FROM q_sales.huge', schema: idSchema, rows: idRows(1), bytesProcessed: 3 * GiB });
    double.registerQuery({ sql: 'SELECT id, name FROM q_sales.mid', schema: idSchema, rows: idRows(2), bytesProcessed: 500_000 });
    double.registerQuery({ sql: 'SELECT id, name FROM q_sales.paged', schema: idSchema, rows: idRows(25), bytesProcessed: 4096, pageSize: 4 });
    double.registerQuery({ sql: 'SELECT id FROM q_sales.slow', schema: idSchema, rows: idRows(1), bytesProcessed: 10, hold: true });
    double.registerQuery({ sql: 'SELECT x FROM q_sales.t WHERE a = @a AND b = @b AND c = @c AND d = @d AND e = @e', schema: idSchema, rows: [], bytesProcessed: 1 });
    double.registerQuery({ sql: 'DELETE FROM q_sales.small WHERE true', schema: [], rows: [], bytesProcessed: 10, statementType: 'DELETE' });
    double.registerQuery({ sql: 'SELECT * FROM hr.salaries', schema: idSchema, rows: [], bytesProcessed: 10, referencedTables: [{ datasetId: 'hr', tableId: 'salaries' }] });
    double.registerQuery({ sql: 'SELECT * FROM other.q_sales.small', schema: idSchema, rows: [], bytesProcessed: 10, referencedTables: [{ projectId: 'other', datasetId: 'q_sales', tableId: 'small' }] });
    double.registerQuery({ sql: 'SELECT 1 / 0', schema: idSchema, rows: [], bytesProcessed: 0, runError: { code: 400, reason: 'invalidQuery', message: 'division by zero: 1 / 0' } });
    double.registerQuery({ sql: 'SELECT minimum_billing', schema: idSchema, rows: [], bytesProcessed: 100, bytesBilled: 10 * 1024 * 1024 });
    double.registerQuery({
      sql: 'SELECT every_type',
      schema: [
        { name: 'big', type: 'INT64' },
        { name: 'f', type: 'FLOAT64' },
        { name: 'n', type: 'NUMERIC' },
        { name: 'ok', type: 'BOOL' },
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'd', type: 'DATE' },
        { name: 'rec', type: 'RECORD', fields: [{ name: 'a', type: 'INT64' }, { name: 'b', type: 'STRING', mode: 'REPEATED' }] },
      ],
      rows: [wireRow('9007199254740993', '1.5', '123456789012345678901234567890.123456789', 'true', '1700000000123456', '2024-02-29', { record: ['5', ['x', 'y']] })],
      bytesProcessed: 64,
    });
    connector = new BigqueryConnector('warehouse', config(), undefined, { authClient: await staticTokenAuthClient(TOKEN) });
  });
  beforeEach(() => {
    double.requests.length = 0;
  });
  afterAll(async () => {
    for (const e of errors) expect(`${e.message} ${(e as { hint?: string }).hint ?? ''}`).not.toContain('query-static-token');
    await connector?.close();
    await double?.close();
  });

  it('runs a query after a dry run: rows as Arrow, job id, bytes processed and billed', async () => {
    const result = await connector.query(base('SELECT id, name FROM q_sales.small'), call());
    expect(columnValues(result.table, 'id')).toEqual([1n, 2n, 3n]);
    expect(columnValues(result.table, 'name')).toEqual(['name-1', 'name-2', 'name-3']);
    expect(result.complete).toBe(true);
    expect(result.more).toBeUndefined();
    expect(result.totalRows).toBe(3);
    expect(result.upstream.jobId).toMatch(/^data_mcp_/);
    expect(result.stats).toEqual({ bytesProcessed: 2048, bytesBilled: 2048 });
    const inserts = jobInserts(double.requests);
    expect(inserts.map((b) => b.configuration?.dryRun === true)).toEqual([true, false]);
    for (const body of inserts) {
      expect(body.configuration?.query?.useLegacySql).toBe(false);
      expect(body.configuration?.query?.maximumBytesBilled).toBe(String(CEILING));
    }
    expect(double.jobs.get(result.upstream.jobId!)?.dryRun).toBe(false);
  });

  it('a dry run returns the estimate and the result columns, and runs nothing', async () => {
    const result = await connector.query(base('SELECT * FROM q_sales.huge', { dryRun: true }), call());
    expect(result.estimate?.bytesProcessed).toBe(3 * GiB);
    expect(result.estimate?.estimatedCostUsd).toBeCloseTo((3 / 1024) * 6.25, 6);
    expect(result.table.numRows).toBe(0);
    expect(result.table.schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
    expect(realInserts(double.requests)).toEqual([]);
    expect(double.requests.some((r) => r.path.includes('/queries'))).toBe(false);
  });

  it('refuses a query over the ceiling before any job runs, saying how to narrow it', async () => {
    const before = double.realJobs().length;
    const error = await failure(connector.query(base('SELECT * FROM q_sales.huge'), call()));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toContain(String(3 * GiB));
    expect(error.hint).toContain('3.00 GiB');
    expect(error.hint).toMatch(/\$0\.0183/);
    expect(error.hint).toMatch(/columns/);
    expect(error.hint).toMatch(/partition/);
    expect(error.hint).toMatch(/LIMIT does not reduce/);
    expect(realInserts(double.requests)).toEqual([]);
    expect(double.realJobs().length).toBe(before);
  });

  it('lets the agent lower the ceiling, and the lower figure is what every job carries', async () => {
    const lowered = await failure(connector.query(base('SELECT id, name FROM q_sales.mid', { maxBytesBilled: 400_000 }), call()));
    expect(lowered.code).toBe('LIMIT_EXCEEDED');
    expect(realInserts(double.requests)).toEqual([]);
    double.requests.length = 0;
    await connector.query(base('SELECT id, name FROM q_sales.mid', { maxBytesBilled: 600_000 }), call());
    const inserts = jobInserts(double.requests);
    expect(inserts).toHaveLength(2);
    for (const body of inserts) expect(body.configuration?.query?.maximumBytesBilled).toBe('600000');
  });

  it('never lets the agent raise the ceiling: the configured one is used', async () => {
    const error = await failure(connector.query(base('SELECT * FROM q_sales.huge', { maxBytesBilled: 10 * GiB }), call()));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(realInserts(double.requests)).toEqual([]);
    double.requests.length = 0;
    await connector.query(base('SELECT id, name FROM q_sales.mid', { maxBytesBilled: 10 * GiB }), call());
    for (const body of jobInserts(double.requests)) expect(body.configuration?.query?.maximumBytesBilled).toBe(String(CEILING));
  });

  it('rejects a nonsensical ceiling from the agent', async () => {
    for (const maxBytesBilled of [0, -5, 1.5, Number.NaN]) {
      expect((await failure(connector.query(base('SELECT id, name FROM q_sales.mid', { maxBytesBilled }), call()))).code).toBe('INVALID_ARGUMENT');
    }
    expect(double.requests).toEqual([]);
  });

  it('maps BigQuery enforcing the ceiling itself (billing minimum) to LIMIT_EXCEEDED', async () => {
    const error = await failure(connector.query(base('SELECT minimum_billing', { maxBytesBilled: 1000 }), call()));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.hint).toMatch(/columns/);
  });

  it('sends named parameters typed by their JS type', async () => {
    await connector.query(base('SELECT x FROM q_sales.t WHERE a = @a AND b = @b AND c = @c AND d = @d AND e = @e', { params: { a: 42, b: 2.5, c: true, d: "O'Brien; DROP TABLE x", e: null } }), call());
    for (const body of jobInserts(double.requests)) {
      expect(body.configuration?.query?.parameterMode).toBe('NAMED');
      expect(body.configuration?.query?.queryParameters).toEqual([
        { name: 'a', parameterType: { type: 'INT64' }, parameterValue: { value: '42' } },
        { name: 'b', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '2.5' } },
        { name: 'c', parameterType: { type: 'BOOL' }, parameterValue: { value: 'true' } },
        { name: 'd', parameterType: { type: 'STRING' }, parameterValue: { value: "O'Brien; DROP TABLE x" } },
        { name: 'e', parameterType: { type: 'STRING' }, parameterValue: {} },
      ]);
      expect(body.configuration?.query?.query).not.toContain('Brien');
    }
  });

  it('refuses bad parameter names and positional parameters before any request', async () => {
    for (const name of ['1abc', 'a-b', 'a b', '', 'x'.repeat(129), 'a;DROP']) {
      expect((await failure(connector.query(base('SELECT id, name FROM q_sales.small', { params: { [name]: 1 } }), call()))).code).toBe('INVALID_ARGUMENT');
    }
    expect((await failure(connector.query(base('SELECT id, name FROM q_sales.small', { positionalParams: [1] }), call()))).code).toBe('INVALID_ARGUMENT');
    expect(double.requests).toEqual([]);
  });

  it('returns at most maxRows, then pages through the rest lazily: every row exactly once', async () => {
    const result = await connector.query(base('SELECT id, name FROM q_sales.paged', { maxRows: 10 }), call());
    expect(result.table.numRows).toBe(10);
    expect(result.complete).toBe(false);
    expect(result.totalRows).toBe(25);
    const fetchedBefore = double.requests.filter((r) => r.path.includes('/queries/')).length;
    const pages = await collectBatches(result.more!());
    expect(double.requests.filter((r) => r.path.includes('/queries/')).length).toBeGreaterThan(fetchedBefore);
    const ids = [result.table, ...pages].flatMap((t) => columnValues(t, 'id').map(Number));
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // Later pages keep the first page's schema.
    for (const page of pages) expect(page.schema.fields.map((f) => String(f.type))).toEqual(result.table.schema.fields.map((f) => String(f.type)));
  });

  it('reads to the end when maxRows covers the result, across upstream pages', async () => {
    const result = await connector.query(base('SELECT id, name FROM q_sales.paged', { maxRows: 25 }), call());
    expect(result.table.numRows).toBe(25);
    expect(result.complete).toBe(true);
    expect(result.more).toBeUndefined();
  });

  it('cancels the BigQuery job when the call is aborted', async () => {
    const controller = new AbortController();
    const pending = connector.query(base('SELECT id FROM q_sales.slow'), call(controller.signal));
    const job = await double.waitForRunningJob();
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe('CANCELLED');
    expect(double.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/jobs/${job.jobId}/cancel`))).toBe(true);
    expect(double.jobs.get(job.jobId)?.cancelled).toBe(true);
  });

  it('cancels the job and reports TIMEOUT when the deadline (a TimeoutError abort) passes while it runs', async () => {
    const controller = new AbortController();
    const pending = connector.query(base('SELECT id FROM q_sales.slow'), call(controller.signal));
    const job = await double.waitForRunningJob();
    controller.abort(new DOMException('the call took too long', 'TimeoutError'));
    expect((await failure(pending)).code).toBe('TIMEOUT');
    expect(double.jobs.get(job.jobId)?.cancelled).toBe(true);
  });

  it("enforces the request's own time limit: TIMEOUT, and every job it started is cancelled", async () => {
    const error = await failure(connector.query(base('SELECT id FROM q_sales.slow', { timeoutMs: 300 }), call()));
    expect(error.code).toBe('TIMEOUT');
    // Whichever step the limit hit, every real job the connector tried to insert got a cancel
    // (sent even when the insert was still in flight) and carried the limit to BigQuery too.
    const inserted = double.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs') && (r.body as JobBody).configuration?.dryRun !== true);
    for (const r of inserted) {
      const body = r.body as { jobReference?: { jobId?: string }; configuration?: { jobTimeoutMs?: string } };
      expect(body.configuration?.jobTimeoutMs).toBe('300');
      expect(double.requests.some((c) => c.path.endsWith(`/jobs/${body.jobReference?.jobId ?? '?'}/cancel`))).toBe(true);
    }
  });

  it('does not start anything for an already aborted call', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(connector.query(base('SELECT id, name FROM q_sales.small'), call(controller.signal)))).code).toBe('CANCELLED');
    expect(double.requests).toEqual([]);
  });

  it('answers invalid SQL with INVALID_ARGUMENT, the engine message scrubbed, and no job run', async () => {
    const error = await failure(connector.query(base("SELECT * FROM q_sales.small WHERE password='hunter2-secret-value'"), call()));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('Syntax error');
    expect(error.message).not.toContain('hunter2-secret-value');
    expect(realInserts(double.requests)).toEqual([]);
  });

  it('maps a run-time failure of the job to INVALID_ARGUMENT with the job id', async () => {
    const error = await failure(connector.query(base('SELECT 1 / 0'), call()));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('division by zero');
    expect(error.message).toMatch(/job data_mcp_/);
  });

  it('refuses a non-SELECT statement on a read-only call, after the dry run and before any job', async () => {
    const error = await failure(connector.query(base('DELETE FROM q_sales.small WHERE true'), call()));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('DELETE');
    expect(realInserts(double.requests)).toEqual([]);
  });

  it('refuses a query that reads outside the dataset allowlist (or another project) before it runs', async () => {
    for (const sql of ['SELECT * FROM hr.salaries', 'SELECT * FROM other.q_sales.small']) {
      const error = await failure(connector.query(base(sql), call()));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.hint).toContain('q_sales');
    }
    expect(realInserts(double.requests)).toEqual([]);
  });

  it('maps every BigQuery type from the schema, exactly', async () => {
    const result = await connector.query(base('SELECT every_type'), call());
    const row = (name: string) => columnValues(result.table, name)[0];
    expect(row('big')).toBe(9007199254740993n);
    expect(row('f')).toBe(1.5);
    expect(row('n')).toBe('123456789012345678901234567890.123456789');
    expect(row('ok')).toBe(true);
    expect(row('ts')).toBe(1700000000123);
    expect(row('d')).toBe(Date.UTC(2024, 1, 29));
    expect(JSON.parse(row('rec') as string)).toEqual({ a: 5, b: ['x', 'y'] });
    const query = double.requests.find((r) => r.path.includes('/queries/'));
    expect(query?.query['formatOptions.useInt64Timestamp']).toBe('true');
  });

  it('sends the static token on every request and never includes it in an error', async () => {
    double.failNext({ path: /\/jobs$/, code: 403, reason: 'accessDenied', message: 'Access Denied: request with {authorization} cannot create jobs' });
    const error = await failure(connector.query(base('SELECT id, name FROM q_sales.small'), call()));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('Access Denied');
    expect(error.message).not.toContain(TOKEN);
    for (const r of double.requests) expect(r.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("the double also answers the SDK's own jobs.query path (BigQuery.query) with typed rows", async () => {
    const { BigQuery } = await loadBigquerySdk();
    const client = new BigQuery({ projectId: PROJECT, apiEndpoint: double.url, authClient: await staticTokenAuthClient(TOKEN) });
    const [rows] = await client.query({ query: 'SELECT id, name FROM q_sales.small' });
    expect(rows).toEqual([{ id: 1, name: 'name-1' }, { id: 2, name: 'name-2' }, { id: 3, name: 'name-3' }]);
    expect(double.requests.some((r) => r.method === 'POST' && r.path.endsWith('/queries'))).toBe(true);
  });
});
