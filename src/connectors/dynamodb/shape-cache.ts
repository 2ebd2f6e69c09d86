import type { DynamoHandle } from './client.js';
import { dynamoError } from './errors.js';
import { tableShapeOf, type TableShape } from './table-shape.js';

/** Key schemas change rarely (indexes come and go): five minutes is fresh enough to validate requests. */
const SHAPE_TTL_MS = 5 * 60_000;

interface Entry {
  shape: TableShape;
  expires: number;
}

/**
 * Table shapes (keys, attribute types, indexes) per credential source and table, so a query
 * is validated against the key schema without a DescribeTable on every call.
 */
export class ShapeCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly connector: string) {}

  /** A fresh DescribeTable; the result also refreshes the cache. */
  async describe(handle: DynamoHandle, table: string, signal: AbortSignal): Promise<TableShape> {
    const { sdk, client } = handle;
    try {
      const response = await client.send(new sdk.DescribeTableCommand({ TableName: table }), { abortSignal: signal });
      const shape = tableShapeOf(table, response.Table ?? {});
      this.entries.set(`${handle.scopeKey}\u0000${table}`, { shape, expires: Date.now() + SHAPE_TTL_MS });
      return shape;
    } catch (error) {
      throw dynamoError(error, { connector: this.connector, operation: 'DescribeTable', subject: `table "${table}"`, signal });
    }
  }

  /**
   * The shape for validating a request. A role that may read items but not DescribeTable
   * (least privilege) still works: the request then goes out unvalidated and DynamoDB itself
   * checks it.
   */
  async forRequest(handle: DynamoHandle, table: string, signal: AbortSignal): Promise<TableShape | undefined> {
    const cached = this.entries.get(`${handle.scopeKey}\u0000${table}`);
    if (cached && cached.expires > Date.now()) return cached.shape;
    try {
      return await this.describe(handle, table, signal);
    } catch (error) {
      const cause = (error as { detail?: { upstreamCode?: unknown } }).detail?.upstreamCode;
      if (cause === 'AccessDeniedException' && !signal.aborted) return undefined;
      throw error;
    }
  }
}
