/**
 * Table → JSONL (one object per line, keys in column order, nulls kept as null so every line
 * names every column) and → JSON (one array of those objects).
 */
import type * as arrow from 'apache-arrow';
import { columnsOf, type Cell } from './cells.js';

const ROWS_PER_CHUNK = 5_000;

function rowObject(names: string[], columns: Cell[][], i: number): Record<string, Cell> {
  const row: Record<string, Cell> = {};
  names.forEach((name, j) => {
    // defineProperty: a column named "__proto__" stays an ordinary key.
    Object.defineProperty(row, name, { value: columns[j]![i]!, enumerable: true, writable: true, configurable: true });
  });
  return row;
}

export function* jsonlChunks(table: arrow.Table): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const { names, columns } = columnsOf(table);
  for (let start = 0; start < table.numRows; start += ROWS_PER_CHUNK) {
    const end = Math.min(table.numRows, start + ROWS_PER_CHUNK);
    let text = '';
    for (let i = start; i < end; i++) text += `${JSON.stringify(rowObject(names, columns, i))}\n`;
    yield encoder.encode(text);
  }
}

export function* jsonChunks(table: arrow.Table): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const { names, columns } = columnsOf(table);
  yield encoder.encode('[');
  for (let start = 0; start < table.numRows; start += ROWS_PER_CHUNK) {
    const end = Math.min(table.numRows, start + ROWS_PER_CHUNK);
    let text = '';
    for (let i = start; i < end; i++) text += `${i === 0 ? '' : ','}\n${JSON.stringify(rowObject(names, columns, i))}`;
    yield encoder.encode(text);
  }
  yield encoder.encode('\n]\n');
}
