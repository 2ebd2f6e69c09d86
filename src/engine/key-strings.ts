/**
 * The key index of text, by UTF-8 bytes, so dictionary and plain columns meet. A dictionary is
 * resolved once per *entry* (per-batch dictionaries included), lazily, so ids still follow the
 * rows' first use; rows then only follow their codes.
 */
import * as arrow from 'apache-arrow';
import { BaseIndex, isValid, nullBits, textOffsets } from './key-base.js';
import { BytesTable } from './key-tables.js';

/** A dictionary's entries, resolved to ids lazily (-2 = not yet), so ids follow first use by a row. */
interface DictionaryIds {
  ids: Int32Array;
  chunks: { offsets: ArrayLike<number>; bytes: Uint8Array; start: number }[];
}

export const UNRESOLVED = -2;

/** Text by UTF-8 bytes; ids are those of its BytesTable. */
export class StringIndex extends BaseIndex {
  readonly table = new BytesTable();
  private dictionaries = new Map<arrow.Vector, DictionaryIds>();

  constructor(private readonly groupNulls: boolean) {
    super();
  }

  get size(): number {
    return this.table.size;
  }

  buildChunk(data: arrow.Data, out: Int32Array, base: number): void {
    if (arrow.DataType.isDictionary(data.type)) this.scanCodes(data, out, base, true, this.groupNulls);
    else this.scanText(data, out, base, true, this.groupNulls);
  }

  lookup(chunks: readonly arrow.Data[], out: Int32Array): number {
    let misses = 0;
    let base = 0;
    for (const data of chunks) {
      misses += arrow.DataType.isDictionary(data.type) ? this.scanCodes(data, out, base, false, false) : this.scanText(data, out, base, false, false);
      base += data.length;
    }
    return misses;
  }

  /** Orders two ids by their bytes (code point order). */
  compare(a: number, b: number): number {
    const { pool, offsets } = this.table;
    const aEnd = offsets[a + 1]!;
    const bEnd = offsets[b + 1]!;
    for (let i = offsets[a]!, j = offsets[b]!; i < aEnd && j < bEnd; i++, j++) {
      if (pool[i] !== pool[j]) return pool[i]! - pool[j]!;
    }
    return aEnd - offsets[a]! - (bEnd - offsets[b]!);
  }

  private scanCodes(data: arrow.Data, out: Int32Array, base: number, add: boolean, groupNulls: boolean): number {
    const dictionary = this.dictionaryIds(data.dictionary!);
    const ids = dictionary.ids;
    const codes = data.values as ArrayLike<number>;
    const bits = nullBits(data);
    const off = data.offset;
    let misses = 0;
    if (bits === null) {
      // The hot loop of grouping by text: one array read per row. Entries not resolved yet
      // (first batches only) are settled after it, in row order, so ids still follow first use.
      if (copyIds(codes as Int32Array, ids, out, base, data.length) === 0) return 0;
      for (let i = base; i < base + data.length; i++) {
        let id = out[i]!;
        if (id === UNRESOLVED) {
          const code = codes[i - base]!;
          id = ids[code]!;
          if (id === UNRESOLVED) id = ids[code] = this.resolve(dictionary, code, add);
          out[i] = id;
        }
        if (id < 0) misses++;
      }
      return misses;
    }
    for (let i = 0; i < data.length; i++) {
      let id: number;
      if (isValid(bits, off + i)) {
        const code = codes[i]!;
        id = ids[code]!;
        if (id === UNRESOLVED) id = ids[code] = this.resolve(dictionary, code, add);
      } else id = groupNulls ? this.table.addNull() : -1;
      out[base + i] = id;
      if (id < 0) misses++;
    }
    return misses;
  }

  private scanText(data: arrow.Data, out: Int32Array, base: number, add: boolean, groupNulls: boolean): number {
    const table = this.table;
    const offsets = textOffsets(data);
    const bytes = data.values as Uint8Array;
    const bits = nullBits(data);
    const off = data.offset;
    let misses = 0;
    for (let i = 0; i < data.length; i++) {
      let id: number;
      if (isValid(bits, off + i)) id = add ? table.add(bytes, offsets[i]!, offsets[i + 1]!) : table.find(bytes, offsets[i]!, offsets[i + 1]!);
      else id = groupNulls ? table.addNull() : -1;
      out[base + i] = id;
      if (id < 0) misses++;
    }
    return misses;
  }

  /**
   * The ids of a dictionary's entries as resolved so far (-2 where no row has used the entry
   * yet): lets a caller work per dictionary code and map codes to ids afterwards.
   */
  entryIds(dictionary: arrow.Vector): Int32Array {
    return this.dictionaryIds(dictionary).ids;
  }

  private dictionaryIds(dictionary: arrow.Vector): DictionaryIds {
    let entry = this.dictionaries.get(dictionary);
    if (!entry) {
      let start = 0;
      const chunks = dictionary.data.map((d) => {
        const chunk = { offsets: textOffsets(d), bytes: d.values as Uint8Array, start };
        start += d.length;
        return chunk;
      });
      entry = { ids: new Int32Array(dictionary.length).fill(UNRESOLVED), chunks };
      this.dictionaries.set(dictionary, entry);
    }
    return entry;
  }

  private resolve(dictionary: DictionaryIds, code: number, add: boolean): number {
    let c = dictionary.chunks.length - 1;
    while (c > 0 && dictionary.chunks[c]!.start > code) c--;
    const { offsets, bytes, start } = dictionary.chunks[c]!;
    const e = code - start;
    return add ? this.table.add(bytes, offsets[e]!, offsets[e + 1]!) : this.table.find(bytes, offsets[e]!, offsets[e + 1]!);
  }
}

/** out[base + i] = ids[codes[i]]; returns how many came out negative (unresolved or absent). */
function copyIds(codes: Int32Array, ids: Int32Array, out: Int32Array, base: number, n: number): number {
  let negative = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[codes[i]!]!;
    out[base + i] = id;
    negative += id >>> 31;
  }
  return negative;
}
