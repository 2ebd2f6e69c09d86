import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, type CannedQuery, type DatasetSpec, type JobState, type RecordedRequest, type TableSpec } from './bigquery-double-model.js';
import { cancelJob, jobResource, newJob, queryResults, type JobInsert, type Reply } from './bigquery-double-jobs.js';

import { loadBigqueryAuthLibrary, type BigqueryAuthClient } from '../../../src/connectors/bigquery/client.js';

export * from './bigquery-double-model.js';

/**
 * A BigQuery v2 REST test double for the real `@google-cloud/bigquery` SDK (routes in
 * shared/notes/test-backends.md). It has an in-memory catalog and answers queries from
 * canned results registered per exact SQL text; any other SQL is a BigQuery-shaped 400
 * `invalidQuery`. Every request is recorded so tests can check what the connector sent
 * (e.g. `maximumBytesBilled` on every job, no real job for a query over the ceiling).
 */
export interface FailureRule {
  method?: string;
  path: RegExp;
  code: number;
  reason: string;
  /** `{authorization}` is replaced by the request's Authorization header (leak tests). */
  message: string;
}

export class BigqueryDouble {
  readonly requests: RecordedRequest[] = [];
  readonly jobs = new Map<string, JobState>();
  private readonly datasets = new Map<string, DatasetSpec>();
  private readonly canned = new Map<string, CannedQuery>();
  private readonly failures: FailureRule[] = [];
  private readonly jobWaiters: Array<(job: JobState) => void> = [];

  private constructor(
    private readonly server: Server,
    readonly projectId: string,
    readonly token: string,
  ) {}

  static async start(projectId: string, token: string): Promise<BigqueryDouble> {
    const server = createServer();
    const double = new BigqueryDouble(server, projectId, token);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void double.handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return double;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  addDataset(id: string, location = 'US'): void {
    this.datasets.set(id, { location, tables: new Map() });
  }

  addTable(dataset: string, table: string, spec: TableSpec): void {
    const ds = this.datasets.get(dataset);
    if (!ds) throw new Error(`no dataset ${dataset}`);
    ds.tables.set(table, spec);
  }

  registerQuery(canned: CannedQuery): void {
    this.canned.set(canned.sql, canned);
  }

  /** The next request matching the rule fails with it (once). */
  failNext(rule: FailureRule): void {
    this.failures.push(rule);
  }

  /** Real (non-dry-run) jobs inserted so far. */
  realJobs(): JobState[] {
    return [...this.jobs.values()].filter((j) => !j.dryRun);
  }

  /** Resolves with the first real job inserted from now on (or already inserted and running). */
  waitForRunningJob(): Promise<JobState> {
    const running = this.realJobs().find((j) => j.state === 'RUNNING');
    if (running) return Promise.resolve(running);
    return new Promise((resolve) => this.jobWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text ? JSON.parse(text) : undefined;
    const authorization = req.headers.authorization;
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body, authorization });
    const send: Reply = (status, payload) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(payload));
    };
    const failure = this.failures.findIndex((f) => (f.method ?? method) === method && f.path.test(url.pathname));
    if (failure >= 0) {
      const rule = this.failures.splice(failure, 1)[0]!;
      return send(rule.code, errorBody(rule.code, rule.reason, rule.message.replace('{authorization}', authorization ?? '')));
    }
    if (authorization !== `Bearer ${this.token}`) {
      return send(401, errorBody(401, 'authError', 'Request is missing required authentication credential.'));
    }
    const base = `/bigquery/v2/projects/${this.projectId}`;
    if (!url.pathname.startsWith(`${base}/`)) return send(404, errorBody(404, 'notFound', `Not found: ${url.pathname}`));
    const route = url.pathname.slice(base.length);
    const parts = route.split('/').slice(1).map(decodeURIComponent);
    const [head, id, sub, subId, extra] = parts;
    const q = url.searchParams;
    if (head === 'datasets' && method === 'GET') {
      if (id === undefined) return send(200, this.listDatasets(q));
      const ds = this.datasets.get(id);
      if (!ds) return send(404, errorBody(404, 'notFound', `Not found: Dataset ${this.projectId}:${id}`));
      if (sub === undefined) return send(200, { datasetReference: { projectId: this.projectId, datasetId: id }, location: ds.location });
      if (sub === 'tables' && subId === undefined) return send(200, this.listTables(id, ds, q));
      const table = subId !== undefined && extra === undefined ? ds.tables.get(subId) : undefined;
      if (sub === 'tables' && table) return send(200, this.tableResource(id, subId!, table));
      return send(404, errorBody(404, 'notFound', `Not found: Table ${this.projectId}:${id}.${subId ?? ''}`));
    }
    if (head === 'jobs' && method === 'POST' && id === undefined) return this.insertJob(body as JobInsert | undefined, send);
    if (head === 'queries' && method === 'POST' && id === undefined) return this.queryFastPath(body as QueryInsert, q, send);
    const job = id !== undefined ? this.jobs.get(id) : undefined;
    if (!job) return send(404, errorBody(404, 'notFound', `Not found: Job ${this.projectId}:${id ?? ''}`));
    if (head === 'jobs' && method === 'GET' && sub === undefined) return send(200, jobResource(job));
    if (head === 'jobs' && method === 'POST' && sub === 'cancel') {
      cancelJob(job);
      return send(200, { kind: 'bigquery#jobCancelResponse', job: jobResource(job) });
    }
    if (head === 'queries' && method === 'GET' && sub === undefined) return queryResults(job, q, send);
    return send(404, errorBody(404, 'notFound', `Not found: ${url.pathname}`));
  }

  private listDatasets(q: URLSearchParams): Record<string, unknown> {
    const ids = [...this.datasets.keys()].sort();
    const { items, next } = page(ids, q);
    const datasets = items.map((id) => ({
      kind: 'bigquery#dataset',
      id: `${this.projectId}:${id}`,
      datasetReference: { projectId: this.projectId, datasetId: id },
      location: this.datasets.get(id)?.location,
    }));
    return { kind: 'bigquery#datasetList', datasets, ...(next ? { nextPageToken: next } : {}) };
  }

  private listTables(dataset: string, ds: DatasetSpec, q: URLSearchParams): Record<string, unknown> {
    const ids = [...ds.tables.keys()].sort();
    const { items, next } = page(ids, q);
    const tables = items.map((id) => ({
      kind: 'bigquery#table',
      id: `${this.projectId}:${dataset}.${id}`,
      tableReference: { projectId: this.projectId, datasetId: dataset, tableId: id },
      type: ds.tables.get(id)?.type ?? 'TABLE',
    }));
    return { kind: 'bigquery#tableList', tables, totalItems: ids.length, ...(next ? { nextPageToken: next } : {}) };
  }

  private tableResource(dataset: string, table: string, spec: TableSpec): Record<string, unknown> {
    const isTable = (spec.type ?? 'TABLE') === 'TABLE';
    return {
      kind: 'bigquery#table',
      id: `${this.projectId}:${dataset}.${table}`,
      tableReference: { projectId: this.projectId, datasetId: dataset, tableId: table },
      type: spec.type ?? 'TABLE',
      schema: { fields: spec.schema },
      ...(isTable ? { numRows: String(spec.rows?.length ?? 0), numBytes: String((spec.rows?.length ?? 0) * 64) } : {}),
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.timePartitioning ? { timePartitioning: spec.timePartitioning } : {}),
      ...(spec.clustering ? { clustering: spec.clustering } : {}),
      ...(spec.primaryKey ? { tableConstraints: { primaryKey: { columns: spec.primaryKey } } } : {}),
    };
  }

  private insertJob(body: JobInsert | undefined, send: Reply): void {
    const sql = body?.configuration?.query?.query;
    const canned = sql !== undefined ? this.canned.get(sql) : undefined;
    if (!canned) return send(400, errorBody(400, 'invalidQuery', `Syntax error: Unexpected identifier in query at [1:1]: ${String(sql).slice(0, 80)}`));
    const job = newJob(body, canned, this.projectId, `job_${this.jobs.size + 1}`);
    this.jobs.set(job.jobId, job);
    if (!job.dryRun) for (const waiter of this.jobWaiters.splice(0)) waiter(job);
    send(200, jobResource(job));
  }

  /** jobs.query: runs the canned query and answers its first page in one call. */
  private queryFastPath(body: QueryInsert | undefined, q: URLSearchParams, send: Reply): void {
    const jobId = body?.requestId ?? `query_${this.jobs.size + 1}`;
    const configuration = { query: { ...body, query: body?.query }, ...(body?.dryRun ? { dryRun: true } : {}) };
    this.insertJob({ jobReference: { jobId, ...(body?.location ? { location: body.location } : {}) }, configuration }, () => undefined);
    const job = this.jobs.get(jobId);
    if (!job) return send(400, errorBody(400, 'invalidQuery', 'Syntax error: Unexpected identifier in query'));
    if (body?.maxResults !== undefined) q.set('maxResults', String(body.maxResults));
    queryResults(job, q, send);
  }
}

interface QueryInsert extends Record<string, unknown> {
  query?: string;
  requestId?: string;
  location?: string;
  dryRun?: boolean;
  maxResults?: number;
}

/** Name-ordered paging with the next start index as the page token. */
function page(ids: string[], q: URLSearchParams): { items: string[]; next?: string } {
  const start = Number(q.get('pageToken') ?? '0');
  const size = q.has('maxResults') ? Number(q.get('maxResults')) : 50;
  const items = ids.slice(start, start + size);
  return start + size < ids.length ? { items, next: String(start + size) } : { items };
}

/**
 * The auth client tests hand the connector: an OAuth2Client (from the google-auth-library the
 * BigQuery SDK itself uses) holding a static access token, so no credentials are looked up.
 */
export async function staticTokenAuthClient(token: string): Promise<BigqueryAuthClient> {
  const auth = await loadBigqueryAuthLibrary();
  const client = new auth.OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 24 * 3600 * 1000 });
  return client;
}
