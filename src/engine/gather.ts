/**
 * Gathers rows of a multi-batch column by table-wide index into one chunk, on raw buffers
 * (DESIGN §10). Index -1 gives a null, which is how outer joins pad and how aggregates leave a
 * group with no value empty. Unlike `takeRows` (one output batch per input batch) the result
 * is one chunk, so dictionary columns whose batches carry different dictionaries get one
 * merged dictionary, built once per entry actually used.
 */
import * as arrow from 'apache-arrow';
import { getBit, newBitmap, setBit } from '../formats/raw.js';
import { nullBits, textOffsets } from './key-columns.js';
import { BytesTable } from './key-tables.js';

const isText = (t: arrow.DataType): boolean => arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t);

/**
 * The type a gathered column has: text dictionaries get Int32 codes, large text becomes Utf8.
 * A dictionary keeps its id, so planning twice gives equal types.
 */
export function gatheredType(type: arrow.DataType): arrow.DataType {
  if (arrow.DataType.isDictionary(type) && isText(type.dictionary)) {
    const int32Utf8 = arrow.DataType.isUtf8(type.dictionary) && type.indices.bitWidth === 32 && type.indices.isSigned;
    return int32Utf8 ? type : new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), type.id);
  }
  if (arrow.DataType.isLargeUtf8(type)) return new arrow.Utf8();
  return type;
}

/** Where each wanted row lives: chunk number and row inside it (-1, -1 for a null). */
interface Located {
  chunk: Int32Array | undefined;
  local: Int32Array;
}

function locate(chunks: readonly arrow.Data[], indices: Int32Array): Located {
  if (chunks.length === 1) return { chunk: undefined, local: indices };
  const starts = new Float64Array(chunks.length + 1);
  for (let c = 0; c < chunks.length; c++) starts[c + 1] = starts[c]! + chunks[c]!.length;
  const chunk = new Int32Array(indices.length);
  const local = new Int32Array(indices.length);
  let c = 0;
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]!;
    if (row < 0) {
      chunk[i] = -1;
      local[i] = -1;
      continue;
    }
    if (row < starts[c]! || row >= starts[c + 1]!) {
      // Indices usually ascend; jump by binary search only when they do not.
      let lo = 0;
      let hi = chunks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= row) lo = mid;
        else hi = mid - 1;
      }
      c = lo;
    }
    chunk[i] = c;
    local[i] = row - starts[c]!;
  }
  return { chunk, local };
}

/** Rows `indices` (table-wide, -1 → null) of the column made of `chunks`, as one chunk of `type` (see gatheredType). */
export function gatherColumn(chunks: readonly arrow.Data[], type: arrow.DataType, indices: Int32Array): arrow.Data {
  const length = indices.length;
  if (arrow.DataType.isNull(type)) return arrow.makeData({ type, length });
  const at = locate(chunks, indices);
  const { bitmap, nullCount } = validity(chunks, at);
  if (arrow.DataType.isDictionary(type)) {
    const { codes, dictionary } = gatherCodes(chunks, at);
    return arrow.makeData({ type, length, nullCount, nullBitmap: bitmap, data: codes, dictionary } as never);
  }
  if (arrow.DataType.isBool(type)) {
    const bits = newBitmap(length);
    for (let i = 0; i < length; i++) {
      const data = chunks[at.chunk ? at.chunk[i]! : 0];
      const row = at.local[i]!;
      if (row >= 0 && getBit(data!.values as Uint8Array, data!.offset + row)) setBit(bits, i);
    }
    return arrow.makeData({ type, length, nullCount, nullBitmap: bitmap, data: bits } as never);
  }
  if (arrow.DataType.isUtf8(type)) {
    const { offsets, bytes } = gatherText(chunks, at);
    return arrow.makeData({ type, length, nullCount, nullBitmap: bitmap, valueOffsets: offsets, data: bytes });
  }
  const sample = chunks[0];
  const fixed = sample && sample.children.length === 0 && !sample.valueOffsets && ArrayBuffer.isView(sample.values) && !(sample.values instanceof DataView);
  if (fixed || chunks.length === 0) {
    const values = gatherFixed(chunks, at, type, length);
    return new arrow.Data(type, 0, length, nullCount, [undefined, values, bitmap] as never);
  }
  return gatherByVector(chunks, at, type);
}

function validity(chunks: readonly arrow.Data[], at: Located): { bitmap: Uint8Array | undefined; nullCount: number } {
  const length = at.local.length;
  const bitsOf = chunks.map(nullBits);
  let nulls = 0;
  if (bitsOf.every((bits) => bits === null)) {
    // No null in the source: only -1 indices make nulls, and often there are none.
    for (let i = 0; i < length; i++) nulls += at.local[i]! >>> 31;
    if (nulls === 0) return { bitmap: undefined, nullCount: 0 };
    nulls = 0;
  }
  const bitmap = newBitmap(length);
  for (let i = 0; i < length; i++) {
    const row = at.local[i]!;
    if (row < 0) {
      nulls++;
      continue;
    }
    const c = at.chunk ? at.chunk[i]! : 0;
    const bits = bitsOf[c]!;
    const bit = chunks[c]!.offset + row;
    if (bits === null || (bits[bit >> 3]! & (1 << (bit & 7))) !== 0) bitmap[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return { bitmap: nulls > 0 ? bitmap : undefined, nullCount: nulls };
}

function gatherCodes(chunks: readonly arrow.Data[], at: Located): { codes: Int32Array; dictionary: arrow.Vector } {
  const length = at.local.length;
  const codes = new Int32Array(length);
  const shared = chunks.length > 0 && chunks.every((d) => d.dictionary === chunks[0]!.dictionary) ? chunks[0]!.dictionary : undefined;
  if (shared) {
    if (at.chunk === undefined) copyWords(chunks[0]!.values as Int32Array, at.local, codes, 1);
    else {
      const source = chunks.map((d) => d.values as ArrayLike<number>);
      for (let i = 0; i < length; i++) {
        const row = at.local[i]!;
        if (row >= 0) codes[i] = source[at.chunk[i]!]![row]!;
      }
    }
    return { codes, dictionary: shared };
  }
  // Batches disagree: entries actually used go into one new dictionary, each looked up once.
  const merged = new BytesTable();
  const remaps = new Map<arrow.Vector, Int32Array>();
  const remapOf = chunks.map((d) => {
    let remap = remaps.get(d.dictionary!);
    if (!remap) remaps.set(d.dictionary!, (remap = new Int32Array(d.dictionary!.length).fill(-1)));
    return remap;
  });
  for (let i = 0; i < length; i++) {
    const row = at.local[i]!;
    if (row < 0) continue;
    const c = at.chunk ? at.chunk[i]! : 0;
    const code = (chunks[c]!.values as ArrayLike<number>)[row]!;
    let id = remapOf[c]![code]!;
    if (id < 0) remapOf[c]![code] = id = addEntry(merged, chunks[c]!.dictionary!, code);
    codes[i] = id;
  }
  return { codes, dictionary: bytesVector(merged) };
}

function addEntry(merged: BytesTable, dictionary: arrow.Vector, code: number): number {
  let entry = code;
  for (const chunk of dictionary.data) {
    if (entry < chunk.length) {
      const offsets = textOffsets(chunk);
      return merged.add(chunk.values as Uint8Array, offsets[entry]!, offsets[entry + 1]!);
    }
    entry -= chunk.length;
  }
  throw new RangeError(`dictionary code ${code} is outside its dictionary`);
}

/** The distinct strings of a BytesTable as a plain Utf8 vector (no decoding: the bytes are already UTF-8). */
export function bytesVector(table: BytesTable): arrow.Vector<arrow.Utf8> {
  const size = table.size;
  const data = arrow.makeData({
    type: new arrow.Utf8(),
    length: size,
    nullCount: 0,
    valueOffsets: table.offsets.slice(0, size + 1),
    data: table.pool.slice(0, table.offsets[size]!),
  });
  return arrow.makeVector(data);
}

function gatherText(chunks: readonly arrow.Data[], at: Located): { offsets: Int32Array; bytes: Uint8Array } {
  const length = at.local.length;
  const sourceOffsets = chunks.map(textOffsets);
  const offsets = new Int32Array(length + 1);
  let size = 0;
  for (let i = 0; i < length; i++) {
    const row = at.local[i]!;
    if (row >= 0) {
      const o = sourceOffsets[at.chunk ? at.chunk[i]! : 0]!;
      size += o[row + 1]! - o[row]!;
    }
    offsets[i + 1] = size;
  }
  const bytes = new Uint8Array(size);
  for (let i = 0; i < length; i++) {
    const row = at.local[i]!;
    if (row < 0) continue;
    const c = at.chunk ? at.chunk[i]! : 0;
    const o = sourceOffsets[c]!;
    bytes.set((chunks[c]!.values as Uint8Array).subarray(o[row]!, o[row + 1]!), offsets[i]!);
  }
  return { offsets, bytes };
}

type Words = Int32Array | Float64Array | Uint8Array | Uint16Array | Int8Array | Int16Array | Uint32Array | Float32Array;

/** 64-bit values are copied as pairs of int32 words, so no BigInt is made per row. */
function words(values: ArrayBufferView, stride: number): { words: Words; stride: number } {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    return { words: new Int32Array(values.buffer, values.byteOffset, values.length * 2), stride: stride * 2 };
  }
  return { words: values as Words, stride };
}

function gatherFixed(chunks: readonly arrow.Data[], at: Located, type: arrow.DataType, length: number): ArrayBufferView {
  const ArrayType = (type as { ArrayType: new (n: number) => ArrayBufferView }).ArrayType;
  const stride = chunks[0]?.stride ?? new arrow.Data(type, 0, 0).stride;
  const out = new ArrayType(length * stride);
  const target = words(out, stride);
  const sources = chunks.map((d) => words(d.values as ArrayBufferView, stride));
  const w = target.stride;
  const to = target.words;
  if (at.chunk === undefined && sources.length === 1) {
    copyWords(sources[0]!.words, at.local, to, w);
    return out;
  }
  for (let i = 0; i < length; i++) {
    const row = at.local[i]!;
    if (row < 0) continue;
    const from = sources[at.chunk ? at.chunk[i]! : 0]!.words;
    if (w === 1) to[i] = from[row]!;
    else for (let s = 0; s < w; s++) to[i * w + s] = from[row * w + s]!;
  }
  return out;
}

/** to[i] = from[rows[i]] for `w`-word values; rows of -1 stay zero. The hot loop of a one-chunk gather. */
function copyWords(from: Words, rows: Int32Array, to: Words, w: number): void {
  const n = rows.length;
  if (w === 1) {
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      if (row >= 0) to[i] = from[row]!;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (row < 0) continue;
    for (let s = 0; s < w; s++) to[i * w + s] = from[row * w + s]!;
  }
}

/** Rare types (lists, structs, unions): per-row reads through the Vector API. */
function gatherByVector(chunks: readonly arrow.Data[], at: Located, type: arrow.DataType): arrow.Data {
  const vectors = chunks.map((d) => arrow.makeVector(d));
  const values = Array.from(at.local, (row, i) => (row < 0 ? null : (vectors[at.chunk ? at.chunk[i]! : 0]!.get(row) as unknown)));
  return arrow.vectorFromArray(values, type).data[0]!;
}
