import type { DynamodbConnectorConfig } from '../../config/schema.js';
import { DataMcpError, invalidArgument } from '../../results/errors.js';
import { throwIfAborted } from '../abort.js';
import { capabilitySet } from '../capabilities.js';
import type { ConnectorContext } from '../kinds.js';
import { checkLimit, checkPath } from '../path-guard.js';
import type { CallOptions, Capability, Connector, ListOptions, ListPage, QueryRequest, QueryResult, TableDescription } from '../types.js';
import { DynamoClientPool, type ClientHook, type DynamoHandle } from './client.js';
import { dynamoError } from './errors.js';
import { itemsToTable } from './items-to-arrow.js';
import { listTables, MAX_DYNAMO_PAGE } from './list.js';
import { locateTable } from './paths.js';
import { putItems, type PutResult, type RetryPolicy } from './put-items.js';
import { buildRead } from './read-request.js';
import { readItems } from './read.js';
import { ShapeCache } from './shape-cache.js';
import { describeShape } from './table-shape.js';

export interface DynamodbConnectorOptions {
  /** Runs on every DynamoDBClient the connector builds (instrumentation; fault injection in tests). */
  clientHook?: ClientHook;
  /** Retries of BatchWriteItem's UnprocessedItems. */
  retry?: RetryPolicy;
}

/**
 * Amazon DynamoDB (DESIGN §9). Paths are bare table names; only configured tables (all when
 * `tables` is absent) are reachable. Reads are structured requests (`request.dynamo`: get,
 * query, scan) whose names and values only ever travel as expression placeholders. The SDK is
 * loaded, and clients created, on the first call that needs one — one client per credential scope.
 */
export class DynamodbConnector implements Connector {
  readonly kind = 'dynamodb';
  readonly capabilities: ReadonlySet<Capability> = capabilitySet('dynamodb');
  private readonly pool: DynamoClientPool;
  private readonly shapes: ShapeCache;

  constructor(
    readonly name: string,
    private readonly config: DynamodbConnectorConfig,
    private readonly options: DynamodbConnectorOptions = {},
  ) {
    this.pool = new DynamoClientPool(config, options.clientHook);
    this.shapes = new ShapeCache(name);
  }

  async list(path: string, options: ListOptions): Promise<ListPage> {
    throwIfAborted(options.signal);
    if (checkPath(path).segments.length > 0) {
      const table = locateTable(path.replace(/\/$/, ''), this.config.tables, this.name);
      throw invalidArgument(`"${table}" is a table, not a folder`, `Describe "${table}" for its keys, or query it.`);
    }
    if (options.recursive) throw invalidArgument('DynamoDB tables cannot be listed recursively', 'Browse the connector root for its tables.');
    const limit = checkLimit(options.limit, MAX_DYNAMO_PAGE);
    const handle = await this.handle(options, 'ListTables', 'the table list');
    try {
      return await listTables({ handle, limit, cursor: options.cursor, allowlist: this.config.tables, signal: options.signal });
    } catch (error) {
      throw dynamoError(error, { connector: this.name, operation: 'ListTables', subject: 'the table list', signal: options.signal });
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
    const table = locateTable(path, this.config.tables, this.name);
    const handle = await this.handle(options, 'DescribeTable', `table "${table}"`);
    return describeShape(table, await this.shapes.describe(handle, table, options.signal));
  }

  async query(request: QueryRequest, options: CallOptions): Promise<QueryResult> {
    throwIfAborted(options.signal);
    const dynamo = request.dynamo;
    if (!dynamo) throw invalidArgument(`connector "${this.name}" (dynamodb) takes a structured request, not SQL`, 'Send {"dynamodb": {"operation": "get" | "query" | "scan", "table": ...}} instead of sql.');
    if (!Number.isSafeInteger(request.maxRows) || request.maxRows < 1) throw invalidArgument('maxRows must be a positive integer', 'Ask for at least one row.');
    const table = locateTable(dynamo.table, this.config.tables, this.name);
    if (dynamo.operation === 'scan' && !this.config.scan.enabled) {
      throw new DataMcpError('POLICY_DENIED', `scans are disabled on connector "${this.name}"`, 'Read by key instead: a "query" on the partition key (or an index), or a "get" by the full key. The operator may enable scans (scan.enabled) in the connector config.');
    }
    const signal = request.timeoutMs > 0 ? AbortSignal.any([options.signal, AbortSignal.timeout(request.timeoutMs)]) : options.signal;
    const handle = await this.handle({ ...options, signal }, 'DescribeTable', `table "${table}"`);
    const built = buildRead(dynamo, table, await this.shapes.forRequest(handle, table, signal));
    if (request.dryRun) return { table: itemsToTable([], built.leading), complete: true, upstream: {}, estimate: {} };
    const scanBudget = built.operation === 'Scan' ? this.config.scan.max_items : undefined;
    return readItems({ handle, built, connector: this.name, maxRows: request.maxRows, ...(scanBudget !== undefined ? { scanBudget } : {}) }, signal);
  }

  /**
   * Writes items to a table (see put-items.ts for the exact semantics): `createOnly` never
   * replaces an existing item; otherwise BatchWriteItem replaces items with the same key.
   */
  async putItems(table: string, items: Array<Record<string, unknown>>, options: CallOptions & { createOnly: boolean }): Promise<PutResult> {
    throwIfAborted(options.signal);
    const name = locateTable(table, this.config.tables, this.name);
    const handle = await this.handle(options, 'DescribeTable', `table "${name}"`);
    const shape = await this.shapes.forRequest(handle, name, options.signal);
    if (!shape) {
      throw new DataMcpError('UPSTREAM_ERROR', `the key schema of table "${name}" could not be read`, "Writes need dynamodb:DescribeTable on the table for the service account's AWS credentials; the operator must grant it.");
    }
    return putItems({ handle, shape, connector: this.name, signal: options.signal, ...(this.options.retry ? { retry: this.options.retry } : {}) }, items, options.createOnly);
  }

  async close(): Promise<void> {
    await this.pool.destroyAll();
  }

  private async handle(options: CallOptions, operation: string, subject: string): Promise<DynamoHandle> {
    try {
      return await this.pool.get(options.credentials);
    } catch (error) {
      throw dynamoError(error, { connector: this.name, operation, subject, signal: options.signal });
    }
  }
}

function notAnObjectStore(path: string): DataMcpError {
  return new DataMcpError('INVALID_ARGUMENT', `"${path}" is a DynamoDB table, which has items, not objects`, 'Describe the table for its keys, or query it with a structured get/query/scan request.');
}

export async function createDynamodbConnector(name: string, config: DynamodbConnectorConfig, _context: ConnectorContext): Promise<Connector> {
  return new DynamodbConnector(name, config);
}
