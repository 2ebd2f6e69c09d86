/**
 * Batches of one source can disagree: a CSV column inferred int32 in the first batch may hold
 * a decimal in the tenth, a JSONL key may appear late. `unifyTables` gives them one schema:
 * per column the narrowest common type (int → float64, otherwise text), missing columns as
 * nulls. Same-typed columns keep their buffers; casts touch only the disagreeing columns.
 */
import * as arrow from 'apache-arrow';
import { dictionaryUtf8, nullColumn, tableFromColumns, valueToText } from './columns.js';
import { int64ToNumbers, isValidAt, newBitmap, setBit } from './raw.js';

export function unifyTables(tables: readonly arrow.Table[], columns?: readonly string[]): arrow.Table {
  const names = columns ? [...columns] : columnNamesInOrder(tables);
  const types = names.map((name) => commonType(tables.map((t) => t.schema.fields.find((f) => f.name === name)?.type)));
  const fields = names.map((name, i) => new arrow.Field(name, types[i]!, true));
  const schema = new arrow.Schema(fields);
  const batches: arrow.RecordBatch[] = [];
  for (const table of tables) {
    for (const batch of table.batches) {
      const children = names.map((name, i) => {
        const data = batch.getChild(name)?.data[0];
        return data ? castData(data, types[i]!) : nullColumn(types[i]!, batch.numRows);
      });
      const struct = arrow.makeData({ type: new arrow.Struct(fields), length: batch.numRows, nullCount: 0, children });
      batches.push(new arrow.RecordBatch(schema, struct));
    }
  }
  if (batches.length === 0) return tableFromColumns(names, types.map((t) => nullColumn(t, 0)), 0);
  return new arrow.Table(schema, batches);
}

function columnNamesInOrder(tables: readonly arrow.Table[]): string[] {
  const seen = new Set<string>();
  for (const table of tables) for (const field of table.schema.fields) seen.add(field.name);
  return [...seen];
}

const isNumeric = (t: arrow.DataType): boolean => arrow.DataType.isInt(t) || arrow.DataType.isFloat(t);

/** The first type when all agree; float64 for mixed numbers; dictionary text otherwise. */
export function commonType(types: readonly (arrow.DataType | undefined)[]): arrow.DataType {
  const present = types.filter((t): t is arrow.DataType => t !== undefined && !arrow.DataType.isNull(t));
  if (present.length === 0) return types.find((t) => t !== undefined) ?? new arrow.Null();
  const first = present[0]!;
  if (present.every((t) => sameType(t, first))) return first;
  if (present.every(isNumeric)) return new arrow.Float64();
  const dict = present.find((t) => arrow.DataType.isDictionary(t) && arrow.DataType.isUtf8(t.dictionary));
  return dict ?? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
}

function sameType(a: arrow.DataType, b: arrow.DataType): boolean {
  if (arrow.DataType.isDictionary(a) && arrow.DataType.isDictionary(b)) {
    // Dictionary ids differ per batch; the value and index types are what must agree.
    return arrow.util.compareTypes(a.dictionary, b.dictionary) && arrow.util.compareTypes(a.indices, b.indices);
  }
  return arrow.util.compareTypes(a, b);
}

/** Casts one chunk to `type`; buffers are shared when only the type object differs. */
export function castData(data: arrow.Data, type: arrow.DataType): arrow.Data {
  if (arrow.DataType.isNull(data.type)) return nullColumn(type, data.length);
  if (sameType(data.type, type)) return data.type === type ? data : data.clone(type);
  if (arrow.DataType.isFloat(type) && isNumeric(data.type)) return toFloat64(data);
  return toText(data);
}

function toFloat64(data: arrow.Data): arrow.Data {
  const values = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
  const numbers =
    values instanceof BigInt64Array || values instanceof BigUint64Array
      ? int64ToNumbers(values, values instanceof BigInt64Array)
      : Float64Array.from(values);
  return arrow.makeData({
    type: new arrow.Float64(),
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: realignedValidity(data),
    data: numbers.subarray(0, data.length),
  });
}

/** Rare path (types disagree): per-row reads through the Vector API are acceptable here. */
function toText(data: arrow.Data): arrow.Data {
  const vector = arrow.makeVector(data);
  const isTimestamp = arrow.DataType.isTimestamp(data.type) || arrow.DataType.isDate(data.type);
  return dictionaryUtf8(data.length, (i) => {
    const v: unknown = vector.get(i);
    if (v == null) return undefined;
    return isTimestamp && typeof v === 'number' ? new Date(v).toISOString() : valueToText(v);
  });
}

/** The validity bitmap of `data` starting at bit 0, or null when it has no nulls. */
export function realignedValidity(data: arrow.Data): Uint8Array | null {
  if (data.nullCount === 0) return null;
  if (data.offset === 0) return data.nullBitmap ?? null;
  const bitmap = newBitmap(data.length);
  for (let i = 0; i < data.length; i++) if (isValidAt(data, i)) setBit(bitmap, i);
  return bitmap;
}
