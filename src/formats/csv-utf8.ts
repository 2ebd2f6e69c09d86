/**
 * Strict UTF-8 validation of a byte stream that arrives in chunks, for the byte-level CSV
 * tokenizer: the same verdict as `TextDecoder('utf-8', { fatal: true })` (Node's `isUtf8`
 * applies the same WHATWG rules: no overlongs, surrogates or code points past U+10FFFF)
 * without decoding anything. A character split across chunks is held back until its end arrives.
 */
import { isUtf8 } from 'node:buffer';

/** Thrown with the absolute offset of the first byte of the region that failed. */
export class Utf8Error extends Error {
  constructor(readonly offset: number) {
    super(`invalid UTF-8 at or after byte ${offset}`);
  }
}

/**
 * Validates `bytes[from, to)`, where `from` is a character boundary, and returns how far the
 * bytes are known valid: `to`, or the start of an incomplete last character when more bytes
 * may follow (`final` false). `base` is the stream offset of `bytes[0]`, for the error.
 */
export function validateUtf8(bytes: Uint8Array, from: number, to: number, final: boolean, base: number): number {
  const end = final ? to : completeCharactersEnd(bytes, from, to);
  if (end > from && !isUtf8(bytes.subarray(from, end))) throw new Utf8Error(base + from);
  return end;
}

/** Where the last whole character ends: before a lead byte whose continuation bytes have not all arrived. */
function completeCharactersEnd(bytes: Uint8Array, from: number, to: number): number {
  let i = to - 1;
  // At most three continuation bytes (10xxxxxx) can follow a lead byte.
  while (i >= from && to - i <= 3 && (bytes[i]! & 0xc0) === 0x80) i--;
  if (i < from) return to;
  const lead = bytes[i]!;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  // Anything malformed is left in range so that validation rejects it now.
  return i + length > to && lead < 0xf8 ? i : to;
}
