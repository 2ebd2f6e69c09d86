import { DataMcpError, type ErrorCode } from '../../results/errors.js';
import { scrubText } from '../../results/scrub.js';
import { abortError } from '../abort.js';
import { parentPrefix } from '../path-guard.js';
import { awsErrorDetail, cutUpstreamText, errorShape, isBusyStatus, NETWORK_ERROR_CODES, type AwsSdkErrorShape } from '../upstream-errors.js';

export interface S3ErrorContext {
  connector: string;
  operation: string;
  path: string;
  signal: AbortSignal;
}

/** S3's XML errors also carry the code as `Code`. */
interface SdkErrorShape extends AwsSdkErrorShape {
  Code?: string;
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);
const DENIED = new Set(['AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'AllAccessDisabled', 'CredentialsProviderError']);
const THROTTLED = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'ServiceUnavailable', 'InternalError']);
const TIMED_OUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT']);

/**
 * Maps any failure of an S3 call to a DataMcpError with a stable code. The upstream message is
 * scrubbed and cut short; the request ids go to `detail` so an operator can find the request
 * in the provider's logs.
 */
export function s3Error(error: unknown, ctx: S3ErrorContext): DataMcpError {
  if (error instanceof DataMcpError) return error;
  // An aborted call surfaces as an SDK AbortError; the signal says whether it was a timeout.
  if (ctx.signal.aborted) return abortError(ctx.signal);
  const e = errorShape<SdkErrorShape>(error);
  const upstreamCode = e.Code ?? e.name ?? e.code ?? 'Unknown';
  const status = e.$metadata?.httpStatusCode;
  const detail = awsErrorDetail(e, ctx, upstreamCode, e.$metadata?.extendedRequestId ? { extendedRequestId: e.$metadata.extendedRequestId } : {});
  const upstream = cutUpstreamText(String(e.message ?? upstreamCode), 300);
  const make = (code: ErrorCode, message: string, hint: string) => new DataMcpError(code, scrubText(message), hint, detail);
  const where = `"${ctx.path}" in connector "${ctx.connector}"`;

  if (NOT_FOUND.has(upstreamCode) || status === 404) {
    const parent = parentPrefix(ctx.path);
    return make('NOT_FOUND', `${where} does not exist`, `Browse ${parent === '' ? 'the connector root' : `"${parent}"`} to see what exists there.`);
  }
  // An archived object (Glacier, Deep Archive) answers GET with 403 InvalidObjectState: not a credentials problem.
  if (upstreamCode === 'InvalidObjectState') {
    return make('UPSTREAM_ERROR', `${where} is archived and cannot be read until it is restored`, 'Ask the operator to restore the object (S3 RestoreObject) or read another one — retrying will not help.');
  }
  if (DENIED.has(upstreamCode) || status === 403 || status === 401) {
    return make('UPSTREAM_ERROR', `S3 refused ${ctx.operation} of ${where}: ${upstream}`, "Access was denied with the service account's AWS credentials; the operator must grant them access (or fix the credentials) — retrying will not help.");
  }
  if (upstreamCode === 'PreconditionFailed' || status === 412) {
    return make('UPSTREAM_ERROR', `${where} changed while it was being read`, 'Read it again to get the current version.');
  }
  if (upstreamCode === 'InvalidRange' || status === 416) {
    return make('INVALID_ARGUMENT', `the byte range is outside ${where}`, 'Describe the object to learn its size, then read inside it.');
  }
  if (TIMED_OUT.has(upstreamCode) || status === 408) {
    return make('TIMEOUT', `S3 did not answer ${ctx.operation} of ${where} in time`, 'Try again later, or narrow the request.');
  }
  if (THROTTLED.has(upstreamCode) || isBusyStatus(status) || NETWORK_ERROR_CODES.has(e.code ?? '')) {
    return make('UNAVAILABLE', `S3 is unavailable for ${ctx.operation} of ${where}: ${upstream}`, 'The storage service is throttling or failing; wait a little and try again.');
  }
  return make('UPSTREAM_ERROR', `S3 ${ctx.operation} of ${where} failed: ${upstream}`, 'Check the path and try again; if it persists, the operator should look at the request id in the audit record.');
}
