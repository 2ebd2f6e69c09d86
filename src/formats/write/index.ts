/**
 * One entry point from Arrow to bytes (the inverse of ../index.ts): `writeTable` for a whole
 * object, `writeChunks` for formats that can be produced piece by piece (csv, json, jsonl),
 * so a large write can stream to the store instead of becoming one string.
 */
import type * as arrow from 'apache-arrow';
import type { Format } from '../detect.js';
import { arrowFileBytes } from './arrow-file.js';
import { csvChunks } from './csv.js';
import { jsonChunks, jsonlChunks } from './json.js';
import { parquetBytes } from './parquet.js';

export { tableFromRows } from './from-rows.js';

export const CONTENT_TYPES: Record<Format, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.file',
};

/** The bytes of `table` in `format`, in order (one chunk for parquet and arrow). */
export function* writeChunks(table: arrow.Table, format: Format): Generator<Uint8Array> {
  switch (format) {
    case 'csv':
      yield* csvChunks(table);
      return;
    case 'jsonl':
      yield* jsonlChunks(table);
      return;
    case 'json':
      yield* jsonChunks(table);
      return;
    case 'parquet':
      yield parquetBytes(table);
      return;
    case 'arrow':
      yield arrowFileBytes(table);
  }
}

/** The whole object as one byte array. */
export function writeTable(table: arrow.Table, format: Format): Uint8Array {
  const chunks = [...writeChunks(table, format)];
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
