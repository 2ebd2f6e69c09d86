import { DataMcpError, type ErrorCode } from '../../results/errors.js';
import { frameUntrustedInline } from '../../results/framing.js';
import { scrubText, scrubValue } from '../../results/scrub.js';
import { abortError } from '../abort.js';
import { errorShape, isBusyStatus, NETWORK_ERROR_CODES } from '../upstream-errors.js';

export interface BigqueryErrorContext {
  connector: string;
  operation: string;
  /** What was addressed: a path, or "the query". */
  target: string;
  signal: AbortSignal;
}

interface ApiErrorShape {
  code?: number | string;
  message?: string;
  errors?: Array<{ reason?: string; message?: string; location?: string }>;
  response?: { status?: number };
}

const NOT_FOUND = new Set(['notFound']);
const DENIED = new Set(['accessDenied', 'authError', 'forbidden', 'unauthorized', 'billingNotEnabled', 'billingTierLimitExceeded']);
const THROTTLED = new Set(['rateLimitExceeded', 'quotaExceeded', 'backendError', 'internalError', 'tableUnavailable', 'jobBackendError']);
const INVALID = new Set(['invalidQuery', 'invalid', 'invalidParameter', 'badRequest']);
const CEILING = new Set(['bytesBilledLimitExceeded']);
// BigQuery also counts a socket timeout (ETIMEDOUT) as unreachable: UNAVAILABLE, not TIMEOUT.
const NETWORK = new Set([...NETWORK_ERROR_CODES, 'ETIMEDOUT']);

/**
 * Google access tokens and bearer headers are not among the shapes the shared scrubber knows;
 * an upstream message that echoes a request header must not carry one to the agent.
 */
export function scrubGoogleText(text: string): string {
  return scrubText(text)
    .replace(/\bBearer\s+[A-Za-z0-9._~+/-]+=*/gi, 'Bearer [REDACTED]')
    .replace(/\bya29\.[A-Za-z0-9._-]+/g, '[REDACTED]');
}

/**
 * Maps any failure of a BigQuery call to a DataMcpError with a stable code. The upstream
 * message is scrubbed and cut short: SQL errors go back to the agent (it wrote the SQL), but
 * never with a token, key or connection string in them.
 */
export function bigqueryError(error: unknown, ctx: BigqueryErrorContext): DataMcpError {
  if (error instanceof DataMcpError) return error;
  if (ctx.signal.aborted) return abortError(ctx.signal);
  const e = errorShape<ApiErrorShape>(error);
  const reasons = (e.errors ?? []).map((x) => x.reason ?? '').filter(Boolean);
  const status = typeof e.code === 'number' ? e.code : e.response?.status;
  const networkCode = typeof e.code === 'string' ? e.code : undefined;
  // Framed: a BigQuery error can echo a value from the data ("Bad int64 value: …").
  const upstream = frameUntrustedInline(scrubGoogleText(String(e.errors?.[0]?.message ?? e.message ?? 'unknown error')).slice(0, 400));
  const detail = scrubValue({ connector: ctx.connector, operation: ctx.operation, reasons, ...(status !== undefined ? { httpStatusCode: status } : {}) });
  const make = (code: ErrorCode, message: string, hint: string) => new DataMcpError(code, scrubGoogleText(message), hint, detail);
  const has = (set: Set<string>) => reasons.some((r) => set.has(r));
  const where = `${ctx.target} in connector "${ctx.connector}"`;

  if (has(CEILING)) {
    return make('LIMIT_EXCEEDED', `BigQuery stopped ${where}: it would bill more bytes than the ceiling allows (${upstream})`, ceilingHintText());
  }
  if (reasons.includes('stopped')) return make('CANCELLED', `the BigQuery job for ${where} was cancelled`, 'The job was stopped upstream; run it again if the result is still needed.');
  if (reasons.includes('resourcesExceeded')) {
    return make('LIMIT_EXCEEDED', `BigQuery ran out of resources for ${where}: ${upstream}`, 'Simplify the query: fewer or smaller joins, aggregate earlier, avoid ORDER BY over large results without LIMIT.');
  }
  // Reasons first: BigQuery answers throttling with 403 and some denials with 400.
  const notFound = has(NOT_FOUND);
  const throttled = has(THROTTLED);
  const denied = has(DENIED);
  const invalid = has(INVALID);
  const byStatus = !notFound && !throttled && !denied && !invalid;
  if (notFound || (byStatus && status === 404)) {
    return make('NOT_FOUND', `${where} was not found: ${upstream}`, 'Browse the connector to see which datasets and tables exist; use dataset-qualified names in SQL.');
  }
  if (throttled || (byStatus && isBusyStatus(status)) || (networkCode !== undefined && NETWORK.has(networkCode))) {
    return make('UNAVAILABLE', `BigQuery is unavailable for ${ctx.operation} of ${where}: ${upstream}`, 'BigQuery is throttling or failing; wait a little and try again.');
  }
  if (denied || (byStatus && (status === 401 || status === 403))) {
    return make('UPSTREAM_ERROR', `BigQuery refused ${ctx.operation} of ${where}: ${upstream}`, "Access was denied with the service account's GCP credentials; the operator must grant them access (or fix the credentials) — retrying will not help.");
  }
  if (invalid || (byStatus && status === 400)) {
    return make('INVALID_ARGUMENT', `BigQuery rejected ${where}: ${upstream}`, 'Fix the SQL (GoogleSQL / standard SQL) and try again; describe the tables to check column names and types.');
  }
  return make('UPSTREAM_ERROR', `BigQuery ${ctx.operation} of ${where} failed: ${upstream}`, 'Try again; if it persists, the operator should look at the job id in the audit record.');
}

export function ceilingHintText(): string {
  return [
    'Scan fewer bytes:',
    'select only the columns you need (BigQuery bills every byte of every referenced column; avoid SELECT *);',
    'filter on the partitioning column (e.g. a date range) so whole partitions are skipped;',
    'filter on clustering columns;',
    'query a smaller or pre-aggregated table.',
    'LIMIT does not reduce the bytes scanned. Describe the table to see its partitioning and clustering, and use a dry run to check the estimate first.',
  ].join(' ');
}
