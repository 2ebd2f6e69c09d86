/**
 * Opening a probe's sources, in three moves that keep expensive work last:
 * 1. `locate` — versions for the cache key (object ETags/sizes/mtimes, query text, session
 *    dataset save time), cheap metadata calls; glob matches are authorized here;
 * 2. `schemaOf` — the columns without the data (Parquet footer, a text sample), so the plan
 *    can fail before any fetch; SQL sources have no such probe and are fetched for it;
 * 3. `fetch` — the rows, refusing to silently truncate (an aggregate over part of a source
 *    would be wrong).
 */
import * as arrow from 'apache-arrow';
import { expandGlobEntries, isGlob } from '../data/glob.js';
import type { ToolContext } from '../gate/context.js';
import { canonicalizePath } from '../policy/paths.js';
import { limitExceeded } from '../results/errors.js';
import { requestFor } from '../tools/common.js';
import type { QueryPlan } from '../tools/query-plan.js';
import { queryRequestFor } from '../tools/query-request.js';
import { readSource } from '../tools/read-source.js';
import { CAST_TARGETS } from '../engine/ops/cast.js';
import { arrowTypeFor, type OutputType } from '../engine/expr/types.js';
import { sourceKind, type ObjectSource, type SourceSpec } from './spec.js';

export interface LocatedSource {
  name: string;
  spec: SourceSpec;
  kind: ReturnType<typeof sourceKind>;
  /** What identifies this version of the source in the cache key. */
  version: unknown;
  /** Matched objects (object sources). */
  paths?: string[];
  /** SQL sources: the guarded plan from authorize. */
  query?: QueryPlan;
  /** Session / result sources: the table is at hand already. */
  table?: arrow.Table;
}

export interface FetchedSource {
  table: arrow.Table;
  /** "connector/path" (or the session/result) for lineage. */
  label: string;
  rows: number;
  bytesRead?: number;
  /** False when the source's own `limit` cut it. */
  complete: boolean;
  upstream?: Record<string, string>;
}

export async function locate(name: string, spec: SourceSpec, ctx: ToolContext, queries: Map<string, QueryPlan>): Promise<LocatedSource> {
  const kind = sourceKind(spec);
  if ('sql' in spec) return { name, spec, kind, version: { sql: spec.sql, params: spec.params ?? {} }, query: queries.get(name)! };
  if ('session' in spec) {
    const { table, requests, info } = await ctx.sessions.getDataset(spec.session, spec.dataset);
    // The dataset was made under grants the policy may since have withdrawn.
    ctx.authorize(requests);
    return { name, spec, kind, version: { session: spec.session, dataset: spec.dataset, version: info.version }, table };
  }
  if ('result' in spec) return { name, spec, kind, version: { result: spec.result }, table: await ctx.storedResult(spec.result) };
  return locateObjects(name, spec, ctx);
}

async function locateObjects(name: string, spec: ObjectSource, ctx: ToolContext): Promise<LocatedSource> {
  const path = canonicalizePath(spec.path);
  const connector = ctx.connector(spec.connector);
  const options = { columns: spec.columns ?? null, filter: spec.filter ?? null, limit: spec.limit ?? null, format: spec.format ?? null };
  if (!isGlob(path)) {
    const stat = await connector.stat(path);
    return { name, spec, kind: 'object', paths: [path], version: { connector: spec.connector, objects: [[path, stat.size, stat.etag ?? '', stat.modified ?? '']], options } };
  }
  const entries = await expandGlobEntries(connector, path, ctx.config.server.limits.max_objects);
  ctx.authorize(entries.map((e) => requestFor('read', spec.connector, e.path)));
  const objects = entries.map((e) => [e.path, e.size ?? -1, e.etag ?? '', e.modified ?? '']);
  return { name, spec, kind: 'object', paths: entries.map((e) => e.path), version: { connector: spec.connector, pattern: path, objects, options } };
}

/** The source's schema without its rows, or undefined when only fetching can tell (SQL). */
export async function schemaOf(source: LocatedSource, ctx: ToolContext): Promise<arrow.Schema | undefined> {
  if (source.table) return source.table.schema;
  if (source.kind !== 'object' || !('path' in source.spec)) return undefined;
  const spec = source.spec;
  const first = source.paths![0]!;
  const [{ detectFormat }, { describeSource }] = await Promise.all([import('../formats/detect.js'), import('../formats/index.js')]);
  const opened = await ctx.connector(spec.connector).open(first);
  const described = await describeSource(opened, detectFormat(first, spec.format), ctx.signal);
  const fields = described.columns.map((c) => new arrow.Field(c.name, typeOfName(c.type), true));
  if (!spec.columns) return new arrow.Schema(fields);
  // Unknown columns are reported by the plan's first step through the same message read_data gives.
  return new arrow.Schema(spec.columns.map((c) => fields.find((f) => f.name === c) ?? new arrow.Field(c, new arrow.Null(), true)));
}

/** Arrow type of a described column (the reader may still choose another width; plans re-check on the data). */
function typeOfName(name: string): arrow.DataType {
  return arrowTypeFor((CAST_TARGETS as readonly string[]).includes(name) || name === 'null' ? (name as OutputType) : 'string');
}

export async function fetchSource(source: LocatedSource, ctx: ToolContext): Promise<FetchedSource> {
  const maxRows = ctx.config.server.limits.max_rows;
  if (source.table) {
    const label = 'session' in source.spec ? `session:${source.spec.dataset}` : 'result';
    return { table: source.table, label, rows: source.table.numRows, complete: true };
  }
  if (source.query && 'sql' in source.spec) {
    const spec = source.spec;
    const request = queryRequestFor(source.query, spec.params ?? {}, { maxRows, timeoutMs: ctx.config.server.limits.call_timeout_ms });
    const result = await ctx.connector(spec.connector).query(request, source.query.paths);
    if (!result.complete) {
      await result.more?.()[Symbol.asyncIterator]().return?.(); // release the cursor now
      throw limitExceeded(`source "${source.name}" returns more than ${maxRows} rows`, 'Aggregate or filter in the SQL so the probe gets fewer rows (or ask the operator to raise server.limits.max_rows).');
    }
    return { table: result.table, label: `${spec.connector}:${source.query.paths.join(',') || 'query'}`, rows: result.table.numRows, complete: true, upstream: result.upstream };
  }
  const spec = source.spec as ObjectSource;
  const read = await readSource(spec, ctx, spec.limit ?? maxRows, source.paths, false);
  if (!read.complete && spec.limit === undefined) {
    throw limitExceeded(`source "${source.name}" holds more than ${maxRows} rows`, 'Filter it at the source (filter, columns), read fewer objects, or set the source\'s limit to accept a partial read.');
  }
  return { table: read.table, label: `${spec.connector}/${read.path}`, rows: read.table.numRows, bytesRead: read.bytesRead, complete: read.complete };
}
