import { z } from 'zod';
import { canonicalizePath } from '../policy/paths.js';
import { frameUntrusted } from '../results/framing.js';
import { textTable } from '../results/text-table.js';
import { invalidArgument } from '../results/errors.js';
import { cacheOutputShape, connectorArg, pathArg, requestFor } from './common.js';
import { defineTool } from './define-tool.js';

export const browse = defineTool({
  name: 'browse',
  title: 'Browse a connector',
  description:
    'List one level of a connector: buckets at the root of an object store, then prefixes (folders, ending in "/") and objects with size and modification time. Paged: pass nextCursor back as cursor.',
  toolset: 'catalog',
  risk: 'read',
  cache: 'list',
  input: z
    .object({
      connector: connectorArg,
      path: pathArg.default(''),
      cursor: z.string().max(4096).optional().describe('nextCursor from the previous page.'),
      limit: z.number().int().min(1).max(1000).default(100).describe('Entries per page (1-1000).'),
    })
    .strict(),
  output: z.object({
    connector: z.string(),
    path: z.string(),
    entries: z.array(
      z.object({
        name: z.string(),
        path: z.string(),
        kind: z.enum(['container', 'prefix', 'object', 'table']),
        size: z.number().optional(),
        modified: z.string().optional(),
      }),
    ),
    nextCursor: z.string().optional(),
    ...cacheOutputShape,
  }),
  authorize: (args) => [requestFor('list', args.connector, args.path)],
  async handler(args, ctx) {
    const path = canonicalizePath(args.path, { allowEmpty: true });
    if (path !== '' && !path.endsWith('/')) {
      throw invalidArgument(`"${path}" names an object, not a prefix`, 'Browse its parent prefix (ending in "/"), or call describe on the object.');
    }
    const upstreamCursor = args.cursor ? openCursor(ctx, args.cursor, args.connector, path) : undefined;
    const page = await ctx.connector(args.connector).list(path, { limit: args.limit, ...(upstreamCursor ? { cursor: upstreamCursor } : {}) });
    const entries = page.entries.map((e) => ({
      name: e.name,
      path: e.path,
      kind: e.kind,
      ...(e.size !== undefined ? { size: e.size } : {}),
      ...(e.modified ? { modified: e.modified } : {}),
    }));
    const nextCursor = page.nextCursor ? ctx.tokens.mint('cursor', { c: args.connector, p: path, u: page.nextCursor }, ctx.binding) : undefined;
    const table = textTable(
      [{ name: 'kind', type: 'string' }, { name: 'path', type: 'string' }, { name: 'size', type: 'int' }, { name: 'modified', type: 'string' }],
      entries.map((e) => [e.kind, e.path, e.size ?? null, e.modified ?? null]),
    );
    const summary = [
      `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} in ${args.connector}/${path}${nextCursor ? ' (more: pass nextCursor as cursor)' : ''}.`,
      frameUntrusted(table, 'a listing of names'),
    ].join('\n');
    return { structured: { connector: args.connector, path, entries, ...(nextCursor ? { nextCursor } : {}) }, summary, audit: { rows: entries.length } };
  },
});

function openCursor(ctx: Parameters<typeof browse.handler>[1], cursor: string, connector: string, path: string): string {
  const payload = ctx.tokens.open('cursor', cursor, ctx.binding);
  if (payload.c !== connector || payload.p !== path || typeof payload.u !== 'string') {
    throw invalidArgument('this cursor belongs to a different listing', 'Pass the cursor with the same connector and path that produced it.');
  }
  return payload.u;
}
