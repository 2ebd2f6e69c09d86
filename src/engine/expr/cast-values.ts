/**
 * Value conversions for the cast step, on evaluator vectors. Text is parsed once per
 * dictionary entry; rows only look up their entry. A value that does not convert is "bad":
 * the caller either fails on the first bad row or turns bad rows into nulls.
 *
 * Rules: to int32/int64, numbers are truncated toward zero and must fit (int32 range; int64
 * within ±2^53, where float64 is still exact); to bool, numbers are true unless 0, text is
 * true/false/1/0/yes/no (any case); times are epoch milliseconds when read as numbers, and
 * numbers are epoch milliseconds when cast to times; a date is its midnight (UTC). Blank text
 * becomes null, never bad. Text is trimmed before parsing.
 */
import { formatNumber, boolsToText, numbersToText, parseBoolText, parseNumberText, parseTimeText } from './text-values.js';
import type { ExprType, OutputType } from './types.js';
import { asNum, type StrVec, type Valid, type Vec } from './vectors.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const MAX_TIME_MS = 8.64e15;
const MS_PER_DAY = 86_400_000;

export interface CastOutcome {
  /** The converted values (bad rows null when `nullOnError`). */
  vec: Vec;
  /** First bad row in the batch, or -1. */
  firstBad: number;
  /** Text of that row's value. */
  badText: string;
}

/** What a target expects, for "… is not <wanted>" messages. */
export function wantedFor(to: OutputType): string {
  switch (to) {
    case 'int32':
      return `a number whose whole part fits int32 (${INT32_MIN} to ${INT32_MAX})`;
    case 'int64':
      return 'a number whose whole part is within ±9007199254740991 (exact in int64 and float64)';
    case 'float64':
      return 'a number';
    case 'bool':
      return 'a bool (true/false/1/0/yes/no)';
    case 'timestamp':
    case 'date':
      return 'an ISO-8601 date or timestamp (e.g. 2026-09-01 or 2026-09-01T12:00:00Z)';
    default:
      return 'a value';
  }
}

/** The number a numeric target stores for `v`, or NaN when `v` does not convert. */
function convertNumber(v: number, to: OutputType): number {
  if (Number.isNaN(v)) return to === 'float64' ? v : NaN;
  switch (to) {
    case 'float64':
      return v;
    case 'int32': {
      const t = Math.trunc(v);
      return t >= INT32_MIN && t <= INT32_MAX ? t : NaN;
    }
    case 'int64': {
      const t = Math.trunc(v);
      return Number.isSafeInteger(t) ? t : NaN;
    }
    case 'bool':
      return v === 0 ? 0 : 1;
    case 'date':
      return Math.abs(v) <= MAX_TIME_MS ? Math.floor(v / MS_PER_DAY) * MS_PER_DAY : NaN;
    default:
      return Math.abs(v) <= MAX_TIME_MS ? Math.floor(v) : NaN;
  }
}

function parseText(s: string, to: OutputType): number | undefined {
  if (to === 'bool') {
    const b = parseBoolText(s);
    return b === undefined ? undefined : b ? 1 : 0;
  }
  if (to === 'timestamp' || to === 'date') return parseTimeText(s, to);
  const v = parseNumberText(s);
  return v === undefined ? undefined : convertNumber(v, to);
}

export function castVec(vec: Vec, from: ExprType, to: OutputType, nullOnError: boolean, n: number): CastOutcome {
  if (vec.kind === 'const') return { vec: { kind: 'const', value: null }, firstBad: -1, badText: '' };
  if (to === 'string') {
    const text = vec.kind === 'num' ? numbersToText(vec, from, n) : vec.kind === 'bool' ? boolsToText(vec, n) : vec;
    return { vec: text, firstBad: -1, badText: '' };
  }
  const values = new Float64Array(n);
  // blank: text that is empty after trimming; it becomes null without being bad.
  const blank = new Uint8Array(n);
  let describe: (i: number) => string;
  if (vec.kind === 'str') {
    const { dict, codes } = vec as StrVec;
    const perEntry = Float64Array.from(dict, (s) => parseText(s, to) ?? NaN);
    const blankEntry = Uint8Array.from(dict, (s) => (s.trim() === '' ? 1 : 0));
    for (let i = 0; i < n; i++) {
      values[i] = perEntry[codes[i]!]!;
      blank[i] = blankEntry[codes[i]!]!;
    }
    describe = (i) => dict[codes[i]!]!;
  } else {
    const source = vec.kind === 'bool' ? Float64Array.from(vec.values.subarray(0, n)) : asNum(vec, n).values;
    for (let i = 0; i < n; i++) values[i] = convertNumber(source[i]!, to);
    describe = (i) => (vec.kind === 'bool' ? String(source[i] === 1) : formatNumber(source[i]!, from));
  }
  return settle(values, blank, vec.valid, nullOnError, describe, to, vec.kind === 'num' && to === 'float64');
}

/** Marks bad rows (NaN where the target cannot hold NaN) null, or reports the first. */
function settle(values: Float64Array, blank: Uint8Array, valid: Valid, nullOnError: boolean, describe: (i: number) => string, to: OutputType, keepNaN: boolean): CastOutcome {
  const n = values.length;
  let out: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if ((valid !== null && valid[i] === 0) || !Number.isNaN(values[i]!) || keepNaN) continue;
    if (!blank[i] && !nullOnError) return { vec: { kind: 'const', value: null }, firstBad: i, badText: describe(i) };
    out ??= valid === null ? new Uint8Array(n).fill(1) : valid.slice();
    out[i] = 0;
  }
  const finalValid = out ?? valid;
  if (to === 'bool') return { vec: { kind: 'bool', values: Uint8Array.from(values, (v) => (v === 1 ? 1 : 0)), valid: finalValid }, firstBad: -1, badText: '' };
  return { vec: { kind: 'num', values, valid: finalValid }, firstBad: -1, badText: '' };
}
