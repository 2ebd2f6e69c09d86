import { z } from 'zod';
import { detectFormat } from '../formats/detect.js';
import { canonicalizePath } from '../policy/paths.js';
import { invalidArgument } from '../results/errors.js';
import { frameUntrusted } from '../results/framing.js';
import { textTable } from '../results/text-table.js';
import { cacheOutputShape, connectorArg, formatArg, pathArg, requestFor } from './common.js';
import { defineTool, type ToolOutput } from './define-tool.js';
import type { GatedConnector } from '../gate/context.js';

export const describe = defineTool({
  name: 'describe',
  title: 'Describe an object',
  description:
    'Metadata and schema of one object: size, modification time, format, columns with types, and the row count (exact from a Parquet footer, or counted for small text files). Use before read_data to pick columns and filters.',
  toolset: 'catalog',
  risk: 'read',
  cache: 'schema',
  input: z.object({ connector: connectorArg, path: pathArg.min(1), format: formatArg }).strict(),
  output: z.object({
    connector: z.string(),
    path: z.string(),
    size: z.number().optional(),
    modified: z.string().optional(),
    etag: z.string().optional(),
    format: z.string().describe('File format, or "table" for a warehouse table.'),
    columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean().optional() })),
    keys: z.array(z.object({ name: z.string(), role: z.string() })).optional(),
    comment: z.string().optional(),
    rowCount: z.number().optional(),
    rowCountExact: z.boolean(),
    parquet: z.record(z.string(), z.unknown()).optional(),
    ...cacheOutputShape,
  }),
  authorize: (args) => [requestFor('read', args.connector, args.path)],
  async handler(args, ctx) {
    const path = canonicalizePath(args.path);
    if (path.endsWith('/')) throw invalidArgument(`"${path}" is a prefix, not an object`, 'Call browse on a prefix; describe takes one object.');
    const connector = ctx.connector(args.connector);
    if (connector.info.capabilities.includes('read_table')) return describeTable(connector, args.connector, path);
    const format = detectFormat(path, args.format);
    const source = await connector.open(path);
    const { describeSource } = await import('../formats/index.js');
    const description = await describeSource(source, format);
    const structured = {
      connector: args.connector,
      path,
      size: source.size,
      ...(source.etag ? { etag: source.etag } : {}),
      format,
      columns: description.columns,
      ...(description.rowCount !== undefined ? { rowCount: description.rowCount } : {}),
      rowCountExact: description.rowCountExact,
      ...(description.parquet ? { parquet: description.parquet as unknown as Record<string, unknown> } : {}),
    };
    const rows = description.rowCount === undefined ? 'unknown' : `${description.rowCountExact ? '' : '~'}${description.rowCount}`;
    const summary = [
      `${args.connector}/${path}: ${format}, ${source.size} bytes, ${description.columns.length} column(s), rows: ${rows}.`,
      frameUntrusted(textTable([{ name: 'column', type: 'string' }, { name: 'type', type: 'string' }], description.columns.map((c) => [c.name, c.type])), 'a list of column names'),
    ].join('\n');
    return { structured, summary, audit: { bytes: source.size } };
  },
});

async function describeTable(connector: GatedConnector, name: string, path: string): Promise<ToolOutput> {
  const table = await connector.describeTable(path);
  const structured = {
    connector: name,
    path,
    format: 'table',
    columns: table.columns,
    ...(table.rowCount !== undefined ? { rowCount: table.rowCount } : {}),
    rowCountExact: table.rowCountExact,
    ...(table.keys ? { keys: table.keys } : {}),
    ...(table.comment ? { comment: table.comment } : {}),
  };
  const rows = table.rowCount === undefined ? 'unknown' : `${table.rowCountExact ? '' : '~'}${table.rowCount}`;
  // Key names are column names (untrusted, chosen by whoever made the table): they go in the
  // framed list as a role per column, never into the summary line outside the boundary.
  const roles = new Map((table.keys ?? []).map((k) => [k.name, k.role]));
  const summary = [
    `${name}/${path}: table, ${table.columns.length} column(s), rows: ${rows}${roles.size > 0 ? `, ${roles.size} key column(s) (see key in the list)` : ''}.`,
    frameUntrusted(
      textTable(
        [{ name: 'column', type: 'string' }, { name: 'type', type: 'string' }, ...(roles.size > 0 ? [{ name: 'key', type: 'string' }] : [])],
        table.columns.map((c) => [c.name, c.type, ...(roles.size > 0 ? [roles.get(c.name) ?? ''] : [])]),
      ),
      'a list of column names',
    ),
  ].join('\n');
  return { structured, summary };
}
