import type { Job } from '@google-cloud/bigquery';
import type { BigqueryHandle } from './client.js';
import type { BigqueryField } from './field-types.js';
import type { WireRow } from './rows-to-arrow.js';
import { pause, untilAborted } from './wait.js';

/** `configuration.query` of a job, as the REST API takes it. */
export type QueryConfiguration = Record<string, unknown> & { query: string; maximumBytesBilled: string };

export interface DryRunFigures {
  bytesProcessed: number;
  statementType?: string;
  referencedTables: Array<{ projectId?: string; datasetId?: string; tableId?: string }>;
  schema: BigqueryField[];
}

interface JobStatistics {
  totalBytesProcessed?: string;
  query?: {
    totalBytesProcessed?: string;
    totalBytesBilled?: string;
    statementType?: string;
    referencedTables?: Array<{ projectId?: string; datasetId?: string; tableId?: string }>;
    schema?: { fields?: BigqueryField[] };
  };
}

/** jobs.insert with `dryRun: true`: validates the SQL and returns what the job would scan. */
export async function dryRun({ client }: BigqueryHandle, query: QueryConfiguration, signal: AbortSignal): Promise<DryRunFigures> {
  const [, response] = await untilAborted(client.createJob({ configuration: { query, dryRun: true } }), signal);
  const stats = (response as { statistics?: JobStatistics }).statistics ?? {};
  const bytes = Number(stats.query?.totalBytesProcessed ?? stats.totalBytesProcessed ?? 0);
  return {
    bytesProcessed: Number.isFinite(bytes) ? bytes : 0,
    ...(stats.query?.statementType ? { statementType: stats.query.statementType } : {}),
    referencedTables: stats.query?.referencedTables ?? [],
    schema: stats.query?.schema?.fields ?? [],
  };
}

/** jobs.insert of the real job, under an id chosen here so it can be cancelled even mid-insert. */
export async function insertJob({ client }: BigqueryHandle, jobId: string, query: QueryConfiguration, timeoutMs: number, signal: AbortSignal): Promise<Job> {
  const configuration = { query, jobTimeoutMs: String(Math.max(1, Math.ceil(timeoutMs))) };
  const [job] = await untilAborted(client.createJob({ jobId, configuration }), signal);
  return job;
}

export interface ResultPage {
  schema: BigqueryField[];
  rows: WireRow[];
  pageToken?: string;
  totalRows?: number;
  bytesProcessed?: number;
}

interface QueryResultsResponse {
  jobComplete?: boolean;
  schema?: { fields?: BigqueryField[] };
  rows?: WireRow[];
  pageToken?: string;
  totalRows?: string;
  totalBytesProcessed?: string;
}

const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 1_000;

/**
 * jobs.getQueryResults until the job is complete, then one page of at most `maxResults` rows.
 * BigQuery itself long-polls while the job runs; the pause between polls only guards against
 * a server that answers "not complete" at once.
 */
export async function resultPage(job: Job, maxResults: number, pageToken: string | undefined, signal: AbortSignal): Promise<ResultPage> {
  let wait = FIRST_POLL_MS;
  for (;;) {
    const [, , raw] = await untilAborted(
      job.getQueryResults({ maxResults, autoPaginate: false, skipParsing: true, ...(pageToken !== undefined ? { pageToken } : {}) }),
      signal,
    );
    const response = (raw ?? {}) as QueryResultsResponse;
    if (response.jobComplete !== false) {
      const total = response.totalRows !== undefined ? Number(response.totalRows) : undefined;
      const bytes = response.totalBytesProcessed !== undefined ? Number(response.totalBytesProcessed) : undefined;
      return {
        schema: response.schema?.fields ?? [],
        rows: response.rows ?? [],
        ...(response.pageToken ? { pageToken: response.pageToken } : {}),
        ...(total !== undefined && Number.isFinite(total) ? { totalRows: total } : {}),
        ...(bytes !== undefined && Number.isFinite(bytes) ? { bytesProcessed: bytes } : {}),
      };
    }
    await pause(wait, signal);
    wait = Math.min(wait * 2, MAX_POLL_MS);
  }
}

/** Bytes billed, from jobs.get once the job is done (best effort: a figure for the audit). */
export async function bytesBilled(job: Job, signal: AbortSignal): Promise<number | undefined> {
  try {
    const [metadata] = await untilAborted(job.getMetadata(), signal);
    const billed = Number((metadata as { statistics?: JobStatistics }).statistics?.query?.totalBytesBilled);
    return Number.isFinite(billed) ? billed : undefined;
  } catch {
    return undefined;
  }
}

/** How long a best-effort jobs.cancel may take once the caller has given up. */
const CANCEL_BUDGET_MS = 2_000;

/** jobs.cancel; failures are only reported to `onError` (the caller is already failing). */
export async function cancelJob({ client }: BigqueryHandle, jobId: string, location: string | undefined, onError: (error: unknown) => void): Promise<void> {
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(), CANCEL_BUDGET_MS);
  try {
    await untilAborted(client.job(jobId, location ? { location } : {}).cancel(), budget.signal);
  } catch (error) {
    onError(error);
  } finally {
    clearTimeout(timer);
  }
}
