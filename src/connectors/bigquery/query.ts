import { randomUUID } from 'node:crypto';
import type { Job } from '@google-cloud/bigquery';
import type { Table } from 'apache-arrow';
import type { BigqueryConnectorConfig } from '../../config/schema.js';
import type { Logger } from '../../logging/logger.js';
import { DataMcpError, invalidArgument } from '../../results/errors.js';
import type { QueryRequest, QueryResult } from '../types.js';
import { effectiveCeiling, estimatedCostUsd, overCeiling } from './ceiling.js';
import type { BigqueryHandle } from './client.js';
import { bigqueryError, scrubGoogleText } from './errors.js';
import type { BigqueryField } from './field-types.js';
import { bytesBilled, cancelJob, dryRun, insertJob, resultPage, type DryRunFigures, type QueryConfiguration, type ResultPage } from './job.js';
import { toQueryParameters } from './params.js';
import { rowsToTable } from './rows-to-arrow.js';
import { withDeadline } from './wait.js';

export interface QueryScope {
  connector: string;
  config: BigqueryConnectorConfig;
  handle: BigqueryHandle;
  logger?: Logger;
}

/** Rows per upstream page when `more()` pages through the rest of a result. */
const MORE_PAGE_ROWS = 10_000;

/**
 * A query, always in two steps: a dry run (bytes it would scan, statement type, tables it
 * reads), then — only if it fits the ceiling — the real job with `maximumBytesBilled` set, so
 * BigQuery enforces the same ceiling again. On abort or deadline the job is cancelled upstream.
 */
export async function runQuery(scope: QueryScope, request: QueryRequest, callSignal: AbortSignal): Promise<QueryResult> {
  const { config, handle } = scope;
  if (request.positionalParams && request.positionalParams.length > 0) {
    throw invalidArgument('BigQuery takes named parameters only', 'Write @name in the SQL and pass params as {"name": value}.');
  }
  const maxRows = Number.isSafeInteger(request.maxRows) && request.maxRows >= 0 ? request.maxRows : 0;
  const ceiling = effectiveCeiling(config.maximum_bytes_billed, request.maxBytesBilled);
  const query: QueryConfiguration = {
    query: request.sql,
    useLegacySql: false,
    maximumBytesBilled: String(ceiling),
    parameterMode: 'NAMED',
    queryParameters: toQueryParameters(request.params),
  };
  const signal = withDeadline(callSignal, request.timeoutMs);
  const fail = (operation: string) => (error: unknown) => {
    throw bigqueryError(error, { connector: scope.connector, operation, target: 'the query', signal });
  };

  const figures = await dryRun(handle, query, signal).catch(fail('dry run'));
  checkDryRun(scope, figures, request.readOnly);
  const estimate = { bytesProcessed: figures.bytesProcessed, estimatedCostUsd: estimatedCostUsd(figures.bytesProcessed, config.usd_per_tib) };
  if (request.dryRun) {
    return { table: rowsToTable(figures.schema, []), complete: true, estimate, upstream: {} };
  }
  if (figures.bytesProcessed > ceiling) throw overCeiling(figures.bytesProcessed, ceiling, config.usd_per_tib);

  const jobId = `data_mcp_${randomUUID()}`;
  try {
    const job = await insertJob(handle, jobId, query, request.timeoutMs, signal);
    const first = await firstRows(job, maxRows, signal);
    const billed = await bytesBilled(job, signal);
    const { pageToken } = first;
    return {
      table: first.table,
      complete: pageToken === undefined,
      ...(pageToken !== undefined ? { more: () => laterPages(scope, job, first.schema, pageToken) } : {}),
      ...(first.totalRows !== undefined ? { totalRows: first.totalRows } : {}),
      estimate,
      upstream: { jobId, ...(job.location ? { location: job.location } : {}) },
      stats: { bytesProcessed: first.bytesProcessed ?? figures.bytesProcessed, ...(billed !== undefined ? { bytesBilled: billed } : {}) },
    };
  } catch (error) {
    if (signal.aborted) {
      // The id is ours, so the cancel goes out even if the insert's answer never came back. If
      // it overtakes the insert it finds nothing; the job's own jobTimeoutMs then bounds it.
      await cancelJob(handle, jobId, config.location, (e) => {
        scope.logger?.warn({ connector: scope.connector, jobId, err: scrubGoogleText(e instanceof Error ? e.message : String(e)) }, 'BigQuery job cancel failed');
      });
    }
    throw bigqueryError(error, { connector: scope.connector, operation: 'query', target: `the query (job ${jobId})`, signal });
  }
}

/** Engine-level checks the dry run makes possible, before anything runs. */
function checkDryRun(scope: QueryScope, figures: DryRunFigures, readOnly: boolean): void {
  const { config } = scope;
  if (readOnly && figures.statementType !== undefined && figures.statementType !== 'SELECT') {
    throw invalidArgument(`the statement is a ${figures.statementType}, and this call is read-only`, 'Only SELECT queries may run here; the policy does not grant write access.');
  }
  // Defence in depth for the dataset allowlist: BigQuery lists the tables a query reads (up to
  // 50 of them), so a query reaching outside the allowlist is refused before it runs.
  const allowlist = config.datasets;
  if (!allowlist) return;
  for (const t of figures.referencedTables) {
    const foreignProject = t.projectId !== undefined && t.projectId !== config.project_id;
    if (foreignProject || !allowlist.includes(t.datasetId ?? '')) {
      throw new DataMcpError(
        'NOT_FOUND',
        `the query reads "${t.datasetId ?? '?'}.${t.tableId ?? '?'}", which is not available in connector "${scope.connector}"`,
        `Query only tables in the datasets of this connector: ${allowlist.map((d) => `"${d}"`).join(', ')}.`,
      );
    }
  }
}

interface FirstRows {
  table: Table;
  schema: BigqueryField[];
  pageToken?: string;
  totalRows?: number;
  bytesProcessed?: number;
}

/** Up to `maxRows` rows: pages are read until that many arrived (BigQuery caps pages by size). */
async function firstRows(job: Job, maxRows: number, signal: AbortSignal): Promise<FirstRows> {
  let page = await resultPage(job, maxRows, undefined, signal);
  const { schema, totalRows, bytesProcessed } = page;
  const rows = [...page.rows];
  while (page.pageToken !== undefined && rows.length < maxRows) {
    page = await resultPage(job, maxRows - rows.length, page.pageToken, signal);
    for (const row of page.rows) rows.push(row);
  }
  return {
    table: rowsToTable(schema, rows),
    schema,
    ...(page.pageToken !== undefined ? { pageToken: page.pageToken } : {}),
    ...(totalRows !== undefined ? { totalRows } : {}),
    ...(bytesProcessed !== undefined ? { bytesProcessed } : {}),
  };
}

/** The rest of a result, one upstream page per table, fetched only as the consumer asks. */
async function* laterPages(scope: QueryScope, job: Job, schema: BigqueryField[], start: string): AsyncGenerator<Table> {
  // Result handles outlive the call, so these pages are not tied to its signal.
  const signal = new AbortController().signal;
  let token: string | undefined = start;
  while (token !== undefined) {
    const page: ResultPage = await resultPage(job, MORE_PAGE_ROWS, token, signal).catch((error: unknown) => {
      throw bigqueryError(error, { connector: scope.connector, operation: 'jobs.getQueryResults', target: `the result of job ${job.id ?? '?'}`, signal });
    });
    yield rowsToTable(schema, page.rows);
    token = page.pageToken;
  }
}
