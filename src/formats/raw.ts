/**
 * Raw-buffer helpers shared by the format builders and the engine (DESIGN §10).
 *
 * Arrow JS slicing conventions, which every reader of `Data` must follow:
 * - fixed-width `values` (ints, floats, timestamps, dictionary codes) are already sliced:
 *   index them from 0;
 * - `nullBitmap` and the bit-packed `values` of Bool are NOT sliced: use `data.offset + i`;
 * - variable-width `valueOffsets` are sliced, the byte buffer is not (offsets are absolute).
 */
import type * as arrow from 'apache-arrow';

const TWO_32 = 4294967296;

/** True when row `i` of `data` holds a value (not null). */
export function isValidAt(data: arrow.Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap == null || bitmap.length === 0) return true;
  const bit = data.offset + i;
  return (bitmap[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

export function getBit(bytes: Uint8Array, bit: number): boolean {
  return (bytes[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

export function setBit(bytes: Uint8Array, bit: number): void {
  bytes[bit >> 3]! |= 1 << (bit & 7);
}

/** A zeroed bitmap for `length` bits, padded to 8 bytes as Arrow prefers. */
export function newBitmap(length: number): Uint8Array {
  return new Uint8Array(((length + 63) & ~63) >> 3);
}

/**
 * Writes JS numbers (integral, |v| < 2^53) into int64 slots without a BigInt per row: the
 * two 32-bit halves go through an Int32 view (little-endian, as on every Node platform).
 */
export function numbersToInt64(source: ArrayLike<number>, length: number): BigInt64Array {
  const out = new BigInt64Array(length);
  const halves = new Int32Array(out.buffer);
  for (let i = 0; i < length; i++) {
    const v = source[i]!;
    const hi = Math.floor(v / TWO_32);
    halves[2 * i] = (v - hi * TWO_32) | 0;
    halves[2 * i + 1] = hi;
  }
  return out;
}

/** Reads int64 slots as JS numbers (exact below 2^53), again without BigInt churn. */
export function int64ToNumbers(values: BigInt64Array | BigUint64Array, signed = true): Float64Array {
  const length = values.length;
  const out = new Float64Array(length);
  const lo = new Uint32Array(values.buffer, values.byteOffset, length * 2);
  const hiSigned = new Int32Array(values.buffer, values.byteOffset, length * 2);
  for (let i = 0; i < length; i++) {
    const hi = signed ? hiSigned[2 * i + 1]! : lo[2 * i + 1]!;
    out[i] = hi * TWO_32 + lo[2 * i]!;
  }
  return out;
}

/** Copies a Uint8Array into an exact ArrayBuffer (a view may sit inside a bigger pool buffer). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}
