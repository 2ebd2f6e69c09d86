import { z } from 'zod';
import { expandGlob, globBase, isGlob } from '../data/glob.js';
import { filterSchema } from '../engine/filter-schema.js';
import { canonicalizePath } from '../policy/paths.js';
import { invalidArgument, limitExceeded } from '../results/errors.js';
import { connectorArg, dataOutputShape, formatArg, pathArg, requestFor } from './common.js';
import { defineTool } from './define-tool.js';

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
      path: pathArg.min(1).describe('An object path, or a glob with * ** ? [] {} (matched below its literal prefix).'),
      format: formatArg,
      columns: z.array(z.string().min(1).max(256)).min(1).max(500).optional().describe('Columns to return (default: all).'),
      filter: filterSchema.optional().describe('Typed predicate, e.g. {"and":[{"column":"status","op":"eq","value":"shipped"},{"column":"amount","op":"gt","value":100}]}.'),
      limit: z.number().int().min(1).optional().describe('Maximum rows to read (default: the result budget).'),
    })
    .strict(),
  output: z.object({
    connector: z.string(),
    path: z.string(),
    format: z.string(),
    objects: z.array(z.object({ path: z.string(), rows: z.number(), bytesRead: z.number() })),
    rowsScanned: z.number(),
    bytesRead: z.number(),
    complete: z.boolean().describe('False when the limit stopped the read before the sources were exhausted.'),
    ...dataOutputShape,
  }),
  authorize: (args) => {
    const path = canonicalizePath(args.path);
    // A glob needs `list` on its literal base; each object it matches is authorized for `read` in the handler.
    return [isGlob(path) ? requestFor('list', args.connector, globBase(path)) : requestFor('read', args.connector, path)];
  },
  async handler(args, ctx) {
    const path = canonicalizePath(args.path);
    if (path.endsWith('/')) throw invalidArgument(`"${path}" is a prefix`, 'Give an object path or a glob such as "prefix/*.csv".');
    const limits = ctx.config.server.limits;
    const limit = args.limit ?? ctx.config.server.result_budget.max_rows;
    if (limit > limits.max_rows) throw limitExceeded(`limit ${limit} is over the server maximum of ${limits.max_rows} rows`, `Use a limit of at most ${limits.max_rows}, and a filter or aggregation to narrow the data.`);
    const connector = ctx.connector(args.connector);
    const paths = isGlob(path) ? await expandGlob(connector, path, limits.max_objects) : [path];
    if (isGlob(path)) ctx.authorize(paths.map((p) => requestFor('read', args.connector, p)));
    // Loaded on first use: the readers pull in Arrow and Parquet, which start-up must not pay for.
    const { readObjects } = await import('../data/read-objects.js');
    const result = await readObjects(connector, paths, {
      ...(args.format ? { format: args.format } : {}),
      ...(args.columns ? { columns: args.columns } : {}),
      ...(args.filter ? { filter: args.filter } : {}),
      limit,
      maxRows: limits.max_rows,
      maxObjectBytes: limits.max_object_bytes,
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress(done, total, `read ${done} of ${total} object(s)`),
    });
    const summary = `Read ${result.table.numRows} row(s) from ${result.objects.length} of ${paths.length} matching object(s) in ${args.connector}/${path} (${result.format}; scanned ${result.rowsScanned} rows, ${result.bytesRead} bytes${result.complete ? '' : '; stopped at the limit'}).`;
    return {
      structured: { connector: args.connector, path, format: result.format, objects: result.objects, rowsScanned: result.rowsScanned, bytesRead: result.bytesRead, complete: result.complete },
      table: result.table,
      summary,
      audit: { rows: result.table.numRows, bytes: result.bytesRead },
    };
  },
});
