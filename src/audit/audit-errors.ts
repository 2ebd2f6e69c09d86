import { DataMcpError } from '../results/errors.js';

const HINT =
  'The audit log could not be written, so the call was not carried out (every call must be audited). ' +
  'This is a server-side problem: retry later, or ask the operator to check the audit log path and disk; ' +
  '`data-mcp audit verify` checks the log.';

/** The call fails when its audit record cannot be written (DESIGN §7): fail closed. */
export function auditUnavailable(reason: string, cause?: unknown): DataMcpError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new DataMcpError('UNAVAILABLE', `Audit log unavailable: ${reason}${code ? ` (${code})` : ''}`, HINT, code ? { errno: code } : undefined);
}
