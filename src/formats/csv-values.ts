/**
 * The text rules of infer.ts read straight from UTF-8 bytes, with identical verdicts and values:
 * INT_RE / FLOAT_RE, `Number(text)`, `isBoolText` and `parseIsoMillis`. Plain integers and
 * decimals are computed in place; anything unusual (an exponent, more than 15 digits) goes
 * through `Number` on the cell's text, so no rounding can differ.
 */

/** What `scanNumber` found: not a number, INT_RE, or FLOAT_RE without INT_RE. */
export const NOT_NUMBER = 0;
export const INTEGER = 1;
export const DECIMAL = 2;

const DIGIT_0 = 0x30;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
/** Exact powers of ten: m / 10^k is then correctly rounded, as `Number(text)` is. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TWO_53 = 2 ** 53;

/** The value of the last number `scanNumber` recognized (a module slot: no object per cell). */
export let scannedValue = 0;

/** The text of an ASCII byte range (only ever called on cells that matched a numeric pattern). */
function asciiText(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= DIGIT_0 && b <= DIGIT_0 + 9;

/** Classifies `bytes[start, end)` (non-empty) and leaves its value in `scannedValue`. */
export function scanNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const sign = bytes[i];
  if (sign === PLUS || sign === MINUS) i++;
  let mantissa = 0;
  const intStart = i;
  if (i < end && bytes[i] === DIGIT_0) {
    i++;
  } else {
    while (i < end && isDigit(bytes[i])) mantissa = mantissa * 10 + bytes[i++]! - DIGIT_0;
  }
  const intDigits = i - intStart;
  if (i === end) {
    if (intDigits === 0) return NOT_NUMBER;
    // 15 digits are always exact; longer ones go through Number as infer.ts does.
    scannedValue = intDigits <= 15 ? (sign === MINUS ? -mantissa : mantissa) : Number(asciiText(bytes, start, end));
    return INTEGER;
  }
  let fraction = 0;
  if (bytes[i] === DOT) {
    i++;
    const fractionStart = i;
    while (i < end && isDigit(bytes[i])) mantissa = mantissa * 10 + bytes[i++]! - DIGIT_0;
    fraction = i - fractionStart;
    if (intDigits === 0 && fraction === 0) return NOT_NUMBER;
  } else if (intDigits === 0) {
    return NOT_NUMBER;
  }
  if (i === end) {
    scannedValue = mantissa <= TWO_53 && fraction <= 22 ? (sign === MINUS ? -mantissa : mantissa) / POW10[fraction]! : Number(asciiText(bytes, start, end));
    return DECIMAL;
  }
  // An exponent, else not a number (a second digit after a leading 0 ends up here too).
  const e = bytes[i];
  if (e !== 0x65 && e !== 0x45) return NOT_NUMBER;
  i++;
  if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) i++;
  const exponentStart = i;
  while (i < end && isDigit(bytes[i])) i++;
  if (i === exponentStart || i !== end) return NOT_NUMBER;
  scannedValue = Number(asciiText(bytes, start, end));
  return DECIMAL;
}

/** `isBoolText`: true/false in any case; 1 for true, 0 for false, -1 for neither. */
export function boolAt(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  // `| 0x20` lower-cases ASCII letters; no other byte maps onto these letters.
  if (n === 4) {
    return (bytes[start]! | 0x20) === 0x74 && (bytes[start + 1]! | 0x20) === 0x72 && (bytes[start + 2]! | 0x20) === 0x75 && (bytes[start + 3]! | 0x20) === 0x65 ? 1 : -1;
  }
  if (n === 5) {
    const f = (bytes[start]! | 0x20) === 0x66 && (bytes[start + 1]! | 0x20) === 0x61 && (bytes[start + 2]! | 0x20) === 0x6c;
    return f && (bytes[start + 3]! | 0x20) === 0x73 && (bytes[start + 4]! | 0x20) === 0x65 ? 0 : -1;
  }
  return -1;
}

const COLON = 0x3a;

/** The number written by `count` ASCII digits at `at` (all before `end`), else -1. */
function digitsAt(bytes: Uint8Array, at: number, count: number, end: number): number {
  if (at + count > end) return -1;
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const b = bytes[i]!;
    if (b < DIGIT_0 || b > DIGIT_0 + 9) return -1;
    value = value * 10 + b - DIGIT_0;
  }
  return value;
}

/** Date.UTC reads years 0–99 as 1900–1999: the day check must use the same calendar year. */
function daysInMonth(year: number, month: number): number {
  const y = year <= 99 ? 1900 + year : year;
  if (month === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `parseIsoMillis` on bytes (NaN where it gives undefined): YYYY-MM-DD, then optionally
 * [T ]HH:MM[:SS[.f{1,9}]] and a zone (Z, ±HH, ±HHMM, ±HH:MM); no zone means UTC.
 */
export function isoMillisAt(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 10 || bytes[start + 4] !== MINUS || bytes[start + 7] !== MINUS) return NaN;
  const year = digitsAt(bytes, start, 4, end);
  const month = digitsAt(bytes, start + 5, 2, end);
  const day = digitsAt(bytes, start + 8, 2, end);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offset = 0;
  let i = start + 10;
  if (i < end) {
    if (bytes[i] !== 0x54 && bytes[i] !== 0x20) return NaN;
    hour = digitsAt(bytes, i + 1, 2, end);
    minute = i + 3 < end && bytes[i + 3] === COLON ? digitsAt(bytes, i + 4, 2, end) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
    i += 6;
    if (i < end && bytes[i] === COLON) {
      second = digitsAt(bytes, i + 1, 2, end);
      if (second < 0 || second > 59) return NaN;
      i += 3;
      if (i < end && bytes[i] === DOT) {
        const from = ++i;
        let fraction = 0;
        while (i < end && i - from < 9 && isDigit(bytes[i])) fraction = fraction * 10 + bytes[i++]! - DIGIT_0;
        if (i === from) return NaN;
        // As infer.ts: Math.floor(+`0.${digits}` * 1000), and f / 10^n is that same double.
        millis = Math.floor((fraction / POW10[i - from]!) * 1000);
      }
    }
    if (i < end) {
      const zone = bytes[i];
      if (zone === 0x5a) i++;
      else if (zone === PLUS || zone === MINUS) {
        const hours = digitsAt(bytes, i + 1, 2, end);
        if (hours < 0) return NaN;
        i += 3;
        let minutes = 0;
        if (i < end) {
          if (bytes[i] === COLON) i++;
          minutes = digitsAt(bytes, i, 2, end);
          if (minutes < 0) return NaN;
          i += 2;
        }
        offset = (zone === MINUS ? -1 : 1) * (hours * 60 + minutes) * 60_000;
      } else return NaN;
    }
    if (i !== end) return NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset;
}
