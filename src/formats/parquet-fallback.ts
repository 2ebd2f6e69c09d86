/**
 * The general Parquet path: hyparquet decodes the columns the flat decoder (parquet-flat.ts)
 * does not cover — nested columns, timestamps, decimals, INT96, DELTA and BYTE_STREAM_SPLIT
 * encodings, … — into JS values, which the builders in columns.ts turn into Arrow. Timestamps
 * are decoded straight to epoch milliseconds (custom parsers), never to Date objects.
 */
import * as arrow from 'apache-arrow';
import { parquetRead, type AsyncBuffer, type ColumnData, type DecodedArray, type FileMetaData, type ParquetParsers } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { buildFromValues } from './columns.js';
import type { ParquetColumn } from './parquet-types.js';

export const epochMillisParsers: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
  timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
  dateFromDays: (days: number) => days * 86_400_000,
};

/**
 * Columns of rows [rowStart, rowEnd) through hyparquet; with `selection` (row numbers relative
 * to rowStart) only those rows are built.
 */
export async function readWithHyparquet(file: AsyncBuffer, metadata: FileMetaData, columns: readonly ParquetColumn[], rowStart: number, rowEnd: number, selection?: Int32Array): Promise<arrow.Data[]> {
  if (columns.length === 0) return [];
  const chunks = new Map<string, ColumnData[]>();
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
  return columns.map((column) => {
    const values = rangeOf(chunks.get(column.name) ?? [], rowStart, rowEnd);
    return selection ? toArrow(column, gather(values, selection), selection.length) : toArrow(column, values, rowEnd - rowStart);
  });
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

/** The selected values, in the same kind of array (a typed array stays typed, as if the whole range were built and then gathered). */
function gather(values: DecodedArray, selection: Int32Array): DecodedArray {
  if (Array.isArray(values)) return Array.from(selection, (i) => values[i] as unknown) as DecodedArray;
  const typed = values as Exclude<DecodedArray, unknown[]>;
  const out = new (typed.constructor as new (n: number) => typeof typed)(selection.length);
  for (let k = 0; k < selection.length; k++) out[k] = typed[selection[k]!]!;
  return out;
}

/** Typed arrays without nulls are wrapped or converted in bulk; the rest go through the builders. */
export function toArrow(column: ParquetColumn, values: DecodedArray, length: number): arrow.Data {
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
