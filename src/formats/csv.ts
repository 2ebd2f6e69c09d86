/**
 * CSV → Arrow in batches (DESIGN §9). Bytes are pulled on demand from the source, validated as
 * strict UTF-8 and tokenized in place (csv-tokenizer.ts: cells are byte ranges, no JS string
 * per cell); every `batchRows` records become one table, built straight from the bytes
 * (csv-columns.ts), so a consumer that stops early stops the reads. The first record is the
 * header. Column kinds are inferred on the first batch and only ever widened by later ones
 * (see unify.ts).
 */
import type * as arrow from 'apache-arrow';
import type { ByteSource } from '../connectors/types.js';
import { isDataMcpError, invalidArgument } from '../results/errors.js';
import { readChunks } from './byte-stream.js';
import { buildCsvColumn } from './csv-columns.js';
import { CsvSyntaxError, CsvTokenizer } from './csv-tokenizer.js';
import { Utf8Error } from './csv-utf8.js';
import { kindOfType, tableFromColumns } from './columns.js';
import type { ColumnKind } from './infer.js';
import { checkProjection, uniqueColumnNames } from './projection.js';

export const DEFAULT_BATCH_ROWS = 10_000;
/** A single record larger than this is refused instead of buffered without bound. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

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
  const tokenizer = new CsvTokenizer({ maxRecordBytes: MAX_RECORD_BYTES });

  let names: string[] | undefined;
  let picked: number[] = [];
  let kinds: ColumnKind[] = [];
  let yielded = false;
  /** Once the header is in: names, projection (checked before any row is built) and open kinds. */
  const takeHeader = (): void => {
    if (names || !tokenizer.header) return;
    names = uniqueColumnNames(tokenizer.header);
    checkProjection(names, options.columns, path);
    picked = options.columns ? options.columns.map((c) => names!.indexOf(c)) : names.map((_, j) => j);
    kinds = picked.map(() => 'null');
  };
  const flush = (): arrow.Table => {
    takeHeader();
    const columns = picked.map((j, k) => buildCsvColumn(tokenizer, j, kinds[k]!));
    const table = tableFromColumns(picked.map((j) => names![j]!), columns, tokenizer.rows);
    kinds = columns.map((c) => kindOfType(c.type));
    tokenizer.startBatch();
    yielded = true;
    return table;
  };
  try {
    // A scan pauses after the header (so a bad projection fails before any row is read) and at each full batch.
    for await (const chunk of chunks) {
      tokenizer.append(chunk);
      while (tokenizer.scan(batchRows)) {
        takeHeader();
        if (tokenizer.rows >= batchRows) yield flush();
      }
    }
    tokenizer.finish();
    while (tokenizer.scan(batchRows)) {
      takeHeader();
      if (tokenizer.rows >= batchRows) yield flush();
    }
    if (tokenizer.rows > 0 || !yielded) yield flush();
  } catch (error) {
    throw toCsvError(error, path);
  }
}

function toCsvError(error: unknown, path: string): unknown {
  if (isDataMcpError(error)) return error;
  if (error instanceof Utf8Error) {
    return invalidArgument(
      `"${path}" is not valid UTF-8 text (invalid bytes at or after byte ${error.offset}).`,
      'Text formats (csv, json, jsonl) must be UTF-8. Re-encode the file as UTF-8, or read it as another format if it is binary.',
      { path, offset: error.offset },
    );
  }
  if (error instanceof CsvSyntaxError) {
    const ragged = error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH';
    return invalidArgument(
      `"${path}" is not valid CSV at line ${error.line}: ${error.message}`,
      ragged
        ? 'Every row must have as many fields as the header. Fix the row, or quote fields that contain commas.'
        : 'Check quoting and delimiters (comma-separated, double-quoted fields, header row first).',
      { path, line: error.line, csvCode: error.code },
    );
  }
  return error;
}
