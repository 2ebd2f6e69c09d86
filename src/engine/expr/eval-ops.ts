/**
 * Operator kernels: each takes whole-batch vectors and returns one, in a single typed-array
 * loop per operator (a literal operand is read once, not spread over the batch). Nulls follow
 * SQL: any null operand gives null, except that `false and null` is false and `true or null`
 * is true (three-valued logic). Division or modulo by zero gives null.
 */
import type { ArithOp } from './ast.js';
import { asNum, bothValid, validOf, type BoolVec, type NumVec, type Valid, type Vec } from './vectors.js';

const NULL: Vec = { kind: 'const', value: null };
const isNullConst = (v: Vec): boolean => v.kind === 'const' && v.value === null;

function scalarArith(op: ArithOp, x: number, y: number): number | null {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? null : x / y;
    case '%':
      return y === 0 ? null : x % y;
  }
}

export function arith(op: ArithOp, a: Vec, b: Vec, n: number): Vec {
  if (isNullConst(a) || isNullConst(b)) return NULL;
  if (a.kind === 'const' && b.kind === 'const') return { kind: 'const', value: scalarArith(op, a.value as number, b.value as number) };
  if ((op === '/' || op === '%') && b.kind === 'const' && b.value === 0) return NULL;
  const out = new Float64Array(n);
  if (b.kind === 'const') arithVecScalar(op, asNum(a, n).values, b.value as number, out, n);
  else if (a.kind === 'const') arithScalarVec(op, a.value as number, asNum(b, n).values, out, n);
  else arithVecVec(op, asNum(a, n).values, asNum(b, n).values, out, n);
  let valid = bothValid(validOf(a, n), validOf(b, n), n);
  if ((op === '/' || op === '%') && b.kind !== 'const') valid = dropZeroDivisors(asNum(b, n).values, valid, n);
  return { kind: 'num', values: out, valid };
}

function arithVecVec(op: ArithOp, x: Float64Array, y: Float64Array, out: Float64Array, n: number): void {
  switch (op) {
    case '+':
      for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!;
      return;
    case '-':
      for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!;
      return;
    case '*':
      for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!;
      return;
    case '/':
      for (let i = 0; i < n; i++) out[i] = x[i]! / y[i]!;
      return;
    case '%':
      for (let i = 0; i < n; i++) out[i] = x[i]! % y[i]!;
  }
}

function arithVecScalar(op: ArithOp, x: Float64Array, y: number, out: Float64Array, n: number): void {
  switch (op) {
    case '+':
      for (let i = 0; i < n; i++) out[i] = x[i]! + y;
      return;
    case '-':
      for (let i = 0; i < n; i++) out[i] = x[i]! - y;
      return;
    case '*':
      for (let i = 0; i < n; i++) out[i] = x[i]! * y;
      return;
    case '/':
      for (let i = 0; i < n; i++) out[i] = x[i]! / y;
      return;
    case '%':
      for (let i = 0; i < n; i++) out[i] = x[i]! % y;
  }
}

function arithScalarVec(op: ArithOp, x: number, y: Float64Array, out: Float64Array, n: number): void {
  switch (op) {
    case '+':
      for (let i = 0; i < n; i++) out[i] = x + y[i]!;
      return;
    case '-':
      for (let i = 0; i < n; i++) out[i] = x - y[i]!;
      return;
    case '*':
      for (let i = 0; i < n; i++) out[i] = x * y[i]!;
      return;
    case '/':
      for (let i = 0; i < n; i++) out[i] = x / y[i]!;
      return;
    case '%':
      for (let i = 0; i < n; i++) out[i] = x % y[i]!;
  }
}

function dropZeroDivisors(y: Float64Array, valid: Valid, n: number): Valid {
  let out = valid;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0) continue;
    if (out === valid) out = valid === null ? new Uint8Array(n).fill(1) : valid.slice();
    out![i] = 0;
  }
  return out;
}

export function negate(a: Vec, n: number): Vec {
  if (a.kind === 'const') return a.value === null ? NULL : { kind: 'const', value: -(a.value as number) };
  const x = asNum(a, n).values;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = -x[i]!;
  return { kind: 'num', values: out, valid: (a as NumVec).valid };
}

export function not(a: Vec, n: number): Vec {
  if (a.kind === 'const') return a.value === null ? NULL : { kind: 'const', value: !a.value };
  const x = (a as BoolVec).values;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = 1 - x[i]!;
  return { kind: 'bool', values: out, valid: a.valid };
}

export function isNull(a: Vec, negated: boolean, n: number): Vec {
  if (a.kind === 'const') return { kind: 'const', value: (a.value === null) !== negated };
  const valid = a.valid;
  if (valid === null) return { kind: 'const', value: negated };
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = negated ? valid[i]! : 1 - valid[i]!;
  return { kind: 'bool', values: out, valid: null };
}

/** Kleene and/or over bool vectors: a definite false (and) or true (or) wins over null. */
export function logic(op: 'and' | 'or', a: Vec, b: Vec, n: number): Vec {
  if (a.kind === 'const' && b.kind === 'const') {
    const x = a.value as boolean | null;
    const y = b.value as boolean | null;
    const value = op === 'and' ? (x === false || y === false ? false : x === null || y === null ? null : true) : x === true || y === true ? true : x === null || y === null ? null : false;
    return { kind: 'const', value };
  }
  if (a.kind === 'bool' && b.kind === 'bool' && a.valid === null && b.valid === null) {
    // No nulls on either side (the common case): plain bitwise logic.
    const x = a.values;
    const y = b.values;
    const values = new Uint8Array(n);
    if (op === 'and') for (let i = 0; i < n; i++) values[i] = x[i]! & y[i]!;
    else for (let i = 0; i < n; i++) values[i] = x[i]! | y[i]!;
    return { kind: 'bool', values, valid: null };
  }
  const [x, xv] = boolParts(a, n);
  const [y, yv] = boolParts(b, n);
  const values = new Uint8Array(n);
  const valid = new Uint8Array(n);
  const decisive = op === 'and' ? 0 : 1;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const p = xv[i]!;
    const q = yv[i]!;
    const u = x[i]!;
    const v = y[i]!;
    const known = (p & q) | (p & (u === decisive ? 1 : 0)) | (q & (v === decisive ? 1 : 0));
    valid[i] = known;
    nulls += 1 - known;
    values[i] = op === 'and' ? u & v & p & q : (u & p) | (v & q);
  }
  return { kind: 'bool', values, valid: nulls === 0 ? null : valid };
}

function boolParts(a: Vec, n: number): [Uint8Array, Uint8Array] {
  if (a.kind === 'const') return [new Uint8Array(n).fill(a.value === true ? 1 : 0), new Uint8Array(n).fill(a.value === null ? 0 : 1)];
  const bools = a as BoolVec;
  return [bools.values, bools.valid ?? new Uint8Array(n).fill(1)];
}
