/**
 * Stored values carry a tiny header so a reader can tell how old an entry is and can reject
 * bytes that were not written by this code (another app sharing the Redis, a format change):
 *
 *   byte 0      magic 0xDC
 *   byte 1      format version (1)
 *   bytes 2..9  storedAt, ms since the epoch, float64 big-endian
 *   bytes 10..  the value
 */
const MAGIC = 0xdc;
const FORMAT_VERSION = 1;
export const ENVELOPE_HEADER_BYTES = 10;

export interface DecodedEnvelope {
  value: Uint8Array;
  /** When the entry was written, ms since the epoch. */
  storedAt: number;
}

export function encode(value: Uint8Array, now: number = Date.now()): Buffer {
  const out = Buffer.allocUnsafe(ENVELOPE_HEADER_BYTES + value.byteLength);
  out[0] = MAGIC;
  out[1] = FORMAT_VERSION;
  out.writeDoubleBE(now, 2);
  out.set(value, ENVELOPE_HEADER_BYTES);
  return out;
}

/** The stored value and its write time, or undefined for anything malformed (read as a miss). */
export function decode(bytes: Uint8Array | null | undefined): DecodedEnvelope | undefined {
  if (!bytes || bytes.byteLength < ENVELOPE_HEADER_BYTES) return undefined;
  if (bytes[0] !== MAGIC || bytes[1] !== FORMAT_VERSION) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const storedAt = view.getFloat64(2, false);
  if (!Number.isFinite(storedAt) || storedAt < 0) return undefined;
  return { value: bytes.subarray(ENVELOPE_HEADER_BYTES), storedAt };
}

/** Age of an entry; a writer with a clock ahead of ours must not produce a negative age. */
export function ageOf(storedAt: number, now: number = Date.now()): number {
  return Math.max(0, Math.round(now - storedAt));
}
