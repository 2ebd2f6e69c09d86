/**
 * The byte-level value rules (csv-values.ts) against the text rules they replace (infer.ts):
 * the same verdict for every cell and the very same double, on hand-picked corner cases and on
 * random strings over the characters that matter.
 */
import { describe, expect, it } from 'vitest';
import { DECIMAL, INTEGER, NOT_NUMBER, boolAt, isoMillisAt, scanNumber, scannedValue } from '../../../src/formats/csv-values.js';
import { isBoolText, parseIsoMillis } from '../../../src/formats/infer.js';
import { mulberry32 as prng } from '../../helpers/random.js';

const INT_RE = /^[+-]?(0|[1-9]\d*)$/;
const FLOAT_RE = /^[+-]?((0|[1-9]\d*)(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Encodes `text` between junk bytes, so a parser that reads past its range is caught. */
function framed(text: string): { bytes: Uint8Array; start: number; end: number } {
  const inner = new TextEncoder().encode(text);
  const bytes = new Uint8Array(inner.length + 8);
  bytes.fill(0x35);
  bytes.set(inner, 4);
  bytes[3] = 0x2d;
  bytes[4 + inner.length] = 0x3a;
  return { bytes, start: 4, end: 4 + inner.length };
}

function checkNumber(text: string): void {
  const { bytes, start, end } = framed(text);
  const kind = scanNumber(bytes, start, end);
  const expected = INT_RE.test(text) ? INTEGER : FLOAT_RE.test(text) ? DECIMAL : NOT_NUMBER;
  expect({ text, kind }).toEqual({ text, kind: expected });
  // Object.is: -0 and 0 must not be confused either.
  if (kind !== NOT_NUMBER && !Object.is(scannedValue, Number(text))) expect({ text, value: scannedValue }).toEqual({ text, value: Number(text) });
}

function checkIso(text: string): void {
  const { bytes, start, end } = framed(text);
  const got = isoMillisAt(bytes, start, end);
  const expected = parseIsoMillis(text);
  expect({ text, got: Number.isNaN(got) ? undefined : got }).toEqual({ text, got: expected });
}


describe('byte-level numbers', () => {
  it('classify and value corner cases exactly as INT_RE / FLOAT_RE and Number()', () => {
    const cases = [
      '0', '-0', '+0', '00', '007', '1', '-1', '+1', '2147483647', '2147483648', '-2147483648', '-2147483649',
      '999999999999999', '1000000000000000', '9007199254740991', '9007199254740992', '9007199254740993', '12345678901234567890',
      '1.5', '-0.0', '-.0', '.5', '-.5', '+.5', '1.', '-1.', '.', '-', '+', '+-1', '--1', '0.1', '0.30000000000000004',
      '123456789.123456789', '3.14159265358979323846', '0.000000000000000000000001', '1.0000000000000000000000001',
      '9007199254740993.5', '4.35', '1e5', '1E-3', '2.5e+10', '1.e5', '.5e1', '1e999', '-1e999', '1e-999', '1e', '1e+', 'e5',
      '.e5', '00.5', '01', '0x10', ' 1', '1 ', 'Infinity', 'NaN', '1_000', '١٢', '1,5', '1.2.3', '1e5.5', '0e0',
    ];
    for (const text of cases) checkNumber(text);
  });

  it('agree with the text rules on random strings of digits, signs, dots and exponents', () => {
    const random = prng(7);
    const alphabet = '0123456789000111+-.eE';
    for (let n = 0; n < 50_000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      checkNumber(text);
    }
  });

  it('agree on random decimals of every length (fast path and fallback give Number()’s double)', () => {
    const random = prng(11);
    for (let n = 0; n < 50_000; n++) {
      const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
      const int = String(Number(digits(1 + Math.floor(random() * 12))));
      checkNumber(`${random() < 0.3 ? '-' : ''}${int}.${digits(Math.floor(random() * 20))}`);
    }
  });
});

describe('byte-level bools', () => {
  it('match isBoolText', () => {
    for (const text of ['true', 'false', 'TRUE', 'False', 'tRuE', 'fAlSe', 'true ', 'tru', 'yes', 't', 'truex', 'flase', 'TRUĘ', 'trüe', 'ſalse', '']) {
      const { bytes, start, end } = framed(text);
      const got = boolAt(bytes, start, end);
      expect({ text, got: got < 0 ? undefined : got === 1 }).toEqual({ text, got: isBoolText(text) ? text.length === 4 : undefined });
    }
  });
});

describe('byte-level ISO timestamps', () => {
  it('match parseIsoMillis on corner cases', () => {
    const cases = [
      '2026-01-31', '2026-02-29', '2024-02-29', '2000-02-29', '1900-02-29', '0050-02-29', '0048-02-29', '0000-02-29', '0004-02-29', '0100-02-29', '0000-01-01', '9999-12-31',
      '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-01', '2026-01-1', '20260101', '2026/01/01', '2026-01-01T',
      '2026-01-01T10', '2026-01-01T10:0', '2026-01-01T10:00', '2026-01-01 23:59:59', '2026-01-01T24:00', '2026-01-01T23:60',
      '2026-01-01T10:00:60', '2026-01-01T10:00:59.1', '2026-01-01T10:00:59.123456789', '2026-01-01T10:00:59.1234567890',
      '2026-01-01T10:00:59.', '2026-01-01T10:00.5', '2026-01-01T10:00:00Z', '2026-01-01T10:00Z', '2026-01-01T10:00+05',
      '2026-01-01T10:00+0530', '2026-01-01T10:00+05:30', '2026-01-01T10:00-08:00', '2026-01-01T10:00+05:3', '2026-01-01T10:00+053',
      '2026-01-01T10:00+05:', '2026-01-01T10:00z', '2026-01-01t10:00', '2026-01-01Z', '2026-01-01+05', '2026-01-01T10:00:00.999Z',
      '2026-01-01T10:00:00.29', '2026-01-01T10:00:00.57', '2026-01-01T00:00:00+99:99', ' 2026-01-01', '2026-01-01 ', '２０２６-01-01',
    ];
    for (const text of cases) checkIso(text);
  });

  it('match parseIsoMillis on random near-ISO strings', () => {
    const random = prng(13);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const two = () => String(Math.floor(random() * (random() < 0.9 ? 32 : 100))).padStart(2, '0');
    for (let n = 0; n < 50_000; n++) {
      let text = `${String(Math.floor(random() * 10_000)).padStart(4, '0')}-${two()}-${two()}`;
      if (random() < 0.7) {
        text += `${pick(['T', ' ', 't', 'X'])}${two()}:${two()}`;
        if (random() < 0.6) text += `:${two()}`;
        if (random() < 0.4) text += `.${String(Math.floor(random() * 1e10)).slice(0, 1 + Math.floor(random() * 11))}`;
        if (random() < 0.5) text += pick(['Z', '+05', '-0800', '+05:30', '+5', '+05:3', 'z', '+0530x']);
      }
      if (random() < 0.05) text = text.slice(0, Math.floor(random() * text.length));
      checkIso(text);
    }
  });
});
