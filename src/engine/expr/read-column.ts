/**
 * Turns one Arrow chunk into an evaluator vector straight from its buffers (DESIGN §10): typed
 * arrays are viewed or widened to float64 in one pass, validity bits become bytes, dictionary
 * strings are decoded once per dictionary (cached) and rows keep their codes.
 */
import * as arrow from 'apache-arrow';
import { int64ToNumbers } from '../../formats/raw.js';
import type { ExprType } from './types.js';
import type { BoolVec, NumVec, StrVec, Valid, Vec } from './vectors.js';

const MS_PER_DAY = 86_400_000;
const decoder = new TextDecoder();
const decodedDictionaries = new WeakMap<arrow.Vector, string[]>();

/** Reads `data` as a vector of the representation `type` uses (from `exprTypeOf(data.type)`). */
export function readColumn(data: arrow.Data, type: ExprType): Vec {
  switch (type) {
    case 'null':
      return { kind: 'const', value: null };
    case 'string':
      return readStrings(data);
    case 'bool':
      return readBools(data);
    default:
      return readNumbers(data);
  }
}

/** Validity as one byte per row (null when the chunk has no nulls), honouring `data.offset`. */
export function validityBytes(data: arrow.Data): Valid {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap == null || bitmap.length === 0) return null;
  const n = data.length;
  const offset = data.offset;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const bit = offset + i;
    out[i] = (bitmap[bit >> 3]! >> (bit & 7)) & 1;
  }
  return out;
}

export function readNumbers(data: arrow.Data): NumVec {
  const n = data.length;
  const raw = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
  let values: Float64Array;
  // Only a fresh array may be scaled in place: a float64 view belongs to the input.
  let fresh = true;
  if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
    values = int64ToNumbers(raw.subarray(0, n) as BigInt64Array | BigUint64Array, raw instanceof BigInt64Array);
  } else if (raw instanceof Float64Array) {
    values = raw.subarray(0, n);
    fresh = false;
  } else {
    // TypedArray#set widens any numeric array natively, far faster than a JS loop.
    values = new Float64Array(n);
    values.set((raw as Int32Array).subarray(0, n));
  }
  const scale = millisPerUnit(data.type);
  if (scale !== 1) {
    const scaled = fresh ? values : new Float64Array(n);
    for (let i = 0; i < n; i++) scaled[i] = Math.floor(values[i]! * scale);
    values = scaled;
  }
  return { kind: 'num', values, valid: validityBytes(data) };
}

function millisPerUnit(type: arrow.DataType): number {
  if (arrow.DataType.isDate(type)) return type.unit === arrow.DateUnit.DAY ? MS_PER_DAY : 1;
  if (arrow.DataType.isTimestamp(type)) return [1000, 1, 1e-3, 1e-6][type.unit] ?? 1;
  return 1;
}

function readBools(data: arrow.Data): BoolVec {
  const n = data.length;
  const bits = data.values as Uint8Array;
  const offset = data.offset;
  const values = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const bit = offset + i;
    values[i] = (bits[bit >> 3]! >> (bit & 7)) & 1;
  }
  return { kind: 'bool', values, valid: validityBytes(data) };
}

function readStrings(data: arrow.Data): StrVec {
  const n = data.length;
  const valid = validityBytes(data);
  if (arrow.DataType.isDictionary(data.type)) {
    const raw = data.values as ArrayLike<number>;
    const codes = raw instanceof Int32Array ? raw.subarray(0, n) : Int32Array.from({ length: n }, (_, i) => raw[i]!);
    return { kind: 'str', dict: dictionaryEntries(data.dictionary!), codes, valid };
  }
  const strings = utf8Strings(data);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = i;
  return { kind: 'str', dict: strings, codes, valid };
}

/** Decoded entries of a dictionary; shared by every batch and node that reads it. */
export function dictionaryEntries(dictionary: arrow.Vector): string[] {
  let entries = decodedDictionaries.get(dictionary);
  if (!entries) {
    entries = dictionary.data.flatMap(utf8Strings);
    decodedDictionaries.set(dictionary, entries);
  }
  return entries;
}

/** Every row of a Utf8 chunk as a string; null rows read as ''. */
function utf8Strings(data: arrow.Data): string[] {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const valid = validityBytes(data);
  const out = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) {
    out[i] = valid !== null && valid[i] === 0 ? '' : decoder.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!));
  }
  return out;
}
