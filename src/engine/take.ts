/**
 * Gathers rows by index from raw buffers (DESIGN §10). Each output batch comes from one input
 * batch, so dictionary columns keep their dictionary and only codes are copied.
 */
import * as arrow from 'apache-arrow';
import { getBit, isValidAt, newBitmap, setBit } from '../formats/raw.js';

/** Rows `indices` (table-wide row numbers, any order) of `table`, in that order. */
export function takeRows(table: arrow.Table, indices: ArrayLike<number>): arrow.Table {
  const starts: number[] = [];
  let total = 0;
  for (const batch of table.batches) {
    starts.push(total);
    total += batch.numRows;
  }
  const out: arrow.RecordBatch[] = [];
  let k = 0;
  while (k < indices.length) {
    const b = batchOf(starts, indices[k]!);
    if (indices[k]! >= total || indices[k]! < 0) throw new RangeError(`row ${indices[k]} is outside the table (${total} rows)`);
    const end = b + 1 < starts.length ? starts[b + 1]! : total;
    const local: number[] = [];
    // A run of indices that fall into the same batch becomes one output batch.
    while (k < indices.length && indices[k]! >= starts[b]! && indices[k]! < end) local.push(indices[k++]! - starts[b]!);
    out.push(takeFromBatch(table.batches[b]!, Int32Array.from(local)));
  }
  if (out.length === 0) return table.slice(0, 0);
  return new arrow.Table(table.schema, out);
}

function batchOf(starts: number[], row: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function takeFromBatch(batch: arrow.RecordBatch, local: Int32Array): arrow.RecordBatch {
  const children = batch.schema.fields.map((_, i) => takeData(batch.data.children[i]!, local));
  const struct = arrow.makeData({ type: new arrow.Struct(batch.schema.fields), length: local.length, nullCount: 0, children });
  return new arrow.RecordBatch(batch.schema, struct);
}

/** Gathers one chunk. Unusual nested types fall back to the Vector API (rare path). */
export function takeData(data: arrow.Data, local: Int32Array): arrow.Data {
  const type = data.type;
  const length = local.length;
  if (arrow.DataType.isNull(type)) return arrow.makeData({ type, length });
  const { bitmap, nullCount } = gatherValidity(data, local);
  const make = (values: unknown, offsets?: Int32Array): arrow.Data =>
    new arrow.Data(type, 0, length, nullCount, [offsets, values, bitmap] as never, [], data.dictionary);
  if (arrow.DataType.isBool(type)) {
    const bits = newBitmap(length);
    const source = data.values as Uint8Array;
    for (let i = 0; i < length; i++) if (getBit(source, data.offset + local[i]!)) setBit(bits, i);
    return make(bits);
  }
  if ((arrow.DataType.isUtf8(type) || arrow.DataType.isBinary(type)) && data.valueOffsets instanceof Int32Array) {
    return gatherVariable(data, local, make);
  }
  const fixedWidth = data.children.length === 0 && !arrow.DataType.isUnion(type) && !type.toString().includes('View');
  const values = data.values as unknown;
  if (fixedWidth && ArrayBuffer.isView(values) && !(values instanceof DataView) && !data.valueOffsets) {
    const source = values as unknown as { constructor: new (n: number) => Int32Array; [i: number]: number };
    const stride = data.stride;
    const out = new source.constructor(length * stride);
    for (let i = 0; i < length; i++) {
      const from = local[i]! * stride;
      for (let s = 0; s < stride; s++) out[i * stride + s] = source[from + s]!;
    }
    return make(out);
  }
  const vector = arrow.makeVector(data);
  return arrow.vectorFromArray(Array.from(local, (i) => plainValue(vector.get(i))), type).data[0]!;
}

/**
 * A nested cell as plain JS: `get` hands out views (a List cell is a Vector over the child,
 * a Struct cell a row proxy) that `vectorFromArray` would misread, so copy them out first.
 */
export function plainValue(value: unknown): unknown {
  if (value instanceof arrow.Vector) return Array.from(value, plainValue);
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof Date) && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return Object.fromEntries(Object.entries((value as { toJSON(): Record<string, unknown> }).toJSON()).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}

function gatherVariable(data: arrow.Data, local: Int32Array, make: (values: unknown, offsets?: Int32Array) => arrow.Data): arrow.Data {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const outOffsets = new Int32Array(local.length + 1);
  let size = 0;
  for (let i = 0; i < local.length; i++) {
    size += offsets[local[i]! + 1]! - offsets[local[i]!]!;
    outOffsets[i + 1] = size;
  }
  const outBytes = new Uint8Array(size);
  for (let i = 0; i < local.length; i++) outBytes.set(bytes.subarray(offsets[local[i]!]!, offsets[local[i]! + 1]!), outOffsets[i]!);
  return make(outBytes, outOffsets);
}

function gatherValidity(data: arrow.Data, local: Int32Array): { bitmap: Uint8Array | undefined; nullCount: number } {
  if (data.nullCount === 0) return { bitmap: undefined, nullCount: 0 };
  const bitmap = newBitmap(local.length);
  let nulls = 0;
  for (let i = 0; i < local.length; i++) {
    if (isValidAt(data, local[i]!)) setBit(bitmap, i);
    else nulls++;
  }
  return { bitmap: nulls ? bitmap : undefined, nullCount: nulls };
}
