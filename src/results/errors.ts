/**
 * Stable error codes (DESIGN §8). Agents and operators key on these strings, so they never change.
 * Every error carries a hint written for the model: what went wrong and what to try next.
 */
export const ERROR_CODES = [
  'AUTH_REQUIRED',
  'POLICY_DENIED',
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'LIMIT_EXCEEDED',
  'UPSTREAM_ERROR',
  'TIMEOUT',
  'CANCELLED',
  'UNAVAILABLE',
  'CONFIG_ERROR',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DataMcpError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  /** Safe, non-secret facts for the audit record (never shown raw to the agent). */
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, hint: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'DataMcpError';
    this.code = code;
    this.hint = hint;
    this.detail = detail;
  }
}

export function isDataMcpError(value: unknown): value is DataMcpError {
  return value instanceof DataMcpError;
}

/** Shorthands keep call sites readable. */
export const invalidArgument = (message: string, hint: string, detail?: Record<string, unknown>) =>
  new DataMcpError('INVALID_ARGUMENT', message, hint, detail);
export const notFound = (message: string, hint: string) => new DataMcpError('NOT_FOUND', message, hint);
export const limitExceeded = (message: string, hint: string) => new DataMcpError('LIMIT_EXCEEDED', message, hint);
export const upstreamError = (message: string, hint: string, detail?: Record<string, unknown>) =>
  new DataMcpError('UPSTREAM_ERROR', message, hint, detail);
export const configError = (message: string, hint: string) => new DataMcpError('CONFIG_ERROR', message, hint);
