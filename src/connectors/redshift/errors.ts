import { DataMcpError, type ErrorCode } from '../../results/errors.js';
import { scrubText } from '../../results/scrub.js';
import { abortError } from '../abort.js';
import { awsErrorDetail, cutUpstreamText, errorShape, isBusyStatus, NETWORK_ERROR_CODES, type AwsSdkErrorShape } from '../upstream-errors.js';

export interface RedshiftErrorContext {
  connector: string;
  /** Data API operation (ExecuteStatement, ListTables, ...). */
  operation: string;
  /** What the call was about, for the message: a path or "the query". */
  subject: string;
  signal: AbortSignal;
  statementId?: string;
}

const DENIED = new Set(['AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'IncompleteSignature', 'MissingAuthenticationToken', 'CredentialsProviderError']);
const BUSY = new Set(['ActiveStatementsExceededException', 'ActiveSessionsExceededException', 'ThrottlingException', 'TooManyRequestsException', 'InternalServerException', 'ServiceUnavailableException', 'DatabaseConnectionException']);
const TIMED_OUT = new Set(['TimeoutError', 'QueryTimeoutException', 'RequestTimeout', 'ETIMEDOUT']);

/** Upstream text, scrubbed and cut short: it may echo SQL, ARNs or (rarely) secrets. */
export const upstreamText = (text: string): string => cutUpstreamText(text, 500);

/**
 * Maps a failed Data API call to a DataMcpError with a stable code; request ids go to
 * `detail` for the audit record.
 */
export function redshiftError(error: unknown, ctx: RedshiftErrorContext): DataMcpError {
  if (error instanceof DataMcpError) return error;
  if (ctx.signal.aborted) return abortError(ctx.signal);
  const e = errorShape<AwsSdkErrorShape>(error);
  const upstreamCode = e.name ?? e.code ?? 'Unknown';
  const status = e.$metadata?.httpStatusCode;
  const detail = awsErrorDetail(e, ctx, upstreamCode, ctx.statementId ? { statementId: ctx.statementId } : {});
  const upstream = upstreamText(String(e.message ?? upstreamCode));
  const make = (code: ErrorCode, message: string, hint: string) => new DataMcpError(code, scrubText(message), hint, detail);
  const where = `${ctx.subject} in connector "${ctx.connector}"`;

  if (upstreamCode === 'ValidationException') {
    return make('INVALID_ARGUMENT', `Redshift rejected ${ctx.operation} for ${where}: ${upstream}`, 'Fix the SQL or parameters (named parameters are :name, values are strings, numbers or booleans) and try again.');
  }
  if (upstreamCode === 'ResourceNotFoundException') {
    return make('NOT_FOUND', `Redshift could not find what ${ctx.operation} needs for ${where}: ${upstream}`, 'Browse the connector to see which schemas and tables exist; a result may also have expired upstream (after 24 hours).');
  }
  if (DENIED.has(upstreamCode) || status === 401 || status === 403) {
    return make('UPSTREAM_ERROR', `Redshift refused ${ctx.operation} for ${where}: ${upstream}`, "Access was denied with the service account's AWS credentials; the operator must grant them access (or fix the credentials) — retrying will not help.");
  }
  if (TIMED_OUT.has(upstreamCode) || status === 408) {
    return make('TIMEOUT', `Redshift did not answer ${ctx.operation} for ${where} in time`, 'Try again later, or narrow the query.');
  }
  if (BUSY.has(upstreamCode) || isBusyStatus(status) || NETWORK_ERROR_CODES.has(e.code ?? '')) {
    return make('UNAVAILABLE', `Redshift is unavailable for ${ctx.operation} of ${where}: ${upstream}`, 'The warehouse is busy or unreachable; wait a little and try again.');
  }
  return make('UPSTREAM_ERROR', `Redshift ${ctx.operation} for ${where} failed: ${upstream}`, 'Check the request and try again; if it persists, the operator should look at the request id in the audit record.');
}

/**
 * A statement that ended FAILED: the engine's error text, scrubbed. Missing relations are
 * NOT_FOUND, missing privileges are the operator's to fix, anything else is the SQL's fault.
 */
export function statementFailed(errorText: string | undefined, connector: string, statementId: string): DataMcpError {
  const text = upstreamText(errorText ?? 'the statement failed without an error message');
  const detail = { connector, statementId };
  if (/\b(relation|table|schema|view)\b.*\bdoes not exist\b/i.test(text)) {
    return new DataMcpError('NOT_FOUND', `Redshift: ${text}`, 'Browse the connector to see which schemas and tables exist, then use their exact names (schema.table).', detail);
  }
  if (/permission denied|database .* does not exist|password authentication failed/i.test(text)) {
    return new DataMcpError('UPSTREAM_ERROR', `Redshift: ${text}`, "The connector's database, user or grants do not allow this; the operator must fix the configuration or grant access — retrying will not help.", detail);
  }
  return new DataMcpError('INVALID_ARGUMENT', `Redshift could not run the query: ${text}`, 'Fix the SQL (Redshift dialect; named parameters are :name) and try again.', detail);
}

/** A statement someone else aborted upstream (an operator, WLM rules). */
export function statementAborted(connector: string, statementId: string): DataMcpError {
  return new DataMcpError('UPSTREAM_ERROR', 'the statement was aborted in Redshift', 'It was stopped upstream (by an operator or a workload rule); run it again, or narrow it.', { connector, statementId });
}
