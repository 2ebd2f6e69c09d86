/**
 * The RLE / bit-packed hybrid encoding of Parquet (definition levels, dictionary indices),
 * decoded straight into a typed array. Widths above 24 bits (dictionaries of more than 16 M
 * entries) are left to hyparquet: the caller falls back when this returns false.
 */

/**
 * Decodes `count` values of `bitWidth` bits from `bytes[start, end)` into `out`. Throws on
 * data that ends too early; returns false only for a width this decoder does not handle.
 */
export function decodeHybrid(bytes: Uint8Array, start: number, end: number, bitWidth: number, out: Int32Array | Uint8Array, count: number): boolean {
  if (bitWidth > 24 || (out instanceof Uint8Array && bitWidth > 8)) return false;
  if (bitWidth === 0) {
    out.fill(0, 0, count);
    return true;
  }
  const mask = (1 << bitWidth) - 1;
  const valueBytes = (bitWidth + 7) >> 3;
  let pos = start;
  let i = 0;
  while (i < count) {
    // The run header: a ULEB128 varint.
    let header = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end) throw new RangeError('parquet level or index data ends early');
      const b = bytes[pos++]!;
      header += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 35) throw new RangeError('parquet run header is malformed');
    }
    if (header % 2 === 1) {
      // Bit-packed: groups of 8 values, least significant bit first.
      const values = Math.floor(header / 2) * 8;
      const take = Math.min(values, count - i);
      if (pos + Math.ceil((take * bitWidth) / 8) > end) throw new RangeError('parquet bit-packed run ends early');
      let acc = 0;
      let bits = 0;
      let p = pos;
      for (let v = 0; v < take; v++) {
        while (bits < bitWidth) {
          acc |= bytes[p++]! << bits;
          bits += 8;
        }
        out[i++] = acc & mask;
        acc >>>= bitWidth;
        bits -= bitWidth;
      }
      pos += Math.floor(header / 2) * bitWidth;
    } else {
      const run = Math.min(header / 2, count - i);
      if (pos + valueBytes > end) throw new RangeError('parquet RLE run ends early');
      let value = 0;
      for (let k = 0; k < valueBytes; k++) value |= bytes[pos + k]! << (8 * k);
      pos += valueBytes;
      out.fill(value & mask, i, i + run);
      i += run;
    }
  }
  return true;
}
