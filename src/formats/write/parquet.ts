/**
 * Table → Parquet with `hyparquet-writer` (v2 pages, snappy). Each Arrow type maps to the
 * Parquet type the reader (../parquet-types.ts) turns back into the same kind: integers up to
 * 32 bits → INT32, 64-bit and unsigned 32-bit → INT64 (exact), floats → DOUBLE, timestamps
 * and dates → TIMESTAMP_MILLIS (sub-millisecond precision is dropped), text → STRING,
 * anything else (nested, binary, a column of only nulls) → STRING holding JSON text.
 */
import * as arrow from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { BasicType } from 'hyparquet-writer';
import { plainCell } from './cells.js';

interface ParquetColumnSource {
  name: string;
  data: unknown[];
  type: BasicType;
  nullable: true;
}

function parquetTypeOf(type: arrow.DataType): BasicType {
  if (arrow.DataType.isBool(type)) return 'BOOLEAN';
  if (arrow.DataType.isInt(type)) return type.bitWidth < 32 || (type.bitWidth === 32 && type.isSigned) ? 'INT32' : 'INT64';
  if (arrow.DataType.isFloat(type)) return 'DOUBLE';
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type)) return 'TIMESTAMP';
  return 'STRING';
}

function convert(kind: BasicType, type: arrow.DataType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'INT64':
      return typeof value === 'bigint' ? value : BigInt(value as number);
    case 'TIMESTAMP':
      return value instanceof Date ? value : new Date(value as number);
    case 'DOUBLE':
      return Number(value);
    case 'STRING': {
      if (typeof value === 'string') return value;
      const cell = plainCell(value);
      // Text of a scalar as the text readers would show it; nested values as JSON.
      return cell === null ? null : typeof cell === 'object' || arrow.DataType.isStruct(type) ? JSON.stringify(cell) : String(cell);
    }
    default:
      return value;
  }
}

export function parquetBytes(table: arrow.Table): Uint8Array {
  const columnData: ParquetColumnSource[] = table.schema.fields.map((field, j) => {
    const kind = parquetTypeOf(field.type);
    const data = new Array<unknown>(table.numRows);
    let i = 0;
    const vector = table.getChildAt(j);
    if (vector) for (const value of vector) data[i++] = convert(kind, field.type, value);
    return { name: field.name, data, type: kind, nullable: true };
  });
  const buffer = parquetWriteBuffer({ columnData: columnData as Parameters<typeof parquetWriteBuffer>[0]['columnData'], codec: 'SNAPPY', createdBy: 'data-mcp' });
  return new Uint8Array(buffer);
}
