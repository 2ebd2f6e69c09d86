import { DataMcpError } from './errors.js';

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
