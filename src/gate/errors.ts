import type { ZodError } from 'zod';
import { formatIssues } from '../config/load.js';
import { DataMcpError, isDataMcpError, type ErrorCode } from '../results/errors.js';
import { scrubText } from '../results/scrub.js';

/** Anything thrown during a call becomes a DataMcpError with a stable code; stacks stay home. */
export function toDataMcpError(err: unknown, signal: AbortSignal, timedOut: () => boolean): DataMcpError {
  if (isDataMcpError(err)) {
    if (err.code === 'CANCELLED' && timedOut()) return timeoutError();
    return err;
  }
  if (isZodError(err)) {
    return new DataMcpError('INVALID_ARGUMENT', `invalid arguments:\n${formatIssues(err.issues)}`, "Check the tool's inputSchema: names, types and allowed values.");
  }
  if (signal.aborted || (err instanceof Error && err.name === 'AbortError')) {
    return timedOut() ? timeoutError() : new DataMcpError('CANCELLED', 'the call was cancelled', 'Retry when ready.');
  }
  return new DataMcpError('INTERNAL', 'internal error while handling the call', 'This is a data-mcp fault, not yours; the operator can find it in the server log by eventId.');
}

function timeoutError(): DataMcpError {
  return new DataMcpError('TIMEOUT', 'the call ran past the server time limit', 'Narrow it (fewer objects, columns or rows, a filter) and retry.');
}

function isZodError(err: unknown): err is ZodError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}

export type OutcomeStatus = 'ok' | 'denied' | 'invalid' | 'failed' | 'cancelled';

export function outcomeStatus(code: ErrorCode): OutcomeStatus {
  if (code === 'POLICY_DENIED' || code === 'AUTH_REQUIRED') return 'denied';
  if (code === 'INVALID_ARGUMENT') return 'invalid';
  if (code === 'CANCELLED') return 'cancelled';
  return 'failed';
}

export interface ErrorResult {
  [key: string]: unknown;
  isError: true;
  content: Array<{ type: 'text'; text: string }>;
  _meta: Record<string, unknown>;
}

/** The error the agent sees: code, message and hint, scrubbed, plus the event id. */
export function errorResult(err: DataMcpError, eventId: string): ErrorResult {
  const message = scrubText(err.message);
  const hint = scrubText(err.hint);
  return {
    isError: true,
    content: [{ type: 'text', text: `${err.code}: ${message}\nHint: ${hint}\n(event ${eventId})` }],
    _meta: { 'data-mcp/error': { code: err.code, message, hint, eventId } },
  };
}
