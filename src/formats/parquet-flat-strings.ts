/**
 * UTF-8 BYTE_ARRAY columns from page bytes into Dictionary<Utf8, Int32> — the type every reader
 * here gives strings — without a JS string per value. A dictionary-encoded page keeps its codes
 * (the dictionary is trimmed to the entries the output uses); a PLAIN page's values are copied
 * once into the dictionary, one entry per row (no hashing, so a PLAIN column's dictionary may
 * repeat a value: consumers compare values, never dictionary codes across rows, and the
 * profile merges entries by value).
 */
import { isUtf8 } from 'node:buffer';
import * as arrow from 'apache-arrow';
import { utf8Vector } from './columns.js';
import type { ColumnSink, PageSlots } from './parquet-flat.js';
import { decodeHybrid } from './parquet-hybrid.js';
import type { DataPageView } from './parquet-pages.js';
import { Encoding } from './parquet-thrift.js';
import { newBitmap } from './raw.js';

const MAX_BYTES = 0x7fffffff;

export class StringSink implements ColumnSink {
  /** Per output row: a dictionary-page index (≥ 0) or -(n + 1) for the n-th copied PLAIN value. */
  private readonly codes: Int32Array;
  private readonly validity: Uint8Array;
  private nulls = 0;
  private dictOffsets: Int32Array | undefined;
  private dictBytes: Uint8Array | undefined;
  private plainOffsets = new Int32Array(1);
  private plainBytes = new Uint8Array(0);
  private plainCount = 0;

  constructor(private readonly length: number) {
    this.codes = new Int32Array(length);
    // All rows start valid; nulls clear their bit (every output row is covered by some page).
    this.validity = newBitmap(length).fill(0xff);
  }

  dictionary(values: Uint8Array, count: number): boolean {
    // A second dictionary page would re-map codes already gathered: leave such a chunk to hyparquet.
    if (this.dictOffsets) return false;
    const positions = valuePositions(values, 0, count);
    const offsets = new Int32Array(count + 1);
    const bytes = new Uint8Array(positions[count]! - 4 * count);
    for (let i = 0; i < count; i++) {
      const start = positions[i]! + 4;
      const end = positions[i + 1]!;
      bytes.set(values.subarray(start, end), offsets[i]!);
      offsets[i + 1] = offsets[i]! + (end - start);
    }
    this.dictOffsets = offsets;
    this.dictBytes = bytes;
    return true;
  }

  page(page: DataPageView, { base, count, slots, needed, first }: PageSlots): boolean {
    const { codes, validity } = this;
    if (slots) {
      for (let j = 0; j < count; j++) {
        if (slots[j]! < 0) {
          this.nulls++;
          validity[(base + j) >> 3]! &= ~(1 << ((base + j) & 7));
        }
      }
    }
    if (page.encoding === Encoding.plain) {
      if (needed > page.present) throw new RangeError('parquet page has fewer values than its header says');
      this.copyPlain(page.values, valuePositions(page.values, first, needed), first, base, count, slots);
      return true;
    }
    if ((page.encoding !== Encoding.plainDictionary && page.encoding !== Encoding.rleDictionary) || !this.dictOffsets) return false;
    // Only the indices of slots [first, needed): `indices[slot - first]`.
    const indices = new Int32Array(needed - first);
    const bitWidth = page.values.length > 0 ? page.values[0]! : 0;
    if (indices.length > 0 && !decodeHybrid(page.values, 1, page.values.length, bitWidth, indices, needed, first)) return false;
    const entries = this.dictOffsets.length - 1;
    for (let j = 0; j < count; j++) {
      const slot = slots ? slots[j]! - first : j;
      if (slot < 0) continue;
      const code = indices[slot]!;
      if (code >= entries) throw new RangeError('parquet dictionary index out of range');
      codes[base + j] = code;
    }
    return true;
  }

  /**
   * Appends the selected PLAIN values to the copied-values buffer, sized exactly up front.
   * `positions[slot - first]` is where value `slot`'s length prefix starts.
   */
  private copyPlain(source: Uint8Array, positions: Int32Array, first: number, base: number, count: number, slots: Int32Array | null): void {
    let bytes = 0;
    let values = 0;
    for (let j = 0; j < count; j++) {
      const slot = slots ? slots[j]! - first : j;
      if (slot < 0) continue;
      bytes += positions[slot + 1]! - positions[slot]! - 4;
      values++;
    }
    let used = this.plainOffsets[this.plainCount]!;
    if (used + bytes > MAX_BYTES) throw new RangeError('parquet string column is over 2 GiB in one row group');
    if (used + bytes > this.plainBytes.length) this.plainBytes = grow(this.plainBytes, used + bytes);
    if (this.plainCount + values + 1 > this.plainOffsets.length) this.plainOffsets = grow(this.plainOffsets, this.plainCount + values + 1);
    const target = this.plainBytes;
    const offsets = this.plainOffsets;
    const codes = this.codes;
    // Short values copy fastest four bytes at a time (V8 turns DataView accesses into plain
    // loads); a subarray per value costs an allocation, a byte loop four times the steps.
    const from = new DataView(source.buffer, source.byteOffset, source.byteLength);
    const to = new DataView(target.buffer, target.byteOffset, target.byteLength);
    let n = this.plainCount;
    for (let j = 0; j < count; j++) {
      const slot = slots ? slots[j]! - first : j;
      if (slot < 0) continue;
      const start = positions[slot]! + 4;
      const length = positions[slot + 1]! - start;
      if (length > 64) target.set(source.subarray(start, start + length), used);
      else {
        let k = 0;
        for (; k + 4 <= length; k += 4) to.setInt32(used + k, from.getInt32(start + k, true), true);
        for (; k < length; k++) target[used + k] = source[start + k]!;
      }
      used += length;
      offsets[++n] = used;
      codes[base + j] = -n;
    }
    this.plainCount = n;
  }

  finish(): arrow.Data {
    const { codes, validity, length } = this;
    for (let i = length; i < validity.length * 8; i++) validity[i >> 3]! &= ~(1 << (i & 7));
    // Keep only the dictionary-page entries some row uses, in dictionary order; PLAIN values follow.
    const entries = this.dictOffsets ? this.dictOffsets.length - 1 : 0;
    const remap = new Int32Array(entries).fill(-1);
    for (let i = 0; i < length; i++) if (codes[i]! >= 0 && (this.nulls === 0 || (validity[i >> 3]! & (1 << (i & 7))) !== 0)) remap[codes[i]!] = 0;
    let used = 0;
    let usedBytes = 0;
    for (let e = 0; e < entries; e++) {
      if (remap[e] === 0) {
        remap[e] = used++;
        usedBytes += this.dictOffsets![e + 1]! - this.dictOffsets![e]!;
      }
    }
    const plainBytes = this.plainOffsets[this.plainCount]!;
    if (usedBytes + plainBytes > MAX_BYTES) throw new RangeError('parquet string column is over 2 GiB in one row group');
    const offsets = new Int32Array(used + this.plainCount + 1);
    const bytes = used === 0 ? this.plainBytes.subarray(0, plainBytes) : new Uint8Array(usedBytes + plainBytes);
    let k = 0;
    for (let e = 0; e < entries; e++) {
      if (remap[e]! < 0) continue;
      const start = this.dictOffsets![e]!;
      const end = this.dictOffsets![e + 1]!;
      bytes.set(this.dictBytes!.subarray(start, end), offsets[k]!);
      offsets[k + 1] = offsets[k]! + (end - start);
      k++;
    }
    if (used > 0) bytes.set(this.plainBytes.subarray(0, plainBytes), usedBytes);
    for (let p = 1; p <= this.plainCount; p++) offsets[used + p] = usedBytes + this.plainOffsets[p]!;
    for (let i = 0; i < length; i++) {
      const c = codes[i]!;
      codes[i] = c >= 0 ? (remap[c]! >= 0 ? remap[c]! : 0) : used - c - 1;
    }
    return arrow.makeData({
      type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
      length,
      nullCount: this.nulls,
      nullBitmap: this.nulls ? validity : null,
      data: codes,
      dictionary: dictionaryVector(offsets, bytes),
    });
  }
}

/**
 * The Utf8 dictionary. Bytes that are not valid UTF-8 are decoded and re-encoded value by
 * value, as hyparquet's TextDecoder would have (U+FFFD for each bad sequence).
 */
function dictionaryVector(offsets: Int32Array, bytes: Uint8Array): arrow.Vector<arrow.Utf8> {
  const count = offsets.length - 1;
  if (isUtf8(bytes)) {
    return arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: count, nullCount: 0, valueOffsets: offsets, data: bytes }));
  }
  const decoder = new TextDecoder();
  const strings: string[] = [];
  for (let i = 0; i < count; i++) strings.push(decoder.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!)));
  return utf8Vector(strings);
}

/**
 * Start of the 4-byte length prefix of PLAIN BYTE_ARRAY values `first` … `count - 1` (at
 * index `i - first`), plus the end of the last one. The values before `first` are walked over,
 * not recorded.
 */
function valuePositions(values: Uint8Array, first: number, count: number): Int32Array {
  // Every value has a 4-byte length: a count the bytes cannot hold is corrupt (and must not size an allocation).
  if (count * 4 > values.length) throw new RangeError('parquet page has fewer values than its header says');
  const positions = new Int32Array(count - first + 1);
  const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (i >= first) positions[i - first] = at;
    if (at + 4 > values.length) throw new RangeError('parquet page has fewer values than its header says');
    at += 4 + view.getUint32(at, true);
    if (at > values.length) throw new RangeError('parquet string value runs past its page');
  }
  positions[count - first] = at;
  return positions;
}

function grow<T extends Uint8Array | Int32Array>(array: T, needed: number): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}
