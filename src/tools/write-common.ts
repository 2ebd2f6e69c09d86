import { z } from 'zod';
import { isGlob } from '../data/glob.js';
import { filterSchema } from '../engine/filter-schema.js';
import type { ToolContext } from '../gate/context.js';
import { canonicalizePath } from '../policy/paths.js';
import type { Action, AuthzRequest } from '../policy/types.js';
import { DataMcpError, invalidArgument } from '../results/errors.js';
import { connectorArg, formatArg, pathArg, requestFor } from './common.js';
import type { AuthorizeEnv, ToolOutput } from './define-tool.js';
import { readSource, sourceRequests } from './read-source.js';

/** Rows one call may carry inline (the 64 KiB argument ceiling usually bites first). */
export const MAX_INLINE_ROWS = 10_000;

const fromInput = z
  .object({
    connector: connectorArg,
    path: pathArg.min(1).describe('An object path, or a glob such as "events/*.jsonl".'),
    format: formatArg,
    columns: z.array(z.string().min(1).max(256)).min(1).max(500).optional().describe('Columns to copy (default: all).'),
    filter: filterSchema.optional().describe('Typed predicate, as in read_data.'),
    limit: z.number().int().min(1).optional().describe('Most rows to copy (default: the server maximum).'),
  })
  .strict();

export const writeInput = z
  .object({
    connector: connectorArg.describe('Connector to write to, as listed by list_connectors.'),
    path: pathArg.min(1).describe('Object path to create, e.g. "bucket/out/2026-03.parquet" (a DynamoDB connector: the table name).'),
    format: formatArg.describe('csv, json, jsonl, parquet or arrow; from the extension when omitted.'),
    rows: z
      .array(z.record(z.string().min(1).max(256), z.unknown()))
      .max(MAX_INLINE_ROWS)
      .optional()
      .describe('Rows to write, as objects whose keys are the columns: [{"id": 1, "name": "a"}, ...].'),
    from: fromInput.optional().describe('Instead of rows: copy what read_data would return for this source.'),
  })
  .strict()
  .refine((a) => (a.rows === undefined) !== (a.from === undefined), { message: 'give exactly one of rows or from' });

export type WriteArgs = z.infer<typeof writeInput>;

export const writeOutput = z.object({
  connector: z.string(),
  path: z.string(),
  format: z.string(),
  rows: z.number().int().describe('Rows in the written object (or items written to a table).'),
  bytes: z.number().int(),
  etag: z.string().optional(),
  alreadyExisted: z.boolean().describe('True when a create-only write found these exact bytes already there (a retry): nothing was written.'),
  destination: z.string().describe('"<connector>/<path>" of what was written.'),
  consumedCapacity: z.number().optional(),
});

/** The one object a write names: no glob, no prefix, canonical. */
export function targetPath(raw: string): string {
  const path = canonicalizePath(raw);
  if (path.endsWith('/')) throw invalidArgument(`"${path}" is a prefix, not an object path`, 'Name the object to create, e.g. "out/result.csv".');
  if (isGlob(path)) throw invalidArgument(`"${path}" contains glob characters`, 'A write names exactly one object; remove * ? [ ] { } from the path.');
  return path;
}

/** `actions` on the target, plus reading the source of a copy. */
export function writeRequests(args: WriteArgs, actions: Action[], env: AuthorizeEnv): AuthzRequest[] {
  const path = targetPath(args.path);
  const kind = env.connector(args.connector).kind;
  if (kind === 'dynamodb' && args.from) throw invalidArgument('a DynamoDB table takes rows, not from', 'Read the source with read_data and pass the items as rows.');
  return [...actions.map((action) => requestFor(action, args.connector, path)), ...(args.from ? sourceRequests(args.from) : [])];
}

/** Writes the rows (or the copied source) to the target; create-only unless replacing. */
export async function runWrite(args: WriteArgs, ctx: ToolContext, createOnly: boolean): Promise<ToolOutput> {
  checkTier(ctx, createOnly ? 'write' : 'destructive');
  const path = targetPath(args.path);
  const target = ctx.connector(args.connector);
  const destination = `${args.connector}/${path}`;
  if (target.info.kind === 'dynamodb') {
    const items = args.rows ?? [];
    if (items.length === 0) throw invalidArgument('no rows to write', 'Pass at least one item in rows.');
    const out = await target.putItems(path, items, { createOnly }).catch((error: unknown) => {
      throw sameConflictCode(error);
    });
    const structured = { connector: args.connector, path, format: 'items', rows: out.written, bytes: 0, alreadyExisted: false, destination, ...(out.consumedCapacity !== undefined ? { consumedCapacity: out.consumedCapacity } : {}) };
    return { structured, summary: `Wrote ${out.written} item(s) to table ${destination}${createOnly ? ' (create-only)' : ''}.`, noStore: true, audit: { rows: out.written } };
  }
  // Loaded on first use: writers pull in Arrow and hyparquet-writer, which start-up must not pay for.
  const [{ detectFormat }, { CONTENT_TYPES, tableFromRows, writeTable }] = await Promise.all([import('../formats/detect.js'), import('../formats/write/index.js')]);
  const format = detectFormat(path, args.format);
  const table = args.from ? (await readSource(args.from, ctx, ctx.config.server.limits.max_rows)).table : tableFromRows(args.rows ?? []);
  if (table.schema.fields.length === 0) throw invalidArgument('there is nothing to write (no columns)', args.from ? 'The source held no data; check its path and filter.' : 'Pass at least one row with at least one column.');
  const bytes = writeTable(table, format);
  await ctx.progress(0, undefined, `writing ${bytes.byteLength} bytes to ${destination}`);
  const written = await target.write(path, bytes, { createOnly, contentType: CONTENT_TYPES[format] });
  const alreadyExisted = written.alreadyExisted === true;
  const structured = { connector: args.connector, path, format, rows: table.numRows, bytes: bytes.byteLength, ...(written.etag ? { etag: written.etag } : {}), alreadyExisted, destination };
  const summary = alreadyExisted
    ? `${destination} already holds exactly these ${table.numRows} row(s) (${bytes.byteLength} bytes, ${format}); nothing was written.`
    : `Wrote ${table.numRows} row(s) (${bytes.byteLength} bytes, ${format}) to ${destination}${createOnly ? '' : ', replacing any previous object'}.`;
  return { structured, summary, noStore: true, audit: { rows: table.numRows, bytes: alreadyExisted ? 0 : bytes.byteLength } };
}

/**
 * A create-only put that met an existing item gets the code an existing object gets
 * (INVALID_ARGUMENT, `reason: 'exists'`), so agents see one conflict whatever the store; the
 * message still says how many items were written before it (item writes are not atomic).
 */
function sameConflictCode(error: unknown): unknown {
  if (!(error instanceof DataMcpError) || error.detail?.precondition !== 'item_exists') return error;
  return new DataMcpError('INVALID_ARGUMENT', error.message, 'Write items with new keys, or use replace_data if overwriting is intended and enabled.', { ...error.detail, reason: 'exists' });
}

/**
 * Registration already hides these tools by tier; handlers check again (DESIGN §3), so a
 * registration mistake can never turn a read-only server into a writing one.
 */
export function checkTier(ctx: Pick<ToolContext, 'config'>, risk: 'write' | 'destructive'): void {
  const { read_only: readOnly, allow_destructive: allowDestructive } = ctx.config.server;
  if (readOnly || (risk === 'destructive' && !allowDestructive)) {
    throw new DataMcpError('POLICY_DENIED', `this server does not allow ${risk === 'write' ? 'writes' : 'overwrites or deletes'}`, 'The operator has not enabled this tier (server.read_only / server.allow_destructive).');
  }
}
