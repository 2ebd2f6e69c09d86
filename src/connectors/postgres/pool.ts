import type * as PgModule from 'pg';
import type CursorClass from 'pg-cursor';
import type { PostgresConnectorConfig } from '../../config/schema.js';
import type { Logger } from '../../logging/logger.js';
import { DataMcpError } from '../../results/errors.js';
import { abortError } from '../abort.js';
import { lazyModule } from '../sdk-loader.js';
import { sslOptions } from './tls.js';

/** Type-only imports: erased at compile time, so loading this module does not load pg. */
export type Pg = typeof PgModule.default;
export type Cursor = typeof CursorClass;
export type PgPool = PgModule.Pool;
export type PgClient = PgModule.PoolClient;

export interface PgRuntime {
  pg: Pg;
  Cursor: Cursor;
  pool: PgPool;
}

/** Loads node-postgres and pg-cursor on first use only (cold start must not pay for them). */
const loadDriver: () => Promise<{ pg: Pg; Cursor: Cursor }> = lazyModule('PostgreSQL driver', () =>
  Promise.all([import('pg'), import('pg-cursor')]).then(([pg, cursor]) => ({ pg: pg.default, Cursor: cursor.default })),
);

/** How long to wait for a TCP/TLS connection and authentication before calling the server unavailable. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Session settings every connection starts with, so values arrive in the text forms the type
 * map expects (UTC timestamps, ISO dates, hex bytea) whatever the server's defaults are. The
 * statement timeout is the connector's ceiling for catalog queries; agent queries lower it per
 * transaction.
 */
function sessionOptions(config: PostgresConnectorConfig): string {
  return ['-c TimeZone=UTC', '-c DateStyle=ISO,MDY', '-c IntervalStyle=postgres', '-c bytea_output=hex', `-c statement_timeout=${config.statement_timeout_ms}`].join(' ');
}

export function createPool(pg: Pg, config: PostgresConnectorConfig, connector: string, logger: Logger | undefined, connectTimeoutMs = CONNECT_TIMEOUT_MS): PgPool {
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    ...(config.password !== undefined ? { password: config.password } : {}),
    ssl: sslOptions(config.ssl, connector),
    max: config.pool_max,
    // Also how long a call waits for a free pooled connection.
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    // An idle pool must not keep the process alive after the server is asked to stop.
    allowExitOnIdle: true,
    keepAlive: true,
    application_name: 'data-mcp',
    options: sessionOptions(config),
  });
  // A pooled connection that dies while idle (server restart, network) must not crash the process.
  pool.on('error', (error) => logger?.warn({ connector, err: error.message }, 'postgres: idle connection failed; it was dropped from the pool'));
  return pool;
}

export class PgPoolHolder {
  private runtime: Promise<PgRuntime> | undefined;

  constructor(
    private readonly config: PostgresConnectorConfig,
    private readonly connector: string,
    private readonly logger: Logger | undefined,
    private readonly connectTimeoutMs = CONNECT_TIMEOUT_MS,
  ) {}

  get(): Promise<PgRuntime> {
    this.runtime ??= loadDriver().then(({ pg, Cursor }) => ({ pg, Cursor, pool: createPool(pg, this.config, this.connector, this.logger, this.connectTimeoutMs) }));
    this.runtime.catch(() => (this.runtime = undefined));
    return this.runtime;
  }

  /** The pool if it was ever created (tests and close() look at it without creating one). */
  async existing(): Promise<PgPool | undefined> {
    return this.runtime ? (await this.runtime.catch(() => undefined))?.pool : undefined;
  }

  async end(): Promise<void> {
    const pool = await this.existing();
    this.runtime = undefined;
    await pool?.end();
  }
}

/**
 * Checks a client out of the pool, giving up as soon as the signal aborts (a client that
 * arrives later goes straight back). While checked out the client has an error listener of
 * its own: pg removes the pool's, and an unhandled 'error' event would crash the process
 * when the server ends the session (idle-in-transaction timeout, restart).
 */
export async function acquire(pool: PgPool, signal: AbortSignal): Promise<PgClient> {
  if (signal.aborted) throw abortError(signal);
  const connecting = pool.connect();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const client = await Promise.race([connecting, aborted]);
    client.on('error', ignoreError);
    return client;
  } catch (error) {
    connecting.then((late) => late.release(), () => undefined);
    throw poolExhausted(pool, error) ?? error;
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** pg's connect timeout also fires when every pooled connection is busy: say which it was. */
function poolExhausted(pool: PgPool, error: unknown): DataMcpError | undefined {
  const max = pool.options.max ?? 10;
  const timedOut = error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message);
  if (!timedOut || pool.totalCount < max) return undefined;
  return new DataMcpError(
    'UNAVAILABLE',
    `all ${max} database connections of this connector are busy (running queries or paged results not yet read)`,
    'Wait for running queries to finish, or read the rest of earlier results, then try again.',
  );
}

function ignoreError(): void {
  // The failure surfaces on the pending query (or the next one) and is mapped there.
}

/** How long a destroyed connection may take to close before the caller stops waiting. */
const DESTROY_WAIT_MS = 2_000;

/**
 * Returns a client to the pool, or destroys it when its session state cannot be trusted. A
 * destroy resolves once the server has closed the connection (it ends the backend before the
 * socket closes), so a caller reporting CANCELLED knows the backend is gone.
 */
export async function releaseClient(client: PgClient, destroy: boolean): Promise<void> {
  client.removeListener('error', ignoreError);
  if (!destroy) {
    client.release();
    return;
  }
  // A destroyed client may still emit a late socket error; keep it from becoming unhandled.
  client.on('error', ignoreError);
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolve) => {
    client.once('end', () => resolve());
    timer = setTimeout(resolve, DESTROY_WAIT_MS);
    timer.unref();
  });
  client.release(true);
  await closed;
  clearTimeout(timer);
}
