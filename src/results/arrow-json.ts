import { DataType, type Table, type Vector } from 'apache-arrow';

export interface ColumnInfo {
  name: string;
  type: string;
}

export type Cell = string | number | boolean | null;

/** Column names and readable type names of a table, for `structuredContent.columns`. */
export function columnsOf(table: Table): ColumnInfo[] {
  return table.schema.fields.map((f) => ({ name: f.name, type: typeName(f.type) }));
}

export function typeName(type: DataType): string {
  if (DataType.isDictionary(type)) return typeName(type.valueType);
  if (DataType.isInt(type)) return type.bitWidth === 64 ? 'int64' : 'int';
  if (DataType.isFloat(type)) return 'float';
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'string';
  if (DataType.isTimestamp(type)) return 'timestamp';
  if (DataType.isDate(type)) return 'date';
  if (DataType.isDecimal(type)) return 'decimal';
  return String(type).toLowerCase();
}

/**
 * Rows [start, end) as JSON-safe arrays. Only the rows that fit the result budget pass through
 * here, so per-cell access is acceptable; bulk work happens on buffers in the engine.
 */
export function rowsOf(table: Table, start: number, end: number): Cell[][] {
  const columns = table.schema.fields.map((_, i) => table.getChildAt(i));
  const kinds = table.schema.fields.map((f) => cellKind(f.type));
  const rows: Cell[][] = [];
  for (let r = start; r < Math.min(end, table.numRows); r++) {
    rows.push(columns.map((col, c) => toCell(col, r, kinds[c] ?? 'other')));
  }
  return rows;
}

type CellKind = 'time' | 'other';

function cellKind(type: DataType): CellKind {
  return DataType.isTimestamp(type) || DataType.isDate(type) ? 'time' : 'other';
}

function toCell(col: Vector | null, row: number, kind: CellKind): Cell {
  const value: unknown = col?.get(row);
  if (value === null || value === undefined) return null;
  if (kind === 'time') return new Date(Number(value)).toISOString();
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
