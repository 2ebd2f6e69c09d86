/**
 * Arrow columns → plain JS cells for the text writers. Timestamps and dates become ISO-8601
 * text (UTC), 64-bit integers stay exact (a number when safe, else decimal text), NaN and
 * infinities become null (JSON has no spelling for them), nested values become JSON values.
 */
import * as arrow from 'apache-arrow';

export type Cell = string | number | boolean | null | Record<string, unknown> | unknown[];

/** How to turn one column's `get()` values into cells, decided once per column. */
export function cellReader(type: arrow.DataType): (value: unknown) => Cell {
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type)) {
    return (v) => (typeof v === 'number' && Number.isFinite(v) ? new Date(v).toISOString() : v instanceof Date ? v.toISOString() : null);
  }
  return plainCell;
}

export function plainCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    default:
      break;
  }
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  // Struct rows, list vectors and maps know their JSON form.
  const json = (v as { toJSON?: () => unknown }).toJSON?.() ?? v;
  return JSON.parse(JSON.stringify(json, (_k, x: unknown) => (typeof x === 'bigint' ? plainCell(x) : x))) as Cell;
}

/** Every column of a table as cells (one pass per column; the iterator yields nulls). */
export function columnsOf(table: arrow.Table): { names: string[]; columns: Cell[][] } {
  const names = table.schema.fields.map((f) => f.name);
  const columns = table.schema.fields.map((field, j) => {
    const read = cellReader(field.type);
    const vector = table.getChildAt(j);
    const out: Cell[] = new Array<Cell>(table.numRows);
    let i = 0;
    if (vector) for (const value of vector) out[i++] = read(value);
    return out;
  });
  return { names, columns };
}
