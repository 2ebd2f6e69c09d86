/**
 * Function kernels. Text functions map the dictionary (once per distinct string) and keep the
 * row codes; concat pairs codes through a map so each distinct pair is joined once. Nulls
 * propagate (concat included: wrap a part in coalesce(x, '') to skip it); if() and coalesce()
 * are the exceptions that pick among their arguments.
 */
import { boolsToText, numbersToText } from './text-values.js';
import type { MathFn, StringFn } from './typed.js';
import type { ExprType } from './types.js';
import { asBool, asKind, asNum, bothValid, validOf, type StrVec, type Valid, type Vec } from './vectors.js';

export function stringFn(fn: StringFn, vec: Vec, start: number, count: number, n: number): Vec {
  const apply = (s: string): string | number => {
    switch (fn) {
      case 'lower':
        return s.toLowerCase();
      case 'upper':
        return s.toUpperCase();
      case 'trim':
        return s.trim();
      case 'length':
        return codePointLength(s);
      case 'substr':
        return substr(s, start, count);
    }
  };
  if (vec.kind === 'const') return vec.value === null ? vec : { kind: 'const', value: apply(vec.value as string) };
  const text = vec as StrVec;
  if (fn !== 'length') return { kind: 'str', dict: text.dict.map((s) => apply(s) as string), codes: text.codes, valid: text.valid };
  const perEntry = Float64Array.from(text.dict, (s) => apply(s) as number);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = perEntry[text.codes[i]!]!;
  return { kind: 'num', values: out, valid: text.valid };
}

function codePointLength(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function substr(s: string, start: number, count: number): string {
  const chars = Array.from(s);
  return chars.slice(start - 1, count === Infinity ? undefined : start - 1 + count).join('');
}

/** A value of any type as text (null stays a null constant). */
function toText(vec: Vec, type: ExprType, n: number): Vec {
  if (vec.kind === 'const') {
    if (vec.value === null || typeof vec.value === 'string') return vec;
    if (typeof vec.value === 'boolean') return { kind: 'const', value: String(vec.value) };
    return { kind: 'const', value: numbersToText({ kind: 'num', values: Float64Array.of(vec.value), valid: null }, type, 1).dict[0]! };
  }
  if (vec.kind === 'num') return numbersToText(vec, type, n);
  if (vec.kind === 'bool') return boolsToText(vec, n);
  return vec;
}

export function concat(parts: readonly Vec[], types: readonly ExprType[], n: number): Vec {
  let acc = toText(parts[0]!, types[0]!, n);
  for (let k = 1; k < parts.length; k++) acc = join2(acc, toText(parts[k]!, types[k]!, n), n);
  return acc;
}

function join2(a: Vec, b: Vec, n: number): Vec {
  if ((a.kind === 'const' && a.value === null) || (b.kind === 'const' && b.value === null)) return { kind: 'const', value: null };
  if (a.kind === 'const' && b.kind === 'const') return { kind: 'const', value: `${a.value as string}${b.value as string}` };
  if (b.kind === 'const') {
    const left = a as StrVec;
    return { kind: 'str', dict: left.dict.map((s) => s + (b.value as string)), codes: left.codes, valid: left.valid };
  }
  const right = b as StrVec;
  if (a.kind === 'const') return { kind: 'str', dict: right.dict.map((s) => (a.value as string) + s), codes: right.codes, valid: right.valid };
  const left = a as StrVec;
  const valid = bothValid(left.valid, right.valid, n);
  const width = right.dict.length;
  const pairs = new Map<number, number>();
  const dict: string[] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = left.codes[i]!;
    const y = right.codes[i]!;
    const key = x * width + y;
    let code = pairs.get(key);
    if (code === undefined) {
      code = dict.length;
      pairs.set(key, code);
      dict.push(left.dict[x]! + right.dict[y]!);
    }
    codes[i] = code;
  }
  return { kind: 'str', dict, codes, valid };
}

export function mathFn(fn: MathFn, vec: Vec, digits: number, n: number): Vec {
  if (vec.kind === 'const' && vec.value === null) return vec;
  const { values: x, valid } = asNum(vec, n);
  const out = new Float64Array(x.length);
  switch (fn) {
    case 'abs':
      for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]!);
      break;
    case 'floor':
      for (let i = 0; i < x.length; i++) out[i] = Math.floor(x[i]!);
      break;
    case 'ceil':
      for (let i = 0; i < x.length; i++) out[i] = Math.ceil(x[i]!);
      break;
    case 'round': {
      // Half away from zero, as SQL rounds (Math.round rounds -2.5 to -2).
      const scale = 10 ** digits;
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        out[i] = (Math.sign(v) * Math.round(Math.abs(v) * scale)) / scale;
      }
    }
  }
  return { kind: 'num', values: out, valid };
}

/** Row by row: `a` where `take` is 1, else `b`; both already of `type`'s representation. */
export function choose(take: Uint8Array, a: Vec, b: Vec, type: ExprType, n: number): Vec {
  if (type === 'null') return { kind: 'const', value: null };
  const x = asKind(a, type, n);
  const y = asKind(b, type, n);
  const xv = validOf(x, n);
  const yv = validOf(y, n);
  let valid: Valid = null;
  if (xv !== null || yv !== null) {
    valid = new Uint8Array(n);
    let present = 0;
    for (let i = 0; i < n; i++) present += valid[i] = take[i] ? (xv === null ? 1 : xv[i]!) : yv === null ? 1 : yv[i]!;
    if (present === n) valid = null;
  }
  if (x.kind === 'str' && y.kind === 'str') {
    const shared = x.dict === y.dict;
    const offset = shared ? 0 : x.dict.length;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = take[i] ? x.codes[i]! : y.codes[i]! + offset;
    return { kind: 'str', dict: shared ? x.dict : [...x.dict, ...y.dict], codes, valid };
  }
  if (x.kind === 'bool' && y.kind === 'bool') {
    const values = new Uint8Array(n);
    for (let i = 0; i < n; i++) values[i] = take[i] ? x.values[i]! : y.values[i]!;
    return { kind: 'bool', values, valid };
  }
  const xs = asNum(x, n).values;
  const ys = asNum(y, n).values;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = take[i] ? xs[i]! : ys[i]!;
  return { kind: 'num', values, valid };
}

/** if(cond, a, b): a where cond is true; b where it is false or null (as SQL CASE WHEN). */
export function ifThen(cond: Vec, a: Vec, b: Vec, type: ExprType, n: number): Vec {
  if (cond.kind === 'const') return cond.value === true ? a : b;
  const c = asBool(cond, n);
  const take = new Uint8Array(n);
  for (let i = 0; i < n; i++) take[i] = c.values[i]! & (c.valid === null ? 1 : c.valid[i]!);
  return choose(take, a, b, type, n);
}

/** The first argument that is not null, row by row; later arguments are evaluated only while nulls remain. */
export function coalesce(args: readonly (() => Vec)[], type: ExprType, n: number): Vec {
  let result = args[0]!();
  for (let k = 1; k < args.length; k++) {
    const valid = validOf(result, n);
    if (valid === null) break;
    result = choose(valid, result, args[k]!(), type, n);
  }
  return result;
}
