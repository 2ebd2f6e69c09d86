import { z } from 'zod';
import { describeSource } from '../formats/index.js';
import { detectFormat } from '../formats/detect.js';
import { canonicalizePath } from '../policy/paths.js';
import { invalidArgument } from '../results/errors.js';
import { frameUntrusted } from '../results/framing.js';
import { textTable } from '../results/text-table.js';
import { cacheOutputShape, connectorArg, formatArg, pathArg, requestFor } from './common.js';
import { defineTool } from './define-tool.js';

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
    size: z.number(),
    modified: z.string().optional(),
    etag: z.string().optional(),
    format: z.string(),
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    rowCount: z.number().optional(),
    rowCountExact: z.boolean(),
    parquet: z.record(z.string(), z.unknown()).optional(),
    ...cacheOutputShape,
  }),
  authorize: (args) => [requestFor('read', args.connector, args.path)],
  async handler(args, ctx) {
    const path = canonicalizePath(args.path);
    if (path.endsWith('/')) throw invalidArgument(`"${path}" is a prefix, not an object`, 'Call browse on a prefix; describe takes one object.');
    const format = detectFormat(path, args.format);
    const connector = ctx.connector(args.connector);
    const source = await connector.open(path);
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
