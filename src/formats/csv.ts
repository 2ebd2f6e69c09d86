/**
 * CSV → Arrow in batches (DESIGN §9). Bytes are pulled on demand from the source, decoded as
 * strict UTF-8 and parsed by csv-parse; every `batchRows` records become one table, so a
 * consumer that stops early stops the reads. The first record is the header. Column kinds
 * are inferred on the first batch and only ever widened by later ones (see unify.ts).
 */
import { Readable } from 'node:stream';
import type * as arrow from 'apache-arrow';
import { CsvError, parse } from 'csv-parse';
import type { ByteSource } from '../connectors/types.js';
import { isDataMcpError, invalidArgument } from '../results/errors.js';
import { decodeUtf8, readChunks } from './byte-stream.js';
import { buildFromStrings, kindOfType, tableFromColumns } from './columns.js';
import { inferFromStrings, widenKinds, type ColumnKind } from './infer.js';
import { checkProjection, uniqueColumnNames } from './projection.js';

export const DEFAULT_BATCH_ROWS = 10_000;
/** A single record larger than this is refused instead of buffered without bound. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;

export interface BatchReadOptions {
  columns?: string[];
  batchRows?: number;
  signal?: AbortSignal;
}

export async function* readCsvBatches(
  input: ByteSource | AsyncIterable<Uint8Array>,
  options: BatchReadOptions & { path?: string } = {},
): AsyncGenerator<arrow.Table> {
  const path = options.path ?? ('path' in input ? input.path : 'csv');
  const chunks = 'read' in input ? readChunks(input, { signal: options.signal }) : input;
  const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
  // highWaterMark 1: read ahead by one chunk at most, so stopping early leaves the rest unread.
  const text = Readable.from(decodeUtf8(chunks, path), { highWaterMark: 1 });
  const parser = parse({ bom: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS });
  text.on('error', (error) => parser.destroy(error));
  text.pipe(parser);

  let names: string[] | undefined;
  let picked: number[] = [];
  let kinds: ColumnKind[] = [];
  let rows: string[][] = [];
  let yielded = false;
  const flush = (): arrow.Table => {
    const table = buildBatch(names ?? [], picked, kinds, rows);
    kinds = table.schema.fields.map((f) => kindOfType(f.type));
    rows = [];
    yielded = true;
    return table;
  };
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!names) {
        names = uniqueColumnNames(record);
        checkProjection(names, options.columns, path);
        picked = options.columns ? options.columns.map((c) => names!.indexOf(c)) : names.map((_, j) => j);
        kinds = picked.map(() => 'null');
        continue;
      }
      rows.push(record);
      if (rows.length >= batchRows) yield flush();
    }
    if (rows.length > 0 || !yielded) yield flush();
  } catch (error) {
    throw toCsvError(error, path);
  } finally {
    text.destroy();
    parser.destroy();
  }
}

function buildBatch(names: string[], picked: number[], kinds: ColumnKind[], rows: string[][]): arrow.Table {
  const length = rows.length;
  const columns = picked.map((j, k) => {
    const cell = (i: number): string | undefined => rows[i]![j];
    const locked = kinds[k]!;
    // A string column cannot widen further: skip inference.
    const kind = locked === 'string' ? 'string' : widenKinds(locked, inferFromStrings(length, cell));
    return buildFromStrings(kind, length, cell);
  });
  return tableFromColumns(picked.map((j) => names[j]!), columns, length);
}

function toCsvError(error: unknown, path: string): unknown {
  if (isDataMcpError(error)) return error;
  if (error instanceof CsvError) {
    const line = typeof error.lines === 'number' ? error.lines : undefined;
    const where = line !== undefined ? ` at line ${line}` : '';
    const ragged = error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH';
    return invalidArgument(
      `"${path}" is not valid CSV${where}: ${error.message}`,
      ragged
        ? 'Every row must have as many fields as the header. Fix the row, or quote fields that contain commas.'
        : 'Check quoting and delimiters (comma-separated, double-quoted fields, header row first).',
      { path, line, csvCode: error.code },
    );
  }
  return error;
}
