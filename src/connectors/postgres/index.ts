import type { PostgresConnectorConfig } from '../../config/schema.js';
import type { Logger } from '../../logging/logger.js';
import { registerSecret } from '../../results/scrub.js';
import { throwIfAborted } from '../abort.js';
import { capabilitySet } from '../capabilities.js';
import type { ConnectorContext } from '../kinds.js';
import { checkLimit } from '../path-guard.js';
import type { ByteSource, CallOptions, Capability, Connector, ListOptions, ListPage, ObjectStat, QueryRequest, QueryResult, TableDescription } from '../types.js';
import { describeTable, listSchemas, listTables, MAX_LIST_PAGE, type CatalogQuery } from './browse.js';
import { pgError } from './errors.js';
import type { HeldCursor } from './held-cursor.js';
import { locateListing, locateTable, notAnObjectStore } from './paths.js';
import { acquire, PgPoolHolder } from './pool.js';
import { runQuery } from './query.js';
import { PgSession } from './session.js';

export interface PostgresConnectorOptions {
  logger?: Logger;
  /** How long the rest of a paged result waits for its reader before its connection is released (default 60 s). */
  cursorIdleMs?: number;
  /** How long to wait for a connection (network + login, or a free pool slot); default 10 s. */
  connectTimeoutMs?: number;
}

export const DEFAULT_CURSOR_IDLE_MS = 60_000;

/**
 * PostgreSQL through node-postgres (DESIGN §9): one pool per connector (the database
 * credentials are the connector's, whatever the calling service account), TLS per config,
 * browse of schemas and tables, describe from the catalogs, and agent SQL in read-only
 * transactions with a statement timeout. pg is loaded, and the pool created, on first use.
 */
export class PostgresConnector implements Connector {
  readonly kind = 'postgres';
  readonly capabilities: ReadonlySet<Capability> = capabilitySet('postgres');
  private readonly holder: PgPoolHolder;
  private readonly held = new Set<HeldCursor>();
  private readonly cursorIdleMs: number;

  constructor(
    readonly name: string,
    private readonly config: PostgresConnectorConfig,
    private readonly options: PostgresConnectorOptions = {},
  ) {
    // The password must never surface in a message or log line, whatever echoes it.
    registerSecret(config.password);
    this.holder = new PgPoolHolder(config, name, options.logger, options.connectTimeoutMs);
    this.cursorIdleMs = options.cursorIdleMs ?? DEFAULT_CURSOR_IDLE_MS;
  }

  async list(path: string, options: ListOptions): Promise<ListPage> {
    throwIfAborted(options.signal);
    const schema = locateListing(path, this.config.schemas, this.name);
    const limit = checkLimit(options.limit, MAX_LIST_PAGE);
    return this.catalog(options.signal, 'list', (q) =>
      schema === undefined ? listSchemas(q, this.config.schemas, limit, options.cursor) : listTables(q, schema, limit, options.cursor, this.name),
    );
  }

  async describeTable(path: string, options: CallOptions): Promise<TableDescription> {
    throwIfAborted(options.signal);
    const { schema, table } = locateTable(path, this.config.schemas, this.name);
    return this.catalog(options.signal, 'describe', (q) => describeTable(q, schema, table, path, this.name));
  }

  async query(request: QueryRequest, options: CallOptions): Promise<QueryResult> {
    throwIfAborted(options.signal);
    const runtime = await this.holder.get();
    return runQuery({ runtime, config: this.config, connector: this.name, logger: this.options.logger, cursorIdleMs: this.cursorIdleMs, held: this.held }, request, options.signal);
  }

  stat(path: string, _options: CallOptions): Promise<ObjectStat> {
    return Promise.reject(notAnObjectStore(path));
  }

  open(path: string, _options: CallOptions): Promise<ByteSource> {
    return Promise.reject(notAnObjectStore(path));
  }

  /** Pool figures for health checks and leak tests; undefined before the first call. */
  async poolStats(): Promise<{ total: number; idle: number; waiting: number; heldResults: number } | undefined> {
    const pool = await this.holder.existing();
    return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, heldResults: this.held.size };
  }

  async close(): Promise<void> {
    await Promise.all([...this.held].map((h) => h.close('ROLLBACK')));
    await this.holder.end();
  }

  /** Catalog reads on a pooled connection under the call's signal (a cancel stops them server-side). */
  private async catalog<T>(signal: AbortSignal, operation: string, work: (q: CatalogQuery) => Promise<T>): Promise<T> {
    let session: PgSession | undefined;
    try {
      const runtime = await this.holder.get();
      session = new PgSession(await acquire(runtime.pool, signal), runtime.pool, { host: this.config.host, port: this.config.port });
      const s = session;
      const q: CatalogQuery = async <R>(sql: string, params: unknown[]) => (await s.step(signal, () => s.client.query(sql, params))).rows as R[];
      const result = await work(q);
      await s.release(false);
      return result;
    } catch (error) {
      const cancelled = session?.cancelled ?? false;
      await session?.release(cancelled || !isSqlError(error));
      throw pgError(error, { connector: this.name, operation, signal, cancelled });
    }
  }
}

/** A server-reported SQL error leaves the connection usable (no transaction is open here). */
function isSqlError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'severity' in error;
}

export async function createPostgresConnector(name: string, config: PostgresConnectorConfig, context: ConnectorContext): Promise<Connector> {
  return new PostgresConnector(name, config, context.logger ? { logger: context.logger } : {});
}
