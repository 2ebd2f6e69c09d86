/**
 * Comparison kernels. Numbers (and times, as epoch ms) compare in one typed-array loop; text
 * against a literal is compared once per dictionary entry and rows look up their code; bools
 * order false < true. Text orders by UTF-16 code units, as JavaScript does.
 */
import type { CompareOp } from './ast.js';
import { asNum, bothValid, validOf, type BoolVec, type StrVec, type Vec } from './vectors.js';

type Scalar = number | string | boolean;

function test(op: CompareOp, x: Scalar, y: Scalar): boolean {
  switch (op) {
    case '=':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

/** `x op y` becomes `y flip(op) x` when the literal is on the left. */
const FLIPPED: Record<CompareOp, CompareOp> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function compare(op: CompareOp, a: Vec, b: Vec, n: number): Vec {
  if ((a.kind === 'const' && a.value === null) || (b.kind === 'const' && b.value === null)) return { kind: 'const', value: null };
  if (a.kind === 'const' && b.kind === 'const') return { kind: 'const', value: test(op, a.value!, b.value!) };
  if (a.kind === 'const') return compare(FLIPPED[op], b, a, n);
  const valid = bothValid(a.valid, validOf(b, n), n);
  const out = new Uint8Array(n);
  if (a.kind === 'str') compareText(op, a, b, out, n);
  else if (a.kind === 'bool') compareNumbers(op, a.values, b.kind === 'const' ? Number(b.value) : (b as BoolVec).values, out, n);
  else compareNumbers(op, a.values, b.kind === 'const' ? (b.value as number) : asNum(b, n).values, out, n);
  return { kind: 'bool', values: out, valid };
}

function compareText(op: CompareOp, a: StrVec, b: Vec, out: Uint8Array, n: number): void {
  const codes = a.codes;
  if (b.kind === 'const') {
    const y = b.value as string;
    const perEntry = Uint8Array.from(a.dict, (x) => (test(op, x, y) ? 1 : 0));
    for (let i = 0; i < n; i++) out[i] = perEntry[codes[i]!]!;
    return;
  }
  const other = b as StrVec;
  for (let i = 0; i < n; i++) out[i] = test(op, a.dict[codes[i]!]!, other.dict[other.codes[i]!]!) ? 1 : 0;
}

function compareNumbers(op: CompareOp, x: ArrayLike<number>, y: ArrayLike<number> | number, out: Uint8Array, n: number): void {
  if (typeof y === 'number') {
    switch (op) {
      case '=':
        for (let i = 0; i < n; i++) out[i] = x[i] === y ? 1 : 0;
        return;
      case '!=':
        for (let i = 0; i < n; i++) out[i] = x[i] !== y ? 1 : 0;
        return;
      case '<':
        for (let i = 0; i < n; i++) out[i] = x[i]! < y ? 1 : 0;
        return;
      case '<=':
        for (let i = 0; i < n; i++) out[i] = x[i]! <= y ? 1 : 0;
        return;
      case '>':
        for (let i = 0; i < n; i++) out[i] = x[i]! > y ? 1 : 0;
        return;
      case '>=':
        for (let i = 0; i < n; i++) out[i] = x[i]! >= y ? 1 : 0;
        return;
    }
  }
  for (let i = 0; i < n; i++) out[i] = test(op, x[i]!, y[i]!) ? 1 : 0;
}
