import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigqueryDouble, staticTokenAuthClient, wireRow, type BqField } from '../../helpers/fakes/bigquery-double.js';
import { errorCode, startHarness, textOf, type Harness } from '../../helpers/harness.js';

const PROJECT = 'tools-proj';
const TOKEN = 'ya29.tools-static-token-91f0c3a2';
const CEILING = 1_000_000;
const schema: BqField[] = [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }];
const rows = (n: number) => Array.from({ length: n }, (_, i) => wireRow(String(i + 1), `name-${i + 1}`));

/** query on BigQuery through the whole gate: dry run first, the ceiling, cancellation over MCP. */
describe('query tool on bigquery (REST double)', () => {
  let double: BigqueryDouble;
  let h: Harness;

  beforeAll(async () => {
    process.env.METADATA_SERVER_DETECTION = 'none';
    double = await BigqueryDouble.start(PROJECT, TOKEN);
    double.addDataset('sales');
    double.registerQuery({ sql: 'SELECT id, name FROM sales.small', schema, rows: rows(3), bytesProcessed: 2048, referencedTables: [{ datasetId: 'sales', tableId: 'small' }] });
    double.registerQuery({ sql: 'SELECT * FROM sales.huge', schema, rows: rows(1), bytesProcessed: 5 * CEILING });
    double.registerQuery({ sql: 'SELECT id, name FROM sales.mid', schema, rows: rows(2), bytesProcessed: 500_000 });
    double.registerQuery({ sql: 'SELECT id FROM sales.slow', schema, rows: rows(1), bytesProcessed: 10, hold: true });
    h = await startHarness({
      config: {
        server: { env: 'dev', toolsets: ['catalog', 'data'] },
        auth: { mode: 'none', default_service_account: 'analyst', service_accounts: [{ id: 'analyst', roles: ['reader'] }] },
        connectors: { bq: { kind: 'bigquery', project_id: PROJECT, api_endpoint: double.url, datasets: ['sales'], maximum_bytes_billed: CEILING } },
      },
      runtime: { connectorSeams: { bigquery: { authClient: await staticTokenAuthClient(TOKEN) } } },
    });
  });

  afterAll(async () => {
    await h?.close();
    await double?.close();
  });

  it('runs a read under the configured ceiling', async () => {
    const result = await h.call('query', { connector: 'bq', sql: 'SELECT id, name FROM sales.small' });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { rows: unknown[][] }).rows).toEqual([[1, 'name-1'], [2, 'name-2'], [3, 'name-3']]);
  });

  it('refuses a query over the ceiling before it runs, and says how to narrow it', async () => {
    const before = double.realJobs().length;
    const result = await h.call('query', { connector: 'bq', sql: 'SELECT * FROM sales.huge' });
    expect(errorCode(result)).toBe('LIMIT_EXCEEDED');
    expect(textOf(result)).toMatch(/columns|partition/i);
    expect(double.realJobs().length).toBe(before);
  });

  it('lets the agent lower the ceiling but never raise it', async () => {
    expect(errorCode(await h.call('query', { connector: 'bq', sql: 'SELECT id, name FROM sales.mid', max_bytes_billed: 100_000 }))).toBe('LIMIT_EXCEEDED');
    expect(errorCode(await h.call('query', { connector: 'bq', sql: 'SELECT * FROM sales.huge', max_bytes_billed: 100 * CEILING }))).toBe('LIMIT_EXCEEDED');
  });

  it('reports the dry-run estimate without running', async () => {
    const before = double.realJobs().length;
    const result = await h.call('query', { connector: 'bq', sql: 'SELECT id, name FROM sales.mid', dry_run: true });
    expect((result.structuredContent as { estimate: { bytesProcessed: number } }).estimate.bytesProcessed).toBe(500_000);
    expect(double.realJobs().length).toBe(before);
  });

  it('sends monotonic progress notifications while a long job runs', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const pending = h.client.callTool({ name: 'query', arguments: { connector: 'bq', sql: 'SELECT id FROM sales.slow' } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => seen.push(p.progress),
    });
    pending.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (seen.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
  });

  it('cancels the BigQuery job when the MCP client cancels the call, and audits it as cancelled', async () => {
    const controller = new AbortController();
    const pending = h.client.callTool({ name: 'query', arguments: { connector: 'bq', sql: 'SELECT id FROM sales.slow' } }, undefined, { signal: controller.signal });
    await double.waitForRunningJob();
    controller.abort();
    await expect(pending).rejects.toThrow();
    const deadline = Date.now() + 5_000;
    while (!double.requests.some((r) => r.method === 'POST' && r.path.endsWith('/cancel')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(double.requests.some((r) => r.method === 'POST' && r.path.endsWith('/cancel'))).toBe(true);
    while (Date.now() < deadline) {
      const calls = readFileSync(h.auditPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; tool?: string; outcome?: { status: string } });
      if (calls.some((c) => c.tool === 'query' && c.outcome?.status === 'cancelled')) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no cancelled audit record');
  });
});
