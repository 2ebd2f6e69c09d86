/**
 * Whole-column values the evaluator passes between nodes (one batch at a time). Validity is a
 * byte per row rather than Arrow's bit-packed bitmap: kernels combine it with one AND per row
 * and no shifts. Text is dictionary-shaped — distinct strings plus an Int32 code per row — so
 * string functions run once per distinct string. Literals stay scalar (`const`) until a
 * kernel that cannot use them directly spreads them over the batch.
 */
import type { ExprType } from './types.js';

/** One byte per row, 1 = a value is present; null = every row has a value. */
export type Valid = Uint8Array | null;

export interface NumVec {
  kind: 'num';
  /** Numbers; timestamps and dates as epoch milliseconds. Rows that are null hold junk. */
  values: Float64Array;
  valid: Valid;
}

export interface StrVec {
  kind: 'str';
  dict: readonly string[];
  codes: Int32Array;
  valid: Valid;
}

export interface BoolVec {
  kind: 'bool';
  /** One byte per row, 0 or 1. */
  values: Uint8Array;
  valid: Valid;
}

export interface ConstVec {
  kind: 'const';
  value: number | string | boolean | null;
}

export type Vec = NumVec | StrVec | BoolVec | ConstVec;

export type VecKind = 'num' | 'str' | 'bool' | 'null';

export function vecKindOf(type: ExprType): VecKind {
  if (type === 'string') return 'str';
  if (type === 'bool') return 'bool';
  if (type === 'null') return 'null';
  return 'num';
}

/** Rows valid in both (AND); reuses an input when the other has no nulls. */
export function bothValid(a: Valid, b: Valid, n: number): Valid {
  if (a === null) return b;
  if (b === null) return a;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i]! & b[i]!;
  return out;
}

export const allNull = (n: number): Uint8Array => new Uint8Array(n);

export function validOf(vec: Vec, n: number): Valid {
  if (vec.kind === 'const') return vec.value === null ? allNull(n) : null;
  return vec.valid;
}

export function asNum(vec: Vec, n: number): NumVec {
  if (vec.kind === 'num') return vec;
  if (vec.kind === 'const') {
    const values = new Float64Array(n);
    if (typeof vec.value === 'number') values.fill(vec.value);
    return { kind: 'num', values, valid: vec.value === null ? allNull(n) : null };
  }
  throw new TypeError(`expected a number vector, got ${vec.kind}`);
}

export function asStr(vec: Vec, n: number): StrVec {
  if (vec.kind === 'str') return vec;
  if (vec.kind === 'const') {
    return { kind: 'str', dict: [typeof vec.value === 'string' ? vec.value : ''], codes: new Int32Array(n), valid: vec.value === null ? allNull(n) : null };
  }
  throw new TypeError(`expected a text vector, got ${vec.kind}`);
}

export function asBool(vec: Vec, n: number): BoolVec {
  if (vec.kind === 'bool') return vec;
  if (vec.kind === 'const') {
    const values = new Uint8Array(n);
    if (vec.value === true) values.fill(1);
    return { kind: 'bool', values, valid: vec.value === null ? allNull(n) : null };
  }
  throw new TypeError(`expected a bool vector, got ${vec.kind}`);
}

/** A vector of the representation `type` uses (null-typed values stay a null constant). */
export function asKind(vec: Vec, type: ExprType, n: number): Vec {
  switch (vecKindOf(type)) {
    case 'num':
      return asNum(vec, n);
    case 'str':
      return asStr(vec, n);
    case 'bool':
      return asBool(vec, n);
    case 'null':
      return { kind: 'const', value: null };
  }
}
