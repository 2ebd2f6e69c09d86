/**
 * Parquet → Arrow over a `ByteSource` (DESIGN §9): the footer first (one ranged read of at
 * most 32 KiB, parsed by hyparquet), then one row group at a time with column projection, so
 * a consumer that stops early leaves the later row groups unread. Each row group is decoded by
 * parquet-row-group.ts (flat columns straight from their pages, the rest through hyparquet).
 */
import * as arrow from 'apache-arrow';
import { LRUCache } from 'lru-cache';
import { parquetMetadataAsync, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import type { ByteSource } from '../connectors/types.js';
import { isDataMcpError, invalidArgument } from '../results/errors.js';
import { throwIfAborted } from './byte-stream.js';
import { arrowTypeOf, tableFromColumns } from './columns.js';
import type { BatchReadOptions } from './csv.js';
import { epochMillisParsers, toArrow } from './parquet-fallback.js';
import { flatSpecOf } from './parquet-flat.js';
import { readRowGroup, type GroupColumn, type RowSelector } from './parquet-row-group.js';
import { parquetColumns, type ParquetColumn } from './parquet-types.js';
import { checkProjection } from './projection.js';
import { toArrayBuffer } from './raw.js';

/** Enough for the footer of most files in one read; hyparquet fetches the rest if it is bigger. */
const FOOTER_FETCH_BYTES = 32 * 1024;

export { epochMillisParsers };

export function asyncBufferOf(source: ByteSource): AsyncBuffer {
  return {
    byteLength: source.size,
    slice: async (start: number, end?: number) => toArrayBuffer(await source.read(start, end ?? source.size)),
  };
}

export interface OpenParquet {
  file: AsyncBuffer;
  metadata: FileMetaData;
  columns: ParquetColumn[];
}

/**
 * Parsed footers of object versions read recently, keyed by `ByteSource.version` (connector,
 * path and the store's strong version, e.g. an S3 ETag): a repeated scan of the same object —
 * an agent probing it again, a glob re-read — skips the footer request and its parse. The
 * object was still opened through the store with the caller's own credentials this call.
 */
const footers = new LRUCache<string, FileMetaData>({ max: 256 });

export async function openParquet(source: ByteSource): Promise<OpenParquet> {
  const file = asyncBufferOf(source);
  try {
    const known = source.version ? footers.get(source.version) : undefined;
    const metadata = known ?? (await parquetMetadataAsync(file, { parsers: epochMillisParsers, initialFetchSize: Math.min(source.size, FOOTER_FETCH_BYTES) }));
    if (!known && source.version) footers.set(source.version, metadata);
    return { file, metadata, columns: parquetColumns(parquetSchema(metadata), metadata) };
  } catch (error) {
    throw toParquetError(error, source.path);
  }
}

export interface ParquetReadOptions extends BatchReadOptions {
  /** One flag per row group (see parquet-prune.ts): a group flagged false is never fetched. */
  rowGroups?: readonly boolean[];
  /** False reads every column through hyparquet (the flat decoder's reference, for tests). */
  fastPath?: boolean;
}

/** `opened` lets a caller that already read the footer (to check a filter) skip a second read. */
export async function* readParquetBatches(source: ByteSource, options: ParquetReadOptions = {}, opened?: OpenParquet): AsyncGenerator<arrow.Table> {
  yield* readGroups(source, options, opened);
}

export interface ParquetSelectOptions extends ParquetReadOptions {
  /** Columns the filter reads; they must be among `columns` (when given). */
  filterColumns: readonly string[];
  /** Called once per row group read, with that group's filter columns; returns the rows to keep. */
  select: RowSelector;
}

/**
 * Like readParquetBatches, but each row group's filter columns are decoded first and only the
 * rows `select` keeps are built: every yielded table holds just those rows.
 */
export async function* readParquetSelected(source: ByteSource, options: ParquetSelectOptions, opened?: OpenParquet): AsyncGenerator<arrow.Table> {
  yield* readGroups(source, options, opened);
}

async function* readGroups(source: ByteSource, options: ParquetReadOptions & Partial<Pick<ParquetSelectOptions, 'filterColumns' | 'select'>>, opened?: OpenParquet): AsyncGenerator<arrow.Table> {
  const { file, metadata, columns } = opened ?? (await openParquet(source));
  checkProjection(columns.map((c) => c.name), options.columns, source.path);
  const picked = groupColumns(metadata, options.columns ? options.columns.map((name) => columns.find((c) => c.name === name)!) : columns, options.fastPath ?? true);
  let groupStart = 0;
  let yielded = false;
  for (const [index, group] of metadata.row_groups.entries()) {
    throwIfAborted(options.signal);
    const rows = Number(group.num_rows);
    const rowStart = groupStart;
    groupStart += rows;
    if (rows === 0 || options.rowGroups?.[index] === false) continue;
    try {
      yield await readRowGroup({ file, metadata, group, rowStart, columns: picked, ...(options.select ? { select: options.select, filterColumns: options.filterColumns ?? [] } : {}) });
    } catch (error) {
      throw toParquetError(error, source.path);
    }
    yielded = true;
  }
  // An empty (or fully pruned) file still has a schema: one empty batch carries it.
  if (!yielded) yield tableFromColumns(picked.map((c) => c.name), picked.map((c) => toArrow(c, [], 0)), 0);
}

function groupColumns(metadata: FileMetaData, columns: readonly ParquetColumn[], fastPath: boolean): GroupColumn[] {
  const nodes = new Map(parquetSchema(metadata).children.map((node) => [node.element.name, node]));
  return columns.map((c) => ({ ...c, flat: fastPath ? flatSpecOf(nodes.get(c.name)!, c.kind) : undefined }));
}

/** The Arrow schema every batch of this file will have (known from the footer alone). */
export function parquetArrowSchema(columns: readonly ParquetColumn[]): arrow.Schema {
  return new arrow.Schema(columns.map((c) => new arrow.Field(c.name, c.kind === 'int64' ? new arrow.Int64() : arrowTypeOf(c.kind), true)));
}

export function toParquetError(error: unknown, path: string): unknown {
  if (isDataMcpError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return invalidArgument(
    `"${path}" is not a valid Parquet file: ${message}`,
    'The file may be truncated, corrupt, or not Parquet at all. Check the object, or pass the right `format` argument.',
    { path },
  );
}
