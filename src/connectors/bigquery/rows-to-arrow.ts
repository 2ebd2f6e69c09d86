import * as arrow from 'apache-arrow';
import { buildFromStrings, dictionaryUtf8, int64FromBigInts, tableFromColumns, valueToText } from '../../formats/columns.js';
import { newBitmap, setBit } from '../../formats/raw.js';
import { civilMillis, plainValue, timestampMillis, type WireValue } from './cells.js';
import { columnPlan, type BigqueryField } from './field-types.js';

/** One REST row: `{f: [{v}, ...]}` in schema order. */
export interface WireRow {
  f?: Array<{ v?: WireValue }> | null;
}

/**
 * One page of REST rows → an Arrow table, column by column straight from the wire cells.
 * The Arrow types come from the schema alone, so every page of a result has the same schema
 * (an empty page too).
 */
export function rowsToTable(schema: readonly BigqueryField[], rows: readonly WireRow[]): arrow.Table {
  const length = rows.length;
  const names = schema.map((f, i) => f.name ?? `f${i}_`);
  const columns = schema.map((field, c) => buildColumn(field, length, (i) => rows[i]?.f?.[c]?.v));
  return tableFromColumns(names, columns, length);
}

function buildColumn(field: BigqueryField, length: number, cell: (i: number) => WireValue): arrow.Data {
  const text = (i: number): string | undefined => {
    const v = cell(i);
    return typeof v === 'string' ? v : undefined;
  };
  switch (columnPlan(field)) {
    case 'int64':
      return int64Column(length, text);
    case 'float64':
      return float64Column(length, text);
    case 'bool':
      return buildFromStrings('bool', length, text);
    case 'timestamp':
      return timestampColumn(length, (i) => mapDefined(text(i), timestampMillis));
    case 'date':
    case 'datetime':
      return timestampColumn(length, (i) => mapDefined(text(i), civilMillis));
    case 'json':
      return dictionaryUtf8(length, (i) => {
        const v = cell(i);
        return v === null || v === undefined ? undefined : valueToText(plainValue(v, field));
      });
    default:
      return dictionaryUtf8(length, text);
  }
}

const mapDefined = <T>(v: string | undefined, f: (s: string) => T | undefined): T | undefined => (v === undefined ? undefined : f(v));

/** INT64 stays exact: parsed with BigInt, never through a float. */
function int64Column(length: number, text: (i: number) => string | undefined): arrow.Data {
  return int64FromBigInts(new arrow.Int64(), length, (i) => {
    const v = text(i);
    return v === undefined || !/^-?\d+$/.test(v) ? undefined : BigInt(v);
  });
}

/** FLOAT64 keeps NaN and ±Infinity (BigQuery sends them as "NaN", "Infinity", "-Infinity"). */
function float64Column(length: number, text: (i: number) => string | undefined): arrow.Data {
  const values = new Float64Array(length);
  const validity = newBitmap(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const v = text(i);
    const n = v === undefined ? NaN : Number(v);
    if (v === undefined || (Number.isNaN(n) && v !== 'NaN')) {
      nulls++;
      continue;
    }
    values[i] = n;
    setBit(validity, i);
  }
  return arrow.makeData({ type: new arrow.Float64(), length, nullCount: nulls, nullBitmap: nulls ? validity : null, data: values });
}

function timestampColumn(length: number, millis: (i: number) => number | undefined): arrow.Data {
  return int64FromBigInts(new arrow.TimestampMillisecond(), length, (i) => {
    const ms = millis(i);
    return ms === undefined || !Number.isFinite(ms) ? undefined : BigInt(ms);
  });
}
