import { describe, expect, it } from 'vitest';
import { ENVELOPE_HEADER_BYTES, ageOf, decode, encode } from '../../../src/cache/envelope.js';

describe('cache envelope', () => {
  it('round-trips the value and the write time', () => {
    const value = new Uint8Array([0, 1, 2, 255, 254]);
    const decoded = decode(encode(value, 1_700_000_000_123));
    expect(decoded?.storedAt).toBe(1_700_000_000_123);
    expect(Buffer.from(decoded!.value)).toEqual(Buffer.from(value));
  });

  it('round-trips an empty value', () => {
    const bytes = encode(new Uint8Array(0), 5);
    expect(bytes.byteLength).toBe(ENVELOPE_HEADER_BYTES);
    expect(decode(bytes)?.value.byteLength).toBe(0);
  });

  it('decodes from a Uint8Array view at a non-zero offset', () => {
    const encoded = encode(Buffer.from('hello'), 42);
    const padded = new Uint8Array(encoded.byteLength + 7);
    padded.set(encoded, 7);
    const decoded = decode(padded.subarray(7));
    expect(decoded?.storedAt).toBe(42);
    expect(Buffer.from(decoded!.value).toString()).toBe('hello');
  });

  it('rejects garbage as undefined', () => {
    expect(decode(undefined)).toBeUndefined();
    expect(decode(null)).toBeUndefined();
    expect(decode(new Uint8Array(0))).toBeUndefined();
    expect(decode(Buffer.from('short'))).toBeUndefined();
    expect(decode(Buffer.from('plain text written by another application'))).toBeUndefined();
    expect(decode(Buffer.from('{"status":"hit"}'))).toBeUndefined();
  });

  it('rejects a truncated header, an unknown version, and impossible timestamps', () => {
    const good = encode(Buffer.from('v'), 1000);
    expect(decode(good.subarray(0, ENVELOPE_HEADER_BYTES - 1))).toBeUndefined();
    const badVersion = Buffer.from(good);
    badVersion[1] = 2;
    expect(decode(badVersion)).toBeUndefined();
    const nan = Buffer.from(good);
    nan.writeDoubleBE(Number.NaN, 2);
    expect(decode(nan)).toBeUndefined();
    const negative = Buffer.from(good);
    negative.writeDoubleBE(-1, 2);
    expect(decode(negative)).toBeUndefined();
    const infinite = Buffer.from(good);
    infinite.writeDoubleBE(Number.POSITIVE_INFINITY, 2);
    expect(decode(infinite)).toBeUndefined();
  });

  it('never reports a negative age for an entry written by a clock ahead of ours', () => {
    expect(ageOf(2000, 1500)).toBe(0);
    expect(ageOf(1000, 1500)).toBe(500);
  });
});
