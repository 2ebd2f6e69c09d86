import { frameUntrustedInline } from '../results/framing.js';
import { scrubText, scrubValue } from '../results/scrub.js';

/**
 * The pieces every connector's error mapper (`<connector>/errors.ts`) needs before it decides on a code.
 * The decisions themselves (which upstream code or status means what, the messages and hints)
 * stay per connector: the services differ, and the wording is part of each one's behaviour.
 */

/** Node socket errors that mean "the service could not be reached": UNAVAILABLE, not the caller's fault. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A thrown value read as an object of the given shape (every field optional); a non-object reads as `{}`. */
export function errorShape<Shape extends object>(error: unknown): Shape {
  return (typeof error === 'object' && error !== null ? error : {}) as Shape;
}

/** HTTP statuses that mean the service is throttling or failing (429, 5xx): worth a later retry. */
export function isBusyStatus(status: number | undefined): boolean {
  return status === 429 || (status !== undefined && status >= 500);
}

/**
 * Upstream text for a message: scrubbed, cut short, and framed as untrusted data — it may echo
 * SQL, paths or values from the source (a cell that says "ignore previous instructions"), so it
 * gets the same per-call boundary as rows do.
 */
export function cutUpstreamText(text: string, max: number): string {
  return frameUntrustedInline(scrubText(text).slice(0, max));
}

/** What an AWS SDK v3 service exception carries; nothing else is read from it. */
export interface AwsSdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string; cfId?: string };
}

/**
 * The scrubbed `detail` of an AWS connector's error: what an operator needs to find the request
 * in the provider's logs (request id), never the SDK's request or response objects. `extra`
 * fields (statement ids, extended request ids) follow the common ones.
 */
export function awsErrorDetail(
  e: AwsSdkErrorShape,
  ctx: { connector: string; operation: string },
  upstreamCode: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const status = e.$metadata?.httpStatusCode;
  return scrubValue({
    connector: ctx.connector,
    operation: ctx.operation,
    upstreamCode,
    ...(status !== undefined ? { httpStatusCode: status } : {}),
    ...(e.$metadata?.requestId ? { requestId: e.$metadata.requestId } : {}),
    ...extra,
  });
}
