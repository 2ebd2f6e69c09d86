import { Table } from 'apache-arrow';
import type { Filter } from '../engine/filter-schema.js';
import type { ByteSource } from '../connectors/types.js';
import { detectFormat, type Format } from '../formats/detect.js';
import { unifyTables } from '../formats/unify.js';
import { isDataMcpError, limitExceeded } from '../results/errors.js';
import { readTable } from './read-table.js';
import { checkCompatible } from './schema-compat.js';

export interface ReadObjectsOptions {
  format?: Format;
  columns?: string[];
  filter?: Filter;
  limit: number;
  maxRows: number;
  maxObjectBytes: number;
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => Promise<void>;
  /** Objects read at once (default 4): enough to hide store latency, few enough to bound memory. */
  parallelism?: number;
}

export interface ReadObjectsResult {
  table: Table;
  format: string;
  /** `rowGroupsSkipped`: Parquet row groups whose statistics ruled out the filter (present when > 0). */
  objects: Array<{ path: string; rows: number; bytesRead: number; rowGroupsSkipped?: number }>;
  rowsScanned: number;
  bytesRead: number;
  complete: boolean;
}

/**
 * What a read needs of a connector view: open, taking the optimistic hint (CallOptions.optimistic)
 * when the view passes it on. A view that does not (its open takes only a path) simply opens
 * as before, which is always correct.
 */
export interface ObjectOpener {
  open(path: string, hint?: { optimistic?: boolean }): Promise<ByteSource>;
}

interface ObjectRead {
  path: string;
  format: Format;
  table: Table;
  rowsScanned: number;
  bytesRead: number;
  complete: boolean;
  rowGroupsSkipped?: number;
}

/**
 * Reads objects in path order with bounded parallelism until `limit` matching rows are
 * collected, with per-object provenance. Reads run ahead of the one being consumed (up to
 * `parallelism`); once the limit is met the rest are aborted. Schemas are reconciled across
 * objects: a missing column becomes nulls, numbers widen, and a real type conflict is a
 * clear error naming the column and the objects.
 */
export async function readObjects(connector: ObjectOpener, paths: string[], options: ReadObjectsOptions): Promise<ReadObjectsResult> {
  const ahead = new AbortController();
  const signal = AbortSignal.any([options.signal, ahead.signal]);
  const window = Math.max(1, options.parallelism ?? 4);
  const pending: Array<Promise<ObjectRead>> = [];
  const launch = (index: number) => {
    const read = readOne(connector, paths[index]!, options, signal);
    read.catch(() => undefined); // consumed in order below; an early abort must not go unhandled
    pending[index] = read;
  };
  const done: ObjectRead[] = [];
  let collected = 0;
  let rowsScanned = 0;
  let complete = true;
  try {
    for (let i = 0; i < Math.min(window, paths.length); i++) launch(i);
    for (let i = 0; i < paths.length; i++) {
      if (collected >= options.limit) {
        complete = false;
        break;
      }
      const read = await pending[i]!;
      if (i + window < paths.length) launch(i + window);
      rowsScanned += read.rowsScanned;
      if (rowsScanned > options.maxRows) throw limitExceeded(`the read scanned more than ${options.maxRows} rows`, 'Add a filter, read fewer objects, or lower the limit.');
      const room = options.limit - collected;
      const table = read.table.numRows > room ? read.table.slice(0, room) : read.table;
      if (!read.complete || table.numRows < read.table.numRows) complete = false;
      collected += table.numRows;
      done.push({ ...read, table });
      await options.onProgress?.(i + 1, paths.length);
    }
  } finally {
    ahead.abort();
  }
  checkCompatible(done.map((d) => ({ path: d.path, schema: d.table.schema })));
  const formats = new Set(done.map((d) => d.format));
  return {
    table: done.length <= 1 ? (done[0]?.table ?? new Table()) : unifyTables(done.map((d) => d.table)),
    format: formats.size === 1 ? [...formats][0]! : 'mixed',
    objects: done.map((d) => ({ path: d.path, rows: d.table.numRows, bytesRead: d.bytesRead, ...(d.rowGroupsSkipped ? { rowGroupsSkipped: d.rowGroupsSkipped } : {}) })),
    rowsScanned,
    bytesRead: done.reduce((sum, d) => sum + d.bytesRead, 0),
    complete,
  };
}

/**
 * One object, opened optimistically first: a repeat read of an unchanged S3 object then costs
 * only its data requests (the open's round trip is saved). The attempt is thrown away and the
 * read redone from scratch on a real open when it cannot be trusted: a read found the
 * remembered version stale, or it fetched nothing at all (a cached Parquet footer and pruned
 * row groups), so no If-Match ever confirmed it — then the real open confirms the version, and
 * the read is redone only if it differs. Nothing of a discarded attempt reaches the result but
 * the bytes it fetched, which still count in `bytesRead`.
 */
async function readOne(connector: ObjectOpener, path: string, options: ReadObjectsOptions, signal: AbortSignal): Promise<ObjectRead> {
  const format = detectFormat(path, options.format);
  let guess: ByteSource | undefined;
  let unconfirmed: ObjectRead | undefined;
  try {
    guess = await connector.open(path, { optimistic: true });
    // A remembered size over the ceiling may be stale: only a real open may refuse on it.
    if (format === 'parquet' || guess.size <= options.maxObjectBytes) {
      const read = await readSource(guess, path, format, options, signal);
      if (read.bytesRead > 0 || !guess.fromMemory) return read;
      unconfirmed = read;
    }
  } catch (error) {
    if (!isStale(error)) throw error;
  }
  const wasted = guess?.takeFetchedBytes?.() ?? 0;
  const source = await connector.open(path);
  if (unconfirmed && guess?.version === source.version) return { ...unconfirmed, bytesRead: wasted + (source.takeFetchedBytes?.() ?? 0) };
  const read = await readSource(source, path, format, options, signal);
  return { ...read, bytesRead: wasted + read.bytesRead };
}

async function readSource(source: ByteSource, path: string, format: Format, options: ReadObjectsOptions, signal: AbortSignal): Promise<ObjectRead> {
  if (format !== 'parquet' && source.size > options.maxObjectBytes) {
    throw limitExceeded(`${path} is ${source.size} bytes, over the ${options.maxObjectBytes}-byte ceiling for ${format} reads`, 'Read a smaller object, or convert it to Parquet so only the needed ranges are fetched.');
  }
  const read = await readTable(source, {
    format,
    ...(options.columns ? { columns: options.columns } : {}),
    ...(options.filter ? { filter: options.filter } : {}),
    limit: options.limit,
    maxRows: options.maxRows,
    signal,
  });
  return { path, format, ...read };
}

/** A read of an optimistically opened source found the remembered version gone. */
function isStale(error: unknown): boolean {
  return isDataMcpError(error) && error.detail?.['stale'] === true;
}
