/**
 * Column-wise type inference (DESIGN §9). One pass per column over its cells, giving up on a
 * candidate type at the first cell that does not fit, so wide text columns cost little.
 *
 * From text cells (CSV): integers → int32 when every value fits, else float64 (integers beyond
 * 2^53 stay strings: a float64 would silently change them); decimals → float64;
 * `true`/`false` (any case) → bool; ISO-8601 dates/timestamps → timestamp (ms, UTC; no zone
 * means UTC); everything else → string. Empty cells are nulls. Integers with leading zeros
 * (`007`, zip codes, ids) stay strings.
 */
export type ColumnKind = 'null' | 'int32' | 'float64' | 'bool' | 'timestamp' | 'string';

const INT_RE = /^[+-]?(0|[1-9]\d*)$/;
const FLOAT_RE = /^[+-]?((0|[1-9]\d*)(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Milliseconds since the epoch (UTC) for an ISO-8601 date or timestamp, else undefined. */
export function parseIsoMillis(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = m[4] ? +m[4] : 0;
  const minute = m[5] ? +m[5] : 0;
  const second = m[6] ? +m[6] : 0;
  const millis = m[7] ? Math.floor(+`0.${m[7]}` * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 2026-02-30 over into March: a round trip of the day rejects it.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  return utc - zoneOffsetMillis(m[8]);
}

function zoneOffsetMillis(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = +digits.slice(0, 2);
  const minutes = digits.length > 2 ? +digits.slice(2, 4) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

export function isBoolText(text: string): boolean {
  const lower = text.length === 4 || text.length === 5 ? text.toLowerCase() : '';
  return lower === 'true' || lower === 'false';
}

/** Infers the kind of a column of text cells; `''`, null and undefined are nulls. */
export function inferFromStrings(length: number, cellAt: (i: number) => string | null | undefined): ColumnKind {
  let canInt = true;
  let canInt32 = true;
  let canFloat = true;
  let canBool = true;
  let canTimestamp = true;
  let seen = false;
  for (let i = 0; i < length; i++) {
    const cell = cellAt(i);
    if (cell == null || cell === '') continue;
    seen = true;
    if (canInt && !INT_RE.test(cell)) canInt = false;
    if (canInt) {
      const n = Number(cell);
      if (!Number.isSafeInteger(n)) return 'string';
      if (n < INT32_MIN || n > INT32_MAX) canInt32 = false;
    }
    if (canFloat && !canInt && !FLOAT_RE.test(cell)) canFloat = false;
    if (canBool && !isBoolText(cell)) canBool = false;
    if (canTimestamp && parseIsoMillis(cell) === undefined) canTimestamp = false;
    if (!canInt && !canFloat && !canBool && !canTimestamp) return 'string';
  }
  if (!seen) return 'null';
  if (canInt) return canInt32 ? 'int32' : 'float64';
  if (canFloat) return 'float64';
  if (canBool) return 'bool';
  return canTimestamp ? 'timestamp' : 'string';
}

/**
 * Infers the kind of a column of JS values (JSON/JSONL). JSON already carries types, so
 * strings stay strings unless every one is an ISO-8601 date/timestamp; objects and arrays
 * become JSON text; mixed kinds fall back to string.
 */
export function inferFromValues(length: number, valueAt: (i: number) => unknown): ColumnKind {
  let kind: ColumnKind = 'null';
  for (let i = 0; i < length; i++) {
    const v = valueAt(i);
    if (v == null) continue;
    const next = kindOfValue(v);
    kind = widenKinds(kind, next);
    if (kind === 'string') return 'string';
  }
  return kind;
}

function kindOfValue(v: unknown): ColumnKind {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? 'int32' : 'float64';
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? 'float64' : 'string';
    case 'boolean':
      return 'bool';
    case 'string':
      return parseIsoMillis(v) === undefined ? 'string' : 'timestamp';
    default:
      return v instanceof Date ? 'timestamp' : 'string';
  }
}

/** The narrowest kind that holds both: null < everything, int32 < float64, else string. */
export function widenKinds(a: ColumnKind, b: ColumnKind): ColumnKind {
  if (a === b) return a;
  if (a === 'null') return b;
  if (b === 'null') return a;
  if ((a === 'int32' && b === 'float64') || (a === 'float64' && b === 'int32')) return 'float64';
  return 'string';
}
