import { DataMcpError, type ErrorCode } from '../../results/errors.js';
import { scrubText, scrubValue } from '../../results/scrub.js';
import { abortError } from '../abort.js';
import { parentPrefix } from '../path-guard.js';
import { errorShape, isBusyStatus, NETWORK_ERROR_CODES } from '../upstream-errors.js';
import { objectExists } from '../write-conflict.js';

export interface GcsErrorContext {
  connector: string;
  /** JSON-API method, e.g. `objects.list`; goes to the message and `detail`. */
  operation: string;
  path: string;
  signal: AbortSignal;
  /** Reads of a pinned generation: a 404/412 means the object changed after it was opened. */
  pinned?: boolean;
}

/** What the SDK's ApiError (and network errors under it) carry; nothing else is read from it. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: number | string;
  /** gaxios errors (resumable uploads) carry the HTTP status here instead of in `code`. */
  status?: number;
  errors?: Array<{ reason?: string }>;
  response?: { status?: number; headers?: Record<string, unknown> };
}

const NETWORK = new Set([...NETWORK_ERROR_CODES, 'ERR_STREAM_PREMATURE_CLOSE']);
const TIMED_OUT = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'TimeoutError']);
const CREDENTIALS = /default credentials|could not load the default|invalid_grant|unauthorized_client|iamcredentials|getaccesstoken/i;

/**
 * Maps any failure of a Cloud Storage call to a DataMcpError with a stable code. The upstream
 * message is scrubbed and cut short; the HTTP status and reason go to `detail` (never the SDK's
 * request or response objects, which carry headers such as Authorization).
 */
export function gcsError(error: unknown, ctx: GcsErrorContext): DataMcpError {
  if (error instanceof DataMcpError) return error;
  if (ctx.signal.aborted) return abortError(ctx.signal);
  const e = errorShape<SdkErrorShape>(error);
  const status = typeof e.code === 'number' ? e.code : typeof e.status === 'number' ? e.status : e.response?.status;
  const networkCode = typeof e.code === 'string' ? e.code : undefined;
  const reason = e.errors?.[0]?.reason;
  const uploadId = e.response?.headers?.['x-guploader-uploadid'];
  const detail = scrubValue({
    connector: ctx.connector,
    operation: ctx.operation,
    ...(status !== undefined ? { httpStatusCode: status } : {}),
    ...(reason ? { upstreamReason: reason } : {}),
    ...(networkCode ? { upstreamCode: networkCode } : {}),
    ...(typeof uploadId === 'string' ? { requestId: uploadId } : {}),
  });
  const upstream = scrubText(String(e.message ?? networkCode ?? 'unknown error')).replace(/\s+/g, ' ').slice(0, 300);
  const make = (code: ErrorCode, message: string, hint: string, extra: Record<string, unknown> = {}) => new DataMcpError(code, scrubText(message), hint, { ...detail, ...extra });
  const where = `"${ctx.path}" in connector "${ctx.connector}"`;

  if (ctx.pinned && (status === 404 || status === 412)) {
    return make('UPSTREAM_ERROR', `${where} changed while it was being read`, 'Read it again to get the current version.', { precondition: 'generation_changed' });
  }
  if (status === 404) {
    const parent = parentPrefix(ctx.path);
    return make('NOT_FOUND', `${where} does not exist`, `Browse ${parent === '' ? 'the connector root' : `"${parent}"`} to see what exists there.`);
  }
  if (status === 412) {
    // The only precondition unpinned calls send is create-only's ifGenerationMatch=0.
    return objectExists(ctx.connector, scrubText(ctx.path), detail);
  }
  if (status === 401 || status === 403 || CREDENTIALS.test(upstream)) {
    return make('UPSTREAM_ERROR', `Cloud Storage refused ${ctx.operation} of ${where}: ${upstream}`, "Access was denied with the service account's GCP credentials; the operator must grant them access (or fix the credentials) — retrying will not help.");
  }
  if (status === 416) {
    return make('INVALID_ARGUMENT', `the byte range is outside ${where}`, 'Describe the object to learn its size, then read inside it.');
  }
  if (status === 408 || TIMED_OUT.has(networkCode ?? e.name ?? '')) {
    return make('TIMEOUT', `Cloud Storage did not answer ${ctx.operation} of ${where} in time`, 'Try again later, or narrow the request.');
  }
  if (isBusyStatus(status) || NETWORK.has(networkCode ?? '')) {
    return make('UNAVAILABLE', `Cloud Storage is unavailable for ${ctx.operation} of ${where}: ${upstream}`, 'The storage service is throttling or failing; wait a little and try again.');
  }
  return make('UPSTREAM_ERROR', `Cloud Storage ${ctx.operation} of ${where} failed: ${upstream}`, 'Check the path and try again; if it persists, the operator should look at the audit record.');
}

/**
 * The SDK's JSON calls take no AbortSignal: settle on the signal instead and let the abandoned
 * request finish (or time out) on its own. Streams are destroyed directly (see read.ts).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The upstream call was already started: observe its outcome so it cannot go unhandled.
    promise.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
