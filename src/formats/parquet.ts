/**
 * Parquet → Arrow with hyparquet over a `ByteSource` (DESIGN §9): the footer first (one
 * ranged read of at most 32 KiB), then one row group at a time with column projection, so a
 * consumer that stops early leaves the later row groups unread. Timestamps are decoded
 * straight to epoch milliseconds (custom parsers), never to Date objects.
 */
import * as arrow from 'apache-arrow';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type ColumnData, type DecodedArray, type FileMetaData, type ParquetParsers } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ByteSource } from '../connectors/types.js';
import { isDataMcpError, invalidArgument } from '../results/errors.js';
import { throwIfAborted } from './byte-stream.js';
import { arrowTypeOf, buildFromValues, tableFromColumns } from './columns.js';
import type { BatchReadOptions } from './csv.js';
import { parquetColumns, type ParquetColumn } from './parquet-types.js';
import { checkProjection } from './projection.js';
import { toArrayBuffer } from './raw.js';

/** Enough for the footer of most files in one read; hyparquet fetches the rest if it is bigger. */
const FOOTER_FETCH_BYTES = 32 * 1024;

export const epochMillisParsers: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
  timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
  dateFromDays: (days: number) => days * 86_400_000,
};

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

export async function openParquet(source: ByteSource): Promise<OpenParquet> {
  const file = asyncBufferOf(source);
  try {
    const metadata = await parquetMetadataAsync(file, { parsers: epochMillisParsers, initialFetchSize: Math.min(source.size, FOOTER_FETCH_BYTES) });
    return { file, metadata, columns: parquetColumns(parquetSchema(metadata), metadata) };
  } catch (error) {
    throw toParquetError(error, source.path);
  }
}

export interface ParquetReadOptions extends BatchReadOptions {
  /** One flag per row group (see parquet-prune.ts): a group flagged false is never fetched. */
  rowGroups?: readonly boolean[];
}

/** `opened` lets a caller that already read the footer (to check a filter) skip a second read. */
export async function* readParquetBatches(source: ByteSource, options: ParquetReadOptions = {}, opened?: OpenParquet): AsyncGenerator<arrow.Table> {
  const { file, metadata, columns } = opened ?? (await openParquet(source));
  checkProjection(columns.map((c) => c.name), options.columns, source.path);
  const picked = options.columns ? options.columns.map((name) => columns.find((c) => c.name === name)!) : columns;
  let groupStart = 0;
  let yielded = false;
  for (const [index, group] of metadata.row_groups.entries()) {
    throwIfAborted(options.signal);
    const rows = Number(group.num_rows);
    const start = groupStart;
    groupStart += rows;
    if (rows === 0 || options.rowGroups?.[index] === false) continue;
    yield await readRowGroup(file, metadata, picked, start, start + rows, source.path);
    yielded = true;
  }
  // An empty (or fully pruned) file still has a schema: one empty batch carries it.
  if (!yielded) yield buildTable(picked, new Map(), 0, 0);
}

async function readRowGroup(file: AsyncBuffer, metadata: FileMetaData, columns: ParquetColumn[], rowStart: number, rowEnd: number, path: string): Promise<arrow.Table> {
  const chunks = new Map<string, ColumnData[]>();
  try {
    await parquetRead({
      file,
      metadata,
      columns: columns.map((c) => c.name),
      rowStart,
      rowEnd,
      compressors,
      parsers: epochMillisParsers,
      onChunk: (chunk) => {
        const list = chunks.get(chunk.columnName) ?? [];
        list.push(chunk);
        chunks.set(chunk.columnName, list);
      },
    });
  } catch (error) {
    throw toParquetError(error, path);
  }
  return buildTable(columns, chunks, rowStart, rowEnd);
}

function buildTable(columns: ParquetColumn[], chunks: Map<string, ColumnData[]>, rowStart: number, rowEnd: number): arrow.Table {
  const length = rowEnd - rowStart;
  const datas = columns.map((column) => toArrow(column, rangeOf(chunks.get(column.name) ?? [], rowStart, rowEnd), length));
  return tableFromColumns(columns.map((c) => c.name), datas, length);
}

/** The values of rows [start, end) from the decoded chunks (usually exactly one chunk). */
function rangeOf(chunks: ColumnData[], start: number, end: number): DecodedArray {
  if (chunks.length === 1 && chunks[0]!.rowStart === start && chunks[0]!.rowEnd === end) return chunks[0]!.columnData;
  const out = new Array<unknown>(end - start);
  for (const chunk of chunks) {
    for (let row = Math.max(start, chunk.rowStart); row < Math.min(end, chunk.rowEnd); row++) {
      out[row - start] = chunk.columnData[row - chunk.rowStart];
    }
  }
  return out as DecodedArray;
}

/** Typed arrays without nulls are wrapped or converted in bulk; the rest go through the builders. */
function toArrow(column: ParquetColumn, values: DecodedArray, length: number): arrow.Data {
  if (column.kind === 'int32' && values instanceof Int32Array && values.length === length) {
    return arrow.makeData({ type: new arrow.Int32(), length, nullCount: 0, data: values });
  }
  if (column.kind === 'float64' && (values instanceof Float64Array || values instanceof Float32Array) && values.length === length) {
    return arrow.makeData({ type: new arrow.Float64(), length, nullCount: 0, data: values instanceof Float64Array ? values : Float64Array.from(values) });
  }
  if (column.kind === 'int64') return int64Column(values, length);
  if (column.kind === 'float64' && (values instanceof BigInt64Array || values instanceof BigUint64Array)) {
    return buildFromValues('float64', length, (i) => Number(values[i]));
  }
  return buildFromValues(column.kind, length, (i) => values[i]);
}

function int64Column(values: DecodedArray, length: number): arrow.Data {
  if (values instanceof BigInt64Array && values.length === length) {
    return arrow.makeData({ type: new arrow.Int64(), length, nullCount: 0, data: values });
  }
  const out = new BigInt64Array(length);
  const validity = new Uint8Array(((length + 63) & ~63) >> 3);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const v: unknown = values[i];
    if (typeof v === 'bigint') {
      out[i] = v;
      validity[i >> 3]! |= 1 << (i & 7);
    } else nulls++;
  }
  return arrow.makeData({ type: new arrow.Int64(), length, nullCount: nulls, nullBitmap: nulls ? validity : null, data: out });
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
