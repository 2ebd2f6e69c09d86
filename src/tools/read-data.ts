import { z } from 'zod';
import { filterSchema } from '../engine/filter-schema.js';
import { columnsArg, connectorArg, dataOutputShape, formatArg, sourcePathArg } from './common.js';
import { defineTool } from './define-tool.js';
import { readSource, sourceRequests } from './read-source.js';

export const readData = defineTool({
  name: 'read_data',
  title: 'Read data',
  description:
    'Read rows from an object (csv, json, jsonl, parquet, arrow) or from every object a glob matches ("events/*.jsonl", "2025/**/*.parquet"). Choose columns, a typed filter ({column, op, value} with and/or/not) and a limit. Results over the budget come back truncated with a result:// handle for the rest.',
  toolset: 'data',
  risk: 'read',
  cache: 'read',
  input: z
    .object({
      connector: connectorArg,
      path: sourcePathArg,
      format: formatArg,
      columns: columnsArg.optional().describe('Columns to return (default: all).'),
      filter: filterSchema.optional().describe('Typed predicate, e.g. {"and":[{"column":"status","op":"eq","value":"shipped"},{"column":"amount","op":"gt","value":100}]}.'),
      limit: z.number().int().min(1).optional().describe('Maximum rows to read (default: the result budget).'),
    })
    .strict(),
  output: z.object({
    connector: z.string(),
    path: z.string(),
    format: z.string(),
    objects: z.array(z.object({ path: z.string(), rows: z.number(), bytesRead: z.number(), rowGroupsSkipped: z.number().optional().describe('Parquet row groups skipped unread because their statistics rule out the filter.') })),
    rowsScanned: z.number(),
    bytesRead: z.number(),
    complete: z.boolean().describe('False when the limit stopped the read before the sources were exhausted.'),
    ...dataOutputShape,
  }),
  // A glob needs `list` on its literal base; each object it matches is authorized for `read` in the handler.
  authorize: (args) => sourceRequests(args),
  async handler(args, ctx) {
    const result = await readSource(args, ctx, ctx.config.server.result_budget.max_rows);
    const { path } = result;
    const summary = `Read ${result.table.numRows} row(s) from ${result.objects.length} of ${result.matched} matching object(s) in ${args.connector}/${path} (${result.format}; scanned ${result.rowsScanned} rows, ${result.bytesRead} bytes${result.complete ? '' : '; stopped at the limit'}).`;
    return {
      structured: { connector: args.connector, path, format: result.format, objects: result.objects, rowsScanned: result.rowsScanned, bytesRead: result.bytesRead, complete: result.complete },
      table: result.table,
      summary,
      audit: { rows: result.table.numRows, bytes: result.bytesRead },
    };
  },
});
