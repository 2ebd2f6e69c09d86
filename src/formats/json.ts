/**
 * JSON and JSONL → Arrow (DESIGN §9).
 * - JSON: an array of objects, `{ "data": [ ... ] }`, or a single object (one row). Parsed
 *   whole (JSON cannot be streamed row by row), then cut into batches with one schema.
 * - JSONL/NDJSON: one object per line, streamed; a bad line is an error naming the line.
 * Columns are the union of keys across rows (first-seen order; a row without a key gives
 * null). Nested objects and arrays are kept as JSON text in a string column.
 */
import type * as arrow from 'apache-arrow';
import type { ByteSource } from '../connectors/types.js';
import { invalidArgument } from '../results/errors.js';
import { decodeUtf8, readChunks, readWhole, throwIfAborted } from './byte-stream.js';
import { buildFromValues, kindOfType, tableFromColumns } from './columns.js';
import { DEFAULT_BATCH_ROWS, type BatchReadOptions } from './csv.js';
import { inferFromValues, widenKinds, type ColumnKind } from './infer.js';
import { checkProjection } from './projection.js';

type Row = Record<string, unknown>;
const MAX_LINE_CHARS = 64 * 1024 * 1024;

export async function* readJsonBatches(source: ByteSource, options: BatchReadOptions = {}): AsyncGenerator<arrow.Table> {
  const bytes = await readWhole(source, options.signal);
  const [text] = await collect(decodeUtf8([bytes].values() as unknown as AsyncIterable<Uint8Array>, source.path));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch (error) {
    throw invalidArgument(
      `"${source.path}" is not valid JSON: ${(error as Error).message}`,
      'Expected an array of objects (or {"data": [...]}). For one object per line use format "jsonl".',
      { path: source.path },
    );
  }
  const rows = rowsOf(parsed, source.path);
  const names = unionOfKeys(rows, []);
  checkProjection(names, options.columns, source.path);
  const picked = options.columns ?? names;
  const kinds = picked.map((name) => inferFromValues(rows.length, (i) => rows[i]![name]));
  const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
  for (let start = 0; start < rows.length || start === 0; start += batchRows) {
    throwIfAborted(options.signal);
    yield buildObjectBatch(rows.slice(start, start + batchRows), picked, kinds);
    if (rows.length === 0) return;
  }
}

function rowsOf(parsed: unknown, path: string): Row[] {
  const list = Array.isArray(parsed) ? parsed : isObject(parsed) && Array.isArray(parsed.data) ? parsed.data : isObject(parsed) ? [parsed] : undefined;
  if (!list) {
    throw invalidArgument(`"${path}" holds a JSON ${parsed === null ? 'null' : typeof parsed}, not rows.`, 'Expected an array of objects, {"data": [...]}, or one object.', { path });
  }
  list.forEach((row, i) => {
    if (!isObject(row)) throw invalidArgument(`Row ${i} of "${path}" is not a JSON object.`, 'Every element of the array must be an object ({"column": value, ...}).', { path, row: i });
  });
  return list as Row[];
}

export async function* readJsonlBatches(source: ByteSource, options: BatchReadOptions = {}): AsyncGenerator<arrow.Table> {
  const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
  let names: string[] = [];
  let picked: string[] | undefined;
  let kinds: ColumnKind[] = [];
  let rows: Row[] = [];
  let yielded = false;
  const flush = (): arrow.Table => {
    if (!picked) {
      names = unionOfKeys(rows, names);
      checkProjection(names, options.columns, source.path);
      picked = options.columns;
    }
    // Without a projection, keys first seen in later batches become new columns.
    const columns = picked ?? (names = unionOfKeys(rows, names));
    const table = buildObjectBatch(rows, columns, columns.map((_, j) => kinds[j] ?? 'null'));
    kinds = table.schema.fields.map((f) => kindOfType(f.type));
    rows = [];
    yielded = true;
    return table;
  };
  let lineNumber = 0;
  let pending = '';
  for await (const text of decodeUtf8(readChunks(source, { signal: options.signal }), source.path)) {
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      lineNumber++;
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const row = parseLine(line, lineNumber, source.path);
      if (row) rows.push(row);
      if (rows.length >= batchRows) yield flush();
    }
    if (pending.length > MAX_LINE_CHARS) {
      throw invalidArgument(`Line ${lineNumber + 1} of "${source.path}" is longer than ${MAX_LINE_CHARS} characters.`, 'JSONL needs one object per line; check that the file is not a single-line JSON array (use format "json").', { path: source.path, line: lineNumber + 1 });
    }
  }
  const last = parseLine(pending, lineNumber + 1, source.path);
  if (last) rows.push(last);
  if (rows.length > 0 || !yielded) yield flush();
}

function parseLine(line: string, lineNumber: number, path: string): Row | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    throw invalidArgument(`Line ${lineNumber} of "${path}" is not valid JSON: ${(error as Error).message}`, 'JSONL needs exactly one JSON object per line. Fix or remove that line.', { path, line: lineNumber });
  }
  if (!isObject(value)) {
    throw invalidArgument(`Line ${lineNumber} of "${path}" is not a JSON object.`, 'JSONL needs exactly one JSON object per line ({"column": value, ...}).', { path, line: lineNumber });
  }
  return value;
}

/** One batch of objects → columns; kinds carried from earlier batches are only widened. */
function buildObjectBatch(rows: Row[], names: readonly string[], carried: readonly ColumnKind[]): arrow.Table {
  const length = rows.length;
  const columns = names.map((name, j) => {
    const cell = (i: number): unknown => (Object.hasOwn(rows[i]!, name) ? rows[i]![name] : undefined);
    const kind = carried[j] === 'string' ? 'string' : widenKinds(carried[j] ?? 'null', inferFromValues(length, cell));
    return buildFromValues(kind, length, cell);
  });
  return tableFromColumns(names, columns, length);
}

function unionOfKeys(rows: readonly Row[], known: readonly string[]): string[] {
  const seen = new Set(known);
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

function isObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function collect(parts: AsyncIterable<string>): Promise<string[]> {
  let text = '';
  for await (const part of parts) text += part;
  return [text];
}
