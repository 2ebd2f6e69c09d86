/**
 * Table → CSV (RFC 4180): a header row, CRLF line ends, fields quoted when they hold a comma,
 * a quote, CR or LF (quotes doubled), or leading/trailing spaces. Null is an empty field;
 * nested values are JSON text. Emitted in chunks so a large table never becomes one string.
 */
import type * as arrow from 'apache-arrow';
import { columnsOf, type Cell } from './cells.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const ROWS_PER_CHUNK = 5_000;

export function csvField(cell: Cell): string {
  if (cell === null) return '';
  const text = typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function* csvChunks(table: arrow.Table): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const { names, columns } = columnsOf(table);
  yield encoder.encode(`${names.map(csvField).join(',')}\r\n`);
  for (let start = 0; start < table.numRows; start += ROWS_PER_CHUNK) {
    const end = Math.min(table.numRows, start + ROWS_PER_CHUNK);
    let text = '';
    for (let i = start; i < end; i++) text += `${columns.map((c) => csvField(c[i]!)).join(',')}\r\n`;
    yield encoder.encode(text);
  }
}
