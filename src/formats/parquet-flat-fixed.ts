/**
 * Fixed-width flat columns (BOOLEAN, INT32, INT64, FLOAT, DOUBLE) from page bytes into one
 * typed array and validity bitmap, PLAIN or dictionary-encoded.
 */
import * as arrow from 'apache-arrow';
import type { ColumnSink, FlatSpec, PageSlots } from './parquet-flat.js';
import { decodeHybrid } from './parquet-hybrid.js';
import type { DataPageView } from './parquet-pages.js';
import { Encoding } from './parquet-thrift.js';
import { getBit, newBitmap, setBit } from './raw.js';

const TWO_32 = 4294967296;

/** Physical values as a typed array: INT64 as Int32 pairs (low, high), BOOLEAN as a bit-packed Uint8Array. */
type Values = Int32Array | Float32Array | Float64Array | Uint8Array;

export class FixedSink implements ColumnSink {
  private readonly out: Int32Array | Float64Array | Uint8Array;
  /** All rows start valid; nulls clear their bit (every output row is covered by some page). */
  private readonly validity: Uint8Array;
  private nulls = 0;
  private dict: Values | undefined;
  private dictCount = 0;
  /** hyparquet hands over a typed array (NaN kept) only for a REQUIRED single PLAIN page; anything else went through `numeric()`, where NaN is null. */
  private typedPages = 0;

  constructor(
    private readonly spec: FlatSpec,
    private readonly length: number,
  ) {
    this.validity = newBitmap(length).fill(0xff);
    const { physical, kind } = spec;
    if (physical === 'BOOLEAN') this.out = newBitmap(length);
    else if (physical === 'INT64' && kind === 'int64') this.out = new Int32Array(2 * length);
    else if (physical === 'INT32' && kind === 'int32') this.out = new Int32Array(length);
    else this.out = new Float64Array(length);
  }

  dictionary(values: Uint8Array, count: number): boolean {
    // A second dictionary page would re-map codes already gathered: leave such a chunk to hyparquet.
    if (this.spec.physical === 'BOOLEAN' || this.dict) return false;
    // A copy: the page bytes may not outlive this call.
    this.dict = this.plainValues(values, count, count, true);
    this.dictCount = count;
    return true;
  }

  page(page: DataPageView, at: PageSlots): boolean {
    let source: Values;
    let indices: Int32Array | undefined;
    if (page.encoding === Encoding.plain) {
      if (at.needed > page.present) throw new RangeError('parquet page has fewer values than its header says');
      source = this.plainValues(page.values, page.present, at.needed, false);
      if (!page.defined) this.typedPages++;
    } else if ((page.encoding === Encoding.plainDictionary || page.encoding === Encoding.rleDictionary) && this.dict) {
      source = this.dict;
      // Only the indices of slots [first, needed): `indices[slot - first]`.
      indices = new Int32Array(at.needed - at.first);
      const bitWidth = page.values.length > 0 ? page.values[0]! : 0;
      if (indices.length > 0 && !decodeHybrid(page.values, 1, page.values.length, bitWidth, indices, at.needed, at.first)) return false;
      for (let i = 0; i < indices.length; i++) if (indices[i]! >= this.dictCount) throw new RangeError('parquet dictionary index out of range');
      if (bitWidth === 0 && !page.defined) this.typedPages++;
    } else {
      return false;
    }
    this.gather(source, indices, at);
    return true;
  }

  private gather(source: Values, indices: Int32Array | undefined, { base, count, slots, first }: PageSlots): void {
    const out = this.out;
    const { physical, kind } = this.spec;
    // Value slot of output row j: slots[j] (or first + j), then through the dictionary indices
    // if any (which hold slots from `first` on).
    if (slots) {
      for (let j = 0; j < count; j++) {
        if (slots[j]! < 0) {
          this.nulls++;
          clearBit(this.validity, base + j);
        }
      }
    }
    const skip = indices ? first : 0;
    if (physical === 'BOOLEAN') {
      const bits = source as Uint8Array;
      const target = out as Uint8Array;
      for (let j = 0; j < count; j++) {
        const slot = slots ? slots[j]! : first + j;
        if (slot >= 0 && getBit(bits, indices ? indices[slot - skip]! : slot)) setBit(target, base + j);
      }
    } else if (!slots && !indices && (physical !== 'INT64' || kind === 'int64')) {
      // One block copy (Float32 widens to Float64 in `set`); INT64 values are Int32 pairs.
      const width = physical === 'INT64' ? 2 : 1;
      (out as Float64Array | Int32Array).set(source.subarray(width * first, width * (first + count)) as Float64Array | Int32Array, width * base);
    } else if (physical === 'INT64' && kind === 'int64') {
      const from = source as Int32Array;
      const to = out as Int32Array;
      for (let j = 0; j < count; j++) {
        const slot = slots ? slots[j]! : first + j;
        if (slot < 0) continue;
        const v = indices ? indices[slot - skip]! : slot;
        to[2 * (base + j)] = from[2 * v]!;
        to[2 * (base + j) + 1] = from[2 * v + 1]!;
      }
    } else if (physical === 'INT64') {
      const from = source as Int32Array;
      const to = out as Float64Array;
      for (let j = 0; j < count; j++) {
        const slot = slots ? slots[j]! : first + j;
        if (slot < 0) continue;
        const v = indices ? indices[slot - skip]! : slot;
        to[base + j] = from[2 * v + 1]! * TWO_32 + (from[2 * v]! >>> 0);
      }
    } else {
      const from = source as Float64Array | Float32Array | Int32Array;
      const to = out as Float64Array | Int32Array;
      for (let j = 0; j < count; j++) {
        const slot = slots ? slots[j]! : first + j;
        if (slot >= 0) to[base + j] = from[indices ? indices[slot - skip]! : slot]!;
      }
    }
  }

  /** The first `needed` of `count` PLAIN values as a typed array (a view when aligned, else a copy). */
  private plainValues(bytes: Uint8Array, count: number, needed: number, copy: boolean): Values {
    const { physical } = this.spec;
    const width = physical === 'BOOLEAN' ? 0 : physical === 'INT64' || physical === 'DOUBLE' ? 8 : 4;
    const byteLength = width === 0 ? Math.ceil(count / 8) : count * width;
    if (byteLength > bytes.length) throw new RangeError('parquet page has fewer values than its header says');
    if (width === 0) return copy ? bytes.slice(0, byteLength) : bytes;
    const used = needed * width;
    const aligned = !copy && bytes.byteOffset % width === 0 ? bytes : bytes.slice(0, used);
    const n = physical === 'INT64' ? 2 * needed : needed;
    if (physical === 'DOUBLE') return new Float64Array(aligned.buffer, aligned.byteOffset, n);
    if (physical === 'FLOAT') return new Float32Array(aligned.buffer, aligned.byteOffset, n);
    return new Int32Array(aligned.buffer, aligned.byteOffset, n);
  }

  finish(dataPages: number): arrow.Data {
    const { spec, length, validity } = this;
    if (spec.physical === 'FLOAT' || spec.physical === 'DOUBLE') {
      const keepNaN = !spec.optional && dataPages === 1 && this.typedPages === 1;
      if (!keepNaN) this.nanToNull();
    }
    const nullCount = this.nulls;
    // Bits past the last row were set by the all-valid start: clear them before handing the bitmap on.
    for (let i = length; i < validity.length * 8; i++) clearBit(validity, i);
    const nullBitmap = nullCount ? validity : null;
    const out = this.out;
    switch (spec.kind) {
      case 'bool':
        return arrow.makeData({ type: new arrow.Bool(), length, nullCount, nullBitmap, data: out as Uint8Array });
      case 'int32':
        return arrow.makeData({ type: new arrow.Int32(), length, nullCount, nullBitmap, data: out as Int32Array });
      case 'int64':
        return arrow.makeData({ type: new arrow.Int64(), length, nullCount, nullBitmap, data: new BigInt64Array((out as Int32Array).buffer, 0, length) });
      default:
        return arrow.makeData({ type: new arrow.Float64(), length, nullCount, nullBitmap, data: out as Float64Array });
    }
  }

  private nanToNull(): void {
    const out = this.out as Float64Array;
    for (let i = 0; i < out.length; i++) {
      // NaN is the only value not equal to itself; cleared bits were nulls already.
      if (out[i] !== out[i] && getBit(this.validity, i)) {
        clearBit(this.validity, i);
        out[i] = 0;
        this.nulls++;
      }
    }
  }
}

function clearBit(bytes: Uint8Array, bit: number): void {
  bytes[bit >> 3]! &= ~(1 << (bit & 7));
}
