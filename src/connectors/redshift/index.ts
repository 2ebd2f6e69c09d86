import type { RedshiftConnectorConfig } from '../../config/schema.js';
import { DataMcpError } from '../../results/errors.js';
import { throwIfAborted } from '../abort.js';
import { capabilitySet } from '../capabilities.js';
import type { ConnectorContext } from '../kinds.js';
import { checkLimit } from '../path-guard.js';
import type { CallOptions, Capability, Connector, ListOptions, ListPage, QueryRequest, QueryResult, TableDescription } from '../types.js';
import { describeTable, listSchemas, listTables, MAX_REDSHIFT_PAGE } from './catalog.js';
import { RedshiftClientPool } from './client.js';
import { redshiftError } from './errors.js';
import { decodeCursor, locateRelation, locateTable } from './paths.js';
import { runQuery } from './query.js';
import { targetOf, type RedshiftTarget } from './target.js';

/**
 * Amazon Redshift through the Data API (DESIGN §9): a serverless workgroup or a provisioned
 * cluster. Paths are `schema/` and `schema/table` inside the configured database. The SDK is
 * loaded, and clients created, on the first call that needs one — one client per credential
 * scope.
 */
export class RedshiftConnector implements Connector {
  readonly kind = 'redshift';
  readonly capabilities: ReadonlySet<Capability> = capabilitySet('redshift');
  private readonly pool: RedshiftClientPool;
  private readonly target: RedshiftTarget;

  constructor(
    readonly name: string,
    private readonly config: RedshiftConnectorConfig,
  ) {
    this.target = targetOf(name, config);
    this.pool = new RedshiftClientPool(config);
  }

  async list(path: string, options: ListOptions): Promise<ListPage> {
    throwIfAborted(options.signal);
    const where = locateRelation(path, this.config.schemas, this.name);
    if (where.table !== undefined) {
      throw new DataMcpError('INVALID_ARGUMENT', `"${path}" is a table, not a schema`, `Describe "${path}" for its columns, or browse "${where.schema}/" for its siblings.`);
    }
    if (options.recursive) {
      throw new DataMcpError('INVALID_ARGUMENT', 'a warehouse cannot be listed recursively', 'Browse the root for schemas, then "schema/" for its tables.');
    }
    const listed = where.schema === undefined ? '' : `${where.schema}/`;
    const limit = checkLimit(options.limit, MAX_REDSHIFT_PAGE);
    const token = decodeCursor(options.cursor, listed);
    try {
      const listing = { handle: await this.pool.get(options.credentials), target: this.target, path: listed, limit, token, signal: options.signal };
      return where.schema === undefined ? await listSchemas(listing, this.config.schemas) : await listTables(listing, where.schema);
    } catch (error) {
      throw redshiftError(error, { connector: this.name, operation: where.schema === undefined ? 'ListSchemas' : 'ListTables', subject: `"${path}"`, signal: options.signal });
    }
  }

  stat(path: string): Promise<never> {
    return Promise.reject(notAnObjectStore(path));
  }

  open(path: string): Promise<never> {
    return Promise.reject(notAnObjectStore(path));
  }

  async describeTable(path: string, options: CallOptions): Promise<TableDescription> {
    throwIfAborted(options.signal);
    const { schema, table } = locateTable(path, this.config.schemas, this.name);
    try {
      const handle = await this.pool.get(options.credentials);
      return await describeTable({ handle, target: this.target, schema, table, connector: this.name, signal: options.signal });
    } catch (error) {
      throw redshiftError(error, { connector: this.name, operation: 'DescribeTable', subject: `"${path}"`, signal: options.signal });
    }
  }

  async query(request: QueryRequest, options: CallOptions): Promise<QueryResult> {
    throwIfAborted(options.signal);
    const handle = await this.pool.get(options.credentials);
    return runQuery(handle, request, options.signal, {
      connector: this.name,
      target: this.target,
      pollIntervalMs: this.config.poll_interval_ms,
      statementTimeoutMs: this.config.statement_timeout_ms,
    });
  }

  async close(): Promise<void> {
    await this.pool.destroyAll();
  }
}

function notAnObjectStore(path: string): DataMcpError {
  return new DataMcpError('INVALID_ARGUMENT', `"${path}" is in a warehouse, which has tables, not objects`, 'Describe "schema/table" for its columns, or query it with SQL.');
}

export async function createRedshiftConnector(name: string, config: RedshiftConnectorConfig, _context: ConnectorContext): Promise<Connector> {
  return new RedshiftConnector(name, config);
}
