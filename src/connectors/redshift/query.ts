import { tableFromColumns } from '../../formats/columns.js';
import { invalidArgument } from '../../results/errors.js';
import type { QueryRequest, QueryResult } from '../types.js';
import type { RedshiftHandle } from './client.js';
import { readAllRows, readFirstRows } from './results.js';
import { runStatement } from './statement.js';
import { sqlParameters, type RedshiftTarget } from './target.js';

export interface QuerySettings {
  connector: string;
  target: RedshiftTarget;
  pollIntervalMs: number;
  /** The connector's ceiling; a request may ask for less, never more. */
  statementTimeoutMs: number;
}

/**
 * One query: ExecuteStatement → DescribeStatement polls → GetStatementResult pages. The
 * deadline (the request's timeout, capped by the connector's) covers the whole call; when it
 * passes, or the client cancels, the statement is cancelled upstream (see runStatement).
 *
 * `readOnly` has no Data API switch (a single statement cannot open a read-only
 * transaction): it rests on the SQL guard and on a read-only database user or secret, which
 * the operator should configure.
 */
export async function runQuery(handle: RedshiftHandle, request: QueryRequest, callSignal: AbortSignal, settings: QuerySettings): Promise<QueryResult> {
  const parameters = sqlParameters(request.params, request.positionalParams);
  if (!Number.isInteger(request.maxRows) || request.maxRows < 0) throw invalidArgument('maxRows must be a non-negative integer', 'Pass the number of rows to return first, such as 50.');
  const timeoutMs = request.timeoutMs > 0 ? Math.min(request.timeoutMs, settings.statementTimeoutMs) : settings.statementTimeoutMs;
  const signal = AbortSignal.any([callSignal, AbortSignal.timeout(timeoutMs)]);
  const upstream: Record<string, string> = {};
  const sql = request.dryRun ? `EXPLAIN ${request.sql}` : request.sql;
  const finished = await runStatement(
    handle,
    settings.target,
    { sql, ...(parameters ? { parameters } : {}), connector: settings.connector, pollIntervalMs: settings.pollIntervalMs, signal },
    (id) => (upstream.statementId = id),
  );
  const ref = { handle, id: finished.id, connector: settings.connector };

  if (request.dryRun) {
    // The plan is the answer: a few lines, read whole. Redshift reports no bytes estimate.
    return { table: await readAllRows(ref, signal), complete: true, upstream };
  }
  if (!finished.hasResultSet) {
    return { table: tableFromColumns([], [], 0), complete: true, upstream, ...(finished.resultRows !== undefined ? { totalRows: finished.resultRows } : {}) };
  }
  const first = await readFirstRows(ref, request.maxRows, signal);
  const totalRows = first.totalRows ?? finished.resultRows;
  return {
    table: first.table,
    complete: first.complete,
    ...(first.more ? { more: first.more } : {}),
    ...(totalRows !== undefined ? { totalRows } : {}),
    upstream,
  };
}
