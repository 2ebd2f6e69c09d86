import { z } from 'zod';
import type { DynamoRequest } from '../connectors/types.js';
import { filterSchema } from '../engine/filter-schema.js';
import type { ToolContext } from '../gate/context.js';
import { limitExceeded } from '../results/errors.js';
import type { ToolOutput } from './define-tool.js';
import { withHeartbeat } from './heartbeat.js';

const attr = z.string().min(1).max(255);
const value = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

/** DynamoDB requests are typed data: names and values become expression placeholders, never syntax. */
export const dynamoInput = z
  .object({
    operation: z.enum(['get', 'query', 'scan']).describe('get: one item by its full key; query: a partition (+ sort condition); scan: the whole table (if enabled).'),
    table: z.string().min(3).max(255),
    index: z.string().min(3).max(255).optional().describe('A secondary index to query.'),
    key: z.record(attr, value).optional().describe('get: the full primary key, e.g. {"pk": "user#1", "sk": 5}.'),
    partition: z.object({ name: attr, value }).strict().optional().describe('query: partition key = value.'),
    sort: z
      .object({ name: attr, op: z.enum(['eq', 'lt', 'lte', 'gt', 'gte', 'between', 'begins_with']), value, value2: value.optional() })
      .strict()
      .optional()
      .describe('query: a condition on the sort key (between takes value and value2).'),
    filter: filterSchema.optional().describe('Filter on non-key attributes (applied by DynamoDB after reading).'),
    projection: z.array(attr).min(1).max(100).optional(),
    consistent_read: z.boolean().optional(),
  })
  .strict();

export function toDynamoRequest(input: z.infer<typeof dynamoInput>): DynamoRequest {
  return {
    operation: input.operation,
    table: input.table,
    ...(input.index ? { index: input.index } : {}),
    ...(input.key ? { key: input.key } : {}),
    ...(input.partition ? { partition: input.partition } : {}),
    ...(input.sort ? { sort: { name: input.sort.name, op: input.sort.op, value: input.sort.value, ...(input.sort.value2 !== undefined ? { value2: input.sort.value2 } : {}) } } : {}),
    ...(input.filter ? { filter: input.filter } : {}),
    ...(input.projection ? { projection: input.projection } : {}),
    ...(input.consistent_read !== undefined ? { consistentRead: input.consistent_read } : {}),
  };
}

export async function runDynamo(connector: string, request: DynamoRequest, limitArg: number | undefined, ctx: ToolContext): Promise<ToolOutput> {
  const limits = ctx.config.server.limits;
  const limit = limitArg ?? ctx.config.server.result_budget.max_rows;
  if (limit > limits.max_rows) throw limitExceeded(`limit ${limit} is over the server maximum of ${limits.max_rows} rows`, 'Narrow the key condition, or page through the result handle.');
  const result = await withHeartbeat(ctx, `${request.operation} on ${connector}/${request.table}`, () =>
    ctx.connector(connector).query({ sql: '', dynamo: request, params: {}, maxRows: limit, dryRun: false, readOnly: true, timeoutMs: limits.call_timeout_ms }, [request.table]),
  );
  return {
    structured: {
      connector,
      dialect: 'dynamodb',
      statementKind: request.operation,
      tables: [request.table],
      dryRun: false,
      upstream: result.upstream,
      ...(result.stats ? { stats: result.stats } : {}),
      complete: result.complete,
    },
    table: result.table,
    ...(result.complete || !result.more ? {} : { more: result.more }),
    summary: `${request.operation} on ${connector}/${request.table} returned ${result.table.numRows}${result.complete ? '' : '+'} item(s)${result.stats?.consumedCapacity !== undefined ? ` (${result.stats.consumedCapacity} capacity units)` : ''}.`,
    audit: { rows: result.table.numRows, upstream: result.upstream },
  };
}
