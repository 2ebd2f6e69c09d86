import { Table } from 'apache-arrow';
import type { Filter } from '../engine/filter.js';
import type { GatedConnector } from '../gate/context.js';
import { detectFormat, type Format } from '../formats/detect.js';
import { unifyTables } from '../formats/unify.js';
import { invalidArgument, limitExceeded } from '../results/errors.js';
import { readTable } from './read-table.js';

export interface ReadObjectsOptions {
  format?: Format;
  columns?: string[];
  filter?: Filter;
  limit: number;
  maxRows: number;
  maxObjectBytes: number;
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => Promise<void>;
}

export interface ReadObjectsResult {
  table: Table;
  format: string;
  objects: Array<{ path: string; rows: number; bytesRead: number }>;
  rowsScanned: number;
  bytesRead: number;
  complete: boolean;
}

/**
 * Reads objects in order until `limit` matching rows are collected, with per-object
 * provenance. Objects must share a schema for now (reconciliation across objects is a later
 * capability); a mismatch is a clear error rather than a silent cast.
 */
export async function readObjects(connector: GatedConnector, paths: string[], options: ReadObjectsOptions): Promise<ReadObjectsResult> {
  const tables: Table[] = [];
  const objects: ReadObjectsResult['objects'] = [];
  const formats = new Set<Format>();
  let rowsScanned = 0;
  let bytesRead = 0;
  let collected = 0;
  let complete = true;
  for (const [index, path] of paths.entries()) {
    if (collected >= options.limit) {
      complete = false;
      break;
    }
    const format = detectFormat(path, options.format);
    formats.add(format);
    const source = await connector.open(path);
    if (format !== 'parquet' && source.size > options.maxObjectBytes) {
      throw limitExceeded(`${path} is ${source.size} bytes, over the ${options.maxObjectBytes}-byte ceiling for ${format} reads`, 'Read a smaller object, or convert it to Parquet so only the needed ranges are fetched.');
    }
    const read = await readTable(source, {
      format,
      ...(options.columns ? { columns: options.columns } : {}),
      ...(options.filter ? { filter: options.filter } : {}),
      limit: options.limit - collected,
      maxRows: Math.max(1, options.maxRows - rowsScanned),
      signal: options.signal,
    });
    rowsScanned += read.rowsScanned;
    bytesRead += read.bytesRead;
    collected += read.table.numRows;
    if (!read.complete) complete = false;
    tables.push(read.table);
    objects.push({ path, rows: read.table.numRows, bytesRead: read.bytesRead });
    await options.onProgress?.(index + 1, paths.length);
  }
  return { table: concatTables(tables, objects), format: formats.size === 1 ? [...formats][0]! : 'mixed', objects, rowsScanned, bytesRead, complete };
}

function concatTables(tables: Table[], objects: ReadObjectsResult['objects']): Table {
  if (tables.length <= 1) return tables[0] ?? new Table();
  try {
    // Missing columns become nulls and compatible types widen (int → float); dictionaries
    // from different objects are merged by value type, not by id.
    return unifyTables(tables);
  } catch (err) {
    throw invalidArgument(
      `the objects do not share a compatible schema (${objects.map((o) => o.path).slice(0, 3).join(', ')}…): ${err instanceof Error ? err.message : String(err)}`,
      'Read these objects separately, or select the columns they share with `columns`.',
    );
  }
}
