/**
 * One entry point from bytes to Arrow (DESIGN §9): `readBatches` streams tables, `describeSource`
 * reports schema and row counts (exact where the format allows it cheaply).
 */
import type * as arrow from 'apache-arrow';
import type { ByteSource } from '../connectors/types.js';
import { readArrowBatches } from './arrow-ipc.js';
import { typeName } from './columns.js';
import { readCsvBatches, type BatchReadOptions } from './csv.js';
import type { Format } from './detect.js';
import { readJsonBatches, readJsonlBatches } from './json.js';
import { parquetInfoOf, type ParquetInfo } from './parquet-info.js';
import { openParquet, readParquetBatches } from './parquet.js';

export type { Format } from './detect.js';
export { detectFormat, FORMATS } from './detect.js';
export type { BatchReadOptions } from './csv.js';
export type { ParquetInfo } from './parquet-info.js';
export { unifyTables } from './unify.js';
export { typeName } from './columns.js';

/** Tables of at most about `batchRows` rows (Parquet: one per row group; Arrow: one per record batch). */
export function readBatches(source: ByteSource, format: Format, options: BatchReadOptions = {}): AsyncIterable<arrow.Table> {
  switch (format) {
    case 'csv':
      return readCsvBatches(source, options);
    case 'json':
      return readJsonBatches(source, options);
    case 'jsonl':
      return readJsonlBatches(source, options);
    case 'parquet':
      return readParquetBatches(source, options);
    case 'arrow':
      return readArrowBatches(source, options);
  }
}

export interface SourceDescription {
  format: Format;
  size: number;
  columns: { name: string; type: string }[];
  /** Exact when `rowCountExact`; omitted when only a sample was read. */
  rowCount?: number;
  rowCountExact: boolean;
  parquet?: ParquetInfo;
  /** Rows read to infer the schema of text formats. */
  sampleRows?: number;
}

export const DESCRIBE_SAMPLE_ROWS = 1000;

export async function describeSource(source: ByteSource, format: Format, signal?: AbortSignal): Promise<SourceDescription> {
  if (format === 'parquet') {
    const { metadata, columns } = await openParquet(source);
    const parquet = parquetInfoOf(metadata);
    const types: Record<string, string> = { int32: 'int32', int64: 'int64', float64: 'float64', bool: 'bool', timestamp: 'timestamp', string: 'string', null: 'null' };
    return {
      format,
      size: source.size,
      columns: columns.map((c) => ({ name: c.name, type: types[c.kind]! })),
      rowCount: parquet.rowCount,
      rowCountExact: true,
      parquet,
    };
  }
  // Text formats: the first batch gives the schema; a second tells whether that was all.
  const wholeFormat = format === 'json' || format === 'arrow';
  const batchRows = wholeFormat ? Number.MAX_SAFE_INTEGER : DESCRIBE_SAMPLE_ROWS;
  const iterator = readBatches(source, format, { batchRows, ...(signal ? { signal } : {}) })[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    const table = first.done ? undefined : first.value;
    let rows = table?.numRows ?? 0;
    let exact = true;
    if (format === 'arrow') {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) rows += next.value.numRows;
    } else if (!wholeFormat) {
      exact = (await iterator.next()).done === true;
    }
    return {
      format,
      size: source.size,
      columns: (table?.schema.fields ?? []).map((f) => ({ name: f.name, type: typeName(f.type) })),
      ...(exact ? { rowCount: rows } : {}),
      rowCountExact: exact,
      ...(wholeFormat ? {} : { sampleRows: table?.numRows ?? 0 }),
    };
  } finally {
    await iterator.return?.();
  }
}
