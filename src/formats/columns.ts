/**
 * Builders from columns of cells to Arrow `Data`, straight into typed arrays and validity
 * bitmaps (DESIGN §10): no per-row objects, strings dictionary-encoded (one UTF-8 encode per
 * distinct value).
 */
import * as arrow from 'apache-arrow';
import { isBoolText, parseIsoMillis, type ColumnKind } from './infer.js';
import { newBitmap, numbersToInt64, setBit } from './raw.js';

/** Reads cell `i` of a column; the builders never materialize an intermediate array. */
export type CellReader<T> = (i: number) => T;

export function arrowTypeOf(kind: ColumnKind): arrow.DataType {
  switch (kind) {
    case 'int32':
      return new arrow.Int32();
    case 'float64':
      return new arrow.Float64();
    case 'bool':
      return new arrow.Bool();
    case 'timestamp':
      return new arrow.TimestampMillisecond();
    case 'null':
      return new arrow.Null();
    default:
      return new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
  }
}

/** The kind of a column built here (used to carry inference from one batch to the next). */
export function kindOfType(type: arrow.DataType): ColumnKind {
  if (arrow.DataType.isNull(type)) return 'null';
  if (arrow.DataType.isInt(type)) return type.bitWidth <= 32 && type.isSigned ? 'int32' : 'float64';
  if (arrow.DataType.isFloat(type)) return 'float64';
  if (arrow.DataType.isBool(type)) return 'bool';
  if (arrow.DataType.isTimestamp(type)) return 'timestamp';
  return 'string';
}

/** A column of nulls whose type is still open (Null type; later batches decide). */
function allNull(length: number): arrow.Data {
  return arrow.makeData({ type: new arrow.Null(), length });
}

/** Builds a column from text cells (CSV); `''` and null are nulls. */
export function buildFromStrings(kind: ColumnKind, length: number, cell: CellReader<string | null | undefined>): arrow.Data {
  const text = (i: number): string | undefined => {
    const v = cell(i);
    return v == null || v === '' ? undefined : v;
  };
  switch (kind) {
    case 'int32':
    case 'float64':
      return numeric(kind, length, (i) => {
        const v = text(i);
        return v === undefined ? undefined : Number(v);
      });
    case 'bool':
      return bools(length, (i) => {
        const v = text(i);
        return v === undefined || !isBoolText(v) ? undefined : v.length === 4;
      });
    case 'timestamp':
      return timestamps(length, (i) => {
        const v = text(i);
        return v === undefined ? undefined : parseIsoMillis(v);
      });
    case 'null':
      return allNull(length);
    default:
      return dictionaryUtf8(length, text);
  }
}

/** Builds a column from JS values (JSON, Parquet); objects become JSON text in string columns. */
export function buildFromValues(kind: ColumnKind, length: number, cell: CellReader<unknown>): arrow.Data {
  switch (kind) {
    case 'int32':
    case 'float64':
      return numeric(kind, length, (i) => {
        const v = cell(i);
        return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
      });
    case 'bool':
      return bools(length, (i) => {
        const v = cell(i);
        return typeof v === 'boolean' ? v : undefined;
      });
    case 'timestamp':
      return timestamps(length, (i) => toMillis(cell(i)));
    case 'null':
      return allNull(length);
    default:
      return dictionaryUtf8(length, (i) => valueToText(cell(i)));
  }
}

export function toMillis(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseIsoMillis(v);
  if (v instanceof Date) return v.getTime();
  return undefined;
}

/** Text form of any JS value for a string column: nested values become JSON. */
export function valueToText(v: unknown): string | undefined {
  if (v == null) return undefined;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v as number | boolean | bigint);
}

function numeric(kind: 'int32' | 'float64', length: number, read: CellReader<number | undefined>): arrow.Data {
  const values = kind === 'int32' ? new Int32Array(length) : new Float64Array(length);
  const validity = newBitmap(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const v = read(i);
    if (v === undefined || Number.isNaN(v)) nulls++;
    else {
      values[i] = v;
      setBit(validity, i);
    }
  }
  const type = kind === 'int32' ? new arrow.Int32() : new arrow.Float64();
  return arrow.makeData({ type, length, nullCount: nulls, nullBitmap: nulls ? validity : null, data: values } as never);
}

function bools(length: number, read: CellReader<boolean | undefined>): arrow.Data {
  const values = newBitmap(length);
  const validity = newBitmap(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const v = read(i);
    if (v === undefined) nulls++;
    else {
      setBit(validity, i);
      if (v) setBit(values, i);
    }
  }
  return arrow.makeData({ type: new arrow.Bool(), length, nullCount: nulls, nullBitmap: nulls ? validity : null, data: values });
}

function timestamps(length: number, read: CellReader<number | undefined>): arrow.Data {
  return int64FromNumbers(new arrow.TimestampMillisecond(), length, read);
}

/** The 64-bit column types whose data is a BigInt64Array (a union makeData has no overload for: hence `as never` below, as in numeric()). */
export type Int64Type = arrow.Int64 | arrow.TimestampMillisecond;

/**
 * A 64-bit column from JS numbers (exact below 2^53 only): an absent or non-finite cell is
 * null, others are truncated to whole numbers. Shared by the builders here and by connectors
 * whose SDK hands over 64-bit integers as numbers.
 */
export function int64FromNumbers(type: Int64Type, length: number, read: CellReader<number | undefined>): arrow.Data {
  const values = new Float64Array(length);
  const validity = newBitmap(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const v = read(i);
    if (v === undefined || !Number.isFinite(v)) nulls++;
    else {
      values[i] = Math.trunc(v);
      setBit(validity, i);
    }
  }
  return arrow.makeData({ type, length, nullCount: nulls, nullBitmap: nulls ? validity : null, data: numbersToInt64(values, length) } as never);
}

/**
 * A 64-bit column from BigInts, for connectors that keep integers exact past 2^53 (parsed from
 * text): an absent cell is null. Parsing, and what counts as unparsable, stays with the caller.
 */
export function int64FromBigInts(type: Int64Type, length: number, read: CellReader<bigint | undefined>): arrow.Data {
  const values = new BigInt64Array(length);
  const validity = newBitmap(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const v = read(i);
    if (v === undefined) nulls++;
    else {
      values[i] = v;
      setBit(validity, i);
    }
  }
  return arrow.makeData({ type, length, nullCount: nulls, nullBitmap: nulls ? validity : null, data: values } as never);
}

/** Dictionary<Utf8, Int32>: one Map lookup per cell, one UTF-8 encode per distinct value. */
export function dictionaryUtf8(length: number, read: CellReader<string | undefined>): arrow.Data {
  const codes = new Int32Array(length);
  const validity = newBitmap(length);
  const index = new Map<string, number>();
  const distinct: string[] = [];
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const v = read(i);
    if (v === undefined) {
      nulls++;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = distinct.length;
      index.set(v, code);
      distinct.push(v);
    }
    codes[i] = code;
    setBit(validity, i);
  }
  return arrow.makeData({
    type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
    length,
    nullCount: nulls,
    nullBitmap: nulls ? validity : null,
    data: codes,
    dictionary: utf8Vector(distinct),
  });
}

const encoder = new TextEncoder();

/** A plain Utf8 vector of non-null strings, encoded into one growing byte buffer. */
export function utf8Vector(strings: readonly string[]): arrow.Vector<arrow.Utf8> {
  const offsets = new Int32Array(strings.length + 1);
  let bytes = new Uint8Array(Math.max(64, strings.length * 8));
  let used = 0;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i]!;
    const worst = s.length * 3;
    if (used + worst > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, used + worst));
      grown.set(bytes.subarray(0, used));
      bytes = grown;
    }
    used += encoder.encodeInto(s, bytes.subarray(used)).written;
    offsets[i + 1] = used;
  }
  const data = arrow.makeData({ type: new arrow.Utf8(), length: strings.length, nullCount: 0, valueOffsets: offsets, data: bytes.subarray(0, used) });
  return arrow.makeVector(data);
}

/** An all-null column of any type (rare path: a column missing from one batch). */
export function nullColumn(type: arrow.DataType, length: number): arrow.Data {
  return arrow.vectorFromArray(new Array<null>(length).fill(null), type).data[0]!;
}

/** Assembles named column `Data` of equal length into a one-batch table. */
export function tableFromColumns(names: readonly string[], columns: readonly arrow.Data[], length: number): arrow.Table {
  const fields = names.map((name, i) => new arrow.Field(name, columns[i]!.type, true));
  const schema = new arrow.Schema(fields);
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length, nullCount: 0, children: [...columns] });
  return new arrow.Table([new arrow.RecordBatch(schema, struct)]);
}

/** A short, stable type name for schemas shown to agents (`describe`, results). */
export function typeName(type: arrow.DataType): string {
  if (arrow.DataType.isDictionary(type)) return arrow.DataType.isUtf8(type.dictionary) ? 'string' : typeName(type.dictionary);
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return 'string';
  if (arrow.DataType.isInt(type)) return `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`;
  if (arrow.DataType.isFloat(type)) return ['float16', 'float32', 'float64'][type.precision] ?? 'float64';
  if (arrow.DataType.isBool(type)) return 'bool';
  if (arrow.DataType.isTimestamp(type)) return 'timestamp';
  if (arrow.DataType.isDate(type)) return 'date';
  if (arrow.DataType.isNull(type)) return 'null';
  return type.toString();
}
