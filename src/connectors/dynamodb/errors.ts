import { DataMcpError, type ErrorCode } from '../../results/errors.js';
import { scrubText } from '../../results/scrub.js';
import { abortError } from '../abort.js';
import { awsErrorDetail, cutUpstreamText, errorShape, isBusyStatus, NETWORK_ERROR_CODES, type AwsSdkErrorShape } from '../upstream-errors.js';

export interface DynamoErrorContext {
  connector: string;
  /** DynamoDB API action, e.g. `Query`. */
  operation: string;
  /** What the call was about, for the message: `table "orders"`. */
  subject: string;
  signal: AbortSignal;
}

const DENIED = new Set([
  'AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException',
  'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'CredentialsProviderError', 'InvalidClientTokenId',
]);
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'LimitExceededException',
  'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException',
]);
const TIMED_OUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT']);

/** The upstream error name (`ResourceNotFoundException`, ...) of any thrown value. */
export function upstreamCodeOf(error: unknown): string {
  const e = errorShape<AwsSdkErrorShape>(error);
  return e.name ?? e.code ?? 'Unknown';
}

/**
 * Maps any failure of a DynamoDB call to a DataMcpError with a stable code. The upstream
 * message is scrubbed and cut short (it can echo attribute values, never credentials); the
 * request id goes to `detail` so an operator can find the request in CloudTrail.
 */
export function dynamoError(error: unknown, ctx: DynamoErrorContext): DataMcpError {
  if (error instanceof DataMcpError) return error;
  // An aborted call surfaces as an SDK AbortError; the signal says whether it was a timeout.
  if (ctx.signal.aborted) return abortError(ctx.signal);
  const e = errorShape<AwsSdkErrorShape>(error);
  const upstreamCode = upstreamCodeOf(error);
  const status = e.$metadata?.httpStatusCode;
  const detail = awsErrorDetail(e, ctx, upstreamCode);
  const upstream = cutUpstreamText(String(e.message ?? upstreamCode), 300);
  const make = (code: ErrorCode, message: string, hint: string) => new DataMcpError(code, scrubText(message), hint, detail);
  const where = `${ctx.subject} in connector "${ctx.connector}"`;

  if (upstreamCode === 'ResourceNotFoundException') {
    return make('NOT_FOUND', `${where} does not exist`, 'Browse the connector root to see its tables.');
  }
  if (upstreamCode === 'ValidationException') {
    return make('INVALID_ARGUMENT', `DynamoDB rejected ${ctx.operation} on ${where}: ${upstream}`, 'Describe the table for its key attributes and indexes, then fix the request.');
  }
  if (DENIED.has(upstreamCode) || status === 403 || status === 401) {
    return make('UPSTREAM_ERROR', `DynamoDB refused ${ctx.operation} on ${where}: ${upstream}`, "Access was denied with the service account's AWS credentials; the operator must grant them access (or fix the credentials) — retrying will not help.");
  }
  if (TIMED_OUT.has(upstreamCode) || status === 408) {
    return make('TIMEOUT', `DynamoDB did not answer ${ctx.operation} on ${where} in time`, 'Try again later, or narrow the request.');
  }
  if (THROTTLED.has(upstreamCode) || isBusyStatus(status) || NETWORK_ERROR_CODES.has(e.code ?? '')) {
    return make('UNAVAILABLE', `DynamoDB is unavailable for ${ctx.operation} on ${where}: ${upstream}`, 'The table is throttled or the service is failing; wait a little and try again, or read less at once.');
  }
  return make('UPSTREAM_ERROR', `DynamoDB ${ctx.operation} on ${where} failed: ${upstream}`, 'Check the request and try again; if it persists, the operator should look at the request id in the audit record.');
}
