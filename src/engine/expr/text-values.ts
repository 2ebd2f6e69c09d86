/**
 * Values to text and text to values, one rule for derive's concat and for cast: numbers print
 * as JavaScript prints them (1, 2.5, 1e+21), bools as true/false, timestamps as ISO-8601 in UTC
 * (2026-09-01T12:00:00.000Z), dates as 2026-09-01. Parsing trims surrounding spaces.
 */
import { parseIsoMillis } from '../../formats/infer.js';
import type { ExprType } from './types.js';
import type { BoolVec, NumVec, StrVec } from './vectors.js';

const MAX_DATE_MS = 8.64e15;
const MS_PER_DAY = 86_400_000;

export function formatNumber(v: number, type: ExprType): string {
  if (type === 'timestamp' || type === 'date') {
    if (!Number.isFinite(v) || Math.abs(v) > MAX_DATE_MS) return String(v);
    const iso = new Date(Math.floor(v)).toISOString();
    return type === 'date' ? iso.slice(0, 10) : iso;
  }
  return String(v);
}

/** Numbers (or times) as a text vector; each distinct value is formatted once. */
export function numbersToText(vec: NumVec, type: ExprType, n: number): StrVec {
  const index = new Map<number, number>();
  const dict: string[] = [];
  const codes = new Int32Array(n);
  const { values, valid } = vec;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const v = values[i]!;
    let code = index.get(v);
    if (code === undefined) {
      code = dict.length;
      index.set(v, code);
      dict.push(formatNumber(v, type));
    }
    codes[i] = code;
  }
  return { kind: 'str', dict, codes, valid };
}

export function boolsToText(vec: BoolVec, n: number): StrVec {
  return { kind: 'str', dict: ['false', 'true'], codes: Int32Array.from(vec.values.subarray(0, n)), valid: vec.valid };
}

/**
 * A decimal number: optional sign, digits with an optional fraction, optional exponent. Each
 * part is unambiguous (the dot is required inside its group), so matching is linear.
 */
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER_TEXT.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

const TRUE_TEXT = new Set(['true', '1', 'yes']);
const FALSE_TEXT = new Set(['false', '0', 'no']);

export function parseBoolText(text: string): boolean | undefined {
  const t = text.trim();
  if (t.length > 5) return undefined;
  const lower = t.toLowerCase();
  return TRUE_TEXT.has(lower) ? true : FALSE_TEXT.has(lower) ? false : undefined;
}

/** Epoch ms of an ISO-8601 date or timestamp; for dates the time of day is dropped. */
export function parseTimeText(text: string, type: 'timestamp' | 'date'): number | undefined {
  const t = text.trim();
  if (t.length > 64) return undefined;
  const ms = parseIsoMillis(t);
  if (ms === undefined) return undefined;
  return type === 'date' ? Math.floor(ms / MS_PER_DAY) * MS_PER_DAY : ms;
}
