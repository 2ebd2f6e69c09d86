import { Table } from 'apache-arrow';
import type { Filter } from '../engine/filter-schema.js';
import type { GatedConnector } from '../gate/context.js';
import { detectFormat, type Format } from '../formats/detect.js';
import { unifyTables } from '../formats/unify.js';
import { limitExceeded } from '../results/errors.js';
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
export async function readObjects(connector: GatedConnector, paths: string[], options: ReadObjectsOptions): Promise<ReadObjectsResult> {
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

async function readOne(connector: GatedConnector, path: string, options: ReadObjectsOptions, signal: AbortSignal): Promise<ObjectRead> {
  const format = detectFormat(path, options.format);
  const source = await connector.open(path);
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
