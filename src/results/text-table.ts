import type { Cell, ColumnInfo } from './arrow-json.js';
import { CONTROL_CHARS, LINE_BREAKS } from './framing.js';

const MAX_CELL = 120;

/** A compact pipe table: cheap for the model to read, cells cut at a bounded width. */
export function textTable(columns: ColumnInfo[], rows: Cell[][]): string {
  const header = columns.map((c) => escapeCell(c.name)).join(' | ');
  const lines = rows.map((row) => row.map((cell) => escapeCell(cell === null ? '∅' : String(cell))).join(' | '));
  return [header, ...lines].join('\n');
}

function escapeCell(text: string): string {
  // Every kind of line break becomes a space: a cell can never start a line of its own.
  const oneLine = text.replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(CONTROL_CHARS, '\ufffd').replace(/\|/g, '\\|');
  return oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 1)}…` : oneLine;
}
