import { DataMcpError, type ErrorCode } from '../../results/errors.js';
import { scrubText, scrubValue } from '../../results/scrub.js';
import { abortError } from '../abort.js';
import { cutUpstreamText, errorShape, NETWORK_ERROR_CODES } from '../upstream-errors.js';

export interface PgErrorContext {
  connector: string;
  /** What was being done, for the message: "query", "list", "describe". */
  operation: string;
  signal: AbortSignal;
  /** True when the connector sent a cancel for this statement (abort of the call). */
  cancelled?: boolean;
  /** The statement timeout in force, for the TIMEOUT message. */
  timeoutMs?: number;
}

/** The fields node-postgres puts on a DatabaseError (server ErrorResponse) or a socket error. */
interface PgErrorShape {
  message?: string;
  code?: string;
  severity?: string;
  position?: string;
  detail?: string;
  hint?: string;
}

// A connect timeout (ETIMEDOUT) also means the server cannot be reached.
const NETWORK = new Set([...NETWORK_ERROR_CODES, 'ETIMEDOUT']);
const TLS_CODES = /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_)/;
/** Messages node-postgres produces itself (no SQLSTATE) when the server cannot be reached. */
const DRIVER_UNAVAILABLE = /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error/i;

/**
 * Maps a node-postgres failure to a DataMcpError with a stable code. SQL errors keep the
 * engine's message (scrubbed: it can echo values) and its position, because the agent needs
 * them to fix the statement; connection failures never carry the connection settings.
 */
export function pgError(error: unknown, ctx: PgErrorContext): DataMcpError {
  if (error instanceof DataMcpError) return error;
  if (ctx.signal.aborted) return abortError(ctx.signal);
  const e = errorShape<PgErrorShape>(error);
  const sqlstate = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
  const engine = cutUpstreamText(String(e.message ?? 'unknown error'), 500);
  const detail = scrubValue({ connector: ctx.connector, operation: ctx.operation, ...(sqlstate ? { sqlstate } : { errorCode: e.code ?? 'none' }) });
  const make = (code: ErrorCode, message: string, hint: string) => new DataMcpError(code, scrubText(message), hint, detail);
  const source = `PostgreSQL (connector "${ctx.connector}")`;

  if (sqlstate === undefined) {
    if (TLS_CODES.test(e.code ?? '') || /SSL|TLS|certificate/i.test(engine)) {
      return make('UPSTREAM_ERROR', `${source}: the TLS connection failed: ${engine}`, 'The TLS settings of this connector do not match the server (ssl.mode, ssl.ca_file, or the host name in the certificate); the operator must fix them — retrying will not help.');
    }
    if (NETWORK.has(e.code ?? '') || DRIVER_UNAVAILABLE.test(engine)) {
      return make('UNAVAILABLE', `${source} cannot be reached: ${engine}`, 'The database is down or unreachable; wait a little and try again.');
    }
    return make('UPSTREAM_ERROR', `${source} ${ctx.operation} failed: ${engine}`, 'Try again; if it persists, the operator should check the server logs.');
  }

  const withPosition = e.position ? `${engine} (at character ${e.position})` : engine;
  const cls = sqlstate.slice(0, 2);
  if (sqlstate === '57014') {
    if (ctx.cancelled) return abortError(ctx.signal);
    return make('TIMEOUT', `the statement ran longer than its ${ctx.timeoutMs ?? 'configured'} ms limit and was stopped`, 'Make the query cheaper (filters, LIMIT, fewer joins) or ask for a longer timeout within the configured ceiling.');
  }
  if (sqlstate === '25006') {
    return make('INVALID_ARGUMENT', `the statement tried to write in a read-only transaction: ${engine}`, 'Only reads are allowed for this call (the policy did not grant write); send a SELECT.');
  }
  if (sqlstate === '28P01' || sqlstate === '28000') {
    return make('UPSTREAM_ERROR', `${source} refused the login: ${engine}`, "The connector's database credentials are wrong or lack access; the operator must fix them — retrying will not help.");
  }
  if (sqlstate === '42501') {
    return make('UPSTREAM_ERROR', `${source} denied access: ${engine}`, "The connector's database role lacks the privilege; the operator must grant it, or query another table.");
  }
  if (sqlstate === '3D000') {
    return make('UPSTREAM_ERROR', `${source}: ${engine}`, "The connector's configured database does not exist; the operator must fix the configuration.");
  }
  // Serialization failures, deadlocks, resource shortages, shutdowns and lost connections pass.
  if (cls === '40' || cls === '53' || cls === '57' || (cls === '08' && sqlstate !== '08P01') || sqlstate === '55P03') {
    return make('UNAVAILABLE', `${source} could not run the ${ctx.operation} right now: ${engine}`, 'The database is busy, restarting or out of resources; wait a little and try again.');
  }
  // Syntax, undefined objects, bad data, wrong parameter counts (08P01), unsupported features.
  if (cls === '42' || cls === '22' || cls === '0A' || cls === '21' || cls === '23' || cls === '54' || sqlstate === '08P01' || cls === '2B' || cls === '44') {
    const hint = sqlstate === '42601' && /multiple commands/.test(engine)
      ? 'Send exactly one SQL statement per query.'
      : 'Fix the SQL using the message; browse and describe tables to check names and types.';
    return make('INVALID_ARGUMENT', `${source} rejected the SQL: ${withPosition}`, hint);
  }
  return make('UPSTREAM_ERROR', `${source} ${ctx.operation} failed: ${withPosition}`, 'Try again; if it persists, the operator should check the server logs.');
}
