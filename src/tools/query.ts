import { z } from 'zod';
import { limitExceeded } from '../results/errors.js';
import { connectorArg, dataOutputShape } from './common.js';
import { defineTool } from './define-tool.js';
import { planDynamo, planQuery, type QueryPlan } from './query-plan.js';
import { queryRequestFor } from './query-request.js';
import { withHeartbeat } from './heartbeat.js';
import { dynamoInput, runDynamo, toDynamoRequest } from './query-dynamo.js';

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a parameter name: letters, digits, underscore');
const paramValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

export const query = defineTool({
  name: 'query',
  title: 'Query a warehouse',
  description:
    'Run one SQL statement on a postgres, redshift or bigquery connector. Reads only (unless the operator enabled writes and policy grants them); every table it references must be granted. Pass values as params, never inline: :name in PostgreSQL/Redshift SQL, @name in BigQuery. dry_run validates and estimates without running; BigQuery is always dry-run first and refused over the bytes ceiling. Results over the budget come back truncated with a result:// handle that pages the rest from the warehouse.',
  toolset: 'data',
  risk: 'read',
  riskWhenWritable: 'write',
  // UPDATE/DELETE/MERGE where the destructive tier is served (and policy grants delete).
  replaces: 'when-destructive-served',
  cache: 'read',
  input: z
    .object({
      connector: connectorArg,
      sql: z.string().min(1).max(100_000).optional().describe('Exactly one SQL statement (postgres, redshift, bigquery).'),
      dynamodb: dynamoInput.optional().describe('For a dynamodb connector instead of sql: get an item, query a partition, or scan.'),
      params: z.record(paramName, paramValue).optional().describe('Named parameter values, e.g. {"region": "north", "min": 100}.'),
      dry_run: z.boolean().default(false).describe('Validate and estimate only.'),
      max_bytes_billed: z.number().int().min(1).optional().describe('BigQuery: lower the bytes ceiling for this query (cannot raise it).'),
      limit: z.number().int().min(1).optional().describe('Rows to fetch now (default: the result budget); the rest stay behind a handle.'),
    })
    .strict()
    .refine((a) => (a.sql === undefined) !== (a.dynamodb === undefined), { message: 'give exactly one of sql or dynamodb' }),
  output: z.object({
    connector: z.string(),
    dialect: z.string(),
    statementKind: z.string(),
    tables: z.array(z.string()),
    dryRun: z.boolean(),
    estimate: z
      .object({
        bytesProcessed: z.number().optional(),
        estimatedCostUsd: z.number().optional(),
        // PostgreSQL EXPLAIN figures: without them a dry run's structuredContent broke this schema.
        estimatedRows: z.number().optional().describe('Planner estimate of the rows returned (PostgreSQL EXPLAIN).'),
        planCost: z.number().optional().describe('Planner total cost in PostgreSQL units, for comparing statements.'),
      })
      .optional(),
    upstream: z.record(z.string(), z.string()).optional(),
    stats: z.object({ bytesProcessed: z.number().optional(), bytesBilled: z.number().optional(), consumedCapacity: z.number().optional() }).optional(),
    complete: z.boolean().describe('False when more rows remain in the warehouse (read them through handle).'),
    ...dataOutputShape,
  }),
  authorize: (args, env) =>
    args.dynamodb ? planDynamo(env.connector(args.connector), toDynamoRequest(args.dynamodb)) : planQuery(env.config, env.connector(args.connector), args.sql ?? ''),
  async handler(args, ctx) {
    if (args.dynamodb) return runDynamo(args.connector, toDynamoRequest(args.dynamodb), args.limit, ctx);
    const plan = ctx.plan as QueryPlan;
    const limits = ctx.config.server.limits;
    const limit = args.limit ?? ctx.config.server.result_budget.max_rows;
    if (limit > limits.max_rows) throw limitExceeded(`limit ${limit} is over the server maximum of ${limits.max_rows} rows`, 'Aggregate in SQL, or page through the result handle.');
    const request = queryRequestFor(plan, args.params ?? {}, {
      maxRows: limit,
      dryRun: args.dry_run,
      ...(args.max_bytes_billed ? { maxBytesBilled: args.max_bytes_billed } : {}),
      timeoutMs: limits.call_timeout_ms,
    });
    const result = await withHeartbeat(ctx, `${plan.guarded.statementKind} on ${args.connector}`, () => ctx.connector(args.connector).query(request, plan.paths));
    const structured = {
      connector: args.connector,
      dialect: plan.dialect,
      statementKind: plan.guarded.statementKind,
      tables: plan.paths,
      dryRun: args.dry_run,
      ...(result.estimate ? { estimate: result.estimate } : {}),
      upstream: result.upstream,
      ...(result.stats ? { stats: result.stats } : {}),
      complete: result.complete,
    };
    const summary = args.dry_run
      ? `Dry run of a ${plan.guarded.statementKind} on ${args.connector}: valid${result.estimate?.bytesProcessed !== undefined ? `, would process ${result.estimate.bytesProcessed} bytes` : ''}${result.estimate?.estimatedCostUsd !== undefined ? ` (~$${result.estimate.estimatedCostUsd.toFixed(4)})` : ''}.`
      : `${plan.guarded.statementKind} on ${args.connector} returned ${result.table.numRows}${result.complete ? '' : '+'} row(s) from ${plan.paths.join(', ') || 'no table'}.`;
    return {
      structured,
      table: result.table,
      ...(result.complete || !result.more ? {} : { more: result.more }),
      // Writes are never cached.
      ...(plan.guarded.readOnly ? {} : { noStore: true }),
      summary,
      audit: { rows: result.table.numRows, upstream: result.upstream, ...(result.stats?.bytesProcessed !== undefined ? { bytes: result.stats.bytesProcessed } : {}) },
    };
  },
});
