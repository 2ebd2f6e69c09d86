/**
 * Turns an evaluator vector back into an Arrow chunk of the planned type: validity bytes are
 * packed into a bitmap, numbers go into the typed array of the target type (int64 and
 * timestamps through `numbersToInt64`, no BigInt per row) and text becomes
 * Dictionary<Utf8, Int32> holding only the distinct strings the rows use.
 */
import * as arrow from 'apache-arrow';
import { utf8Vector } from '../../formats/columns.js';
import { newBitmap, numbersToInt64 } from '../../formats/raw.js';
import { arrowTypeFor, type OutputType } from './types.js';
import { asBool, asNum, asStr, type StrVec, type Valid, type Vec } from './vectors.js';

const MS_PER_DAY = 86_400_000;

export function writeColumn(vec: Vec, type: OutputType, n: number): arrow.Data {
  const arrowType = arrowTypeFor(type);
  if (type === 'null') return arrow.makeData({ type: new arrow.Null(), length: n });
  if (type === 'string') return writeStrings(asStr(vec, n), n);
  if (type === 'bool') {
    const bools = asBool(vec, n);
    const bits = newBitmap(n);
    const values = bools.values;
    for (let i = 0; i < n; i++) if (values[i]) bits[i >> 3]! |= 1 << (i & 7);
    return make(arrowType, n, bools.valid, bits);
  }
  const { values, valid } = asNum(vec, n);
  switch (type) {
    case 'float64':
      return make(arrowType, n, valid, values.length === n ? values : values.subarray(0, n));
    case 'int32': {
      // Values are whole and in range by construction (see types.ts); set() converts natively.
      const ints = new Int32Array(n);
      ints.set(values.subarray(0, n));
      return make(arrowType, n, valid, ints);
    }
    case 'date': {
      const days = new Int32Array(n);
      for (let i = 0; i < n; i++) days[i] = Math.floor(values[i]! / MS_PER_DAY);
      return make(arrowType, n, valid, days);
    }
    default: {
      // int64 and timestamps: whole, finite numbers only (null rows may hold junk).
      const whole = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = Math.floor(values[i]!);
        whole[i] = Number.isFinite(v) ? v : 0;
      }
      return make(arrowType, n, valid, numbersToInt64(whole, n));
    }
  }
}

/** Packs validity bytes into an Arrow bitmap; null bitmap when every row is valid. */
export function packValidity(valid: Valid, n: number): { bitmap: Uint8Array | null; nullCount: number } {
  if (valid === null) return { bitmap: null, nullCount: 0 };
  const bitmap = newBitmap(n);
  let present = 0;
  for (let i = 0; i < n; i++) {
    if (valid[i]) {
      bitmap[i >> 3]! |= 1 << (i & 7);
      present++;
    }
  }
  return present === n ? { bitmap: null, nullCount: 0 } : { bitmap, nullCount: n - present };
}

function make(type: arrow.DataType, n: number, valid: Valid, data: ArrayBufferView): arrow.Data {
  const { bitmap, nullCount } = packValidity(valid, n);
  return arrow.makeData({ type, length: n, nullCount, nullBitmap: bitmap, data } as never);
}

/** Keeps only the distinct strings valid rows use, so derived dictionaries stay small. */
export function writeStrings(vec: StrVec, n: number): arrow.Data {
  const { dict, codes, valid } = vec;
  const remap = new Int32Array(dict.length).fill(-1);
  const index = new Map<string, number>();
  const distinct: string[] = [];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const code = codes[i]!;
    let mapped = remap[code]!;
    if (mapped < 0) {
      const s = dict[code]!;
      const seen = index.get(s);
      if (seen === undefined) {
        mapped = distinct.length;
        index.set(s, mapped);
        distinct.push(s);
      } else mapped = seen;
      remap[code] = mapped;
    }
    out[i] = mapped;
  }
  const { bitmap, nullCount } = packValidity(valid, n);
  return arrow.makeData({
    type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
    length: n,
    nullCount,
    nullBitmap: bitmap,
    data: out,
    dictionary: utf8Vector(distinct),
  });
}
