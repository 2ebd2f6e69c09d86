/**
 * Gathers rows by index from raw buffers (DESIGN §10). Each output batch comes from one input
 * batch, so dictionary columns keep their dictionary and only codes are copied.
 */
import * as arrow from 'apache-arrow';
import { newBitmap } from '../formats/raw.js';

/**
 * Rows `indices` (table-wide row numbers, any order) of `table`, in that order. Each run of
 * indices inside one input batch becomes one output batch; increasing indices (a filter's)
 * make one run per batch, and a batch whose every row is taken in order is reused as it is.
 */
export function takeRows(table: arrow.Table, indices: ArrayLike<number>): arrow.Table {
  const batches = table.batches;
  const starts = new Float64Array(batches.length + 1);
  for (let b = 0; b < batches.length; b++) starts[b + 1] = starts[b]! + batches[b]!.numRows;
  const total = starts[batches.length]!;
  const out: arrow.RecordBatch[] = [];
  let k = 0;
  while (k < indices.length) {
    const first = indices[k]!;
    if (first >= total || first < 0) throw new RangeError(`row ${first} is outside the table (${total} rows)`);
    const b = batchOf(starts, batches.length, first);
    const start = starts[b]!;
    const run = runIn(indices, k, start, starts[b + 1]! - start);
    const batch = batches[b]!;
    out.push(run.increasing && run.rows.length === batch.numRows ? batch : takeFromBatch(batch, run.rows, run.base));
    k += run.rows.length;
  }
  if (out.length === 0) return table.slice(0, 0);
  return new arrow.Table(table.schema, out);
}

type Rows = Int32Array | Uint32Array;

/**
 * The longest run of indices from `k` inside the batch [start, start + size): `rows[i] - base`
 * are its batch-local rows. Increasing indices (the usual case) find the run's end by binary
 * search and, given as a typed array, are used in place (no copy); any other order falls back
 * to a linear scan and a copy.
 */
function runIn(indices: ArrayLike<number>, k: number, start: number, size: number): { rows: Rows; base: number; increasing: boolean } {
  const n = indices.length;
  let lo = k + 1;
  let hi = n;
  // First position whose index is past the batch, if indices increase from k.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (indices[mid]! - start < size) lo = mid + 1;
    else hi = mid;
  }
  let increasing = true;
  for (let i = k, previous = -1; i < lo; i++) {
    const row = indices[i]! - start;
    if (row <= previous || row >= size) {
      increasing = false;
      break;
    }
    previous = row;
  }
  if (increasing && (indices instanceof Uint32Array || indices instanceof Int32Array)) return { rows: indices.subarray(k, lo), base: start, increasing };
  let stop = lo;
  if (!increasing) {
    stop = k + 1;
    while (stop < n && indices[stop]! >= start && indices[stop]! - start < size) stop++;
  }
  const local = new Int32Array(stop - k);
  for (let i = 0; i < local.length; i++) local[i] = indices[k + i]! - start;
  return { rows: local, base: 0, increasing };
}

/** The batch holding `row`: the last start at or below it. */
function batchOf(starts: Float64Array, count: number, row: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function takeFromBatch(batch: arrow.RecordBatch, local: Rows, base: number): arrow.RecordBatch {
  const children = batch.schema.fields.map((_, i) => takeData(batch.data.children[i]!, local, base));
  const struct = arrow.makeData({ type: new arrow.Struct(batch.schema.fields), length: local.length, nullCount: 0, children });
  return new arrow.RecordBatch(batch.schema, struct);
}

/** Gathers rows `local[i] - base` of one chunk. Unusual nested types fall back to the Vector API (rare path). */
export function takeData(data: arrow.Data, local: Rows, base = 0): arrow.Data {
  const type = data.type;
  const length = local.length;
  if (arrow.DataType.isNull(type)) return arrow.makeData({ type, length });
  const { bitmap, nullCount } = gatherValidity(data, local, base);
  const make = (values: unknown, offsets?: Int32Array): arrow.Data =>
    new arrow.Data(type, 0, length, nullCount, [offsets, values, bitmap] as never, [], data.dictionary);
  if (arrow.DataType.isBool(type)) return make(gatherBits(data.values as Uint8Array, data.offset - base, local));
  if ((arrow.DataType.isUtf8(type) || arrow.DataType.isBinary(type)) && data.valueOffsets instanceof Int32Array) {
    return gatherVariable(data, local, base, make);
  }
  const fixedWidth = data.children.length === 0 && !arrow.DataType.isUnion(type) && !type.toString().includes('View');
  const values = data.values as unknown;
  if (fixedWidth && ArrayBuffer.isView(values) && !(values instanceof DataView) && !data.valueOffsets) {
    return make(gatherFixed(values as FixedValues, data.stride, local, base));
  }
  const vector = arrow.makeVector(data);
  return arrow.vectorFromArray(Array.from(local, (i) => plainValue(vector.get(i - base))), type).data[0]!;
}

type FixedValues = ArrayBufferView & { length: number; constructor: new (buffer: ArrayBuffer, byteOffset?: number, length?: number) => ArrayBufferView };

/**
 * Copies fixed-width values through a same-size integer (or float64) view: one monomorphic loop
 * per word size, int64 as int32 pairs (no BigInt per row), and float bits copied untouched.
 */
function gatherFixed(values: FixedValues, stride: number, local: Rows, base: number): ArrayBufferView {
  const rowBytes = (values as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT * stride;
  const out = new values.constructor(new ArrayBuffer(rowBytes * local.length), 0, stride * local.length);
  if (values instanceof Float64Array && stride === 1) {
    gatherFloat64(values, local, base, out as Float64Array);
    return out;
  }
  // The widest word that divides a row and keeps the source view aligned.
  const fits = (w: number) => rowBytes % w === 0 && values.byteOffset % w === 0;
  const size = fits(4) ? 4 : fits(2) ? 2 : 1;
  const view = (v: ArrayBufferView, n: number) =>
    size === 4 ? new Int32Array(v.buffer, v.byteOffset, n) : size === 2 ? new Uint16Array(v.buffer, v.byteOffset, n) : new Uint8Array(v.buffer, v.byteOffset, n);
  const words = rowBytes / size;
  const source = view(values, (values.byteLength / size) | 0);
  const target = view(out, words * local.length);
  if (size === 4 && words === 1) gatherInt32(source as Int32Array, local, base, target as Int32Array);
  else if (size === 4 && words === 2) gatherInt32Pairs(source as Int32Array, local, base, target as Int32Array);
  else gatherWords(source, local, base, target, words);
  return out;
}

function gatherFloat64(from: Float64Array, local: Rows, base: number, to: Float64Array): void {
  for (let i = 0; i < local.length; i++) to[i] = from[local[i]! - base]!;
}

function gatherInt32(from: Int32Array, local: Rows, base: number, to: Int32Array): void {
  for (let i = 0; i < local.length; i++) to[i] = from[local[i]! - base]!;
}

function gatherInt32Pairs(from: Int32Array, local: Rows, base: number, to: Int32Array): void {
  for (let i = 0; i < local.length; i++) {
    const row = (local[i]! - base) * 2;
    to[2 * i] = from[row]!;
    to[2 * i + 1] = from[row + 1]!;
  }
}

function gatherWords(from: Int32Array | Uint16Array | Uint8Array, local: Rows, base: number, to: Int32Array | Uint16Array | Uint8Array, words: number): void {
  for (let i = 0; i < local.length; i++) {
    const row = (local[i]! - base) * words;
    for (let w = 0; w < words; w++) to[i * words + w] = from[row + w]!;
  }
}

/** Bit `offset + local[i]` of `source` into bit i of a new bitmap (bool values, validity); `offset` may be negative. */
function gatherBits(source: Uint8Array, offset: number, local: Rows): Uint8Array {
  const length = local.length;
  const bits = newBitmap(length);
  for (let byte = 0; byte < bits.length && byte * 8 < length; byte++) {
    let packed = 0;
    const top = Math.min(8, length - byte * 8);
    for (let j = 0; j < top; j++) {
      const bit = offset + local[byte * 8 + j]!;
      packed |= ((source[bit >> 3]! >> (bit & 7)) & 1) << j;
    }
    bits[byte] = packed;
  }
  return bits;
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

function gatherVariable(data: arrow.Data, local: Rows, base: number, make: (values: unknown, offsets?: Int32Array) => arrow.Data): arrow.Data {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const outOffsets = new Int32Array(local.length + 1);
  let size = 0;
  for (let i = 0; i < local.length; i++) {
    const row = local[i]! - base;
    size += offsets[row + 1]! - offsets[row]!;
    outOffsets[i + 1] = size;
  }
  const outBytes = new Uint8Array(size);
  for (let i = 0; i < local.length; i++) {
    const row = local[i]! - base;
    const from = offsets[row]!;
    const to = offsets[row + 1]!;
    // Short values byte by byte: a subarray per row costs more than the copy.
    if (to - from <= 32) for (let j = from, at = outOffsets[i]!; j < to; j++, at++) outBytes[at] = bytes[j]!;
    else outBytes.set(bytes.subarray(from, to), outOffsets[i]!);
  }
  return make(outBytes, outOffsets);
}

function gatherValidity(data: arrow.Data, local: Rows, base: number): { bitmap: Uint8Array | undefined; nullCount: number } {
  const source = data.nullBitmap;
  if (data.nullCount === 0 || source == null || source.length === 0) return { bitmap: undefined, nullCount: 0 };
  const bitmap = gatherBits(source, data.offset - base, local);
  let valid = 0;
  for (let i = 0; i < bitmap.length; i++) valid += popcount(bitmap[i]!);
  const nulls = local.length - valid;
  return { bitmap: nulls ? bitmap : undefined, nullCount: nulls };
}

function popcount(byte: number): number {
  byte -= (byte >> 1) & 0x55;
  byte = (byte & 0x33) + ((byte >> 2) & 0x33);
  return (byte + (byte >> 4)) & 0x0f;
}
