import { z } from 'zod';
import { filterSchema } from '../engine/filter-schema.js';
import { columnsArg, connectorArg, dataOutputShape, formatArg, sourcePathArg } from './common.js';
import { defineTool } from './define-tool.js';
import { columnProfileSchema } from './profile-schema.js';
import { readSource, sourceRequests } from './read-source.js';

/** Rows profiled when the caller gives no limit (further capped by server.limits.max_rows). */
export const DEFAULT_PROFILE_ROWS = 100_000;

export const summarize = defineTool({
  name: 'summarize',
  title: 'Summarize a dataset',
  description:
    'Per-column profile of an object or glob (csv, json, jsonl, parquet, arrow): type, count, nulls, distinct (exact, or a HyperLogLog estimate with its error), min, max, mean, stddev, quantiles p25/p50/p75 and top values. Takes the same columns, filter and limit as read_data; limit = rows to profile (default 100,000). One row per column; read `profiles` for the methods used.',
  toolset: 'data',
  risk: 'read',
  cache: 'read',
  input: z
    .object({
      connector: connectorArg,
      path: sourcePathArg,
      format: formatArg,
      columns: columnsArg.optional().describe('Columns to profile (default: all).'),
      filter: filterSchema.optional().describe('Typed predicate: profile only the matching rows, e.g. {"column":"status","op":"eq","value":"shipped"}.'),
      limit: z.number().int().min(1).optional().describe(`Maximum rows to profile (default ${DEFAULT_PROFILE_ROWS}, at most the server's row limit).`),
    })
    .strict(),
  output: z.object({
    connector: z.string(),
    path: z.string(),
    format: z.string(),
    rowsProfiled: z.number().int(),
    complete: z.boolean().describe('False when the limit stopped the read: the profile then covers only the first rowsProfiled rows.'),
    profiledColumns: z.number().int().describe('Columns profiled (the table has one row per column).'),
    profiles: z.array(columnProfileSchema).describe('Full profile objects of the columns whose table rows fit the result budget (the rest: read the table handle).'),
    ...dataOutputShape,
  }),
  // Same rules as read_data: a glob needs `list` on its base and `read` on each match.
  authorize: (args) => sourceRequests(args),
  async handler(args, ctx) {
    const defaultLimit = Math.min(DEFAULT_PROFILE_ROWS, ctx.config.server.limits.max_rows);
    const source = await readSource(args, ctx, defaultLimit);
    // Loaded on first use, like the readers: start-up does not pay for the engine.
    const [{ profileTable }, { profilesAsTable, rowsShown }] = await Promise.all([import('../engine/profile.js'), import('./profile-table.js')]);
    const profiles = profileTable(source.table);
    const table = profilesAsTable(profiles);
    const budget = ctx.config.server.result_budget;
    // The full profile objects go with exactly the rows the gate will keep (same budget rule), so a cut table never ships uncut data beside it.
    const shown = rowsShown(table, { maxRows: budget.max_rows, maxBytes: budget.max_bytes });
    const rows = source.table.numRows;
    const hll = profiles.filter((p) => p.distinctMethod === 'hll').length;
    const sampled = profiles.filter((p) => p.quantileMethod === 'reservoir').length;
    const lines = [
      `Profiled ${profiles.length} column(s) over ${rows} row(s) from ${source.objects.length} of ${source.matched} matching object(s) in ${args.connector}/${source.path} (${source.format}).`,
      source.complete ? '' : `The limit stopped the read: this profile covers only the first ${rows} row(s), not the whole dataset. Raise limit (at most ${ctx.config.server.limits.max_rows}) or narrow with a filter.`,
      hll > 0 ? `distinct is a HyperLogLog estimate (±${(100 * (profiles.find((p) => p.distinctError)?.distinctError ?? 0)).toFixed(2)}% standard error) for ${hll} column(s).` : '',
      sampled > 0 ? `quantiles come from a uniform sample for ${sampled} column(s).` : '',
    ];
    return {
      structured: {
        connector: args.connector,
        path: source.path,
        format: source.format,
        rowsProfiled: rows,
        complete: source.complete,
        profiledColumns: profiles.length,
        profiles: profiles.slice(0, shown),
      },
      table,
      summary: lines.filter((l) => l !== '').join('\n'),
      audit: { rows, bytes: source.bytesRead },
    };
  },
});
