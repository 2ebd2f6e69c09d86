/** The low-level pieces of the flat decoder: page headers (Thrift compact) and the RLE / bit-packed hybrid. */
import { describe, expect, it } from 'vitest';
import { decodeHybrid } from '../../../src/formats/parquet-hybrid.js';
import { readPageHeader } from '../../../src/formats/parquet-thrift.js';

/** Compact-protocol helpers: a field header with a small delta, zigzag varints. */
const field = (delta: number, type: number) => (delta << 4) | type;
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
const zigzag = (n: number) => varint(n >= 0 ? 2 * n : -2 * n - 1);
const I32 = 5;
const STRUCT = 12;

/** A DATA_PAGE header: type 0, sizes, then a DataPageHeader with num_values, encoding, def encoding, plus `extra` bytes inside it. */
function dataPageHeader(values: number, extra: number[] = []): Uint8Array {
  return Uint8Array.from([
    field(1, I32), ...zigzag(0),
    field(1, I32), ...zigzag(100),
    field(1, I32), ...zigzag(60),
    field(2, STRUCT),
    field(1, I32), ...zigzag(values),
    field(1, I32), ...zigzag(0),
    field(1, I32), ...zigzag(3),
    ...extra,
    0,
    0,
  ]);
}

describe('page headers', () => {
  it('reads the fields the decoder needs and skips the rest', () => {
    // Inside the DataPageHeader: a statistics struct (field 5) with a binary and an i64, a list of i32 — all skipped.
    const stats = [field(2, STRUCT), field(1, 8), ...varint(3), 1, 2, 3, field(2, 6), ...zigzag(123456789), 0, field(1, 9), 0x35, ...zigzag(1), ...zigzag(2), ...zigzag(3)];
    const bytes = dataPageHeader(7, stats);
    const { header, dataStart } = readPageHeader(bytes, 0);
    expect(header).toMatchObject({ type: 0, uncompressedSize: 100, compressedSize: 60, numValues: 7, encoding: 0, definitionEncoding: 3 });
    expect(dataStart).toBe(bytes.length);
  });

  it('throws on truncated, malformed and absurdly nested headers instead of reading past them', () => {
    const whole = dataPageHeader(7);
    for (let cut = 0; cut < whole.length - 1; cut++) expect(() => readPageHeader(whole.subarray(0, cut), 0)).toThrow(RangeError);
    expect(() => readPageHeader(Uint8Array.from([field(9, 13)]), 0)).toThrow(/unknown field type/);
    expect(() => readPageHeader(Uint8Array.from([field(1, 8), ...zigzag(0)]), 0)).toThrow(/wrong type/);
    const nested = Uint8Array.from([...Array.from({ length: 40 }, () => field(9, STRUCT)), ...Array.from({ length: 41 }, () => 0)]);
    expect(() => readPageHeader(nested, 0)).toThrow(RangeError);
    // A header without its sizes is incomplete.
    expect(() => readPageHeader(Uint8Array.from([field(1, I32), ...zigzag(0), 0]), 0)).toThrow(/incomplete/);
  });
});

describe('RLE / bit-packed hybrid', () => {
  it('decodes RLE runs, bit-packed groups and width 0', () => {
    const out = new Int32Array(13);
    // RLE: 5 × value 3 (width 2 → one byte); bit-packed: 1 group of 8 values 0..7 at width 3 (3 bytes).
    const bytes = Uint8Array.from([5 << 1, 3, (1 << 1) | 1, 0b10001000, 0b11000110, 0b11111010]);
    expect(decodeHybrid(bytes, 0, bytes.length, 3, out, 13)).toBe(true);
    expect(Array.from(out)).toEqual([3, 3, 3, 3, 3, 0, 1, 2, 3, 4, 5, 6, 7]);
    const zeros = new Int32Array(4).fill(9);
    expect(decodeHybrid(new Uint8Array(0), 0, 0, 0, zeros, 4)).toBe(true);
    expect(Array.from(zeros)).toEqual([0, 0, 0, 0]);
  });

  it('stops at the count asked for, even mid-run', () => {
    const out = new Uint8Array(3);
    expect(decodeHybrid(Uint8Array.from([...varint(100 << 1), 1]), 0, 3, 1, out, 3)).toBe(true);
    expect(Array.from(out)).toEqual([1, 1, 1]);
  });

  it('throws on data that ends early and declines widths it does not handle', () => {
    expect(() => decodeHybrid(Uint8Array.from([(1 << 1) | 1, 0xff]), 0, 2, 3, new Int32Array(8), 8)).toThrow(RangeError);
    expect(() => decodeHybrid(Uint8Array.from([4 << 1]), 0, 1, 8, new Int32Array(4), 4)).toThrow(RangeError);
    expect(() => decodeHybrid(Uint8Array.from([0x80, 0x80]), 0, 2, 1, new Int32Array(1), 1)).toThrow(RangeError);
    expect(decodeHybrid(Uint8Array.from([2, 0, 0, 0, 0]), 0, 5, 25, new Int32Array(1), 1)).toBe(false);
    expect(decodeHybrid(Uint8Array.from([2, 0, 0]), 0, 3, 9, new Uint8Array(1), 1)).toBe(false);
  });
});
