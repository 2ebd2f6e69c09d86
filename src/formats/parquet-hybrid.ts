/**
 * The RLE / bit-packed hybrid encoding of Parquet (definition levels, dictionary indices),
 * decoded straight into a typed array. Widths above 24 bits (dictionaries of more than 16 M
 * entries) are left to hyparquet: the caller falls back when this returns false.
 */

/**
 * Decodes `count` values of `bitWidth` bits from `bytes[start, end)` into `out`. Throws on
 * data that ends too early; returns false only for a width this decoder does not handle.
 *
 * With `skip`, the first `skip` values are stepped over, not stored: value `skip + k` lands in
 * `out[k]`. A selective read that needs only a page's later rows then skips whole runs (and
 * whole 8-value groups of bit-packed runs) without unpacking them.
 */
export function decodeHybrid(bytes: Uint8Array, start: number, end: number, bitWidth: number, out: Int32Array | Uint8Array, count: number, skip = 0): boolean {
  if (bitWidth > 24 || (out instanceof Uint8Array && bitWidth > 8)) return false;
  if (bitWidth === 0) {
    out.fill(0, 0, count - skip);
    return true;
  }
  const mask = (1 << bitWidth) - 1;
  const valueBytes = (bitWidth + 7) >> 3;
  let pos = start;
  // `i` counts values decoded or stepped over; a kept value goes to `out[i - skip]`.
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
      const groups = Math.floor(header / 2);
      const take = Math.min(groups * 8, count - i);
      if (pos + Math.ceil((take * bitWidth) / 8) > end) throw new RangeError('parquet bit-packed run ends early');
      // Whole groups before the first kept value: 8 values are exactly `bitWidth` bytes.
      const skipped = i < skip ? Math.min(Math.floor((skip - i) / 8), Math.floor(take / 8)) : 0;
      let p = pos + skipped * bitWidth;
      let v = skipped * 8;
      i += v;
      let acc = 0;
      let bits = 0;
      for (; v < take; v++) {
        while (bits < bitWidth) {
          acc |= bytes[p++]! << bits;
          bits += 8;
        }
        if (i >= skip) out[i - skip] = acc & mask;
        i++;
        acc >>>= bitWidth;
        bits -= bitWidth;
      }
      pos += groups * bitWidth;
    } else {
      const run = Math.min(header / 2, count - i);
      if (pos + valueBytes > end) throw new RangeError('parquet RLE run ends early');
      let value = 0;
      for (let k = 0; k < valueBytes; k++) value |= bytes[pos + k]! << (8 * k);
      pos += valueBytes;
      if (i + run > skip) out.fill(value & mask, Math.max(0, i - skip), i + run - skip);
      i += run;
    }
  }
  return true;
}
