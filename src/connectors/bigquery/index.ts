import type { BigqueryConnectorConfig } from '../../config/schema.js';
import type { Logger } from '../../logging/logger.js';
import { invalidArgument, type DataMcpError } from '../../results/errors.js';
import { throwIfAborted } from '../abort.js';
import { capabilitySet } from '../capabilities.js';
import type { ConnectorContext } from '../kinds.js';
import { checkLimit } from '../path-guard.js';
import type { ByteSource, CallOptions, Capability, Connector, ListOptions, ListPage, ObjectStat, QueryRequest, QueryResult, TableDescription } from '../types.js';
import { describe, listAllowlisted, listDatasets, listTables, MAX_BIGQUERY_PAGE } from './browse.js';
import { BigqueryClientPool, type BigqueryClientSeams } from './client.js';
import { bigqueryError } from './errors.js';
import { locate, locateTable } from './paths.js';
import { runQuery } from './query.js';

export type { BigqueryClientSeams } from './client.js';

/**
 * BigQuery (DESIGN §9): datasets and tables to browse and describe, and GoogleSQL queries that
 * are always dry-run first and never bill more than `maximum_bytes_billed`. The SDK is loaded,
 * and clients created, on the first call that needs one — one client per credential scope.
 */
export class BigqueryConnector implements Connector {
  readonly kind = 'bigquery';
  readonly capabilities: ReadonlySet<Capability> = capabilitySet('bigquery');
  private readonly pool: BigqueryClientPool;

  constructor(
    readonly name: string,
    private readonly config: BigqueryConnectorConfig,
    private readonly logger?: Logger,
    seams: BigqueryClientSeams = {},
  ) {
    this.pool = new BigqueryClientPool(config, seams);
  }

  async list(path: string, options: ListOptions): Promise<ListPage> {
    throwIfAborted(options.signal);
    const location = locate(path, this.config.datasets, this.name);
    const limit = checkLimit(options.limit, MAX_BIGQUERY_PAGE);
    if (location.level === 'table') {
      throw invalidArgument(`"${path}" is a table, which has nothing to list`, 'Describe it to see its columns, or query it.');
    }
    if (location.level === 'project' && options.recursive) {
      throw invalidArgument('a recursive listing needs a dataset', 'List "dataset/" instead of the connector root.');
    }
    if (location.level === 'project' && this.config.datasets) return listAllowlisted(this.config.datasets, limit, options.cursor);
    try {
      const handle = await this.pool.get(options.credentials);
      return location.level === 'project'
        ? await listDatasets(handle, limit, options.cursor, options.signal)
        : await listTables(handle, location.dataset, limit, options.cursor, options.signal);
    } catch (error) {
      throw bigqueryError(error, { connector: this.name, operation: location.level === 'project' ? 'datasets.list' : 'tables.list', target: `"${path}"`, signal: options.signal });
    }
  }

  stat(path: string, _options?: CallOptions): Promise<ObjectStat> {
    return Promise.reject(notAnObjectStore(path));
  }

  open(path: string, _options?: CallOptions): Promise<ByteSource> {
    return Promise.reject(notAnObjectStore(path));
  }

  async describeTable(path: string, options: CallOptions): Promise<TableDescription> {
    throwIfAborted(options.signal);
    const { dataset, table } = locateTable(path, this.config.datasets, this.name);
    try {
      return await describe(await this.pool.get(options.credentials), dataset, table, path, options.signal);
    } catch (error) {
      throw bigqueryError(error, { connector: this.name, operation: 'tables.get', target: `"${path}"`, signal: options.signal });
    }
  }

  async query(request: QueryRequest, options: CallOptions): Promise<QueryResult> {
    throwIfAborted(options.signal);
    let handle;
    try {
      handle = await this.pool.get(options.credentials);
    } catch (error) {
      throw bigqueryError(error, { connector: this.name, operation: 'connect', target: 'the query', signal: options.signal });
    }
    return runQuery({ connector: this.name, config: this.config, handle, ...(this.logger ? { logger: this.logger } : {}) }, request, options.signal);
  }

  async close(): Promise<void> {
    this.pool.close();
  }
}

function notAnObjectStore(path: string): DataMcpError {
  return invalidArgument(`"${path}" is in a BigQuery connector, which holds tables, not objects`, 'Describe a table ("dataset/table") to see its columns, or query it with SQL.');
}

export async function createBigqueryConnector(name: string, config: BigqueryConnectorConfig, context: ConnectorContext): Promise<Connector> {
  return new BigqueryConnector(name, config, context.logger, context.seams?.bigquery);
}
