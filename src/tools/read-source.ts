import { expandGlob, globBase, isGlob } from '../data/glob.js';
import type { ReadObjectsResult } from '../data/read-objects.js';
import type { Filter } from '../engine/filter-schema.js';
import type { ToolContext } from '../gate/context.js';
import { canonicalizePath } from '../policy/paths.js';
import type { AuthzRequest } from '../policy/types.js';
import { invalidArgument, limitExceeded } from '../results/errors.js';
import { requestFor } from './common.js';

/** Objects to read: one path or a glob, with the read options read_data takes. */
export interface SourceSpec {
  connector: string;
  path: string;
  format?: 'csv' | 'json' | 'jsonl' | 'parquet' | 'arrow';
  columns?: string[];
  filter?: Filter;
  limit?: number;
}

/** A glob needs `list` on its literal base (each match is authorized for `read` when read); a path needs `read`. */
export function sourceRequests(spec: Pick<SourceSpec, 'connector' | 'path'>): AuthzRequest[] {
  const path = canonicalizePath(spec.path);
  return [isGlob(path) ? requestFor('list', spec.connector, globBase(path)) : requestFor('read', spec.connector, path)];
}

export interface SourceRead extends ReadObjectsResult {
  path: string;
  /** Objects the path or glob named (reading may stop before the last at the limit). */
  matched: number;
}

/**
 * Reads a source through the call's gated connector: expands a glob (listing is authorized),
 * authorizes `read` on every match mid-call, then reads until `limit` rows. Shared by
 * read_data and the write tools' `from`, so both enforce exactly the same rules.
 */
/**
 * `reportProgress: false` is for callers with a progress scale of their own (a probe counts
 * sources and steps): object counts on a second scale would jump its notifications ahead.
 */
export async function readSource(spec: SourceSpec, ctx: ToolContext, defaultLimit: number, expanded?: string[], reportProgress = true): Promise<SourceRead> {
  const path = canonicalizePath(spec.path);
  if (path.endsWith('/')) throw invalidArgument(`"${path}" is a prefix`, 'Give an object path or a glob such as "prefix/*.csv".');
  const limits = ctx.config.server.limits;
  const limit = spec.limit ?? defaultLimit;
  if (limit > limits.max_rows) throw limitExceeded(`limit ${limit} is over the server maximum of ${limits.max_rows} rows`, `Use a limit of at most ${limits.max_rows}, and a filter or aggregation to narrow the data.`);
  const connector = ctx.connector(spec.connector);
  // A caller that already expanded (and authorized) the glob passes its matches.
  const paths = expanded ?? (isGlob(path) ? await expandGlob(connector, path, limits.max_objects) : [path]);
  if (isGlob(path) && !expanded) ctx.authorize(paths.map((p) => requestFor('read', spec.connector, p)));
  // Loaded on first use: the readers pull in Arrow and Parquet, which start-up must not pay for.
  const { readObjects } = await import('../data/read-objects.js');
  const result = await readObjects(connector, paths, {
    ...(spec.format ? { format: spec.format } : {}),
    ...(spec.columns ? { columns: spec.columns } : {}),
    ...(spec.filter ? { filter: spec.filter } : {}),
    limit,
    maxRows: limits.max_rows,
    maxObjectBytes: limits.max_object_bytes,
    signal: ctx.signal,
    ...(reportProgress ? { onProgress: (done: number, total: number) => ctx.progress(done, total, `read ${done} of ${total} object(s)`) } : {}),
  });
  return { ...result, path, matched: paths.length };
}
