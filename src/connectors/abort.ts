import { DataMcpError } from '../results/errors.js';

/**
 * One meaning for an aborted signal across connectors: a signal aborted by a timeout
 * (`AbortSignal.timeout`, or any reason named `TimeoutError`) is a TIMEOUT; anything else is
 * the client cancelling the call.
 */
export function abortError(signal: AbortSignal): DataMcpError {
  const reason: unknown = signal.reason;
  const isTimeout = reason instanceof Error && reason.name === 'TimeoutError';
  return isTimeout
    ? new DataMcpError('TIMEOUT', 'the call took longer than its time limit', 'Narrow the request (a smaller prefix, fewer objects, a byte range) or try again later.')
    : new DataMcpError('CANCELLED', 'the call was cancelled', 'The client cancelled this call; repeat it if the result is still needed.');
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

/** Validates a byte range for ByteSource.read and clamps `end` to the object size (like slice). */
export function checkRange(start: number, end: number, size: number): { start: number; end: number } {
  const valid = Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start;
  if (!valid) {
    throw new DataMcpError(
      'INVALID_ARGUMENT',
      `invalid byte range [${String(start)}, ${String(end)})`,
      'Byte ranges are non-negative integers with start <= end (end exclusive).',
    );
  }
  const clampedEnd = Math.min(end, size);
  return { start: Math.min(start, clampedEnd), end: clampedEnd };
}
