import type { Cell, ColumnInfo } from './arrow-json.js';

const MAX_CELL = 120;

/** A compact pipe table: cheap for the model to read, cells cut at a bounded width. */
export function textTable(columns: ColumnInfo[], rows: Cell[][]): string {
  const header = columns.map((c) => escapeCell(c.name)).join(' | ');
  const lines = rows.map((row) => row.map((cell) => escapeCell(cell === null ? '∅' : String(cell))).join(' | '));
  return [header, ...lines].join('\n');
}

function escapeCell(text: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ').replace(/\|/g, '\\|');
  return oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 1)}…` : oneLine;
}
