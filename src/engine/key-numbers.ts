/**
 * Key indexes of numbers, timestamps, dates and bools (by value: int and float meet, -0 is 0,
 * NaN is one value), and of Null-typed columns. Integers in a narrow range are indexed by an
 * array, anything else through a NumberTable.
 */
import * as arrow from 'apache-arrow';
import { BaseIndex, isValid, nullBits, numberValues } from './key-base.js';
import { NumberTable } from './key-tables.js';

/** Largest range of integers indexed directly by an array (4 bytes a slot). */
const DIRECT_RANGE = 1 << 22;

export class NumberIndex extends BaseIndex {
  size = 0;
  private min = 0;
  private direct: Int32Array | undefined;
  private table: NumberTable | undefined;
  private nullId = -1;

  constructor(private readonly groupNulls: boolean) {
    super();
  }

  override prepare(chunks: readonly arrow.Data[]): void {
    const rows = chunks.reduce((n, d) => n + d.length, 0);
    const range = integerRange(chunks);
    if (range && range.max - range.min < Math.min(DIRECT_RANGE, Math.max(4096, 2 * rows))) {
      this.min = range.min;
      this.direct = new Int32Array(range.max - range.min + 1);
    } else this.table = new NumberTable();
  }

  buildChunk(data: arrow.Data, out: Int32Array, base: number): void {
    const v = numberValues(data);
    const bits = nullBits(data);
    const off = data.offset;
    const direct = this.direct;
    if (direct === undefined) {
      const table = this.table!;
      for (let i = 0; i < data.length; i++) out[base + i] = isValid(bits, off + i) ? table.add(v[i]!) : this.groupNulls ? table.addNull() : -1;
      this.size = table.size;
      return;
    }
    const min = this.min;
    let size = this.size;
    for (let i = 0; i < data.length; i++) {
      if (!isValid(bits, off + i)) {
        if (this.nullId < 0 && this.groupNulls) this.nullId = size++;
        out[base + i] = this.nullId;
        continue;
      }
      const x = v[i]! - min;
      let id = direct[x]!;
      if (id === 0) direct[x] = id = ++size;
      out[base + i] = id - 1;
    }
    this.size = size;
  }

  lookup(chunks: readonly arrow.Data[], out: Int32Array): number {
    let misses = 0;
    let base = 0;
    for (const data of chunks) {
      const v = numberValues(data);
      const bits = nullBits(data);
      if (this.direct && bits === null && !arrow.DataType.isFloat(data.type)) misses += lookupInts(v, data.length, this.direct, this.min, out, base);
      else misses += this.lookupAny(v, data, bits, out, base);
      base += data.length;
    }
    return misses;
  }

  private lookupAny(v: ArrayLike<number>, data: arrow.Data, bits: Uint8Array | null, out: Int32Array, base: number): number {
    const { direct, table, min } = this;
    const range = direct ? direct.length : 0;
    const off = data.offset;
    let misses = 0;
    for (let i = 0; i < data.length; i++) {
      let id = -1;
      if (isValid(bits, off + i)) {
        if (direct) {
          const x = v[i]! - min;
          if (x >= 0 && x < range && (x | 0) === x) id = direct[x]! - 1;
        } else if (table) id = table.find(v[i]!);
      }
      out[base + i] = id;
      if (id < 0) misses++;
    }
    return misses;
  }
}

/** The hot path of a lookup join: integer keys without nulls against a directly indexed build side. */
function lookupInts(v: ArrayLike<number>, n: number, direct: Int32Array, min: number, out: Int32Array, base: number): number {
  const range = direct.length;
  let misses = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]! - min;
    const id = x >= 0 && x < range ? direct[x]! - 1 : -1;
    out[base + i] = id;
    misses += id >>> 31;
  }
  return misses;
}

/** Min and max of integer-typed chunks (int, temporal, bool), or undefined for floats or no values. */
function integerRange(chunks: readonly arrow.Data[]): { min: number; max: number } | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const data of chunks) {
    if (arrow.DataType.isFloat(data.type)) return undefined;
    const v = numberValues(data);
    const bits = nullBits(data);
    const off = data.offset;
    for (let i = 0; i < data.length; i++) {
      if (!isValid(bits, off + i)) continue;
      const x = v[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min <= max && Number.isSafeInteger(min) && Number.isSafeInteger(max) ? { min, max } : undefined;
}

export class NullIndex extends BaseIndex {
  size = 0;
  constructor(private readonly groupNulls: boolean) {
    super();
  }
  buildChunk(data: arrow.Data, out: Int32Array, base: number): void {
    if (this.groupNulls && data.length > 0) this.size = 1;
    out.fill(this.groupNulls ? 0 : -1, base, base + data.length);
  }
  lookup(_chunks: readonly arrow.Data[], out: Int32Array): number {
    out.fill(-1);
    return out.length;
  }
}
