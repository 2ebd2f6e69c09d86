import * as arrow from 'apache-arrow';
import { buildFromValues, dictionaryUtf8, int64FromNumbers, tableFromColumns, type CellReader } from '../../formats/columns.js';
import { parseIsoMillis } from '../../formats/infer.js';
import { redshiftColumnType, type RedshiftColumnKind } from './column-types.js';

/** One Data API cell (`Field` union), read loosely so unknown members degrade to null. */
export interface DataApiField {
  isNull?: boolean;
  booleanValue?: boolean;
  longValue?: number;
  doubleValue?: number;
  stringValue?: string;
  blobValue?: Uint8Array;
}

export interface DataApiColumn {
  name?: string;
  label?: string;
  typeName?: string;
  precision?: number;
}

/** A result column: its unique output name and how its cells are built. */
export interface ResultColumn {
  name: string;
  kind: RedshiftColumnKind;
  readable: string;
}

/** Output columns for ColumnMetadata; duplicate names (`count`, `count`) get `_2`, `_3`... */
export function resultColumns(metadata: readonly DataApiColumn[]): ResultColumn[] {
  const seen = new Set<string>();
  return metadata.map((m, i) => {
    const base = m.label || m.name || `column_${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return { name, ...redshiftColumnType(m.typeName, m.precision) };
  });
}

/** Converts one page of records to a one-batch Arrow table, column by column. */
export function recordsToTable(columns: readonly ResultColumn[], records: readonly (readonly DataApiField[])[]): arrow.Table {
  const length = records.length;
  const data = columns.map((column, c) => buildColumn(column.kind, length, (i) => records[i]?.[c]));
  return tableFromColumns(columns.map((c) => c.name), data, length);
}

function buildColumn(kind: RedshiftColumnKind, length: number, cell: CellReader<DataApiField | undefined>): arrow.Data {
  switch (kind) {
    case 'int64':
      // Exact below 2^53 only: the SDK parses `longValue` as a JS number, so that is all there is.
      return int64FromNumbers(new arrow.Int64(), length, (i) => numberOf(cell(i)));
    case 'int32':
    case 'float64':
      return buildFromValues(kind, length, (i) => numberOf(cell(i)));
    case 'bool':
      return buildFromValues('bool', length, (i) => boolOf(cell(i)));
    case 'timestamp':
      return timestampColumn(length, cell);
    default:
      return dictionaryUtf8(length, (i) => textOf(cell(i)));
  }
}

export function numberOf(f: DataApiField | undefined): number | undefined {
  if (!f || f.isNull) return undefined;
  if (typeof f.longValue === 'number') return f.longValue;
  if (typeof f.doubleValue === 'number') return f.doubleValue;
  if (typeof f.stringValue === 'string' && f.stringValue.trim() !== '') {
    const n = Number(f.stringValue);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function boolOf(f: DataApiField | undefined): boolean | undefined {
  if (!f || f.isNull) return undefined;
  if (typeof f.booleanValue === 'boolean') return f.booleanValue;
  const s = f.stringValue?.toLowerCase();
  return s === 'true' || s === 't' ? true : s === 'false' || s === 'f' ? false : undefined;
}

export function textOf(f: DataApiField | undefined): string | undefined {
  if (!f || f.isNull) return undefined;
  if (typeof f.stringValue === 'string') return f.stringValue;
  if (typeof f.longValue === 'number') return String(f.longValue);
  if (typeof f.doubleValue === 'number') return String(f.doubleValue);
  if (typeof f.booleanValue === 'boolean') return String(f.booleanValue);
  if (f.blobValue instanceof Uint8Array) return Buffer.from(f.blobValue).toString('base64');
  return undefined;
}

/**
 * Timestamps arrive as text (`2026-01-02 03:04:05.678`, `...+00` for timestamptz). A value
 * that does not parse (`infinity`, BC dates) would otherwise become a silent null, so the
 * page's column falls back to strings instead.
 */
function timestampColumn(length: number, cell: CellReader<DataApiField | undefined>): arrow.Data {
  const millis = new Array<number | undefined>(length);
  for (let i = 0; i < length; i++) {
    const text = textOf(cell(i));
    if (text === undefined) continue;
    const ms = parseIsoMillis(text);
    if (ms === undefined) return dictionaryUtf8(length, (j) => textOf(cell(j)));
    millis[i] = ms;
  }
  return buildFromValues('timestamp', length, (i) => millis[i]);
}
