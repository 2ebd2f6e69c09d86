import type { PostgresConnectorConfig } from '../../config/schema.js';
import type { Logger } from '../../logging/logger.js';
import { invalidArgument } from '../../results/errors.js';
import type { ParamValue, QueryRequest, QueryResult } from '../types.js';
import { pageToTable, planColumns } from './arrow-page.js';
import { backendPid } from './cancel.js';
import { pgError } from './errors.js';
import { explainEstimate } from './explain.js';
import { HeldCursor } from './held-cursor.js';
import { acquire, type PgRuntime } from './pool.js';
import { readRows, TEXT_TYPES, type TextCursor } from './read.js';
import { PgSession } from './session.js';
import { transactionPreamble } from './transaction.js';

export interface QueryDeps {
  runtime: PgRuntime;
  config: PostgresConnectorConfig;
  connector: string;
  logger: Logger | undefined;
  cursorIdleMs: number;
  held: Set<HeldCursor>;
}

/** Smallest page `more()` reads per round trip, so small `maxRows` do not mean thousands of trips. */
const MIN_PAGE_ROWS = 1_000;

/**
 * Runs one agent statement in its own transaction (read-only unless writes were granted), with
 * a local statement timeout, over the extended protocol — pg-cursor always sends
 * Parse/Bind/Execute, so the server itself refuses a second statement in the text. Reads
 * maxRows + 1 rows to learn whether more exist; when they do, the portal stays open on its
 * connection for `more()`.
 */
export async function runQuery(deps: QueryDeps, request: QueryRequest, signal: AbortSignal): Promise<QueryResult> {
  const { runtime, config, connector } = deps;
  const values = checkRequest(request);
  const timeoutMs = effectiveTimeout(config.statement_timeout_ms, request.timeoutMs);
  const session = new PgSession(await acquireOrMap(deps, signal), runtime.pool, { host: config.host, port: config.port });
  const pid = backendPid(session.client);
  const upstream: Record<string, string> = pid !== undefined ? { backendPid: String(pid) } : {};
  const endSql = request.readOnly ? 'ROLLBACK' : 'COMMIT';
  try {
    const preamble = transactionPreamble({ readOnly: request.readOnly, timeoutMs, idleMs: deps.cursorIdleMs, schemas: config.schemas });
    await session.step(signal, () => session.client.query(preamble));
    if (request.dryRun) {
      const estimate = await explainEstimate(session, runtime, request.sql, values, signal);
      await session.end('ROLLBACK');
      return { table: pageToTable([], []), complete: true, estimate, upstream };
    }
    const cursor: TextCursor = session.client.query(new runtime.Cursor(request.sql, values, { rowMode: 'array', types: TEXT_TYPES }));
    const first = await session.step(signal, () => readRows(cursor, request.maxRows + 1));
    const plans = planColumns(first.fields);
    const carry = first.rows[request.maxRows];
    if (carry === undefined) {
      await session.end(endSql);
      return { table: pageToTable(plans, first.rows), complete: true, totalRows: first.rows.length, upstream };
    }
    const held = new HeldCursor(session, cursor, {
      connector,
      plans,
      carry,
      pageRows: Math.max(request.maxRows, MIN_PAGE_ROWS),
      endSql,
      idleMs: deps.cursorIdleMs,
      timeoutMs,
      logger: deps.logger,
      onClosed: (h) => deps.held.delete(h),
    });
    deps.held.add(held);
    return { table: pageToTable(plans, first.rows.slice(0, request.maxRows)), complete: false, more: () => held.pages(), upstream };
  } catch (error) {
    const cancelled = session.cancelled;
    await session.abandon();
    throw pgError(error, { connector, operation: 'query', signal, cancelled, timeoutMs });
  }
}

async function acquireOrMap(deps: QueryDeps, signal: AbortSignal) {
  try {
    return await acquire(deps.runtime.pool, signal);
  } catch (error) {
    throw pgError(error, { connector: deps.connector, operation: 'connection', signal });
  }
}

/** The engine-level timeout: the lower of the connector's ceiling and the call's own. */
export function effectiveTimeout(configMs: number, requestMs: number): number {
  const valid = Number.isFinite(requestMs) && requestMs >= 1;
  return Math.max(1, Math.floor(valid ? Math.min(configMs, requestMs) : configMs));
}

function checkRequest(request: QueryRequest): ParamValue[] {
  if (typeof request.sql !== 'string' || request.sql.trim() === '') {
    throw invalidArgument('the SQL statement is empty', 'Send one SQL statement.');
  }
  if (!Number.isSafeInteger(request.maxRows) || request.maxRows < 1) {
    throw invalidArgument('maxRows must be a positive integer', 'Ask for at least one row.');
  }
  const positional = request.positionalParams ?? [];
  if (Object.keys(request.params).length > 0 && request.positionalParams === undefined) {
    throw invalidArgument('PostgreSQL takes positional parameters', 'Write $1, $2, … in the SQL and pass the values in order.');
  }
  for (const v of positional) {
    const ok = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw invalidArgument('parameters must be strings, finite numbers, booleans or null', 'Pass plain values for $1..$n.');
  }
  return positional;
}
