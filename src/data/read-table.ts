/**
 * Reads one object into an Arrow table (DESIGN §9/§10): batches from the format reader, the
 * filter applied per batch on raw buffers, and a stop as soon as `limit` rows matched — later
 * batches (Parquet row groups, CSV chunks) are never fetched. `maxRows` caps the rows scanned
 * to find them. Columns needed only by the filter are read, then dropped. Parquet reads the
 * filter's columns of each row group first and builds the other columns only for the rows kept.
 */
import type * as arrow from 'apache-arrow';
import type { ByteSource } from '../connectors/types.js';
import { compileFilter, filterColumns, takeRows, type Filter, type FilterEvaluator } from '../engine/filter.js';
import { throwIfAborted } from '../formats/byte-stream.js';
import { typeName } from '../formats/columns.js';
import type { Format } from '../formats/detect.js';
import { readBatches } from '../formats/index.js';
import { openParquet, parquetArrowSchema, readParquetBatches, readParquetSelected } from '../formats/parquet.js';
import { rowGroupsToRead } from '../formats/parquet-prune.js';
import { checkProjection } from '../formats/projection.js';
import { unifyTables } from '../formats/unify.js';
import { isDataMcpError, limitExceeded, type DataMcpError } from '../results/errors.js';

export interface ReadTableOptions {
  format: Format;
  columns?: string[];
  filter?: Filter;
  limit: number;
  maxRows: number;
  signal?: AbortSignal;
  batchRows?: number;
}

export interface ReadTableResult {
  table: arrow.Table;
  rowsScanned: number;
  bytesRead: number;
  /** True when every row of the source was scanned or proven not to match (nothing left unread). */
  complete: boolean;
  /** Parquet only: row groups whose statistics prove no row matches the filter (never fetched). */
  rowGroupsSkipped?: number;
}

export async function readTable(source: ByteSource, options: ReadTableOptions): Promise<ReadTableResult> {
  const counted = countingSource(source);
  try {
    return await read(counted.source, options, counted);
  } catch (error) {
    if (options.signal?.aborted && !isDataMcpError(error)) throwIfAborted(options.signal);
    throw error;
  }
}

async function read(source: ByteSource, options: ReadTableOptions, counted: { fetched(): number }): Promise<ReadTableResult> {
  throwIfAborted(options.signal);
  const readColumns = options.columns && options.filter ? [...new Set([...options.columns, ...filterColumns(options.filter)])] : options.columns;
  // Without a filter, batches near the limit keep a small read small; with one, bigger batches
  // amortize the per-batch work. (Parquet batches are row groups whatever this says.)
  const batchRows = options.batchRows ?? (options.filter ? 8192 : Math.min(8192, Math.max(256, options.limit)));
  const batchOptions = { ...(readColumns ? { columns: readColumns } : {}), ...(options.signal ? { signal: options.signal } : {}), batchRows };
  const evaluators = new Map<string, FilterEvaluator>();
  const evaluatorFor = (schema: arrow.Schema): FilterEvaluator | undefined => {
    if (!options.filter) return undefined;
    const key = schema.fields.map((f) => `${f.name}:${typeName(f.type)}`).join('\u0000');
    let evaluator = evaluators.get(key);
    if (!evaluator) evaluators.set(key, (evaluator = compileFilter(options.filter, schema)));
    return evaluator;
  };

  let batches: AsyncIterable<arrow.Table>;
  let rowGroupsSkipped: number | undefined;
  // Set by `select` while the Parquet reader decodes a row group's filter columns (filter first).
  let selected: Step | undefined;
  let rowsScanned = 0;
  let collected = 0;
  /** What one batch contributes: rows scanned (capped by maxRows), matches, and which rows to keep. */
  const step = (batch: arrow.Table): Step => {
    const allowance = options.maxRows - rowsScanned;
    const overflow = batch.numRows > allowance;
    const scanned = overflow ? batch.slice(0, allowance) : batch;
    const matches = evaluatorFor(scanned.schema)?.(scanned);
    const matched = matches ? matches.length : scanned.numRows;
    const take = Math.min(options.limit - collected, matched);
    return { batch: scanned, rows: scanned.numRows, overflow, matched, take, matches };
  };
  if (options.format === 'parquet') {
    // The footer gives the schema, so a bad filter fails before any row group is fetched.
    const opened = await openParquet(source);
    checkProjection(opened.columns.map((c) => c.name), readColumns, source.path);
    evaluatorFor(parquetArrowSchema(opened.columns.filter((c) => !readColumns || readColumns.includes(c.name))));
    // Only after the filter compiled: statistics prune on a filter already known to be valid.
    const rowGroups = rowGroupsToRead(options.filter, opened.metadata);
    rowGroupsSkipped = rowGroups.filter((keep) => !keep).length;
    batches = options.filter
      ? readParquetSelected(
          source,
          {
            ...batchOptions,
            rowGroups,
            filterColumns: filterColumns(options.filter),
            select: (filterTable) => {
              selected = step(filterTable);
              return Int32Array.from(selected.matches!.subarray(0, selected.take));
            },
          },
          opened,
        )
      : readParquetBatches(source, { ...batchOptions, rowGroups }, opened);
  } else {
    batches = readBatches(source, options.format, batchOptions);
  }

  const iterator = batches[Symbol.asyncIterator]();
  const pieces: arrow.Table[] = [];
  let complete = true;
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      throwIfAborted(options.signal);
      // A Parquet batch read filter-first already holds only the kept rows; `selected` describes the scan.
      const s = selected ?? step(next.value);
      const wasSelected = selected !== undefined;
      selected = undefined;
      rowsScanned += s.rows;
      const need = options.limit - collected;
      if (wasSelected) pieces.push(next.value);
      else pieces.push(s.matches ? takeRows(s.batch, s.matches.subarray(0, s.take)) : s.batch.slice(0, s.take));
      collected += s.take;
      if (s.matched >= need && need >= 0) {
        // Limit reached: the source is complete only if nothing matched beyond it and no row is left.
        complete = s.matched === need && !s.overflow && (await iterator.next()).done === true;
        break;
      }
      if (s.overflow) throw scanCeiling(source.path, options.maxRows, collected, options.limit);
    }
  } finally {
    await iterator.return?.();
  }
  throwIfAborted(options.signal);
  const table = unifyTables(pieces, options.columns ?? outputColumnsOf(pieces));
  return { table, rowsScanned, bytesRead: counted.fetched(), complete, ...(rowGroupsSkipped !== undefined ? { rowGroupsSkipped } : {}) };
}

interface Step {
  /** The batch as scanned (cut at the scan ceiling). */
  batch: arrow.Table;
  rows: number;
  overflow: boolean;
  matched: number;
  take: number;
  matches: Uint32Array | undefined;
}

function outputColumnsOf(pieces: arrow.Table[]): string[] | undefined {
  return pieces.length > 0 ? undefined : [];
}

function scanCeiling(path: string, maxRows: number, collected: number, limit: number): DataMcpError {
  return limitExceeded(
    `Scanned ${maxRows} rows of "${path}" and found ${collected} of the ${limit} requested matching rows; the scan ceiling stops here.`,
    'Narrow the filter, lower the limit, read fewer columns, or use a query/probe that aggregates instead of scanning.',
  );
}

/**
 * Wraps a source so the bytes actually fetched can be reported (and audited): a source that
 * prefetches (S3's open) knows what it really fetched; any other is counted read by read.
 */
function countingSource(source: ByteSource): { source: ByteSource; bytes: number; fetched(): number } {
  const counter = {
    bytes: 0,
    fetched: () => source.takeFetchedBytes?.() ?? counter.bytes,
    source: {
      path: source.path,
      size: source.size,
      ...(source.etag !== undefined ? { etag: source.etag } : {}),
      ...(source.version !== undefined ? { version: source.version } : {}),
      read: async (start: number, end: number): Promise<Uint8Array> => {
        const bytes = await source.read(start, end);
        counter.bytes += bytes.byteLength;
        return bytes;
      },
    } satisfies ByteSource,
  };
  return counter;
}
